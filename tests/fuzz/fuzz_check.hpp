#pragma once
/**
 * What every fuzz target shares: the input as text, and check(), a property that must
 * hold for every input. A failed check aborts, which libFuzzer reports as a crash and
 * saves the input, like a sanitizer report.
 */
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <simdjson.h>
#include <string>
#include <string_view>

namespace sp::fuzz {

inline std::string_view text(const std::uint8_t* data, std::size_t size)
{
    return {reinterpret_cast<const char*>(data), size};
}

inline void check(bool ok, const char* property, std::string_view detail = {})
{
    if (ok) return;
    std::fprintf(stderr, "fuzz property violated: %s\n  detail: %.*s\n", property, static_cast<int>(detail.size()),
                 detail.data());
    std::abort();
}

/** True if `json` is one well-formed JSON document (everything we write must be). */
inline bool parses_as_json(std::string_view json)
{
    static simdjson::dom::parser parser;
    simdjson::padded_string padded(json);
    return !parser.parse(padded).error();
}

} // namespace sp::fuzz
