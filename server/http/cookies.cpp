#include "http/cookies.hpp"

namespace sp::http {

std::optional<std::string> cookie_value(std::string_view header, std::string_view name)
{
    while (!header.empty()) {
        auto semi = header.find(';');
        std::string_view pair = header.substr(0, semi);
        while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
        auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
            std::string_view v = pair.substr(eq + 1);
            while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
            if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
            return std::string(v);
        }
        if (semi == std::string_view::npos) break;
        header.remove_prefix(semi + 1);
    }
    return std::nullopt;
}

std::string set_cookie(std::string_view name, std::string_view value, const cookie_options& o)
{
    std::string out(name);
    out += '=';
    out += value;
    out += "; Path=/; SameSite=Strict";
    if (o.http_only) out += "; HttpOnly";
    if (o.secure) out += "; Secure";
    if (o.max_age >= 0) out += "; Max-Age=" + std::to_string(o.max_age);
    return out;
}

} // namespace sp::http
