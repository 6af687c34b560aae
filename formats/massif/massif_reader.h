// Reader for valgrind massif. See formats/reader.h for the contract of sniff and read.
#pragma once

#include <string_view>

#include "core/model.h"
#include "formats/reader.h"

namespace memleak::formats {

bool sniff_massif(std::string_view head);
core::Profile read_massif(ByteStream& in, const ReadOptions& options);

}  // namespace memleak::formats
