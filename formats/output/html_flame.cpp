#include "formats/output/html_flame.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "core/units.h"
#include "formats/output/frame_memo.h"
#include "formats/output/html_svg.h"
#include "formats/output/writers.h"

namespace memleak::formats {

namespace {

constexpr int kRowHeight = 18;
constexpr double kCharWidth = 6.6;  // of the 11px monospace font the boxes use
constexpr double kMinWidth = 1.0;

// The boxes that are drawn, in one vector (index 0 the root).
struct Node {
  uint32_t name = 0;  // into Names::names
  std::string loc;    // file:line of the first frame merged here
  double grew = 0, shrank = 0;  // sums of positive deltas and of |negative deltas|
  std::vector<uint32_t> children;
};

std::string frame_loc(const core::FrameList& frames, size_t i) {
  const std::string_view file = frames.file(i);
  if (file.empty()) return std::string(frames.module(i));
  return frames.line(i) ? fmt::format("{}:{}", file, frames.line(i)) : std::string(file);
}

// Names as reports spell them, each once, so that boxes compare names as numbers.
struct Names {
  static constexpr uint32_t kNone = UINT32_MAX;
  // Views into the profiles' strings or into `owned` (names made here: module+offset, keys).
  std::vector<std::string_view> names;
  std::unordered_map<std::string_view, uint32_t> ids;
  std::deque<std::string> owned;
  // The name of each frame met (frame_memo.h).
  FrameMemo<uint32_t> of_frame;

  uint32_t id(std::string_view name, bool keep) {
    if (const auto it = ids.find(name); it != ids.end()) return it->second;
    if (keep) name = owned.emplace_back(name);
    const auto next = static_cast<uint32_t>(names.size());
    names.push_back(name);
    ids.emplace(name, next);
    return next;
  }

  uint32_t frame(const core::FrameList& frames, size_t i) {
    return of_frame.get(frames, i, [&] {
      const std::string_view function = frames.function(i);
      // A profile's own strings outlive the report; a name made here is kept in `owned`.
      if (!function.empty() && frames.source() != nullptr) return id(function, false);
      return id(core::display_function(frames, i), true);
    });
  }
};

// A row as a path of boxes from the root down: its stack's frames outermost first (up to
// kFlameMaxDepth), or one box of a fixed name (the others row, a row without frames).
struct PathRow {
  const core::FrameList* frames = nullptr;
  size_t depth = 0;
  uint32_t fixed = Names::kNone;
  int64_t delta = 0;
};

// The boxes wide enough to draw, built a level at a time: the rows under a box are grouped
// by their next name, and a group narrower than a pixel is dropped with everything under it
// (its boxes could only be narrower). Building the whole tree first (a node per distinct
// path prefix: ~10^6 for a report of every site of a 400k-sample pprof pair) took 5 s and
// 600 MB to draw a few thousand boxes. Widths are summed in row order, as they always were.
struct Layout {
  Names names;
  std::vector<Node> nodes{1};
  std::vector<PathRow> rows;
  double scale = 0;  // pixels per unit of |delta|

  void add(const core::SiteRow& row, bool others) {
    if (row.delta == 0) return;
    PathRow p;
    p.delta = row.delta;
    const auto& frames = row.stack.empty() ? row.frames : row.stack;
    if (others) {
      p.fixed = names.id("(other sites)", true);
    } else if (frames.empty()) {
      p.fixed = names.id(row.key.text(), true);
    } else {
      p.frames = &frames;
      p.depth = std::min(frames.size(), kFlameMaxDepth);
    }
    if (p.fixed != Names::kNone) p.depth = 1;
    rows.push_back(p);
    place(nodes[0], p.delta);
  }

  static void place(Node& n, int64_t delta) {
    if (delta > 0) n.grew += double(delta);
    else n.shrank += -double(delta);
  }

  uint32_t name_at(const PathRow& p, size_t level) {
    if (p.fixed != Names::kNone) return p.fixed;
    return names.frame(*p.frames, p.frames->size() - 1 - level);
  }
  std::string loc_at(const PathRow& p, size_t level) const {
    if (p.fixed != Names::kNone) return "";
    return frame_loc(*p.frames, p.frames->size() - 1 - level);
  }

  // After every add(), the root's width (all |delta|) above zero.
  void build(double width) {
    scale = width / (nodes[0].grew + nodes[0].shrank);
    struct Work {
      uint32_t node;
      size_t level;
      std::vector<uint32_t> rows;  // indices into `rows`, ascending
    };
    std::vector<Work> todo;
    {
      Work all{0, 0, {}};
      all.rows.resize(rows.size());
      for (uint32_t i = 0; i < all.rows.size(); ++i) all.rows[i] = i;
      todo.push_back(std::move(all));
    }
    std::vector<std::pair<uint32_t, uint32_t>> keyed;  // (name, row)
    while (!todo.empty()) {
      Work w = std::move(todo.back());
      todo.pop_back();
      keyed.clear();
      for (const uint32_t r : w.rows)
        if (rows[r].depth > w.level) keyed.emplace_back(name_at(rows[r], w.level), r);
      std::sort(keyed.begin(), keyed.end());
      for (size_t i = 0; i < keyed.size();) {
        size_t j = i;
        Node child;
        child.name = keyed[i].first;
        while (j < keyed.size() && keyed[j].first == child.name) place(child, rows[keyed[j++].second].delta);
        if ((child.grew + child.shrank) * scale >= kMinWidth) {
          child.loc = loc_at(rows[keyed[i].second], w.level);
          Work next{static_cast<uint32_t>(nodes.size()), w.level + 1, {}};
          next.rows.reserve(j - i);
          for (size_t k = i; k < j; ++k) next.rows.push_back(keyed[k].second);
          nodes[w.node].children.push_back(next.node);
          nodes.push_back(std::move(child));
          todo.push_back(std::move(next));
        }
        i = j;
      }
    }
    // Widest first, name as the tie-break: a stable, total order.
    for (Node& n : nodes)
      std::sort(n.children.begin(), n.children.end(), [&](uint32_t a, uint32_t b) {
        const Node& na = nodes[a];
        const Node& nb = nodes[b];
        const double wa = na.grew + na.shrank, wb = nb.grew + nb.shrank;
        return wa != wb ? wa > wb : names.names[na.name] < names.names[nb.name];
      });
  }
};

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
  const Layout& tree;
  std::string svg;
  size_t max_depth = 0;
  void draw(const Node& n, double x, size_t depth) {
    const std::string_view name = tree.names.names[n.name];
    const double w = (n.grew + n.shrank) * tree.scale;
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
        html_escape(name), html_escape(n.loc), html_escape(grew), html_escape(shrank),
        html_escape(net), html_escape(name), n.loc.empty() ? "" : "\n" + html_escape(n.loc),
        html_escape(net), html_escape(grew), html_escape(shrank), x, y, w, kRowHeight - 1,
        colour(n));
    const auto chars = size_t(std::max(0.0, (w - 6) / kCharWidth));
    if (chars >= 3)
      svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>", x + 3, y + 13,
                         html_escape(truncate_utf8(shorten_cxx_name(name), chars)));
    svg += "</g>\n";
    double cx = x;
    for (const uint32_t c : n.children) {
      const Node& child = tree.nodes[c];
      draw(child, cx, depth + 1);
      cx += (child.grew + child.shrank) * tree.scale;
    }
  }
};

}  // namespace

std::string svg_diff_flame(const core::Report& r, int width) {
  Layout layout;
  layout.nodes[0].name = layout.names.id("all shown sites", true);
  for (const auto& row : r.sites) layout.add(row, false);
  if (r.others) layout.add(*r.others, true);
  if (layout.nodes[0].grew + layout.nodes[0].shrank <= 0) return "";
  layout.build(double(width));
  Drawing d{r, layout, {}, 0};
  d.draw(layout.nodes[0], 0, 0);
  const size_t height = (d.max_depth + 1) * kRowHeight;
  return fmt::format("<svg class=\"flame\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
                     "role=\"img\" aria-label=\"differential icicle graph of the first-to-last "
                     "change\">\n{}</svg>",
                     width, height, width, height, d.svg);
}

}  // namespace memleak::formats
