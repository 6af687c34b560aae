// Placeholder until the csv writer lands.
#include "core/errors.h"
#include "formats/output/writers.h"

namespace memleak::formats {

std::string write_csv(const core::Report&, const WriteOptions&) {
  throw core::UsageError("--format csv is not implemented yet");
}

}  // namespace memleak::formats
