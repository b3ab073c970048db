#pragma once
/**
 * Paths that name a page rather than a file: `/b/<token>` is the manage page,
 * `/lobby/<camp>` the lobby display, `/rooms/<id>` a room's check-in page and
 * `/rooms/<id>/qr` its printable QR code (a sub-page the alias names). The page reads the rest of the path itself, so
 * every such path serves the same HTML file from the static folder.
 */
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sp::http {

struct page_alias {
    std::string path; // "/expert" (exact) or "/b/" (a prefix: ends with '/')
    std::string file; // relative to the static folder, e.g. "manage.html"
    std::vector<std::string> sub{}; // for a prefix: what may follow the segment, e.g. {"qr"} for "/rooms/<id>/qr"
};

/** The file `target`'s path stands for (the query ignored), or nullopt. A prefix
 *  alias needs one more segment after it ("/b/" itself is not the manage page), and
 *  takes one of its `sub` names after that segment. */
std::optional<std::string> aliased_page(const std::vector<page_alias>& aliases, std::string_view target);

} // namespace sp::http
