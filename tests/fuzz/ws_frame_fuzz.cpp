// WebSocket client frames (server/websocket/frame_parser), as a socket would read them.
// Input: two bytes of message limit (0-4095, so "too big" is reached), one byte of read
// size, then the bytes of the stream. Properties: no crash; text messages and close
// reasons are valid UTF-8 (by a decoder written here, not the parser's); no message
// exceeds the limit; while waiting for more the parser holds at most the limit plus
// one partial frame (a data frame's 14-byte header, or a control frame's 6 + 125
// bytes); a fail names 1002, 1007 or 1009; after close or fail nothing more comes and
// nothing is held; and the events do not depend on how reads split the stream.
#include "fuzz_check.hpp"
#include "websocket/frame_parser.hpp"

#include <string>
#include <vector>

using sp::fuzz::check;
using sp::websocket::event;
using sp::websocket::frame_parser;

namespace {

/** UTF-8 by RFC 3629's arithmetic (shortest form, no surrogates, at most U+10FFFF). */
bool utf8_by_arithmetic(std::string_view s)
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

struct seen {
    event::kind what;
    std::string payload;
    std::uint16_t code;
    std::string reason;
    bool operator==(const seen&) const = default;
};

std::vector<seen> run(std::string_view stream, std::size_t max, std::size_t chunk)
{
    frame_parser p(max);
    std::vector<seen> out;
    bool finished = false;
    for (std::size_t i = 0; i < stream.size(); i += chunk) {
        p.feed(stream.substr(i, chunk));
        for (auto e = p.next(); e.what != event::kind::need_more; e = p.next()) {
            check(!finished, "nothing comes after a close or fail");
            switch (e.what) {
            case event::kind::text:
                check(utf8_by_arithmetic(e.payload), "a text message is valid UTF-8", e.payload);
                [[fallthrough]];
            case event::kind::binary:
                check(e.payload.size() <= max, "a message is within the limit");
                break;
            case event::kind::ping:
            case event::kind::pong:
                check(e.payload.size() <= 125, "a control payload is at most 125 bytes");
                break;
            case event::kind::close:
                check(utf8_by_arithmetic(e.reason), "a close reason is valid UTF-8", e.reason);
                check(e.code == 1005 || sp::websocket::close_code_allowed_on_wire(e.code), "a close code is allowed");
                finished = true;
                break;
            case event::kind::fail:
                check(e.code == 1002 || e.code == 1007 || e.code == 1009, "a fail names 1002, 1007 or 1009");
                check(!e.reason.empty(), "a fail has a reason");
                finished = true;
                break;
            case event::kind::need_more:
                break;
            }
            out.push_back({e.what, std::string(e.payload), e.code, std::string(e.reason)});
        }
        check(p.buffered() <= max + 6 + 125, "the parser holds at most a message and one partial frame");
        if (finished) check(p.buffered() == 0, "nothing is held after a close or fail");
    }
    if (finished) {
        p.feed(stream);
        check(p.next().what == event::kind::need_more, "after a close or fail, next() is need_more for ever");
        check(p.buffered() == 0, "after a close or fail, feed() is ignored");
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 3) return 0;
    const std::size_t max = (data[0] | (data[1] << 8)) % 4096;
    const std::size_t chunk = 1 + data[2];
    const std::string_view stream = sp::fuzz::text(data + 3, size - 3);
    const auto events = run(stream, max, chunk);
    check(run(stream, max, stream.size() + 1) == events, "the events do not depend on how reads split the stream");
    return 0;
}
