#include "formats/heaptrack/demangle.h"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>

namespace memleak::formats::heaptrack {

std::string demangle(std::string_view name) {
  if (!name.starts_with("_Z")) return std::string(name);
  // __cxa_demangle needs a NUL-terminated copy; it mallocs the result.
  const std::string copy(name);
  int status = 0;
  std::unique_ptr<char, decltype(&std::free)> out(
      abi::__cxa_demangle(copy.c_str(), nullptr, nullptr, &status), &std::free);
  if (status != 0 || !out) return copy;
  return std::string(out.get());
}

}  // namespace memleak::formats::heaptrack
