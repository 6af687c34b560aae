#include "formats/input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>

#include <fmt/format.h>

#include "core/errors.h"

namespace memleak::formats {

using core::InputError;

namespace {
constexpr size_t kChunk = 1 << 20;
constexpr size_t kDecodeStep = 64 << 10;
// LineReader checks the length of lines it copies across chunks only: a line inside one
// chunk is shorter than the limit.
static_assert(kChunk < kMaxLineLength);
}

std::string_view compression_name(Compression c) {
  switch (c) {
    case Compression::None: return "none";
    case Compression::Gzip: return "gzip";
    case Compression::Zstd: return "zstd";
  }
  return "none";
}

// One decompressor; consumes raw bytes and produces decoded ones.
namespace detail {
class Decoder {
 public:
  virtual ~Decoder() = default;
  // Decodes from [in, in+in_len) into [out, out+out_len). Sets consumed/produced.
  // at_boundary() tells whether the data seen so far ended a member/frame cleanly.
  virtual void step(const char* in, size_t in_len, size_t& consumed, char* out, size_t out_len,
                    size_t& produced) = 0;
  // True when the compressed data ended cleanly (at the end of a member/frame).
  virtual bool at_boundary() const = 0;
  // Non-empty after corrupt data.
  virtual const std::string& error() const = 0;
};

// The decoding thread of ByteStream::read_ahead() and the chunks it hands over. Buffers go
// round: `spare` (empty) -> decoded by the thread -> `ready` -> read() -> `spare`.
struct ReadAhead {
  struct Chunk {
    std::vector<char> bytes;
    size_t size = 0;
    std::exception_ptr error;  // decoding failed after the bytes before this chunk
    bool last = false;         // the end of the input, or an error
  };
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::vector<char>> spare;
  std::deque<Chunk> ready;
  bool stop = false;
  std::exception_ptr error;  // the last chunk's, once read() reached it
  bool ended = false;        // read() reached the last chunk
  std::thread thread;

  ~ReadAhead() {
    {
      std::lock_guard lock(mutex);
      stop = true;
    }
    changed.notify_all();
    if (thread.joinable()) thread.join();
  }
};
}  // namespace detail

namespace {

class GzipDecoder final : public detail::Decoder {
 public:
  explicit GzipDecoder(const std::string& path) : path_(path) {
    std::memset(&z_, 0, sizeof z_);
    if (inflateInit2(&z_, 15 + 16) != Z_OK) throw InputError(path_, "gzip: cannot initialise zlib");
  }
  ~GzipDecoder() override { inflateEnd(&z_); }
  void step(const char* in, size_t in_len, size_t& consumed, char* out, size_t out_len,
            size_t& produced) override {
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in));
    z_.avail_in = static_cast<uInt>(std::min<size_t>(in_len, 1u << 30));
    z_.next_out = reinterpret_cast<Bytef*>(out);
    z_.avail_out = static_cast<uInt>(std::min<size_t>(out_len, 1u << 30));
    const uInt in_before = z_.avail_in, out_before = z_.avail_out;
    if (boundary_ && in_len > 0) {
      // A new gzip member follows the previous one (concatenated gzip files).
      inflateReset(&z_);
      boundary_ = false;
    }
    int rc = inflate(&z_, Z_NO_FLUSH);
    consumed = in_before - z_.avail_in;
    produced = out_before - z_.avail_out;
    if (rc == Z_STREAM_END) {
      boundary_ = true;
    } else if (rc == Z_BUF_ERROR) {
      // No progress possible: needs more input or more output; the caller decides.
    } else if (rc != Z_OK) {
      error_ = z_.msg ? z_.msg : "invalid data";
    }
  }
  bool at_boundary() const override { return boundary_; }
  const std::string& error() const override { return error_; }

 private:
  std::string path_;
  z_stream z_;
  bool boundary_ = false;
  std::string error_;
};

class ZstdDecoder final : public detail::Decoder {
 public:
  explicit ZstdDecoder(const std::string& path) : path_(path), z_(ZSTD_createDStream()) {
    if (!z_) throw InputError(path_, "zstd: cannot initialise the decoder");
    ZSTD_initDStream(z_);
  }
  ~ZstdDecoder() override { ZSTD_freeDStream(z_); }
  void step(const char* in, size_t in_len, size_t& consumed, char* out, size_t out_len,
            size_t& produced) override {
    ZSTD_inBuffer ib{in, in_len, 0};
    ZSTD_outBuffer ob{out, out_len, 0};
    size_t rc = ZSTD_decompressStream(z_, &ob, &ib);
    consumed = ib.pos;
    produced = ob.pos;
    if (ZSTD_isError(rc)) {
      error_ = ZSTD_getErrorName(rc);
    } else {
      boundary_ = (rc == 0);
    }
  }
  bool at_boundary() const override { return boundary_; }
  const std::string& error() const override { return error_; }

 private:
  std::string path_;
  ZSTD_DStream* z_;
  bool boundary_ = true;
  std::string error_;
};

std::string errno_text() { return std::strerror(errno); }

}  // namespace

ByteStream::ByteStream(std::string path, uint64_t max_size)
    : path_(std::move(path)), max_size_(max_size) {
  if (path_ == "-") {
    fd_ = ::dup(0);
  } else {
    fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  }
  if (fd_ < 0) throw InputError(path_, fmt::format("cannot open: {}", errno_text()));
  struct stat st {};
  if (::fstat(fd_, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd_);
    fd_ = -1;
    throw InputError(path_, "is a directory, not a snapshot file");
  }
  raw_.reserve(kChunk);
  // Sniff the compression from the first raw bytes.
  while (raw_.size() < 4 && fill_raw() > 0) {}
  auto starts = [&](std::initializer_list<unsigned char> magic) {
    if (raw_.size() < magic.size()) return false;
    return std::equal(magic.begin(), magic.end(), reinterpret_cast<unsigned char*>(raw_.data()));
  };
  if (starts({0x1f, 0x8b})) {
    compression_ = Compression::Gzip;
    decoder_ = std::make_unique<GzipDecoder>(path_);
  } else if (starts({0x28, 0xb5, 0x2f, 0xfd})) {
    compression_ = Compression::Zstd;
    decoder_ = std::make_unique<ZstdDecoder>(path_);
  }
  regular_file_ = S_ISREG(st.st_mode);
  if (S_ISREG(st.st_mode) && st.st_size > 0) {
    const uint64_t file_size = uint64_t(st.st_size);
    if (compression_ == Compression::None) {
      size_hint_ = file_size;
    } else if (compression_ == Compression::Gzip && file_size >= 18) {
      unsigned char trailer[4];
      if (::pread(fd_, trailer, 4, off_t(file_size - 4)) == 4) {
        const uint64_t isize = uint64_t(trailer[0]) | uint64_t(trailer[1]) << 8 |
                               uint64_t(trailer[2]) << 16 | uint64_t(trailer[3]) << 24;
        // Deflate never doubles its input, nor compresses by more than 1032:1: outside
        // that range the trailer is wrapped modulo 2^32, of one member among several, or
        // made up.
        if (isize >= file_size / 2 && isize / 1032 <= file_size && isize <= max_size_)
          size_hint_ = isize;
      }
    }
  }
}

ByteStream::~ByteStream() { close(); }

void ByteStream::close() {
  ahead_.reset();  // the thread reads fd_ and the decoder
  decoder_.reset();
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  std::vector<char>().swap(raw_);
  std::vector<char>().swap(decoded_);
  std::string().swap(peeked_);
  raw_pos_ = decoded_pos_ = decoded_size_ = peeked_pos_ = 0;
  raw_eof_ = true;
}

void ByteStream::read_ahead() {
  if (ahead_ || !decoder_ || !regular_file_) return;
  auto ahead = std::make_unique<detail::ReadAhead>();
  for (size_t i = 0; i < kReadAheadChunks; ++i) ahead->spare.emplace_back(kChunk);
  detail::ReadAhead* a = ahead.get();
  try {
    a->thread = std::thread([this, a] {
      for (;;) {
        detail::ReadAhead::Chunk chunk;
        {
          std::unique_lock lock(a->mutex);
          a->changed.wait(lock, [a] { return a->stop || !a->spare.empty(); });
          if (a->stop) return;
          chunk.bytes = std::move(a->spare.back());
          a->spare.pop_back();
        }
        try {
          chunk.size = read_decoded(chunk.bytes.data(), chunk.bytes.size());
          chunk.last = chunk.size == 0;
        } catch (...) {
          chunk.error = std::current_exception();
          chunk.last = true;
        }
        const bool last = chunk.last;
        {
          std::lock_guard lock(a->mutex);
          a->ready.push_back(std::move(chunk));
        }
        a->changed.notify_all();
        if (last) return;
      }
    });
  } catch (const std::system_error&) {
    return;  // no thread to be had: decode on the caller's, as before
  }
  ahead_ = std::move(ahead);
}

std::string_view ByteStream::take_peeked(size_t n) {
  if (peeked_pos_ == peeked_.size()) return {};
  const size_t k = std::min(n, peeked_.size() - peeked_pos_);
  const std::string_view bytes(peeked_.data() + peeked_pos_, k);
  peeked_pos_ += k;
  return bytes;
}

std::string_view ByteStream::take_fresh(size_t n) {
  const char* data = nullptr;
  size_t k = 0;
  if (decoder_) {
    if (decoded_pos_ == decoded_size_ && !next_chunk()) return {};
    data = decoded_.data() + decoded_pos_;
    k = std::min(n, decoded_size_ - decoded_pos_);
    decoded_pos_ += k;
  } else {
    if (raw_pos_ == raw_.size() && fill_raw() == 0) return {};
    data = raw_.data() + raw_pos_;
    k = std::min(n, raw_.size() - raw_pos_);
    raw_pos_ += k;
  }
  produced_ += k;
  return std::string_view(data, k);
}

bool ByteStream::next_chunk() {
  decoded_pos_ = decoded_size_ = 0;
  if (!ahead_) {
    if (decoded_.empty()) decoded_.resize(kChunk);
    decoded_size_ = read_decoded(decoded_.data(), kChunk);
    return decoded_size_ > 0;
  }
  detail::ReadAhead& a = *ahead_;
  if (a.ended) {
    if (a.error) std::rethrow_exception(a.error);
    return false;
  }
  detail::ReadAhead::Chunk chunk;
  {
    std::unique_lock lock(a.mutex);
    if (!decoded_.empty()) a.spare.push_back(std::move(decoded_));  // the thread may refill it
    a.changed.notify_all();
    a.changed.wait(lock, [&a] { return !a.ready.empty(); });
    chunk = std::move(a.ready.front());
    a.ready.pop_front();
  }
  decoded_ = std::move(chunk.bytes);
  decoded_size_ = chunk.size;
  if (chunk.last) {
    a.ended = true;
    a.error = chunk.error;
  }
  if (a.error) std::rethrow_exception(a.error);
  return decoded_size_ > 0;
}

ByteStream::ByteStream(std::string path, Range range)
    : path_(std::move(path)), max_size_(range.end - range.begin) {
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw InputError(path_, fmt::format("cannot open: {}", errno_text()));
  if (range.end < range.begin || ::lseek(fd_, off_t(range.begin), SEEK_SET) < 0) {
    ::close(fd_);
    fd_ = -1;
    throw InputError(path_, fmt::format("cannot read bytes {} to {}", range.begin, range.end));
  }
  raw_.reserve(kChunk);
  raw_left_ = range.end - range.begin;
  raw_offset_ = range.begin;
  size_hint_ = raw_left_;
}

size_t ByteStream::fill_raw() {
  if (raw_eof_) return 0;
  if (raw_pos_ > 0) {
    raw_.erase(raw_.begin(), raw_.begin() + static_cast<ptrdiff_t>(raw_pos_));
    raw_offset_ += raw_pos_;
    raw_pos_ = 0;
  }
  // A whole chunk unless the input ends first: a pipe hands out at most 64 KiB per read, and
  // the chunking must not depend on where the bytes come from (see decoded_).
  const size_t old = raw_.size();
  const size_t want = size_t(std::min<uint64_t>(kChunk, raw_left_));
  raw_.resize(old + want);
  size_t got = 0;
  while (got < want) {
    ssize_t n = 0;
    while ((n = ::read(fd_, raw_.data() + old + got, want - got)) < 0 && errno == EINTR) {}
    if (n < 0) {
      raw_.resize(old + got);
      throw InputError(path_, fmt::format("cannot read: {}", errno_text()));
    }
    if (n == 0) {
      raw_eof_ = true;
      break;
    }
    got += static_cast<size_t>(n);
  }
  raw_.resize(old + got);
  if (raw_left_ != UINT64_MAX) raw_left_ -= uint64_t(got);
  if (want == 0) raw_eof_ = true;
  return got;
}

size_t ByteStream::read_decoded(char* out, size_t n) {
  for (;;) {
    if (raw_pos_ == raw_.size()) {
      if (fill_raw() == 0) {
        if (!decoder_->at_boundary())
          throw InputError::at_byte(path_, raw_offset_ + raw_pos_,
                                    fmt::format("{}: truncated compressed stream",
                                                compression_name(compression_)));
        return 0;
      }
    }
    size_t consumed = 0, produced = 0;
    // A slice of the input at a time: on corrupt data the offset in the message is where the
    // failing step began, so smaller steps name the place more closely.
    decoder_->step(raw_.data() + raw_pos_, std::min(raw_.size() - raw_pos_, kDecodeStep),
                   consumed, out, n, produced);
    const std::string& err = decoder_->error();
    if (!err.empty())
      throw InputError::at_byte(path_, raw_offset_ + raw_pos_ + consumed,
                                fmt::format("{}: corrupt compressed data ({})",
                                            compression_name(compression_), err));
    raw_pos_ += consumed;
    if (produced > 0) return produced;
    if (consumed == 0 && raw_pos_ < raw_.size()) {
      // Neither progress on input nor output: after a member ended, trailing garbage.
      if (decoder_->at_boundary() && compression_ == Compression::Gzip) {
        const unsigned char* p = reinterpret_cast<unsigned char*>(raw_.data() + raw_pos_);
        size_t left = raw_.size() - raw_pos_;
        if (left >= 1 && !(p[0] == 0x1f && (left < 2 || p[1] == 0x8b)))
          throw InputError::at_byte(path_, raw_offset_ + raw_pos_,
                                    "gzip: trailing bytes after the compressed data");
      }
      if (fill_raw() == 0 && raw_pos_ < raw_.size() && consumed == 0)
        throw InputError::at_byte(path_, raw_offset_ + raw_pos_,
                                  fmt::format("{}: truncated compressed stream",
                                              compression_name(compression_)));
    }
  }
}

size_t ByteStream::read(char* out, size_t n) {
  const std::string_view bytes = read_view(n);
  if (!bytes.empty()) std::memcpy(out, bytes.data(), bytes.size());  // (an empty view may be null)
  return bytes.size();
}

std::string_view ByteStream::read_view(size_t n) {
  if (n == 0) return {};
  if (const std::string_view peeked = take_peeked(n); !peeked.empty()) return peeked;
  const std::string_view bytes = take_fresh(n);
  if (produced_ > max_size_) throw_too_large();
  return bytes;
}

void ByteStream::throw_too_large() const {
  throw InputError(path_, fmt::format("decompressed input exceeds {} bytes (raise the limit "
                                      "with --max-input-size)",
                                      max_size_));
}

std::string_view ByteStream::peek(size_t n) {
  peeked_.erase(0, peeked_pos_);  // what reads took (a view of it may be given up: a next call)
  peeked_pos_ = 0;
  while (peeked_.size() < n) {
    const std::string_view bytes = take_fresh(n - peeked_.size());
    if (bytes.empty()) break;
    peeked_.append(bytes);
  }
  return std::string_view(peeked_).substr(0, std::min(n, peeked_.size()));
}

std::string ByteStream::read_all() {
  std::string all;
  std::vector<char> buf(kChunk);
  for (;;) {
    size_t k = read(buf.data(), buf.size());
    if (k == 0) break;
    all.append(buf.data(), k);
  }
  return all;
}

LineReader::LineReader(ByteStream& in) : in_(in) {}

bool LineReader::next_view() {
  const std::string_view view = in_.read_view();
  view_offset_ += uint64_t(end_ - begin_);
  begin_ = pos_ = view.data();
  end_ = view.data() + view.size();
  return !view.empty();
}

void LineReader::carry(const char* end) {
  if (carried_.size() + size_t(end - pos_) >= kMaxLineLength)
    throw core::InputError::at_line(in_.path(), line_no_ + 1,
                                    fmt::format("line longer than {} bytes", kMaxLineLength));
  carried_.append(pos_, end);
}

bool LineReader::next(std::string_view& line) {
  carried_.clear();
  line_offset_ = view_offset_ + uint64_t(pos_ - begin_);
  for (;;) {
    const char* nl =
        pos_ == end_ ? nullptr : static_cast<const char*>(std::memchr(pos_, '\n', size_t(end_ - pos_)));
    if (nl) {
      if (carried_.empty()) {
        line = std::string_view(pos_, size_t(nl - pos_));
      } else {
        carry(nl);
        line = carried_;
      }
      pos_ = nl + 1;
      ++line_no_;
      terminated_ = true;
      return true;
    }
    carry(end_);
    pos_ = end_;
    if (!next_view()) {
      if (carried_.empty()) return false;
      line = carried_;
      ++line_no_;
      terminated_ = false;
      return true;
    }
  }
}

}  // namespace memleak::formats
