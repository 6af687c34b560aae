// Reader for heaptrack traces (heaptrack.<prog>.<pid>.zst/.gz/plain; formats 0..3, see
// shared/formats/heaptrack.md). See formats/reader.h for the contract of sniff and read.
//
// sniff_heaptrack: true when the first line is `v HEX [HEX]` (or `X ...` for pre-1.0 files)
// and the next complete lines are heaptrack records. Raw traces (`heaptrack -r`) are claimed
// too, so that reading them explains how to interpret them.
//
// read_heaptrack: replays the allocation events and cuts the run into snapshots:
//   no selector / @N   options.slices snapshots at duration*k/slices, k = 1..slices, numbered
//                      k (the last one = what was still live at the end); @N keeps slice N.
//                      From standard input or a FIFO (no duration known in advance) a slice
//                      of a long run may sit up to one grid step before its ideal time (its
//                      label and time say when it is; see slicer.h)
//   @end, @last        one snapshot: the end of the run (heaptrack_print's "leaked")
//   @peak              one snapshot at the first moment the live total reached its maximum
//                      (heaptrack_print's "peak heap memory consumption"), is_peak = true
//   @t=S               one snapshot: every event stamped <= S seconds applied
// The state "at time t" includes every event whose `c` timestamp is <= t. Times are
// seconds since the run began. Metrics: live bytes/objects, allocated bytes/objects.
// Stacks are leaf first; an `i` line's inlined functions are frames of their own,
// innermost first (inlined = true), before the function that contains the address.
// The end snapshot's extras carry the whole-run figures: calls, temporary, leaked_bytes,
// peak_bytes, peak_time_ms, allocated_bytes, duration_ms, peak_rss_bytes (with `R` lines),
// unmatched_frees (if any); every snapshot has rss_bytes once an `R` line was seen.
// Nothing is suppressed: leaked_bytes = heaptrack_print's "total memory leaked" +
// "suppressed leaks".
//
// Errors (core::InputError at the offending line): malformed records ("heaptrack: expected
// X, got 'Y'"), undefined string/ip/trace/allocation-info indices, a trace whose parent is
// not defined before it, hex numbers over 64 bits, sizes that overflow, and raw traces (the
// message gives the heaptrack_interpret command line). Unknown record types are skipped
// with one warning per type; frees of allocation infos with no live block are ignored and
// counted in a warning, so live values never go negative.
//
// Resources: for the sliced series of a regular file, a scan of its `c` lines for the
// duration (decompression and line splitting only), then one replay; standard input and
// FIFOs are replayed once (formats/heaptrack/slicer.h cuts them without knowing the duration
// in advance). Memory is
// proportional to strings + ips + trace nodes + allocation infos + sites x slices, not to the
// number of events.
#pragma once

#include <string_view>

#include "core/model.h"
#include "formats/reader.h"

namespace memleak::formats {

bool sniff_heaptrack(std::string_view head);
core::Profile read_heaptrack(ByteStream& in, const ReadOptions& options);

// The most time slices ReadOptions::slices may ask for (read_heaptrack refuses more).
inline constexpr int kMaxSlices = 100000;

}  // namespace memleak::formats
