// HTTP GET over libcurl, for `memleak record`: one request, the whole answer in memory.
// libcurl (libcurl.so.4) is loaded on the first request, not at program start.
//
// Contract:
//  - http, https only (also after redirects); at most kMaxRedirects redirects are followed.
//  - `timeout_seconds` bounds the whole request (connect + transfer); the answer is capped at
//    `max_body` bytes.
//  - `headers` are sent as given ("Name: value"); a non-empty `bearer_token` adds
//    "Authorization: Bearer TOKEN". curl drops both on a redirect to another host.
//  - Any transport failure (refused, DNS, TLS, timeout, too large) and any status other than
//    200 throws HttpError. Its message names the URL (with any user:password removed) and says
//    what went wrong; a non-200 status is followed by the first line of the body. Header
//    values and the token never appear in a message.
//  - libcurl missing or unloadable: HttpError naming the library and the loader's reason.
//  - Thread safety: loading libcurl and its global initialisation happen once, on first use.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace memleak::cli {

inline constexpr long kMaxRedirects = 5;

class HttpError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct HttpRequest {
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string bearer_token;          // never logged
  double timeout_seconds = 30;
  uint64_t max_body = 1ULL << 30;
};

struct HttpResponse {
  long status = 0;
  std::string body;
  std::string content_type;
  std::string final_url;  // after redirects
};

// Throws HttpError.
HttpResponse http_get(const HttpRequest& request);

// The URL for messages: "scheme://user:password@host/..." loses "user:password@".
std::string redact_url(const std::string& url);

}  // namespace memleak::cli
