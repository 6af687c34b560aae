#include "formats/massif/massif_reader.h"

#include "core/errors.h"

namespace memleak::formats {

// Placeholder until the reader lands.
bool sniff_massif(std::string_view) { return false; }
core::Profile read_massif(ByteStream& in, const ReadOptions&) {
  throw core::InputError(in.path(), "massif: reader not implemented yet");
}

}  // namespace memleak::formats
