#include "http/mime_types.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace sp::http {

std::string_view mime_type_for(std::string_view file_name)
{
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 19> k_types{{
        {"html", "text/html; charset=utf-8"},
        {"htm", "text/html; charset=utf-8"},
        {"css", "text/css; charset=utf-8"},
        {"js", "text/javascript; charset=utf-8"},
        {"mjs", "text/javascript; charset=utf-8"},
        {"json", "application/json"},
        {"webmanifest", "application/manifest+json"},
        {"txt", "text/plain; charset=utf-8"},
        {"svg", "image/svg+xml"},
        {"png", "image/png"},
        {"jpg", "image/jpeg"},
        {"jpeg", "image/jpeg"},
        {"gif", "image/gif"},
        {"webp", "image/webp"},
        {"ico", "image/x-icon"},
        {"woff2", "font/woff2"},
        {"woff", "font/woff"},
        {"ics", "text/calendar; charset=utf-8"},
        {"map", "application/json"},
    }};
    auto slash = file_name.rfind('/');
    std::string_view base = slash == std::string_view::npos ? file_name : file_name.substr(slash + 1);
    auto dot = base.rfind('.');
    if (dot == std::string_view::npos || dot == 0) return "application/octet-stream";
    std::string_view ext = base.substr(dot + 1);
    for (const auto& [e, type] : k_types) {
        if (e.size() == ext.size() &&
            std::equal(e.begin(), e.end(), ext.begin(), [](char a, char b) {
                return a == std::tolower(static_cast<unsigned char>(b));
            }))
            return type;
    }
    return "application/octet-stream";
}

} // namespace sp::http
