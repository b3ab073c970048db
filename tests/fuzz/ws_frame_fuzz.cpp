// WebSocket client frames (server/websocket/frame_parser), as a socket would read them.
// Input: two bytes of message limit (0-4095, so "too big" is reached), one byte of read
// size, then the bytes of the stream. Properties: no crash; text messages and close
// reasons are valid UTF-8 (by tests/support/utf8_reference, not the parser's); no message
// exceeds the limit; while waiting for more the parser holds at most the limit plus
// one partial frame (a data frame's 14-byte header, or a control frame's 6 + 125
// bytes); a fail names 1002, 1007 or 1009; after close or fail nothing more comes and
// nothing is held; and the events do not depend on how reads split the stream.
#include "fuzz_check.hpp"
#include "support/utf8_reference.hpp"
#include "websocket/frame_parser.hpp"

#include <string>
#include <vector>

using sp::fuzz::check;
using sp::test::utf8_by_arithmetic;
using sp::websocket::event;
using sp::websocket::frame_parser;

namespace {

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
