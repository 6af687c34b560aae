// Placeholder until the junit writer lands.
#include "core/errors.h"
#include "formats/output/writers.h"

namespace memleak::formats {

std::string write_junit(const core::Report&, const WriteOptions&) {
  throw core::UsageError("--format junit is not implemented yet");
}

}  // namespace memleak::formats
