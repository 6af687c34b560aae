// heaptrack reader: turns the event log into snapshots (see heaptrack_reader.h for the
// contract and heaptrack_trace.h for parsing and replay).
//
// Why two passes: time slices are fractions of the run's duration, which is only known at
// the end (the last `c` line), and a one-pass reader that could still cut exactly at k*T/N
// for whatever T turns out to be would have to keep the events themselves (the cut times
// sweep every moment from t/N to t as the replay's time t goes on). So a regular file is
// scanned for its duration first (decompression and line splitting only), then replayed
// once, the slicer copying the per-site state at each cut: memory stays bounded by
// definitions + sites x slices. heaptrack_print reads a file twice as well (a first pass for
// the time of the peak). Standard input or a FIFO cannot be read twice: it is replayed once
// and cut on a coarsening grid of times (slicer.h). Selectors that need no slices (@end,
// @last, @peak, @t=S) need no scan.

#include "formats/heaptrack/heaptrack_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "core/errors.h"
#include "core/parallel.h"
#include "core/sample_folder.h"
#include "formats/heaptrack/demangle.h"
#include "formats/heaptrack/heaptrack_trace.h"
#include "formats/heaptrack/slicer.h"
#include "formats/paths.h"

namespace memleak::formats {

namespace ht = heaptrack;
using core::InputError;
using core::Metric;

namespace {

// Stacks longer than this keep their innermost frames only. heaptrack itself unwinds at
// most a few hundred frames, so only corrupt or hostile files get here; the cap keeps a
// deep trace tree with many leaves from needing depth x leaves memory.
constexpr size_t kMaxStackFrames = 4096;
constexpr uint32_t kNotBuilt = std::numeric_limits<uint32_t>::max();

// ---------------------------------------------------------------------------------------
// Sniffing

bool is_hex(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// "v HEX" or "v HEX HEX".
bool is_version_line(std::string_view line) {
  if (!line.starts_with("v ")) return false;
  line.remove_prefix(2);
  const auto sp = line.find(' ');
  if (sp == std::string_view::npos) return is_hex(line);
  return is_hex(line.substr(0, sp)) && is_hex(line.substr(sp + 1));
}

bool is_record_line(std::string_view line) {
  if (line.empty() || line[0] == '#') return true;
  if (std::string_view("vXISsitaxm+-cRA").find(line[0]) == std::string_view::npos) return false;
  return line.size() == 1 || line[1] == ' ';
}

// ---------------------------------------------------------------------------------------
// Captured states

// The non-zero per-site values at one instant.
using ht::Capture;
using ht::capture;

class TimeCapture final : public ht::ClockObserver {
 public:
  explicit TimeCapture(double ms) : ms_(ms) {}
  void before_advance(ht::Replay& replay, uint64_t next_ms) override {
    if (!taken_ && double(next_ms) > ms_) take(replay);
  }
  void finish(const ht::Replay& replay) {
    if (!taken_) take(replay);
  }
  Capture& result() { return result_; }

 private:
  void take(const ht::Replay& replay) {
    result_ = capture(replay.sites(), ms_, replay.rss_pages);
    taken_ = true;
  }
  double ms_;
  bool taken_ = false;
  Capture result_;
};

// ---------------------------------------------------------------------------------------
// Snapshots of the model from captured states

class ProfileBuilder {
 public:
  ProfileBuilder(const ht::Tables& tables, const ht::RunInfo& info, core::Profile& profile)
      : tables_(tables),
        info_(info),
        profile_(profile),
        site_stack_(tables.site_trace.size(), kNotBuilt),
        ip_first_(tables.ips.size(), kNotBuilt),
        ip_count_(tables.ips.size(), 0),
        string_id_(tables.strings.size(), kNotBuilt),
        function_id_(tables.strings.size(), kNotBuilt) {}

  core::Snapshot snapshot(const Capture& c, const std::string& name, int64_t number) {
    core::Snapshot s;
    s.label = fmt::format("{}@t={:.2f}s", name, c.ms / 1000.0);
    s.number = number;
    s.time = c.ms / 1000.0;
    // One sample per distinct stack (distinct traces may resolve to equal stacks).
    s.samples.reserve(c.sites.size());
    for (const auto& [site, values] : c.sites) samples_.values_of(s, stack_of(site)) += values;
    s.total = core::sum_samples(s);
    if (c.rss_pages >= 0) s.extras.emplace_back("rss_bytes", bytes_of_pages(c.rss_pages));
    return s;
  }

  int64_t bytes_of_pages(int64_t pages) const {
    int64_t bytes = 0;
    if (__builtin_mul_overflow(pages, static_cast<int64_t>(std::min<uint64_t>(
                                          info_.page_size, uint64_t(1) << 40)),
                               &bytes))
      return std::numeric_limits<int64_t>::max();
    return bytes;
  }

  size_t truncated_stacks() const { return truncated_; }

 private:
  core::StackId stack_of(uint32_t site) {
    uint32_t& id = site_stack_[site];
    if (id != kNotBuilt) return id;
    frames_.clear();
    // Iterative walk from the leaf up to the root: parents always have smaller indices.
    for (uint32_t t = tables_.site_trace[site]; t != 0; t = tables_.traces[t].parent) {
      append_ip_frames(tables_.traces[t].ip);
      if (frames_.size() >= kMaxStackFrames) {
        frames_.resize(kMaxStackFrames);
        ++truncated_;
        break;
      }
    }
    id = profile_.stacks.intern(frames_);
    return id;
  }

  void append_ip_frames(uint32_t ip_index) {
    if (ip_first_[ip_index] == kNotBuilt) build_ip_frames(ip_index);
    const auto first = ip_frames_.begin() + ip_first_[ip_index];
    frames_.insert(frames_.end(), first, first + ip_count_[ip_index]);
  }

  // Frames of one `i` line, innermost inlined callee first, the real function last.
  void build_ip_frames(uint32_t ip_index) {
    const ht::InstructionPointer& ip = tables_.ips[ip_index];
    ip_first_[ip_index] = static_cast<uint32_t>(ip_frames_.size());
    core::Frame frame;
    frame.module = string_id(ip.module);
    frame.address = ip.address;
    if (ip.count == 0) {
      ip_frames_.push_back(profile_.frames.intern(frame));
    }
    for (uint32_t i = 0; i < ip.count; ++i) {
      const ht::SourceLocation& loc = tables_.locations[ip.first + i];
      frame.function = function_id(loc.function);
      frame.file = string_id(loc.file);
      frame.line = loc.line;
      frame.inlined = i + 1 < ip.count;
      ip_frames_.push_back(profile_.frames.intern(frame));
    }
    ip_count_[ip_index] = static_cast<uint32_t>(ip_frames_.size() - ip_first_[ip_index]);
  }

  core::StringId string_id(uint32_t s) {
    if (s == 0) return 0;
    if (string_id_[s] == kNotBuilt) string_id_[s] = profile_.strings.intern(tables_.strings[s]);
    return string_id_[s];
  }

  core::StringId function_id(uint32_t s) {
    if (s == 0) return 0;
    if (function_id_[s] == kNotBuilt)
      function_id_[s] = profile_.strings.intern(ht::demangle(tables_.strings[s]));
    return function_id_[s];
  }

  const ht::Tables& tables_;
  const ht::RunInfo& info_;
  core::Profile& profile_;
  std::vector<uint32_t> site_stack_;
  std::vector<uint32_t> ip_first_, ip_count_;
  std::vector<core::FrameId> ip_frames_;
  std::vector<core::StringId> string_id_, function_id_;
  std::vector<core::FrameId> frames_;
  core::SampleFolder samples_;
  size_t truncated_ = 0;
};

std::string display_name(const std::string& path) {
  return path == "-" ? "stdin" : std::string(file_name(path));
}

// Whole-run figures, attached to the snapshot at the end of the run.
void add_run_extras(core::Snapshot& end, const ht::Replay& replay, const ht::RunInfo& info,
                    const ProfileBuilder& builder) {
  auto& e = end.extras;
  e.emplace_back("calls", replay.calls);
  e.emplace_back("temporary", replay.temporary);
  e.emplace_back("leaked_bytes", replay.live_total);
  e.emplace_back("peak_bytes", replay.peak_total);
  e.emplace_back("peak_time_ms", static_cast<int64_t>(replay.peak_ms));
  e.emplace_back("allocated_bytes", replay.allocated_total);
  e.emplace_back("duration_ms", static_cast<int64_t>(info.last_ms));
  if (replay.peak_rss_pages >= 0)
    e.emplace_back("peak_rss_bytes", builder.bytes_of_pages(replay.peak_rss_pages));
  if (replay.unmatched > 0) e.emplace_back("unmatched_frees", replay.unmatched);
}

void add_warnings(core::Profile& profile, const ht::TraceReader& reader,
                  const ht::Replay& replay, const ProfileBuilder& builder) {
  const ht::RunInfo& info = reader.info();
  auto& w = profile.warnings;
  if (info.file_format > ht::kNewestFileFormat)
    w.push_back(fmt::format("heaptrack: file format {} is newer than this reader knows ({}); "
                            "read as format {}",
                            info.file_format, ht::kNewestFileFormat, ht::kNewestFileFormat));
  for (const auto& [type, u] : info.unknown)
    w.push_back(fmt::format("heaptrack: skipped {} line(s) of unknown record type '{}' "
                            "(first at line {})",
                            u.count, type, u.first_line));
  if (info.attached_line)
    w.push_back(fmt::format("heaptrack: attached to a running process (line {}): allocations "
                            "made before that are not seen",
                            info.attached_line));
  if (replay.unmatched > 0)
    w.push_back(fmt::format("heaptrack: ignored {} free(s) of allocations that were not live "
                            "(first at line {})",
                            replay.unmatched, reader.first_unmatched_line()));
  if (info.clock_went_back > 0)
    w.push_back(fmt::format("heaptrack: {} timestamp(s) earlier than the one before; "
                            "treated as unchanged",
                            info.clock_went_back));
  if (builder.truncated_stacks() > 0)
    w.push_back(fmt::format("heaptrack: {} stack(s) deeper than {} frames were cut to their "
                            "innermost frames",
                            builder.truncated_stacks(), kMaxStackFrames));
}

core::Profile make_profile(const ht::RunInfo& info) {
  core::Profile p;
  p.kind = "heap";
  p.command = info.command;
  p.metrics.add(Metric::LiveBytes)
      .add(Metric::LiveObjects)
      .add(Metric::AllocBytes)
      .add(Metric::AllocObjects);
  p.default_metric = Metric::LiveBytes;
  p.time_unit = core::TimeUnit::Seconds;
  p.sampling_period = 0;
  return p;
}

bool can_reopen(const std::string& path) { return path != "-" && is_regular_file(path); }

// The run's duration (heaptrack_trace.h), or nullopt for inputs that cannot be read twice
// (standard input, a FIFO).
std::optional<uint64_t> scan_duration_ms(const std::string& path, uint64_t max_size,
                                         bool read_ahead) {
  if (!can_reopen(path)) return std::nullopt;
  ByteStream in(path, max_size);
  if (read_ahead) in.read_ahead();
  return ht::scan_duration_ms(in);
}

}  // namespace

bool sniff_heaptrack(std::string_view head) {
  // Only complete lines count (the head may end in the middle of one).
  const auto last_newline = head.rfind('\n');
  if (last_newline == std::string_view::npos) return is_version_line(head);
  head = head.substr(0, last_newline);
  size_t checked = 0;
  bool first = true;
  while (!head.empty() && checked < 8) {
    const auto nl = head.find('\n');
    const std::string_view line = head.substr(0, nl);
    head = nl == std::string_view::npos ? std::string_view() : head.substr(nl + 1);
    if (first) {
      if (!is_version_line(line) && !line.starts_with("X ")) return false;
      first = false;
    } else if (!is_record_line(line)) {
      return false;
    }
    ++checked;
  }
  return !first;
}

core::Profile read_heaptrack(ByteStream& in, const ReadOptions& options) {
  if (options.slices < 1 || options.slices > kMaxSlices)
    throw core::UsageError(
        fmt::format("--slices must be between 1 and {}, got {}", kMaxSlices, options.slices));
  using Kind = Selector::Kind;
  const Selector& sel = options.selector;
  const bool want_slices = sel.kind == Kind::All || sel.kind == Kind::Index;

  // With a second core, decompression runs beside the parsing (zstd is ~15% of a replay).
  // Whatever share of the threads this input has (options.threads): inputs read at once
  // finish at different times, and the read-ahead thread of the longest one then has a core
  // to itself (a pair of 2M- and 10M-event traces: 0.97 -> 0.79 s). (The stream reads ahead
  // for regular files only.)
  const bool read_ahead = core::default_workers() > 1;
  ht::TraceReader reader(in.path(), in.compression());
  ht::Replay replay(/*track_peak=*/sel.kind == Kind::Peak, /*track_changes=*/want_slices);
  TimeCapture at_time(sel.seconds * 1000.0);
  // Equal slices need the duration before the replay: a regular file is scanned for it
  // first; a pipe is sliced on a coarsening grid instead (slicer.h).
  const std::optional<uint64_t> duration =
      want_slices ? scan_duration_ms(in.path(), options.max_input_size, read_ahead)
                  : std::nullopt;
  ht::Slicer slicer = duration ? ht::Slicer(options.slices, *duration)
                                   : ht::Slicer(options.slices);
  {
    if (read_ahead) in.read_ahead();
    LineReader lines(in);
    ht::ClockObserver* clock = want_slices              ? static_cast<ht::ClockObserver*>(&slicer)
                               : sel.kind == Kind::Time ? &at_time
                                                        : nullptr;
    reader.run(lines, replay, clock);
  }
  const ht::RunInfo& info = reader.info();
  if (duration && *duration != info.last_ms)
    throw InputError(in.path(), "heaptrack: the file changed while it was read (its duration "
                                "differs between the scan and the replay)");
  // The events are done: what only they needed goes before the snapshots are built, which
  // is the peak of a long trace's reading (a 20M-event trace's `show`: 82 -> 67 MiB).
  in.close();
  reader.release_event_tables();
  if (sel.kind != Kind::Peak) replay.finish_events();

  core::Profile profile = make_profile(info);
  ProfileBuilder builder(reader.tables(), info, profile);
  const std::string name = display_name(in.path());
  switch (sel.kind) {
    case Kind::All:
    case Kind::Index: {
      // @N keeps slice N; read_profile's apply_selector picks it by number (and names the
      // valid numbers 1..slices when N is not one of them).
      int64_t number = 0;
      slicer.finish(replay, info.last_ms, [&](Capture&& slice) {
        profile.snapshots.push_back(builder.snapshot(slice, name, ++number));
      });
      break;
    }
    case Kind::Last:
    case Kind::End: {
      const Capture end = capture(replay.sites(), double(info.last_ms), replay.rss_pages);
      profile.snapshots.push_back(builder.snapshot(end, name, options.slices));
      break;
    }
    case Kind::Peak: {
      const Capture peak =
          capture(replay.peak_sites(), double(replay.peak_ms), replay.rss_pages_at_peak);
      profile.snapshots.push_back(builder.snapshot(peak, name, -1));
      profile.snapshots.back().is_peak = true;
      break;
    }
    case Kind::Time: {
      at_time.finish(replay);
      profile.snapshots.push_back(builder.snapshot(at_time.result(), name, -1));
      if (sel.seconds * 1000.0 > double(info.last_ms))
        profile.warnings.push_back(fmt::format(
            "heaptrack: {} is after the end of the run ({:.2f}s): the state at the end is shown",
            sel.text.empty() ? fmt::format("t={}s", sel.seconds) : sel.text,
            double(info.last_ms) / 1000.0));
      break;
    }
  }
  // The whole-run totals belong to the end of the run: the last slice, or @end/@last.
  if (sel.kind == Kind::All || sel.kind == Kind::Index || sel.kind == Kind::Last ||
      sel.kind == Kind::End)
    add_run_extras(profile.snapshots.back(), replay, info, builder);
  add_warnings(profile, reader, replay, builder);
  return profile;
}

}  // namespace memleak::formats
