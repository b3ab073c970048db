// The incremental UTF-8 validator: a state machine over bytes (see utf8_validator.hpp).
#include "websocket/utf8_validator.hpp"

#include <cstring>

namespace sp::websocket {

namespace {

using state = utf8_validator::state;

/** The state after `b`, from state `s` (not reject). */
state step(state s, unsigned char b)
{
    switch (s) {
    case state::accept:
        if (b < 0x80) return state::accept;
        if (b < 0xC2) return state::reject; // a continuation byte first, or C0/C1 (overlong 2-byte forms)
        if (b < 0xE0) return state::tail1;
        if (b == 0xE0) return state::after_e0;
        if (b == 0xED) return state::after_ed;
        if (b < 0xF0) return state::tail2;
        if (b == 0xF0) return state::after_f0;
        if (b < 0xF4) return state::tail3;
        if (b == 0xF4) return state::after_f4;
        return state::reject; // F5-FF: above U+10FFFF
    case state::tail1:
        return (b & 0xC0) == 0x80 ? state::accept : state::reject;
    case state::tail2:
        return (b & 0xC0) == 0x80 ? state::tail1 : state::reject;
    case state::tail3:
        return (b & 0xC0) == 0x80 ? state::tail2 : state::reject;
    case state::after_e0:
        return b >= 0xA0 && b <= 0xBF ? state::tail1 : state::reject;
    case state::after_ed:
        return b >= 0x80 && b <= 0x9F ? state::tail1 : state::reject;
    case state::after_f0:
        return b >= 0x90 && b <= 0xBF ? state::tail2 : state::reject;
    case state::after_f4:
        return b >= 0x80 && b <= 0x8F ? state::tail2 : state::reject;
    case state::reject:
        break;
    }
    return state::reject;
}

} // namespace

bool utf8_validator::feed(std::string_view bytes)
{
    const char* p = bytes.data();
    const char* end = p + bytes.size();
    state s = state_;
    while (p != end && s != state::reject) {
        if (s == state::accept) {
            // The common case, ASCII: eight bytes at a time while none has the top bit.
            while (end - p >= 8) {
                std::uint64_t word;
                std::memcpy(&word, p, 8);
                if (word & 0x8080808080808080ULL) break;
                p += 8;
            }
            if (p == end) break;
        }
        s = step(s, static_cast<unsigned char>(*p++));
    }
    state_ = s;
    return s != state::reject;
}

bool valid_utf8(std::string_view text)
{
    utf8_validator v;
    return v.feed(text) && v.complete();
}

} // namespace sp::websocket
