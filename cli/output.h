// Rendering a report: --format to standard output, and every --output FORMAT=PATH to its
// file, written to a temporary name in the same directory and renamed, so a reader never sees
// a half-written file.
#pragma once

#include <functional>
#include <string>

#include "cli/options.h"
#include "core/report.h"
#include "formats/output/byte_sink.h"

namespace memleak::cli {

// Throws core::UsageError for an unknown format or a malformed --output, and for a failure
// to write a file.
void emit_report(const core::Report& report, const OutputOptions& options, const std::string& command);

// Writes `bytes`, or what `write` puts into the sink it is given, to `path` atomically
// (temporary file + rename; the temporary file is removed when writing fails). Throws
// core::UsageError.
void write_file_atomically(const std::string& path, const std::string& bytes);
void write_file_atomically(const std::string& path,
                           const std::function<void(formats::ByteSink&)>& write);

}  // namespace memleak::cli
