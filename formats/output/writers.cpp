#include "formats/output/writers.h"

#include <array>

namespace memleak::formats {

namespace {
constexpr std::array<WriterInfo, 2> kWriters = {{
    {"text", "human-readable report: likely leaks in words, then the ranked table", write_text,
     false},
    {"json", "the report as JSON, schema memleak.report version 1", write_json, false},
}};
}  // namespace

std::span<const WriterInfo> writers() { return kWriters; }

const WriterInfo* find_writer(std::string_view name) {
  for (const auto& w : kWriters)
    if (w.name == name) return &w;
  return nullptr;
}

}  // namespace memleak::formats
