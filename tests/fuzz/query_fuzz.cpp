// sp::http::parse_query, for every API filter (?camp=&from=&to=…). Property: the
// decoded pairs, percent-encoded again, parse back to the same pairs.
#include "fuzz_check.hpp"
#include "http/query.hpp"

using sp::fuzz::check;

namespace {

std::string encode(std::string_view s)
{
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view target = sp::fuzz::text(data, size);
    auto params = sp::http::parse_query(target);
    if (!params) return 0;
    if (target.find('?') == std::string_view::npos) check(params->empty(), "no '?' means no parameters", target);

    std::string again = "/api/v1/sessions?";
    for (const auto& [name, value] : *params)
        again += encode(name) + "=" + encode(value) + "&";
    auto reparsed = sp::http::parse_query(again);
    check(reparsed.has_value(), "an encoded query parses", again);
    // An empty name with an empty value ("?=&") is a pair the encoding cannot tell from
    // nothing; everything else must come back.
    auto expected = *params;
    if (auto it = expected.find(""); it != expected.end() && it->second.empty()) expected.erase(it);
    auto got = *reparsed;
    if (auto it = got.find(""); it != got.end() && it->second.empty()) got.erase(it);
    check(got == expected, "decode(encode(params)) == params", again);
    return 0;
}
