// sp::http::cookie_value, reading the session cookie from a Cookie header. The input
// is "name\nheader". Properties: a value never runs past its ';', and a cookie we set
// (a plain token) is read back exactly from behind whatever the header held before.
#include "fuzz_check.hpp"
#include "http/cookies.hpp"

using sp::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view text = sp::fuzz::text(data, size);
    auto nl = text.find('\n');
    std::string_view name = nl == std::string_view::npos ? std::string_view{"sp_session"} : text.substr(0, nl);
    std::string_view header = nl == std::string_view::npos ? text : text.substr(nl + 1);

    auto value = sp::http::cookie_value(header, name);
    if (value) check(value->find(';') == std::string::npos, "a cookie value ends at ';'", *value);

    // A name that is a token as RFC 6265 defines it, in front of the fuzzed header:
    // cookie_value takes the first pair with that name, so ours must come back.
    if (name.empty()) return 0;
    for (unsigned char c : name)
        if (c <= ' ' || c >= 0x7f || c == '=' || c == ';' || c == '"' || c == ',') return 0;
    const std::string token = "Q2hlY2stdGhlLXNlc3Npb24tdG9rZW4tcm91bmQtdHJp";
    std::string ours = std::string(name) + "=" + token + "; " + std::string(header);
    auto back = sp::http::cookie_value(ours, name);
    check(back && *back == token, "the first cookie of a name is read back", ours);
    return 0;
}
