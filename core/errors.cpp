#include "core/errors.h"

#include <fmt/format.h>

namespace memleak::core {

std::string InputError::message() const {
  switch (kind_) {
    case Position::Line: return fmt::format("{}:{}: {}", path_, pos_, what());
    case Position::Byte: return fmt::format("{}: byte {}: {}", path_, pos_, what());
    case Position::None: break;
  }
  return fmt::format("{}: {}", path_, what());
}

}  // namespace memleak::core
