// Placeholder until the pprof writer lands.
#include "core/errors.h"
#include "formats/output/writers.h"

namespace memleak::formats {

std::string write_pprof(const core::Report&, const WriteOptions&) {
  throw core::UsageError("--format pprof is not implemented yet");
}

}  // namespace memleak::formats
