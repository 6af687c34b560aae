#include "formats/symbols/addr2line.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

extern char** environ;

namespace memleak::formats::symbols {

namespace {

// Closes a descriptor when it goes out of scope.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// "././orderbook.c" -> "orderbook.c", "/src/./lib/a.c" -> "/src/lib/a.c": gcc records the
// directory it was run in as ".", which says nothing.
std::string without_dot_segments(std::string_view file) {
  while (file.starts_with("./")) file.remove_prefix(2);
  std::string out(file);
  for (size_t at; (at = out.find("/./")) != std::string::npos;) out.erase(at, 2);
  return out;
}

// "file:line", "file:line (discriminator 3)", "??:0", "??:?", "file:?".
SourceFrame parse_location(std::string_view function, std::string_view location) {
  SourceFrame f;
  if (function != "??") f.function = std::string(function);
  if (const auto d = location.find(" (discriminator "); d != std::string_view::npos)
    location = location.substr(0, d);
  const auto colon = location.rfind(':');
  std::string_view file = colon == std::string_view::npos ? location : location.substr(0, colon);
  if (colon != std::string_view::npos) {
    uint64_t line = 0;
    bool digits = colon + 1 < location.size();
    for (char c : location.substr(colon + 1)) {
      if (c < '0' || c > '9' || line > UINT32_MAX / 10) {
        digits = false;
        break;
      }
      line = line * 10 + uint64_t(c - '0');
    }
    if (digits && line <= UINT32_MAX) f.line = uint32_t(line);
  }
  if (file != "??") f.file = without_dot_segments(file);
  return f;
}

std::string address_line(uint64_t vaddr) { return fmt::format("0x{:016x}", vaddr); }

}  // namespace

SourceChains parse_addr2line_output(std::string_view output, std::span<const uint64_t> vaddrs) {
  std::vector<std::string_view> lines;
  while (!output.empty()) {
    const auto nl = output.find('\n');
    lines.push_back(output.substr(0, nl));
    output = nl == std::string_view::npos ? std::string_view() : output.substr(nl + 1);
  }
  SourceChains chains(vaddrs.size());
  size_t at = 0;
  for (size_t i = 0; i < vaddrs.size(); ++i) {
    const std::string expected = address_line(vaddrs[i]);
    if (at >= lines.size() || lines[at] != expected)
      throw SymbolizerError(fmt::format("addr2line: expected '{}' at output line {}, got '{}'",
                                        expected, at + 1,
                                        at < lines.size() ? lines[at] : "end of output"));
    ++at;
    const std::string next = i + 1 < vaddrs.size() ? address_line(vaddrs[i + 1]) : "";
    size_t pairs = 0;
    while (at < lines.size() && !(i + 1 < vaddrs.size() && lines[at] == next)) {
      if (at + 1 >= lines.size())
        throw SymbolizerError(
            fmt::format("addr2line: expected a file:line after output line {}", at + 1));
      SourceFrame f = parse_location(lines[at], lines[at + 1]);
      at += 2;
      ++pairs;
      if (!f.function.empty() || !f.file.empty()) chains[i].push_back(std::move(f));
    }
    if (pairs == 0)
      throw SymbolizerError(fmt::format("addr2line: no frame for address {}", expected));
  }
  return chains;
}

SourceChains run_addr2line(const std::string& binary, std::span<const uint64_t> vaddrs,
                           std::chrono::milliseconds silence_limit) {
  if (vaddrs.empty()) return {};
  // The addresses go to a temporary file that becomes addr2line's standard input.
  const char* tmpdir = std::getenv("TMPDIR");
  std::string name = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/memleak-addr-XXXXXX";
  Fd in{::mkostemp(name.data(), O_CLOEXEC)};
  if (in.fd < 0)
    throw SymbolizerError(fmt::format("cannot create a temporary file: {}", std::strerror(errno)));
  ::unlink(name.c_str());
  std::string addresses;
  for (uint64_t a : vaddrs) addresses += fmt::format("0x{:x}\n", a);
  for (size_t done = 0; done < addresses.size();) {
    const ssize_t n = ::write(in.fd, addresses.data() + done, addresses.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      throw SymbolizerError(fmt::format("cannot write a temporary file: {}", std::strerror(errno)));
    done += size_t(n);
  }
  ::lseek(in.fd, 0, SEEK_SET);

  int out_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0)
    throw SymbolizerError(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
  Fd read_end{out_pipe[0]};
  Fd write_end{out_pipe[1]};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.fd, 0);
  posix_spawn_file_actions_adddup2(&actions, write_end.fd, 1);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::string program = "addr2line";
  std::vector<std::string> args = {program, "-a", "-f", "-i", "-C", "-e", binary};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = ::posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0)
    throw SymbolizerError(fmt::format("cannot run addr2line ({}; it is in Debian's binutils)",
                                      std::strerror(rc)));
  ::close(write_end.fd);
  write_end.fd = -1;
  std::string output;
  char buf[65536];
  int status = 0;
  auto reap = [&] {
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  };
  auto stop = [&](std::string why) {
    ::kill(pid, SIGKILL);
    reap();
    throw SymbolizerError(std::move(why));
  };
  using Clock = std::chrono::steady_clock;
  auto deadline = Clock::now() + silence_limit;  // moves on with every read
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    pollfd ready{read_end.fd, POLLIN, 0};
    const int polled = left.count() <= 0 ? 0
                       : ::poll(&ready, 1, int(std::min<int64_t>(left.count(), INT32_MAX)));
    if (polled < 0 && errno == EINTR) continue;
    if (polled < 0) stop(fmt::format("cannot wait for addr2line: {}", std::strerror(errno)));
    if (polled == 0)
      stop(fmt::format("addr2line wrote nothing for {:g} s and was stopped",
                       double(silence_limit.count()) / 1000.0));
    const ssize_t n = ::read(read_end.fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    output.append(buf, size_t(n));
    deadline = Clock::now() + silence_limit;
  }
  reap();
  if (!WIFEXITED(status)) throw SymbolizerError("addr2line was killed by a signal");
  if (WEXITSTATUS(status) != 0)
    throw SymbolizerError(fmt::format("addr2line failed (exit status {})", WEXITSTATUS(status)));
  return parse_addr2line_output(output, vaddrs);
}

}  // namespace memleak::formats::symbols
