// Building blocks of the HTML report: escaping, and inline SVG drawings that scale the
// numbers they are given to pixels. They compute nothing but layout (DESIGN.md §8): every
// number drawn or printed comes from the caller, already formatted where it is text.
//
// Output is deterministic (coordinates with one decimal) and self-contained: no external
// references, no xmlns URL (inline SVG in HTML needs none).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace memleak::formats {

// & < > " ' as entities: safe in element text and in quoted attribute values. Bytes that are
// not valid UTF-8 become U+FFFD so that a browser never sees a broken sequence.
std::string html_escape(std::string_view text);

// Cuts `text` to at most `max_chars` characters (UTF-8 aware), ending in "…" when cut.
std::string truncate_utf8(std::string_view text, size_t max_chars);

struct LineChart {
  int width = 640, height = 200;
  std::string css_class = "chart";
  std::string label;                       // aria-label, plain text
  std::vector<double> x, y;                // the points, same length
  std::vector<std::string> point_titles;   // tooltip per point (may be empty)
  std::string y_low_label, y_high_label;   // printed at the bottom and top of the y axis
  double y_low = 0, y_high = 0;            // the values those labels stand for
  std::string x_first_label, x_last_label; // printed under the ends of the x axis
  // A straight line from (x.front(), first) to (x.back(), last), drawn dashed.
  std::optional<std::pair<double, double>> trend;
};
std::string svg_line_chart(const LineChart& chart);

// A small line without axes, scaled between the values' min and max.
std::string svg_sparkline(const std::vector<int64_t>& values, int width, int height,
                          std::string_view css_class);

}  // namespace memleak::formats
