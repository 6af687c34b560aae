// Tests of formats/input.h's read-ahead: a ByteStream that decodes on a thread of its own
// gives the same bytes, and the same errors at the same offsets, as one that decodes on the
// caller's thread (errors: the same message at the same offset), for gzip (one member and concatenated) and zstd inputs of several chunks,
// intact, truncated and corrupted, read in reads of varied sizes.
#include <doctest/doctest.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "core/errors.h"
#include "formats/input.h"

using memleak::formats::ByteStream;

namespace {

// ~3 MB of compressible text, more than kReadAheadChunks chunks of 1 MiB when decoded.
std::string make_text() {
  std::string text;
  uint64_t x = 12345;
  while (text.size() < (3u << 20)) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    text += "+ " + std::to_string((x >> 33) % 100000) + "\n";
  }
  return text;
}

std::string gzip(const std::string& text) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&z, uLong(text.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = uInt(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = uInt(out.size());
  REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string zstd(const std::string& text) {
  std::string out(ZSTD_compressBound(text.size()), '\0');
  const size_t n = ZSTD_compress(out.data(), out.size(), text.data(), text.size(), 3);
  REQUIRE_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

struct TempFile {
  explicit TempFile(const std::string& bytes) {
    char name[] = "/tmp/memleak-input-XXXXXX";
    const int fd = mkstemp(name);
    REQUIRE(fd >= 0);
    ::close(fd);
    path = name;
    std::ofstream(path, std::ios::binary) << bytes;
  }
  ~TempFile() { std::remove(path.c_str()); }
  std::string path;
};

// What reading the whole file gives: its bytes, then the error message if there is one.
struct Outcome {
  std::string bytes;
  std::string error;
};

Outcome read_file(const std::string& path, bool ahead, size_t read_size,
                  uint64_t max_size = memleak::formats::kDefaultMaxInputSize) {
  Outcome out;
  try {
    ByteStream in(path, max_size);
    in.peek(16);  // as format detection does, before a reader starts reading ahead
    if (ahead) in.read_ahead();
    std::vector<char> buf(read_size);
    for (size_t k; (k = in.read(buf.data(), buf.size())) > 0;) out.bytes.append(buf.data(), k);
  } catch (const memleak::core::InputError& e) {
    out.error = e.what();
  }
  return out;
}

void check_same(const std::string& file_bytes, uint64_t max_size = memleak::formats::kDefaultMaxInputSize) {
  const TempFile f(file_bytes);
  const Outcome serial = read_file(f.path, false, 65536, max_size);
  for (const size_t read_size : {size_t(1) << 20, size_t(4093), size_t(3 << 20)}) {
    // Where a decoder notices corrupt data depends on the room it is given: the stream
    // decodes whole chunks, so the message (and its byte offset) is the same for any reader.
    CHECK(read_file(f.path, false, read_size, max_size).error == serial.error);
    const Outcome ahead = read_file(f.path, true, read_size, max_size);
    CHECK(ahead.error == serial.error);
    if (serial.error.empty()) {
      CHECK(ahead.bytes == serial.bytes);
    } else {
      // Bytes a decoder produced in the step that failed are dropped, so how many come
      // before an error depends on the read sizes, with or without a thread; they are the
      // input's, though: one output is the start of the other.
      const size_t n = std::min(ahead.bytes.size(), serial.bytes.size());
      CHECK(ahead.bytes.compare(0, n, serial.bytes, 0, n) == 0);
    }
  }
}

}  // namespace

TEST_CASE("ByteStream::read_ahead: same bytes and errors as decoding on the caller's thread") {
  const std::string text = make_text();
  const std::string gz = gzip(text), zs = zstd(text);

  SUBCASE("intact inputs") {
    const TempFile f(gz);
    const Outcome o = read_file(f.path, true, 4093);
    CHECK(o.error.empty());
    CHECK(o.bytes == text);
    check_same(gz);
    check_same(gz + gzip("second member\n"));  // concatenated gzip members
    check_same(zs);
    check_same(zs + zstd("second frame\n"));
    check_same(text);  // not compressed: read_ahead changes nothing
  }
  SUBCASE("truncated and corrupted inputs fail at the same byte with the same message") {
    for (const std::string* in : {&gz, &zs}) {
      for (const size_t cut : {size_t(10), in->size() / 3, in->size() / 2 + 7, in->size() * 4 / 5,
                               in->size() - 5}) {
        check_same(in->substr(0, cut));
        std::string bad = *in;
        bad[cut] = char(bad[cut] ^ 0x5a);
        check_same(bad);
      }
      check_same(*in + "trailing garbage");
    }
  }
  SUBCASE("the size cap stops both at the same byte") {
    check_same(zs, 2'500'000);
    const TempFile f(gz);
    const Outcome o = read_file(f.path, true, 4093, 2'500'000);
    CHECK(o.error.find("decompressed input exceeds 2500000 bytes") != std::string::npos);
  }
  SUBCASE("a stream dropped before its end stops its thread") {
    const TempFile f(zs);
    ByteStream in(f.path);
    in.read_ahead();
    char buf[100];
    CHECK(in.read(buf, sizeof buf) == sizeof buf);
  }  // the destructor joins the thread blocked on a full queue
  SUBCASE("close() in the middle stops the thread; reads then see the end of the input") {
    for (const std::string* in : {&gz, &zs, &text}) {
      const TempFile f(*in);
      ByteStream stream(f.path);
      stream.read_ahead();
      char buf[100];
      REQUIRE(stream.read(buf, sizeof buf) == sizeof buf);
      CHECK(std::string_view(buf, sizeof buf) == std::string_view(text).substr(0, sizeof buf));
      stream.close();
      CHECK(stream.read(buf, sizeof buf) == 0);
      CHECK(stream.read_view(sizeof buf).empty());
      CHECK(stream.path() == f.path);
    }
  }
}

TEST_CASE("LineReader: lines, numbers and offsets as in the text, across chunks and inputs") {
  // Short lines, a 2.5 MiB line (over three chunks), an empty line, '\r', and no final
  // newline: the lines (views of the stream's chunks, copied only across a chunk's end) must
  // be the text's, whether plain, gzip or zstd, with or without a peek and read-ahead.
  std::string text = make_text();
  text += std::string(5u << 19, 'x') + "\n\nCR\r\n" + make_text().substr(0, 100000) + "end";
  std::vector<std::string_view> expected;
  std::vector<size_t> offsets;
  for (size_t begin = 0; begin < text.size();) {
    size_t nl = text.find('\n', begin);
    if (nl == std::string::npos) nl = text.size();
    expected.emplace_back(text.data() + begin, nl - begin);
    offsets.push_back(begin);
    begin = nl + 1;
  }
  for (const std::string& bytes : {text, gzip(text), zstd(text)}) {
    for (const int mode : {0, 1, 2}) {  // no peek; a peek first (as detection does); and read-ahead
      const TempFile f(bytes);
      ByteStream in(f.path);
      if (mode > 0) CHECK(in.peek(16) == text.substr(0, 16));
      if (mode == 2) in.read_ahead();
      memleak::formats::LineReader lines(in);
      std::string_view line;
      size_t n = 0;
      bool all_same = true;
      while (n < expected.size() && lines.next(line)) {
        all_same = all_same && line == expected[n] && lines.line_number() == n + 1 &&
                   lines.line_offset() == offsets[n];
        ++n;
      }
      CHECK(all_same);
      CHECK(n == expected.size());
      CHECK_FALSE(lines.last_line_terminated());
      CHECK_FALSE(lines.next(line));  // and nothing after the last line
    }
  }
  SUBCASE("a reader's own fast path: skip() moves past what it parsed") {
    const TempFile f(zstd(text));
    ByteStream in(f.path);
    memleak::formats::LineReader lines(in);
    std::string_view line;
    REQUIRE(lines.next(line));
    CHECK(line == expected[0]);
    // Parse the rest of the chunk's whole lines by hand, then go on with next().
    const std::string_view rest = lines.rest_of_chunk();
    const size_t last_nl = rest.rfind('\n');
    REQUIRE(last_nl != std::string_view::npos);
    const uint64_t parsed = uint64_t(std::count(rest.begin(), rest.begin() + long(last_nl), '\n')) + 1;
    lines.skip(last_nl + 1, parsed);
    REQUIRE(lines.next(line));
    CHECK(line == expected[1 + parsed]);
    CHECK(lines.line_number() == 2 + parsed);
    CHECK(lines.line_offset() == offsets[1 + parsed]);
  }
}
