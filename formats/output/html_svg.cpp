#include "formats/output/html_svg.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace memleak::formats {

namespace {

// Length of the UTF-8 sequence starting with `lead`, 0 when `lead` cannot start one.
size_t utf8_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xe0) == 0xc0 && lead >= 0xc2) return 2;
  if ((lead & 0xf0) == 0xe0) return 3;
  if ((lead & 0xf8) == 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

size_t valid_sequence(std::string_view s, size_t i) {
  const size_t n = utf8_length(static_cast<unsigned char>(s[i]));
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return 0;
  return n;
}

std::string num(double v) { return fmt::format("{:.1f}", v); }

struct Scale {
  double lo, hi, out_lo, out_hi;
  double operator()(double v) const {
    if (hi == lo) return (out_lo + out_hi) / 2;
    return out_lo + (v - lo) / (hi - lo) * (out_hi - out_lo);
  }
};

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    switch (c) {
      case '&': out += "&amp;"; ++i; continue;
      case '<': out += "&lt;"; ++i; continue;
      case '>': out += "&gt;"; ++i; continue;
      case '"': out += "&quot;"; ++i; continue;
      case '\'': out += "&#39;"; ++i; continue;
      default: break;
    }
    const size_t n = valid_sequence(text, i);
    if (n == 0 || (n == 1 && static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t')) {
      out += "\xef\xbf\xbd";  // U+FFFD for a broken sequence or a control character
      ++i;
      continue;
    }
    out.append(text.substr(i, n));
    i += n;
  }
  return out;
}

std::string truncate_utf8(std::string_view text, size_t max_chars) {
  size_t chars = 0, i = 0, cut = 0;
  while (i < text.size()) {
    if (chars + 1 == max_chars) cut = i;  // where "…" would go
    const size_t n = std::max<size_t>(1, valid_sequence(text, i));
    i += n;
    if (++chars > max_chars) return std::string(text.substr(0, cut)) + "…";
  }
  return std::string(text);
}

std::string svg_line_chart(const LineChart& c) {
  // Margins leave room for the axis labels: left for the y labels, bottom for the x labels.
  const double left = 78, right = 12, top = 10, bottom = 22;
  const Scale sx{c.x.empty() ? 0 : c.x.front(), c.x.empty() ? 0 : c.x.back(), left,
                 double(c.width) - right};
  const Scale sy{c.y_low, c.y_high, double(c.height) - bottom, top};
  std::string out = fmt::format(
      "<svg class=\"{}\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\" "
      "aria-label=\"{}\">\n",
      html_escape(c.css_class), c.width, c.height, c.width, c.height, html_escape(c.label));
  out += fmt::format("<rect class=\"plot\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>\n",
                     num(left), num(top), num(c.width - left - right),
                     num(c.height - top - bottom));
  out += fmt::format("<text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n",
                     num(left - 6), num(top + 9), html_escape(c.y_high_label));
  out += fmt::format("<text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n",
                     num(left - 6), num(c.height - bottom), html_escape(c.y_low_label));
  out += fmt::format("<text class=\"axis\" x=\"{}\" y=\"{}\">{}</text>\n", num(left),
                     num(c.height - 6), html_escape(c.x_first_label));
  out += fmt::format("<text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n",
                     num(c.width - right), num(c.height - 6), html_escape(c.x_last_label));
  if (c.trend && !c.x.empty())
    out += fmt::format("<line class=\"trend\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n",
                       num(sx(c.x.front())), num(sy(c.trend->first)), num(sx(c.x.back())),
                       num(sy(c.trend->second)));
  std::string points;
  for (size_t i = 0; i < c.x.size() && i < c.y.size(); ++i)
    points += fmt::format("{}{},{}", i ? " " : "", num(sx(c.x[i])), num(sy(c.y[i])));
  out += fmt::format("<polyline class=\"series\" points=\"{}\"/>\n", points);
  for (size_t i = 0; i < c.x.size() && i < c.y.size(); ++i) {
    out += fmt::format("<circle class=\"point\" cx=\"{}\" cy=\"{}\" r=\"3\">", num(sx(c.x[i])),
                       num(sy(c.y[i])));
    if (i < c.point_titles.size()) out += "<title>" + html_escape(c.point_titles[i]) + "</title>";
    out += "</circle>\n";
  }
  out += "</svg>";
  return out;
}

std::string svg_sparkline(const std::vector<int64_t>& values, int width, int height,
                          std::string_view css_class) {
  std::string out = fmt::format(
      "<svg class=\"{}\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" aria-hidden=\"true\">",
      html_escape(css_class), width, height, width, height);
  if (!values.empty()) {
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    const Scale sx{0, double(std::max<size_t>(values.size(), 2) - 1), 1, double(width) - 1};
    const Scale sy{double(*lo), double(*hi), double(height) - 2, 2};
    std::string points;
    for (size_t i = 0; i < values.size(); ++i)
      points += fmt::format("{}{},{}", i ? " " : "", num(sx(double(i))), num(sy(double(values[i]))));
    out += fmt::format("<polyline points=\"{}\"/>", points);
  }
  out += "</svg>";
  return out;
}

}  // namespace memleak::formats
