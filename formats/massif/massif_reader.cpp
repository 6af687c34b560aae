// valgrind massif reader.
//
// The grammar lives in massif_parser.cpp, frame descriptions in massif_frame.cpp; this file
// adapts the result to the reader contract (formats/reader.h).
//
// Variants (shared/formats/massif.md §7), chosen for safety:
//  * xtree memory reports (`desc: xtree.produce_report`) are REJECTED: their "snapshots" are
//    different metrics (bytes, blocks, totals) of one instant, so reading them as a series
//    would report growth between metrics.
//  * heaptrack_print -M exports (header at the end, fractional `time=`) are REJECTED with a
//    message pointing at the heaptrack file: heaptrack 1.4.0 drops every allocation site from
//    them, so they could only ever give totals.
//  * vgdb on-demand snapshot files (one snapshot, numbered 0) are ordinary files.
#include "formats/massif/massif_reader.h"

#include <fmt/format.h>

#include "core/errors.h"
#include "core/parallel.h"
#include "formats/massif/massif_parser.h"

namespace memleak::formats {

bool sniff_massif(std::string_view head) {
  // The heaptrack_print -M shape is claimed too, so that it gets a clear rejection instead of
  // "unknown format". Neither prefix can begin a heaptrack trace ("v ", "X ") or a protobuf.
  return head.starts_with("desc:") || head.starts_with("#-----------\nsnapshot=");
}

core::Profile read_massif(ByteStream& in, const ReadOptions& options) {
  MassifFile file = parse_massif_file(
      in, kMassifMinPartBytes, options.threads == 0 ? core::default_workers() : options.threads);
  if (file.profile.snapshots.empty())
    throw core::InputError(
        in.path(),
        fmt::format("massif: no detailed snapshot among {} snapshot(s), so no allocation sites "
                    "(run valgrind --tool=massif --detailed-freq=1 to get a heap tree in every "
                    "snapshot)",
                    file.snapshots.size()));
  return std::move(file.profile);
}

}  // namespace memleak::formats
