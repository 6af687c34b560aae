#include "formats/pprof/pprof_text_reader.h"

#include "core/errors.h"

namespace memleak::formats {

// Placeholder until the reader lands.
bool sniff_pprof_text(std::string_view) { return false; }
core::Profile read_pprof_text(ByteStream& in, const ReadOptions&) {
  throw core::InputError(in.path(), "pprof_text: reader not implemented yet");
}

}  // namespace memleak::formats
