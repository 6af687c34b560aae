// An iterator over a container read by position (operator[](size_t) returning a value), for
// views that hand out computed values rather than references: StackView (frame ids of either
// width) and FrameList (frames resolved on demand).
#pragma once

#include <cstddef>
#include <iterator>

namespace memleak::core {

template <typename Container, typename Value, typename Category = std::forward_iterator_tag>
class IndexIterator {
 public:
  using iterator_category = Category;
  using value_type = Value;
  using difference_type = std::ptrdiff_t;
  using pointer = void;
  using reference = Value;
  IndexIterator() = default;
  IndexIterator(const Container* c, size_t i) : c_(c), i_(i) {}
  Value operator*() const { return (*c_)[i_]; }
  IndexIterator& operator++() {
    ++i_;
    return *this;
  }
  IndexIterator operator++(int) {
    IndexIterator old = *this;
    ++i_;
    return old;
  }
  friend bool operator==(const IndexIterator& a, const IndexIterator& b) { return a.i_ == b.i_; }

 private:
  const Container* c_ = nullptr;
  size_t i_ = 0;
};

}  // namespace memleak::core
