#include "cli/http_client.h"

#include <curl/curl.h>
#include <dlfcn.h>

#include <memory>
#include <mutex>

#include <fmt/format.h>

namespace memleak::cli {

namespace {

// libcurl is loaded when `record` first needs it, not linked: the 27 libraries it brings
// (TLS, Kerberos, LDAP, ...) cost every process start about 6 ms of loading and
// initialisation (measured: a program linked with -lcurl starts in 9.9 ms, without it in
// 3.9 ms), which every other command paid for nothing; on a small input that was a tenth of
// the whole run. The types and constants still come from curl's headers.
struct Curl {
  CURLcode (*global_init)(long);
  CURL* (*easy_init)();
  void (*easy_cleanup)(CURL*);
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...);
  CURLcode (*easy_perform)(CURL*);
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...);
  const char* (*easy_strerror)(CURLcode);
  curl_slist* (*slist_append)(curl_slist*, const char*);
  void (*slist_free_all)(curl_slist*);
};

template <typename F>
void load_symbol(void* lib, F& f, const char* name) {
  f = reinterpret_cast<F>(dlsym(lib, name));
  if (!f) throw HttpError(fmt::format("{} lacks {} (libcurl too old?)", MEMLEAK_CURL_SONAME, name));
}

// Loads and initialises libcurl once (thread-safe); throws HttpError when it cannot.
const Curl& curl_api() {
  static std::once_flag once;
  static Curl api;
  std::call_once(once, [] {
    void* lib = dlopen(MEMLEAK_CURL_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!lib)
      throw HttpError(fmt::format("memleak record needs libcurl ({}), which cannot be loaded: "
                                  "{} (Debian: apt-get install libcurl4)",
                                  MEMLEAK_CURL_SONAME, dlerror()));
    Curl a{};
    load_symbol(lib, a.global_init, "curl_global_init");
    load_symbol(lib, a.easy_init, "curl_easy_init");
    load_symbol(lib, a.easy_cleanup, "curl_easy_cleanup");
    load_symbol(lib, a.easy_setopt, "curl_easy_setopt");
    load_symbol(lib, a.easy_perform, "curl_easy_perform");
    load_symbol(lib, a.easy_getinfo, "curl_easy_getinfo");
    load_symbol(lib, a.easy_strerror, "curl_easy_strerror");
    load_symbol(lib, a.slist_append, "curl_slist_append");
    load_symbol(lib, a.slist_free_all, "curl_slist_free_all");
    if (a.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      throw HttpError("cannot initialise libcurl");
    api = a;  // (the library stays loaded until the process exits)
  });
  return api;
}

struct Sink {
  std::string* body;
  uint64_t max;
  bool too_large = false;
};

size_t on_data(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const size_t n = size * count;
  if (sink->body->size() + n > sink->max) {
    sink->too_large = true;
    return 0;  // makes curl fail with CURLE_WRITE_ERROR
  }
  sink->body->append(data, n);
  return n;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_api().easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_api().slist_free_all(l); }
};

std::string first_line(const std::string& body) {
  std::string line = body.substr(0, body.find('\n'));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  // A binary or huge answer must not flood the terminal.
  for (char& c : line)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) == 0x7f) c = '?';
  if (line.size() > 200) line = line.substr(0, 200) + "...";
  return line;
}

// Why a transfer failed, in words a user can act on. curl's own error buffer can quote the
// URL but never a header, so it is safe to show.
std::string transport_error(CURLcode code, const char* detail, const HttpRequest& r,
                            const Sink& sink) {
  if (sink.too_large) return fmt::format("the answer is larger than {} bytes", r.max_body);
  switch (code) {
    case CURLE_COULDNT_CONNECT:
      return fmt::format("connection refused or unreachable ({}); is the service running and "
                         "serving net/http/pprof on that address?",
                         detail);
    case CURLE_OPERATION_TIMEDOUT:
      return fmt::format("no complete answer within {:g}s (--timeout)", r.timeout_seconds);
    case CURLE_COULDNT_RESOLVE_HOST: return fmt::format("cannot resolve the host ({})", detail);
    case CURLE_TOO_MANY_REDIRECTS:
      return fmt::format("more than {} redirects", kMaxRedirects);
    case CURLE_UNSUPPORTED_PROTOCOL:
      return fmt::format("unsupported protocol, only http and https ({})", detail);
    default: return *detail ? std::string(detail) : std::string(curl_api().easy_strerror(code));
  }
}

}  // namespace

std::string redact_url(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const auto host_end = url.find_first_of("/?#", scheme + 3);
  const auto at = url.rfind('@', host_end == std::string::npos ? url.size() : host_end);
  if (at == std::string::npos || at < scheme + 3) return url;
  return url.substr(0, scheme + 3) + url.substr(at + 1);
}

HttpResponse http_get(const HttpRequest& r) {
  const Curl& api = curl_api();
  std::unique_ptr<CURL, CurlDeleter> curl(api.easy_init());
  if (!curl) throw HttpError("cannot initialise libcurl");
  CURL* c = curl.get();
  HttpResponse out;
  Sink sink{&out.body, r.max_body};
  char error[CURL_ERROR_SIZE] = {};

  std::unique_ptr<curl_slist, SlistDeleter> headers;
  auto add_header = [&](const std::string& h) {
    curl_slist* l = api.slist_append(headers.get(), h.c_str());
    if (!l) throw HttpError("out of memory building the request headers");
    headers.release();
    headers.reset(l);
  };
  for (const auto& h : r.headers) add_header(h);
  if (!r.bearer_token.empty()) add_header("Authorization: Bearer " + r.bearer_token);

  api.easy_setopt(c, CURLOPT_URL, r.url.c_str());
  api.easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  // No signals from curl (we handle SIGINT ourselves; record runs curl from one thread).
  api.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  api.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  api.easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  api.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  api.easy_setopt(c, CURLOPT_MAXREDIRS, kMaxRedirects);
  // Credentials stay with the host they were meant for (curl's default, made explicit).
  api.easy_setopt(c, CURLOPT_UNRESTRICTED_AUTH, 0L);
  const long timeout_ms = long(r.timeout_seconds * 1000.0 + 0.5);
  api.easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
  api.easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  api.easy_setopt(c, CURLOPT_USERAGENT, "memleak-record");
  if (headers) api.easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  api.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  api.easy_setopt(c, CURLOPT_WRITEDATA, &sink);

  const std::string shown = redact_url(r.url);
  const CURLcode rc = api.easy_perform(c);
  if (rc != CURLE_OK)
    throw HttpError(fmt::format("GET {}: {}", shown, transport_error(rc, error, r, sink)));

  api.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.status);
  if (const char* ct = nullptr; api.easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct)
    out.content_type = ct;
  if (const char* u = nullptr; api.easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &u) == CURLE_OK && u)
    out.final_url = u;
  if (out.status != 200) {
    const std::string line = first_line(out.body);
    throw HttpError(fmt::format("GET {}: HTTP {}{}", shown, out.status,
                                line.empty() ? "" : ": " + line));
  }
  return out;
}

}  // namespace memleak::cli
