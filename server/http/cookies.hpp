#pragma once
/** Reading the Cookie header and writing Set-Cookie values. Values we set are our own
 *  base64url tokens; anything else in a Cookie header is only read, never echoed. */
#include <optional>
#include <string>
#include <string_view>

namespace sp::http {

/** The value of cookie `name` in a Cookie header, or nullopt. */
std::optional<std::string> cookie_value(std::string_view header, std::string_view name);

struct cookie_options {
    bool http_only = true;
    bool secure = false;
    std::int64_t max_age = -1; // -1: a session cookie; 0: delete
};

/** A Set-Cookie value: Path=/, SameSite=Strict, plus the options. */
std::string set_cookie(std::string_view name, std::string_view value, const cookie_options& o);

} // namespace sp::http
