#include "formats/pprof/pprof_reader.h"

#include "core/errors.h"

namespace memleak::formats {

// Placeholder until the reader lands.
bool sniff_pprof(std::string_view) { return false; }
core::Profile read_pprof(ByteStream& in, const ReadOptions&) {
  throw core::InputError(in.path(), "pprof: reader not implemented yet");
}

}  // namespace memleak::formats
