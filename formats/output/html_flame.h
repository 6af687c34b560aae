// The differential icicle (flame graph drawn top-down) of the HTML report: the first-to-last
// change of every shown row, laid out along its representative stack.
//
// Layout only (DESIGN.md §8): each row's `delta` is placed on the frames of its `stack`
// (root at the top, leaf at the bottom; the row's `frames` when it has no stack, a single
// "(other sites)" box for the others row). A box's width is the sum of |delta| of the rows
// under it, so growth and shrinkage both take room; its colour is the net change relative to
// that width: red = grew, blue = shrank, pale = growth and shrinkage under it cancel out.
// Frames are merged by function name among siblings. Boxes narrower than a pixel are dropped;
// depth is capped at kFlameMaxDepth levels.
#pragma once

#include <string>

#include "core/report.h"

namespace memleak::formats {

inline constexpr size_t kFlameMaxDepth = 64;

// One <svg class="flame"> element, `width` pixels wide; every box is a
// <g class="frame" data-name data-loc data-grew data-shrank data-net> with a <title>.
// An empty string when no shown row changed.
std::string svg_diff_flame(const core::Report& report, int width);

}  // namespace memleak::formats
