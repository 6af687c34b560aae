#include "cli/output.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "core/errors.h"
#include "formats/output/writers.h"

namespace memleak::cli {

using core::UsageError;

namespace {

const formats::WriterInfo& writer_for(const std::string& name, const std::string& option) {
  if (const auto* w = formats::find_writer(name)) return *w;
  std::string names;
  for (const auto& w : formats::writers()) names += (names.empty() ? "" : ", ") + std::string(w.name);
  throw UsageError(fmt::format("{}: unknown format '{}' (known: {})", option, name, names));
}

bool use_color(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  if (mode != "auto") throw UsageError(fmt::format("--color: expected auto, always or never, got '{}'", mode));
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  return ::isatty(1) == 1;
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& bytes) {
  const std::string tmp = fmt::format("{}.tmp.{}", path, ::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw UsageError(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      throw UsageError(fmt::format("cannot write {}: {}", path, std::strerror(err)));
    }
    done += size_t(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw UsageError(fmt::format("cannot write {}: {}", path, std::strerror(err)));
  }
}

void emit_report(const core::Report& report, const OutputOptions& o, const std::string& command) {
  // Validate everything before writing anything.
  const auto& main = writer_for(o.format, "--format");
  std::vector<std::pair<const formats::WriterInfo*, std::string>> files;
  for (const auto& spec : o.outputs) {
    const auto eq = spec.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
      throw UsageError(fmt::format("--output: expected FORMAT=PATH, got '{}'", spec));
    files.emplace_back(&writer_for(spec.substr(0, eq), "--output"), spec.substr(eq + 1));
  }
  formats::WriteOptions wo;
  wo.command = command;
  for (const auto& [w, path] : files) {
    wo.color = false;
    write_file_atomically(path, w->write(report, wo));
  }
  if (main.binary && ::isatty(1) == 1)
    throw UsageError(fmt::format("--format {} writes binary data: redirect it or use --output {}=FILE",
                                 main.name, main.name));
  wo.color = main.name == "text" && use_color(o.color);
  const std::string out = main.write(report, wo);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
}

}  // namespace memleak::cli
