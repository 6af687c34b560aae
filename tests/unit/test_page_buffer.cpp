// Tests of formats::PageBuffer: growing keeps the bytes, releasing frees whole pages only.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstring>
#include <string>

#include "formats/page_buffer.h"

using memleak::formats::PageBuffer;

TEST_CASE("formats::PageBuffer") {
  const size_t page = size_t(sysconf(_SC_PAGESIZE));
  SUBCASE("grows without losing bytes") {
    PageBuffer b(1);
    CHECK(b.capacity() == page);
    std::memset(b.tail(), 'a', b.capacity());
    b.commit(b.capacity());
    b.grow();
    CHECK(b.capacity() == 2 * page);
    std::memset(b.tail(), 'b', page);
    b.commit(page);
    CHECK(b.size() == 2 * page);
    CHECK(std::string(b.data(), page) == std::string(page, 'a'));
    CHECK(std::string(b.data() + page, page) == std::string(page, 'b'));
  }
  SUBCASE("release frees the whole pages inside the range and keeps the partial ones") {
    PageBuffer b(4 * page);
    std::memset(b.tail(), 'x', 4 * page);
    b.commit(4 * page);
    b.release(100, 3 * page - 100);  // whole pages inside: page 1 only
    CHECK(std::string(b.data(), page) == std::string(page, 'x'));
    CHECK(std::string(b.data() + page, page) == std::string(page, '\0'));
    CHECK(std::string(b.data() + 2 * page, 2 * page) == std::string(2 * page, 'x'));
    b.release(2 * page, 2 * page + 10);  // no whole page: nothing
    CHECK(b.data()[2 * page] == 'x');
  }
}
