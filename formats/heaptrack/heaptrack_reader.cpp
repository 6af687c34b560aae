#include "formats/heaptrack/heaptrack_reader.h"

#include "core/errors.h"

namespace memleak::formats {

// Placeholder until the reader lands.
bool sniff_heaptrack(std::string_view) { return false; }
core::Profile read_heaptrack(ByteStream& in, const ReadOptions&) {
  throw core::InputError(in.path(), "heaptrack: reader not implemented yet");
}

}  // namespace memleak::formats
