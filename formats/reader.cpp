#include "formats/reader.h"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <charconv>

#include <fmt/format.h>

#include "core/errors.h"
#include "formats/heaptrack/heaptrack_reader.h"
#include "formats/massif/massif_reader.h"
#include "formats/pprof/pprof_reader.h"
#include "formats/pprof/pprof_text_reader.h"

namespace memleak::formats {

using core::InputError;
using core::UsageError;

namespace {

// Table order is detection order: text signatures first, protobuf last, because ASCII text
// can look like valid protobuf fields for a while (see shared/formats/pprof.md §1).
constexpr std::array<ReaderInfo, 4> kReaders = {{
    {"massif", "valgrind massif output (massif.out.*): a series of snapshots in one file",
     sniff_massif, read_massif},
    {"heaptrack", "heaptrack trace (heaptrack.*.zst/.gz/plain), cut into time slices",
     sniff_heaptrack, read_heaptrack, /*frames_at_file_offsets=*/false, /*reads_any_time=*/true},
    {"pprof-text", "legacy text heap/goroutine profiles (Go debug=1, gperftools, jemalloc)",
     sniff_pprof_text, read_pprof_text, /*frames_at_file_offsets=*/true},
    {"pprof", "pprof profile.proto (Go heap, allocs, goroutine, any other), gzipped or plain",
     sniff_pprof, read_pprof, /*frames_at_file_offsets=*/true},
}};

bool parse_int(std::string_view s, int64_t& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

bool parse_seconds(std::string_view s, double& out) {
  if (s.empty()) return false;
  if (s.back() == 's') s.remove_suffix(1);
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && out >= 0;
}

bool path_exists(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0;
}

}  // namespace

std::span<const ReaderInfo> readers() { return kReaders; }

InputSpec parse_input_spec(std::string_view arg) {
  InputSpec spec;
  spec.path = std::string(arg);
  const auto at = arg.rfind('@');
  if (at == std::string_view::npos || at == 0) return spec;
  // A file whose name really contains '@' wins over a selector.
  if (path_exists(spec.path)) return spec;
  const std::string_view sel = arg.substr(at + 1);
  Selector s;
  s.text = std::string(arg.substr(at));
  if (sel == "last") {
    s.kind = Selector::Kind::Last;
  } else if (sel == "peak") {
    s.kind = Selector::Kind::Peak;
  } else if (sel == "end") {
    s.kind = Selector::Kind::End;
  } else if (sel.starts_with("t=")) {
    s.kind = Selector::Kind::Time;
    if (!parse_seconds(sel.substr(2), s.seconds))
      throw UsageError(fmt::format("{}: bad selector '{}': expected @t=SECONDS", arg, s.text));
  } else if (parse_int(sel, s.index) && s.index >= 0) {
    s.kind = Selector::Kind::Index;
  } else {
    throw UsageError(fmt::format(
        "{}: unknown selector '{}': expected @last, @peak, @end, @N or @t=SECONDS", arg, s.text));
  }
  spec.path = std::string(arg.substr(0, at));
  spec.selector = s;
  return spec;
}

void apply_selector(core::Profile& profile, const Selector& sel) {
  auto& snaps = profile.snapshots;
  if (sel.kind == Selector::Kind::All) return;
  if (snaps.empty()) throw InputError(profile.path, "has no snapshot to select from");
  auto keep_only = [&](size_t i) {
    core::Snapshot s = std::move(snaps[i]);
    snaps.clear();
    snaps.push_back(std::move(s));
  };
  switch (sel.kind) {
    case Selector::Kind::All: return;
    case Selector::Kind::Last:
    case Selector::Kind::End: keep_only(snaps.size() - 1); return;
    case Selector::Kind::Peak: {
      auto it = std::find_if(snaps.begin(), snaps.end(), [](auto& s) { return s.is_peak; });
      if (it == snaps.end())
        throw InputError(profile.path, fmt::format("{}: the input has no peak snapshot", sel.text));
      keep_only(static_cast<size_t>(it - snaps.begin()));
      return;
    }
    case Selector::Kind::Index: {
      auto it = std::find_if(snaps.begin(), snaps.end(),
                             [&](auto& s) { return s.number == sel.index; });
      if (it == snaps.end()) {
        std::string have;
        for (auto& s : snaps) {
          if (s.number < 0) continue;
          if (!have.empty()) have += ", ";
          have += std::to_string(s.number);
        }
        throw InputError(profile.path,
                         fmt::format("{}: no snapshot number {} (have: {})",
                                     sel.text, sel.index, have.empty() ? "none" : have));
      }
      keep_only(static_cast<size_t>(it - snaps.begin()));
      return;
    }
    case Selector::Kind::Time: {
      // The last snapshot taken at or before that time, which must be one in seconds
      // (a massif clock of bytes or instructions is not; review: @t=100 took 100 bytes, and an
      // input without times, or with none that early, gave a later snapshot in silence).
      if (profile.time_unit == core::TimeUnit::None)
        throw InputError(profile.path, fmt::format("{}: the input has no times", sel.text));
      if (profile.time_unit != core::TimeUnit::Seconds)
        throw InputError(profile.path,
                         fmt::format("{}: the input's clock counts {}, not seconds (select by @N)",
                                     sel.text, core::time_unit_name(profile.time_unit)));
      std::optional<size_t> best;
      for (size_t i = 0; i < snaps.size(); ++i)
        if (snaps[i].time && *snaps[i].time <= sel.seconds) best = i;
      if (!best)
        throw InputError(profile.path,
                         fmt::format("{}: no snapshot is at or before that time (the first is at {:g}s)",
                                     sel.text, snaps.front().time.value_or(0)));
      keep_only(*best);
      return;
    }
  }
}

core::Profile read_profile(const InputSpec& spec, ReadOptions options) {
  options.selector = spec.selector;
  ByteStream in(spec.path, options.max_input_size);
  const ReaderInfo* reader = nullptr;
  if (!options.input_format.empty()) {
    for (const auto& r : kReaders)
      if (r.name == options.input_format) reader = &r;
    if (!reader) {
      std::string names;
      for (const auto& r : kReaders) names += (names.empty() ? "" : ", ") + std::string(r.name);
      throw UsageError(fmt::format("unknown --input-format '{}' (known: {})",
                                   options.input_format, names));
    }
  } else {
    const std::string_view head = in.peek(4096);
    if (head.empty()) throw InputError(spec.path, "empty file");
    for (const auto& r : kReaders) {
      if (r.sniff(head)) {
        reader = &r;
        break;
      }
    }
    if (!reader) {
      std::string names;
      for (const auto& r : kReaders) names += (names.empty() ? "" : ", ") + std::string(r.name);
      throw InputError(spec.path, fmt::format("unknown format (tried {})", names));
    }
  }
  core::Profile profile = reader->read(in, options);
  if (reader->frames_at_file_offsets) symbols::symbolize(profile, spec.path, options.symbols);
  profile.path = spec.path;
  profile.format = std::string(reader->name);
  // profile.proto's time_nanos counts from the Unix epoch; every other format's clock starts
  // with its own run.
  profile.shared_clock = reader->name == "pprof" && profile.time_unit == core::TimeUnit::Seconds;
  // (A reader that reads any moment, heaptrack's, has already applied @t=S exactly.)
  if (!(reader->reads_any_time && spec.selector.kind == Selector::Kind::Time))
    apply_selector(profile, spec.selector);
  core::drop_indexes(profile);
  return profile;
}

}  // namespace memleak::formats
