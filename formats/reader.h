// Readers: one per input format, in a table (the same table feeds format detection,
// `memleak formats` and the help text).
//
// An input argument is PATH or PATH@SELECTOR. read_profile() opens PATH (decompressing as
// needed), picks the reader (--input-format wins, else the first reader in table order whose
// sniff() accepts the first decompressed bytes), reads it into a core::Profile, and applies
// the selector. Every failure is a core::InputError naming the file and the position.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/model.h"
#include "formats/input.h"
#include "formats/symbols/symbolize.h"

namespace memleak::formats {

// Which snapshot(s) of a multi-snapshot input to keep.
struct Selector {
  enum class Kind {
    All,    // no selector: every snapshot the input holds
    Last,   // @last: the last snapshot (massif: last detailed one)
    Peak,   // @peak: the peak snapshot
    Index,  // @N: the format's own snapshot number N
    End,    // @end: what was still live at exit (heaptrack); same as @last elsewhere
    Time,   // @t=SECONDS: the state at that time since the run began (heaptrack)
  };
  Kind kind = Kind::All;
  int64_t index = 0;
  double seconds = 0;
  std::string text;  // as written, for messages ("@peak")
};

struct InputSpec {
  std::string path;
  Selector selector;
};

// Splits "PATH@SEL". An '@' is a selector only when what follows parses as one; otherwise
// the whole argument is the path. Throws core::UsageError for "@" followed by an unknown
// selector word ("@pek").
InputSpec parse_input_spec(std::string_view arg);

struct ReadOptions {
  uint64_t max_input_size = kDefaultMaxInputSize;
  int slices = 10;           // heaptrack: time slices a trace is cut into
  Selector selector;         // set by read_profile from the InputSpec
  std::string input_format;  // --input-format; empty = detect
  // Threads one reader may use for one input (massif parts); 0 = the hardware's (up to 8).
  // The CLI divides them among inputs it reads at once. (A heaptrack trace's read-ahead
  // thread is a pipeline stage, not a share: see read_heaptrack.)
  size_t threads = 0;
  // Where binaries are looked for to name the frames of address-only profiles (pprof,
  // pprof-text); see formats/symbols/symbolize.h.
  symbols::SymbolOptions symbols;
};

struct ReaderInfo {
  std::string_view name;         // "pprof", "massif", ...
  std::string_view description;  // one line for `memleak formats`
  // True when `head` (the first <= 4096 decompressed bytes) looks like this format.
  bool (*sniff)(std::string_view head);
  // Reads the whole input. The returned profile's snapshots are in time order; path/format
  // are filled by read_profile. Throws core::InputError.
  core::Profile (*read)(ByteStream& in, const ReadOptions& options);
  // True when the reader stores frames it has no name for as module + offset in the
  // module's file, which read_profile then symbolizes (formats/symbols/symbolize.h).
  bool frames_at_file_offsets = false;
  // True when the reader itself reads the input as it was at a @t=S selector's moment (its
  // one snapshot is that state): read_profile leaves that selector to it.
  bool reads_any_time = false;
};

std::span<const ReaderInfo> readers();

// Detects, reads and applies the selector. Throws core::InputError / core::UsageError.
core::Profile read_profile(const InputSpec& spec, ReadOptions options);

// Keeps only the snapshot(s) the selector names (used by read_profile; exposed for tests).
void apply_selector(core::Profile& profile, const Selector& selector);

}  // namespace memleak::formats
