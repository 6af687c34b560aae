#include "formats/massif/massif_frame.h"

#include <charconv>

namespace memleak::formats {

namespace {

constexpr std::string_view kUnknown = "???";

// Index of the '(' that balances the ')' at `close`, or npos when unbalanced.
size_t matching_open(std::string_view s, size_t close) {
  int depth = 0;
  for (size_t i = close + 1; i-- > 0;) {
    if (s[i] == ')') ++depth;
    if (s[i] == '(' && --depth == 0) return i;
  }
  return std::string_view::npos;
}

// "FILE:LINE" with a decimal LINE that fits 32 bits (split at the last ':', because
// Windows-style or odd file names may contain one).
bool split_file_line(std::string_view loc, std::string_view& file, uint32_t& line) {
  const size_t colon = loc.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == loc.size()) return false;
  const std::string_view digits = loc.substr(colon + 1);
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), line);
  if (ec != std::errc() || p != digits.data() + digits.size()) return false;
  file = loc.substr(0, colon);
  return true;
}

}  // namespace

MassifFrameText parse_massif_frame(std::string_view frame) {
  MassifFrameText out;
  out.function = frame;
  if (frame.size() < 4 || frame.back() != ')') {
    if (frame == kUnknown) out.function = {};
    return out;
  }
  const size_t open = matching_open(frame, frame.size() - 1);
  // The location group is preceded by a space; "f(int)" or "(below main)" alone are names.
  if (open == std::string_view::npos || open == 0 || frame[open - 1] != ' ') return out;
  const std::string_view loc = frame.substr(open + 1, frame.size() - open - 2);
  if (loc.starts_with("in ") && loc.size() > 3) {
    out.module = loc.substr(3);
    if (out.module == kUnknown) out.module = {};
  } else if (!split_file_line(loc, out.file, out.line)) {
    return out;  // "(int)" after a space, or similar: part of the name
  }
  out.function = frame.substr(0, open - 1);
  if (out.function == kUnknown) out.function = {};
  return out;
}

bool is_massif_below_threshold(std::string_view desc) {
  return desc.find(" below massif's threshold (") != std::string_view::npos &&
         (desc.find(" place, ") != std::string_view::npos ||
          desc.find(" places, ") != std::string_view::npos);
}

bool split_massif_address(std::string_view desc, uint64_t& address, std::string_view& frame) {
  if (!desc.starts_with("0x")) return false;
  const size_t sep = desc.find(": ");
  if (sep == std::string_view::npos || sep == 2) return false;
  auto [p, ec] = std::from_chars(desc.data() + 2, desc.data() + sep, address, 16);
  if (ec != std::errc() || p != desc.data() + sep) return false;
  frame = desc.substr(sep + 2);
  return !frame.empty();
}

}  // namespace memleak::formats
