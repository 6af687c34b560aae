// Input: the bytes of one input file, transparently un-gzipped or un-zstd'ed.
//
// ByteStream reads a file (or "-" for standard input, or a FIFO) in chunks and decompresses
// by sniffing the magic bytes (gzip 1f 8b, including concatenated members; zstd 28 b5 2f fd),
// so memory stays bounded by the chunk size whatever the input size. The decompressed size is
// capped by `max_size`; going past it is an InputError (a decompression bomb never fills
// memory). Truncated or corrupt compressed streams are InputErrors naming the compressed
// byte offset: the end of a truncated stream, or where the decoding step that met corrupt
// data began (steps of 64 KiB of input, producing whole chunks, from whole chunks of the
// file or pipe: so the offset is a property of the input, not of who reads it).
//
// LineReader splits a ByteStream into lines (without the '\n'), counting line numbers from 1.
// A line longer than kMaxLineLength is an InputError. Lines are views of the stream's own
// chunks (ByteStream::read_view): only a line that runs across two chunks is copied.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace memleak::formats {

namespace detail {
class Decoder;
struct ReadAhead;
}

enum class Compression { None, Gzip, Zstd };
std::string_view compression_name(Compression c);

// Default cap on decompressed bytes per input (documented in the README; --max-input-size).
inline constexpr uint64_t kDefaultMaxInputSize = 4ULL << 30;
inline constexpr size_t kMaxLineLength = 64ULL << 20;
inline constexpr size_t kReadAheadChunks = 4;

class ByteStream {
 public:
  // Opens `path` ("-" = standard input). Throws InputError if it cannot be opened, is a
  // directory, or is not readable.
  ByteStream(std::string path, uint64_t max_size = kDefaultMaxInputSize);
  // The bytes [begin, end) of a regular file, as they are (no decompression): for readers
  // that parse parts of one uncompressed file in parallel. Throws InputError like the above.
  struct Range {
    uint64_t begin = 0, end = 0;
  };
  ByteStream(std::string path, Range range);
  ~ByteStream();
  ByteStream(const ByteStream&) = delete;
  ByteStream& operator=(const ByteStream&) = delete;

  // Up to `n` decompressed bytes into `out`; 0 at the end of the input.
  size_t read(char* out, size_t n);
  // The first decompressed bytes, without consuming them (for format detection).
  std::string_view peek(size_t n);
  // The next decompressed bytes (at most n) without a copy: a view of the stream's own
  // buffer (the rest of the current chunk, or what peek() kept), valid until the next call of
  // read(), read_view() or peek(). Empty at the end of the input. read() is this and a copy.
  std::string_view read_view(size_t n = SIZE_MAX);
  // Everything that is left, decompressed.
  std::string read_all();
  // From now on, decompresses on a thread of its own, a few chunks ahead of read(), so that
  // decoding and the reader's parsing run at once. Only for compressed inputs (a plain file's
  // read is a copy from the page cache) and only if a thread can be started; otherwise
  // nothing changes. Bytes, errors and their offsets are the same as without: an error
  // reaches read() after every byte decoded before it. Memory: kReadAheadChunks chunks.
  // Regular files only, too: destroying the stream waits for the thread's current read, and
  // a pipe's read may block for as long as its writer likes.
  void read_ahead();
  // Stops the read-ahead thread and frees the decoder and every buffer, for a reader that is
  // done with its bytes but not with its work (a heaptrack trace's slices are built after
  // the last line: 6-7 MB less at that peak). Reads afterwards see the end of the input;
  // path() and compression() stay.
  void close();

  const std::string& path() const { return path_; }
  Compression compression() const { return compression_; }
  // What the whole input probably decompresses to, for sizing a buffer; 0 when unknown. A
  // regular file's size, or a gzip file's ISIZE trailer (the size of its last member modulo
  // 2^32: a hint, never trusted for anything but a first allocation).
  uint64_t size_hint() const { return size_hint_; }
  uint64_t decompressed_so_far() const { return produced_; }
  // The cap on decompressed bytes this stream enforces.
  uint64_t max_size() const { return max_size_; }

 private:
  size_t fill_raw();
  [[noreturn]] void throw_too_large() const;
  // Decodes the next bytes of a compressed input into `out` (at most n; 0 at its end).
  size_t read_decoded(char* out, size_t n);
  // The bytes peek() kept and no read has taken yet, taken (at most n); empty when none.
  std::string_view take_peeked(size_t n);
  // The next bytes after those (at most n), as a view of decoded_ or, for a plain file, of
  // raw_, taken and counted in produced_; empty at the end of the input. Every read, view and
  // peek gets its bytes here.
  std::string_view take_fresh(size_t n);
  // Refills decoded_ with the next chunk: decoded here, or handed over by the read-ahead
  // thread (which gets the spent buffer back). False at the end of the input.
  bool next_chunk();

  std::string path_;
  int fd_ = -1;
  uint64_t max_size_;
  Compression compression_ = Compression::None;
  std::unique_ptr<detail::Decoder> decoder_;
  std::vector<char> raw_;      // compressed bytes read from the file, not yet consumed
  size_t raw_pos_ = 0;
  uint64_t raw_offset_ = 0;    // file offset of raw_[0]
  bool raw_eof_ = false;
  bool regular_file_ = false;  // (read_ahead() is for those only)
  uint64_t raw_left_ = UINT64_MAX;  // bytes the file may still give (a Range's end)
  std::string peeked_;         // decompressed bytes returned by peek(), taken from peeked_pos_
  size_t peeked_pos_ = 0;
  uint64_t produced_ = 0;
  uint64_t size_hint_ = 0;
  // A compressed stream is always decoded a whole chunk at a time, whatever the reader asks
  // for: where a decoder notices corrupt data (the byte offset in the message) depends on the
  // room it is given, so this makes the offset a property of the file, the same with or
  // without read_ahead() and for any reader.
  std::vector<char> decoded_;
  size_t decoded_pos_ = 0, decoded_size_ = 0;
  std::unique_ptr<detail::ReadAhead> ahead_;  // declared last: its thread stops first
};

class LineReader {
 public:
  explicit LineReader(ByteStream& in);
  // Next line without its '\n' (a trailing '\r' is kept); false at the end of the input.
  // The view is valid until the next call.
  bool next(std::string_view& line);
  uint64_t line_number() const { return line_no_; }
  // Where the line last returned begins, in bytes from the stream's first byte.
  uint64_t line_offset() const { return line_offset_; }
  // False when the last line returned ended at the end of the input without a '\n': the
  // writer stopped mid-line (a truncated file), or simply left out the final newline.
  bool last_line_terminated() const { return terminated_; }
  const std::string& path() const { return in_.path(); }

  // For a reader's own fast path over short lines: the unread rest of the current chunk (it
  // may end in the middle of a line), without a copy; empty before the first next(). The
  // reader parses whole lines from its start and then calls skip() with the bytes and lines
  // it parsed; next() goes on after them.
  std::string_view rest_of_chunk() const { return std::string_view(pos_, size_t(end_ - pos_)); }
  void skip(size_t bytes, uint64_t lines) {
    pos_ += bytes;
    line_no_ += lines;
  }

 private:
  // Moves on to the stream's next view; false at the end of the input.
  bool next_view();
  // Keeps [pos_, end) of the current view for a line that goes on in the next one.
  void carry(const char* end);

  ByteStream& in_;
  const char* begin_ = nullptr;  // the current view [begin_, end_), unread from pos_
  const char* pos_ = nullptr;
  const char* end_ = nullptr;
  uint64_t view_offset_ = 0;     // stream offset of begin_
  std::string carried_;        // the start of a line that began in an earlier view
  bool terminated_ = true;
  uint64_t line_no_ = 0;
  uint64_t line_offset_ = 0;
};

}  // namespace memleak::formats
