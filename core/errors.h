// Errors thrown by library code and caught once, in cli::run (throw deep, catch once).
//
// InputError names the input and the position of the problem. It is rendered by the CLI as
//   memleak: error: PATH:LINE: WHAT        (text inputs: line number)
//   memleak: error: PATH: byte N: WHAT     (binary inputs: byte offset)
//   memleak: error: PATH: WHAT             (no position applies)
// and the process exits with status 2. UsageError is a bad option or combination of options.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace memleak::core {

class InputError : public std::runtime_error {
 public:
  enum class Position { None, Line, Byte };

  InputError(std::string path, std::string what)
      : std::runtime_error(what), path_(std::move(path)) {}
  static InputError at_line(std::string path, uint64_t line, std::string what) {
    InputError e(std::move(path), std::move(what));
    e.kind_ = Position::Line;
    e.pos_ = line;
    return e;
  }
  static InputError at_byte(std::string path, uint64_t offset, std::string what) {
    InputError e(std::move(path), std::move(what));
    e.kind_ = Position::Byte;
    e.pos_ = offset;
    return e;
  }

  const std::string& path() const { return path_; }
  Position position_kind() const { return kind_; }
  uint64_t position() const { return pos_; }
  // The full one-line message without the "memleak: error: " prefix.
  std::string message() const;

 private:
  std::string path_;
  Position kind_ = Position::None;
  uint64_t pos_ = 0;
};

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace memleak::core
