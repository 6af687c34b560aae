#include "formats/output/html_flame.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "core/units.h"
#include "formats/output/html_svg.h"
#include "formats/output/writers.h"

namespace memleak::formats {

namespace {

constexpr int kRowHeight = 18;
constexpr double kCharWidth = 6.6;  // of the 11px monospace font the boxes use
constexpr double kMinWidth = 1.0;

struct Node {
  std::string name;  // full function name, as the report spells it
  std::string loc;   // file:line of the first frame merged here
  double grew = 0, shrank = 0;  // sums of positive deltas and of |negative deltas|
  std::vector<std::unique_ptr<Node>> children;
  Node* child(const std::string& n, const std::string& l) {
    for (auto& c : children)
      if (c->name == n) return c.get();
    children.push_back(std::make_unique<Node>());
    children.back()->name = n;
    children.back()->loc = l;
    return children.back().get();
  }
};

std::string frame_loc(const core::SiteFrame& f) {
  if (f.file.empty()) return f.module;
  return f.line ? fmt::format("{}:{}", f.file, f.line) : f.file;
}

void add_row(Node& root, const core::SiteRow& row, bool others) {
  if (row.delta == 0) return;
  auto place = [&](Node& n) {
    if (row.delta > 0) n.grew += double(row.delta);
    else n.shrank += -double(row.delta);
  };
  place(root);
  Node* at = &root;
  if (others) {
    place(*root.child("(other sites)", ""));
    return;
  }
  const auto& frames = row.stack.empty() ? row.frames : row.stack;
  size_t depth = 0;
  for (size_t i = frames.size(); i-- > 0 && depth < kFlameMaxDepth; ++depth) {
    const core::SiteFrame f = frames[i];
    at = at->child(core::display_function(f), frame_loc(f));
    place(*at);
  }
  if (frames.empty()) place(*root.child(row.key, ""));
}

// Red for growth, blue for shrinkage; the stronger the net change relative to the box's
// width, the deeper the colour.
std::string colour(const Node& n) {
  const double width = n.grew + n.shrank;
  const double ratio = width > 0 ? (n.grew - n.shrank) / width : 0;
  const double strength = std::fabs(ratio);
  const int light = int(std::lround(92 - 34 * strength));
  const int sat = int(std::lround(20 + 60 * strength));
  return ratio >= 0 ? fmt::format("hsl(4,{}%,{}%)", sat, light)
                    : fmt::format("hsl(212,{}%,{}%)", sat, light);
}

struct Drawing {
  const core::Report& r;
  double scale;  // pixels per unit of |delta|
  std::string svg;
  size_t max_depth = 0;
  void draw(const Node& n, double x, size_t depth) {
    const double w = (n.grew + n.shrank) * scale;
    if (w < kMinWidth) return;
    max_depth = std::max(max_depth, depth);
    const double y = double(depth * kRowHeight);
    const std::string net = core::format_delta(n.grew - n.shrank, r.metric);
    const std::string grew = core::format_delta(n.grew, r.metric);
    const std::string shrank = core::format_delta(-n.shrank, r.metric);
    svg += fmt::format(
        "<g class=\"frame\" tabindex=\"0\" data-name=\"{}\" data-loc=\"{}\" data-grew=\"{}\" "
        "data-shrank=\"{}\" data-net=\"{}\"><title>{}{}\nnet {} (grew {}, shrank {})</title>"
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\"/>",
        html_escape(n.name), html_escape(n.loc), html_escape(grew), html_escape(shrank),
        html_escape(net), html_escape(n.name), n.loc.empty() ? "" : "\n" + html_escape(n.loc),
        html_escape(net), html_escape(grew), html_escape(shrank), x, y, w, kRowHeight - 1,
        colour(n));
    const auto chars = size_t(std::max(0.0, (w - 6) / kCharWidth));
    if (chars >= 3)
      svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>", x + 3, y + 13,
                         html_escape(truncate_utf8(shorten_cxx_name(n.name), chars)));
    svg += "</g>\n";
    double cx = x;
    for (const auto& c : n.children) {
      draw(*c, cx, depth + 1);
      cx += (c->grew + c->shrank) * scale;
    }
  }
};

}  // namespace

std::string svg_diff_flame(const core::Report& r, int width) {
  Node root;
  root.name = "all shown sites";
  for (const auto& row : r.sites) add_row(root, row, false);
  if (r.others) add_row(root, *r.others, true);
  const double total = root.grew + root.shrank;
  if (total <= 0) return "";
  // Widest first, name as the tie-break: a stable, total order.
  std::vector<Node*> todo{&root};
  while (!todo.empty()) {
    Node* n = todo.back();
    todo.pop_back();
    std::sort(n->children.begin(), n->children.end(), [](const auto& a, const auto& b) {
      const double wa = a->grew + a->shrank, wb = b->grew + b->shrank;
      return wa != wb ? wa > wb : a->name < b->name;
    });
    for (auto& c : n->children) todo.push_back(c.get());
  }
  Drawing d{r, double(width) / total, {}, 0};
  d.draw(root, 0, 0);
  const size_t height = (d.max_depth + 1) * kRowHeight;
  return fmt::format("<svg class=\"flame\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
                     "role=\"img\" aria-label=\"differential icicle graph of the first-to-last "
                     "change\">\n{}</svg>",
                     width, height, width, height, d.svg);
}

}  // namespace memleak::formats
