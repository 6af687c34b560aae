// Placeholder until the markdown writer lands.
#include "core/errors.h"
#include "formats/output/writers.h"

namespace memleak::formats {

std::string write_markdown(const core::Report&, const WriteOptions&) {
  throw core::UsageError("--format markdown is not implemented yet");
}

}  // namespace memleak::formats
