#pragma once
/**
 * Turns a request target into a path relative to the static folder, or refuses it.
 * Pure string work, no file system: the tests throw every traversal trick at it.
 * Refused: `..` and `.` segments (also percent-encoded, also with backslashes),
 * NUL and other control bytes, invalid percent-encoding, dot-files (.git, .env).
 * A target ending in `/` means its index.html.
 */
#include <string>
#include <string_view>
#include <variant>

namespace sp::http {

struct path_refused {
    int status;         // 400 (malformed) or 404 (not something we serve)
    std::string reason;
};

std::variant<std::string, path_refused> resolve_static_path(std::string_view target);

} // namespace sp::http
