// Reader for profile.proto (gzipped or plain). See formats/reader.h for the contract of sniff and read.
#pragma once

#include <string_view>

#include "core/model.h"
#include "formats/reader.h"

namespace memleak::formats {

bool sniff_pprof(std::string_view head);
core::Profile read_pprof(ByteStream& in, const ReadOptions& options);

}  // namespace memleak::formats
