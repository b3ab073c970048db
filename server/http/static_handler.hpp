#pragma once
/**
 * Serves the static folder: GET and HEAD, Content-Type by extension, strong ETag with
 * 304 on If-None-Match, and `Cache-Control: no-cache` (files have no content hash in
 * their names, so browsers revalidate each time and a deploy is never half-cached).
 */
#include "http/router.hpp"
#include "http/static_files.hpp"

namespace sp::http {

handler make_static_handler(static_files& files);

/** True if an If-None-Match header value matches `etag` (a list, W/ prefixes, or *). */
bool etag_matches(std::string_view if_none_match, std::string_view etag);

} // namespace sp::http
