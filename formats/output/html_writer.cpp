// Placeholder until the html writer lands.
#include "core/errors.h"
#include "formats/output/writers.h"

namespace memleak::formats {

std::string write_html(const core::Report&, const WriteOptions&) {
  throw core::UsageError("--format html is not implemented yet");
}

}  // namespace memleak::formats
