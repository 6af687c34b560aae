// The massif grammar (shared/formats/massif.md §2) as a streaming state machine over a
// LineReader: header, then snapshots, each with its heap tree parsed by the child counts with
// an explicit stack (no recursion: a tree nested 100k deep costs heap memory, not C stack).
//
// Memory is proportional to the distinct frames and stacks (plus one small record per
// snapshot), never to the file size. Every malformed line is a core::InputError at that line,
// worded "massif: expected X, got 'Y'"; nothing is guessed or clamped.
//
// parse_massif() returns every snapshot's totals (MassifSnapshotInfo, including heap_tree=empty
// ones) beside the Profile, whose `snapshots` hold only the detailed/peak ones (the only ones
// with sites). It does not reject a file without a detailed snapshot: read_massif() does.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/model.h"
#include "formats/input.h"

namespace memleak::formats {

enum class MassifHeapTree : uint8_t { Empty, Detailed, Peak };

struct MassifSnapshotInfo {
  int64_t number = 0;      // snapshot=N
  int64_t time = 0;        // time=, in the file's time_unit (ms not yet converted)
  int64_t heap_bytes = 0;  // mem_heap_B
  int64_t extra_bytes = 0; // mem_heap_extra_B
  int64_t stacks_bytes = 0;// mem_stacks_B
  MassifHeapTree tree = MassifHeapTree::Empty;
  uint64_t line = 0;       // line of "snapshot=N"
};

struct MassifFile {
  core::Profile profile;                    // kind, metrics, command, time_unit, detailed snapshots
  std::string desc;                         // the desc: lines, joined by a space
  std::vector<MassifSnapshotInfo> snapshots;  // all of them, in file order
};

// Function name given to the synthetic frame that stands for a below-threshold line.
inline constexpr std::string_view kMassifBelowThreshold = "(below threshold)";
// Function name of the frame that holds bytes the root has but its children do not explain.
inline constexpr std::string_view kMassifUnattributed = "(unattributed)";

// Parses the whole input. Throws core::InputError (with a line number) on malformed input,
// xtree reports and heaptrack_print -M exports (both rejected, see massif_reader.cpp).
MassifFile parse_massif(ByteStream& in);

// Inputs of at least this many bytes per part are parsed in parts (see parse_massif_file).
inline constexpr uint64_t kMassifMinPartBytes = uint64_t(16) << 20;

// parse_massif, in up to `max_parts` parts on as many threads when `in` is a regular,
// uncompressed file of at least `min_part_bytes` per part: the file is cut at snapshot
// boundaries, each part parsed by its own parser (its lines numbered from its start, moved by
// the lines before it at the join), and the parts joined in order (core::append_snapshots).
// Same result and same first error as one pass; `in` itself is not read then. Anything else
// (compressed, a pipe, small) is one pass.
// `parts_used`, when given, receives the number of parts it was parsed in (1 = one pass).
MassifFile parse_massif_file(ByteStream& in, uint64_t min_part_bytes = kMassifMinPartBytes,
                             size_t max_parts = 2, size_t* parts_used = nullptr);

}  // namespace memleak::formats
