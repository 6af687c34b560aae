// Placeholder until the folded writer lands.
#include "core/errors.h"
#include "formats/output/writers.h"

namespace memleak::formats {

std::string write_folded(const core::Report&, const WriteOptions&) {
  throw core::UsageError("--format folded is not implemented yet");
}

}  // namespace memleak::formats
