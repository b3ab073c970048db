#pragma once
/**
 * Serves the static folder: GET and HEAD, Content-Type by extension, strong ETag with
 * 304 on If-None-Match, and `Cache-Control: no-cache` (files have no content hash in
 * their names, so browsers revalidate each time and a deploy is never half-cached).
 */
#include "http/page_aliases.hpp"
#include "http/router.hpp"
#include "http/static_files.hpp"

namespace sp::http {

/** `aliases`: page paths served from one file each (see page_aliases.hpp). */
handler make_static_handler(static_files& files, std::vector<page_alias> aliases = {});

/** True if an If-None-Match header value matches `etag` (a list, W/ prefixes, or *). */
bool etag_matches(std::string_view if_none_match, std::string_view etag);

} // namespace sp::http
