// Path helpers shared by the readers, writers and symbolization: one spelling of "the name
// after the last slash" instead of one per file.
#pragma once

#include <string>
#include <string_view>

namespace memleak::formats {

// The part after the last '/' ("a/b/c.heap" -> "c.heap"; no slash: the path itself).
std::string_view file_name(std::string_view path);

// The part before the last '/' ("a/b/c" -> "a/b", "/c" -> "/", "c" -> ".").
std::string_view directory_of(std::string_view path);

// True when `path` names a regular file (following symlinks): not a directory, FIFO or device.
bool is_regular_file(const std::string& path);

}  // namespace memleak::formats
