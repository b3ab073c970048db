#pragma once
// A reference UTF-8 decoder for tests of server/websocket/utf8_validator: written from
// RFC 3629 §3's arithmetic (length from the lead byte, the shortest form, no surrogates,
// at most U+10FFFF), not from the validator's tables, so the two can disagree. Header-only:
// the unit tests and the clang fuzz build (tests/fuzz, a separate project) both include it.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sp::test {

inline bool utf8_by_arithmetic(std::string_view s)
{
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b = static_cast<unsigned char>(s[i]);
        std::size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
        if (n == 0 || i + n > s.size()) return false;
        std::uint32_t cp = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
        for (std::size_t k = 1; k < n; ++k) {
            const auto c = static_cast<unsigned char>(s[i + k]);
            if ((c >> 6) != 0x2) return false;
            cp = (cp << 6) | (c & 0x3F);
        }
        const std::uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min[n] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return false;
        i += n;
    }
    return true;
}

} // namespace sp::test
