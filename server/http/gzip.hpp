#pragma once
/**
 * gzip for static files: compressing a body once (the static cache keeps the result)
 * and reading whether a client accepts it from Accept-Encoding (RFC 9110 12.5.3:
 * "gzip" or "x-gzip" or "*", unless its q-value is 0). Pure functions, thread-safe.
 */
#include <optional>
#include <string>
#include <string_view>

namespace sp::http {

/** The gzip stream (RFC 1952) of `data` at the best compression; nullopt if zlib fails. */
std::optional<std::string> gzip_compress(std::string_view data);

/** The data inside a gzip stream; nullopt if it is not one (used by the tests). */
std::optional<std::string> gzip_decompress(std::string_view gz);

/** True when an Accept-Encoding header value allows gzip. */
bool accepts_gzip(std::string_view accept_encoding);

/** Whether a file of this content type is worth compressing (text, JS, JSON, SVG). */
bool compressible(std::string_view content_type);

} // namespace sp::http
