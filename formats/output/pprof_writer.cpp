// The first-to-last difference as a gzipped profile.proto, for `go tool pprof` (-top, -http,
// flame graphs) and the tools that read pprof files.
//
// Contents:
//  - one sample type, named with pprof's own name for the metric (inuse_space/bytes,
//    inuse_objects/count, alloc_space/bytes, alloc_objects/count, goroutine/count) so that
//    pprof picks its usual units and `-sample_index=inuse_space` works as on the inputs;
//  - one sample per shown site with value = delta (growth positive, shrinkage negative) and
//    the row's representative stack as locations (leaf first, as profile.proto wants), labelled
//    `verdict` (string) and `rank` (number), so `-tagfocus=verdict=leak` shows the leaks only;
//  - one sample for the others row on a single location "(others)", so that the samples add
//    up to the total delta;
//  - functions (name, file) and locations (function, line) deduplicated, one Line each, no
//    mappings and no addresses (addresses of different runs do not compare);
//  - names as memleak shows them, with no system_name: pprof takes a function whose name
//    equals its system name for undemangled and strips C++ parameter lists and template
//    arguments from it, which would merge rows that memleak keeps apart;
//  - time_nanos and duration_nanos from the snapshots' times when they are in seconds;
//  - a comment naming the first and last snapshot.
// The bytes are deterministic: fields in a fixed order, gzip without a file name or mtime.
#include <unordered_map>
#include <stdexcept>
#include <tuple>

#include <fmt/format.h>
#include <zlib.h>

#include "core/hash.h"
#include "formats/output/frame_memo.h"
#include "formats/output/row_fields.h"
#include "formats/output/writers.h"
// protobuf_generate_cpp puts the header at the top of the build dir, protobuf_generate keeps
// the proto's relative path (DESIGN.md §15): accept either.
#if __has_include("pprof/profile.pb.h")
#include "pprof/profile.pb.h"
#else
#include "profile.pb.h"
#endif

namespace memleak::formats {

namespace {

// Builds the profile's deduplicated tables.
class ProfileBuilder {
 public:
  explicit ProfileBuilder(pprof::Profile& p) : p_(p) { str(""); }

  int64_t str(const std::string& s) {
    const auto [it, added] = strings_.try_emplace(s, int64_t(strings_.size()));
    if (added) p_.add_string_table(s);
    return it->second;
  }

  uint64_t location(const core::SiteFrame& f) {
    return location(core::display_function(f), f.file, f.line);
  }

  uint64_t location(const std::string& function, const std::string& file, uint32_t line) {
    const uint64_t fn = function_id(function, file);
    const auto [it, added] = locations_.try_emplace(fn << 32 | line, locations_.size() + 1);
    if (added) {
      auto* loc = p_.add_location();
      loc->set_id(it->second);
      auto* l = loc->add_line();
      l->set_function_id(fn);
      l->set_line(line);
    }
    return it->second;
  }

 private:
  uint64_t function_id(const std::string& name, const std::string& file) {
    // The name's length, the name and the file: unambiguous whatever bytes they hold.
    std::string key = std::to_string(name.size());
    key += ':';
    key += name;
    key += file;
    const auto [it, added] = functions_.try_emplace(std::move(key), functions_.size() + 1);
    if (added) {
      auto* fn = p_.add_function();
      fn->set_id(it->second);
      fn->set_name(str(name));
      fn->set_filename(str(file));
    }
    return it->second;
  }

  pprof::Profile& p_;
  // Hash maps (ids are given in insertion order, so the output does not depend on them).
  std::unordered_map<std::string, int64_t, core::BytesHash> strings_;
  std::unordered_map<std::string, uint64_t, core::BytesHash> functions_;  // see function_id
  std::unordered_map<uint64_t, uint64_t> locations_;                      // function << 32 | line
};

// Location ids of the frames shown, made once per frame (frame_memo.h).
using LocationIds = FrameMemo<uint64_t>;

void add_site(ProfileBuilder& b, pprof::Profile& p, const core::SiteRow& row,
              LocationIds& locations) {
  auto* s = p.add_sample();
  s->add_value(row.delta);
  const auto& frames = row_stack(row);
  for (size_t i = 0; i < frames.size(); ++i)
    s->add_location_id(locations.get(frames, i, [&] { return b.location(frames[i]); }));
  if (frames.empty()) s->add_location_id(b.location(row.key.text(), "", 0));
  auto* verdict = s->add_label();
  verdict->set_key(b.str("verdict"));
  verdict->set_str(b.str(std::string(core::verdict_name(row.trend.verdict))));
  auto* rank = s->add_label();
  rank->set_key(b.str("rank"));
  rank->set_num(int64_t(row.rank));
}

std::string gzip(const std::string& bytes) {
  z_stream z{};
  // 15 + 16: a gzip wrapper; zlib writes mtime 0 and no name, so the output is reproducible.
  if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("pprof writer: deflateInit2 failed");
  std::string out(deflateBound(&z, uLong(bytes.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = uInt(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = uInt(out.size());
  const int rc = deflate(&z, Z_FINISH);
  const size_t written = z.total_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("pprof writer: deflate failed");
  out.resize(written);
  return out;
}

}  // namespace

std::string write_pprof(const core::Report& r, const WriteOptions& options) {
  pprof::Profile p;
  ProfileBuilder b(p);
  const auto& info = core::metric_info(r.metric);
  auto* type = p.add_sample_type();
  type->set_type(b.str(std::string(info.alias)));
  type->set_unit(b.str(std::string(info.unit)));
  p.set_default_sample_type(type->type());
  LocationIds locations;
  for (const auto& row : r.sites) add_site(b, p, row, locations);
  if (r.others) {
    auto* s = p.add_sample();
    s->add_value(r.others->delta);
    s->add_location_id(b.location("(others)", "", 0));
  }
  if (r.time_unit == core::TimeUnit::Seconds && !r.snapshots.empty() &&
      r.snapshots.back().time) {
    p.set_time_nanos(int64_t(*r.snapshots.back().time * 1e9));
    if (r.snapshots.front().time)
      p.set_duration_nanos(int64_t((*r.snapshots.back().time - *r.snapshots.front().time) * 1e9));
  }
  if (!r.snapshots.empty())
    p.add_comment(b.str(fmt::format("memleak {}: {} from {} to {}",
                                    options.command.empty() ? "diff" : options.command, info.name,
                                    r.snapshots.front().label, r.snapshots.back().label)));
  std::string bytes;
  if (!p.SerializeToString(&bytes)) throw std::runtime_error("pprof writer: serialization failed");
  return gzip(bytes);
}

}  // namespace memleak::formats
