// Splitting one massif heap-tree description ("0xADDR: FRAME", a below-threshold line or the
// root text) into its parts. Pure string work: no interning, no errors thrown.
//
// FRAME forms (shared/formats/massif.md §4.3): `FUNC (FILE:LINE)`, `FUNC (in OBJECT)`,
// `??? (in OBJECT)`, `???`, `(below main) (FILE:LINE)`. The location is the LAST balanced
// parenthesised group preceded by a space; everything before it is the function, taken as an
// opaque string (names contain ` (`, `: `, `#`, templates and operator names).
#pragma once

#include <cstdint>
#include <string_view>

namespace memleak::formats {

struct MassifFrameText {
  std::string_view function;  // empty when massif printed `???`
  std::string_view file;      // basename, as massif prints it; empty if unknown
  std::string_view module;    // from `(in OBJECT)`; empty if absent or `(in ???)`
  uint32_t line = 0;          // 0 = unknown
};

// Parses FRAME (the text after "0xADDR: "). Never fails: text that has no recognisable
// location is all function name.
MassifFrameText parse_massif_frame(std::string_view frame);

// True for "N in K place(s), (all )below massif's threshold (P%)" descriptions.
bool is_massif_below_threshold(std::string_view desc);

// Splits "0xADDR: FRAME": true and sets address/frame when `desc` has that form with a valid
// hexadecimal address that fits 64 bits.
bool split_massif_address(std::string_view desc, uint64_t& address, std::string_view& frame);

}  // namespace memleak::formats
