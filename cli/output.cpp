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

void write_file_atomically(const std::string& path,
                           const std::function<void(formats::ByteSink&)>& write) {
  const std::string tmp = fmt::format("{}.tmp.{}", path, ::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw UsageError(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  try {
    formats::FdSink sink(fd, path);
    write(sink);
    sink.flush();
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  // The descriptor is closed whatever fsync says; the first failure is the one reported.
  int err = ::fsync(fd) != 0 ? errno : 0;
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err == 0 && ::rename(tmp.c_str(), path.c_str()) != 0) err = errno;
  if (err != 0) {
    ::unlink(tmp.c_str());
    throw UsageError(fmt::format("cannot write {}: {}", path, std::strerror(err)));
  }
}

void write_file_atomically(const std::string& path, const std::string& bytes) {
  write_file_atomically(path, [&](formats::ByteSink& sink) { sink.write(bytes); });
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
    write_file_atomically(path, [&](formats::ByteSink& sink) { w->write(report, wo, sink); });
  }
  if (main.binary && ::isatty(1) == 1)
    throw UsageError(fmt::format("--format {} writes binary data: redirect it or use --output {}=FILE",
                                 main.name, main.name));
  wo.color = main.name == "text" && use_color(o.color);
  // Straight to the descriptor, as the report is made (byte_sink.h); what stdio holds goes
  // first. A failed write is an error (exit 2), not a truncated report and a status 0.
  std::fflush(stdout);
  formats::FdSink out(STDOUT_FILENO, "standard output");
  main.write(report, wo, out);
  out.flush();
}

}  // namespace memleak::cli
