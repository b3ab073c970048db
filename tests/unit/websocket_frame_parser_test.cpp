// The parser of client frames (server/websocket/frame_parser): what a browser sends is
// delivered as whole messages, and each protocol violation closes with the right code.
#include "websocket/frame_parser.hpp"
#include "websocket_test_frames.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using sp::websocket::event;
using sp::websocket::frame_parser;
using sp::websocket::opcode;
using namespace sp::websocket::test;
using kind = event::kind;

namespace {

/** An event with its views copied out, so it outlives the next call. */
struct seen {
    kind what;
    std::string payload;
    std::uint16_t code;
    std::string reason;
    bool operator==(const seen&) const = default;
};

std::vector<seen> drain(frame_parser& p)
{
    std::vector<seen> out;
    for (auto e = p.next(); e.what != kind::need_more; e = p.next())
        out.push_back({e.what, std::string(e.payload), e.code, std::string(e.reason)});
    return out;
}

/** Feeds `wire` in pieces of `chunk` bytes, draining after each. */
std::vector<seen> parse(std::string_view wire, std::size_t chunk = 0, std::size_t max = 1 << 20)
{
    frame_parser p(max);
    if (chunk == 0) chunk = wire.size() + 1;
    std::vector<seen> out;
    for (std::size_t i = 0; i < wire.size(); i += chunk) {
        p.feed(wire.substr(i, chunk));
        for (auto& e : drain(p)) out.push_back(std::move(e));
    }
    return out;
}

/** The single fail event `wire` gives (fed whole), or a seen with kind need_more. */
seen failure(std::string_view wire, std::size_t max = 1 << 20)
{
    auto events = parse(wire, 0, max);
    if (events.empty() || events.back().what != kind::fail) return {kind::need_more, {}, 0, {}};
    return events.back();
}

std::string frame(std::uint8_t first_byte, std::string_view payload)
{
    frame_spec f;
    f.first_byte = first_byte;
    f.payload = payload;
    return client_frame(f);
}

} // namespace

TEST_CASE("RFC 6455's masked \"Hello\" is one text message", "[websocket]")
{
    const std::string wire = "\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58";
    auto events = parse(wire);
    REQUIRE(events.size() == 1);
    CHECK(events[0] == seen{kind::text, "Hello", 0, ""});
    CHECK(client_frame(opcode::text, "Hello") == wire); // the test helper masks like the RFC
}

TEST_CASE("binary messages, pings and pongs are delivered with their payload", "[websocket]")
{
    const std::string bytes("\x00\xff\x80 binary", 10);
    auto events = parse(client_frame(opcode::binary, bytes) + client_frame(opcode::ping, "are you there") +
                        client_frame(opcode::pong, "") + client_frame(opcode::text, ""));
    REQUIRE(events.size() == 4);
    CHECK(events[0] == seen{kind::binary, bytes, 0, ""});
    CHECK(events[1] == seen{kind::ping, "are you there", 0, ""});
    CHECK(events[2] == seen{kind::pong, "", 0, ""});
    CHECK(events[3] == seen{kind::text, "", 0, ""});
}

TEST_CASE("a stream fed byte by byte or in odd chunks gives the same events as fed at once", "[websocket]")
{
    const std::string long_binary(300, 'b');
    const std::string wire =
        client_frame(opcode::text, "Grüß ", false) + client_frame(opcode::ping, "p1") +
        client_frame(opcode::continuation, "Gott €", false) + client_frame(opcode::continuation, "", false) +
        client_frame(opcode::continuation, " 😀", true) + client_frame(opcode::binary, long_binary) +
        client_frame(opcode::text, "single") + client_frame(opcode::close, close_payload(1000, "bye"));
    const auto at_once = parse(wire);
    REQUIRE(at_once.size() == 5);
    CHECK(at_once[0] == seen{kind::ping, "p1", 0, ""});
    CHECK(at_once[1] == seen{kind::text, "Grüß Gott € 😀", 0, ""});
    CHECK(at_once[2] == seen{kind::binary, long_binary, 0, ""});
    CHECK(at_once[3] == seen{kind::text, "single", 0, ""});
    CHECK(at_once[4] == seen{kind::close, "", 1000, "bye"});
    for (std::size_t chunk : {1, 2, 3, 7, 64}) {
        INFO("chunk " << chunk);
        CHECK(parse(wire, chunk) == at_once);
    }
}

TEST_CASE("a ping between the fragments of a text message comes out at once, before the message", "[websocket]")
{
    frame_parser p(1024);
    p.feed(client_frame(opcode::text, "Hel", false));
    CHECK(p.next().what == kind::need_more);
    p.feed(client_frame(opcode::ping, "ping!"));
    auto ping = p.next();
    CHECK(ping.what == kind::ping);
    CHECK(ping.payload == "ping!");
    CHECK(p.next().what == kind::need_more);
    p.feed(client_frame(opcode::continuation, "lo", true));
    auto text = p.next();
    CHECK(text.what == kind::text);
    CHECK(text.payload == "Hello");
    CHECK(p.next().what == kind::need_more);
    CHECK(p.buffered() == 0);
}

TEST_CASE("16-bit and 64-bit payload lengths, minimal or not, are read", "[websocket]")
{
    const std::string b300(300, 'x'), b70k(70000, 'y');
    CHECK(parse(client_frame(opcode::binary, b300)) == std::vector<seen>{{kind::binary, b300, 0, ""}});
    CHECK(parse(client_frame(opcode::binary, b70k), 4096) == std::vector<seen>{{kind::binary, b70k, 0, ""}});
    CHECK(client_frame(opcode::binary, b70k)[1] == '\xff'); // 127 | mask: the 64-bit form was used

    frame_spec f;
    f.payload = "short";
    f.form = length_form::bits16;
    CHECK(parse(client_frame(f)) == std::vector<seen>{{kind::text, "short", 0, ""}});
    f.form = length_form::bits64;
    CHECK(parse(client_frame(f)) == std::vector<seen>{{kind::text, "short", 0, ""}});
}

TEST_CASE("a message of exactly the limit is accepted and one byte more fails with 1009 from its header", "[websocket]")
{
    const std::string at_limit(1000, 'a');
    CHECK(parse(client_frame(opcode::text, at_limit), 100, 1000) == std::vector<seen>{{kind::text, at_limit, 0, ""}});

    // Only the header of the 1001-byte frame arrives: the refusal must not wait for the payload.
    frame_spec f;
    f.first_byte = 0x82;
    f.claimed_length = 1001;
    auto header_only = client_frame(f);
    REQUIRE(header_only.size() == 8);
    frame_parser p(1000);
    p.feed(header_only.substr(0, 4)); // the length field is complete, the masking key not yet
    auto e = p.next();
    CHECK(e.what == kind::fail);
    CHECK(e.code == 1009);

    // The fragments count together.
    const std::string part1(600, 'a'), part2(401, 'b');
    auto fragmented = client_frame(opcode::binary, part1, false) + client_frame(opcode::continuation, part2);
    CHECK(failure(fragmented, 1000).code == 1009);
    const std::string part2_fits(400, 'b');
    CHECK(parse(client_frame(opcode::binary, part1, false) + client_frame(opcode::continuation, part2_fits), 0, 1000) ==
          std::vector<seen>{{kind::binary, part1 + part2_fits, 0, ""}});
}

TEST_CASE("each protocol violation fails with 1002", "[websocket]")
{
    frame_spec unmasked;
    unmasked.payload = "hi";
    unmasked.masked = false;
    CHECK(failure(client_frame(unmasked)).code == 1002);

    for (std::uint8_t rsv : {0x40, 0x20, 0x10}) {
        INFO("reserved bit " << int(rsv));
        CHECK(failure(frame(0x81 | rsv, "hi")).code == 1002);
    }
    for (std::uint8_t op : {3, 4, 5, 6, 7, 11, 12, 13, 14, 15}) {
        INFO("opcode " << int(op));
        CHECK(failure(std::string(1, static_cast<char>(0x80 | op))).code == 1002); // from the first byte alone
    }

    SECTION("control frames must be final and at most 125 bytes")
    {
        CHECK(failure(frame(0x09, "ping")).code == 1002);
        CHECK(failure(frame(0x08, close_payload(1000))).code == 1002);
        const std::string p126(126, 'p');
        CHECK(failure(client_frame(opcode::ping, p126)).code == 1002);
        CHECK(failure(client_frame(opcode::pong, p126)).code == 1002);
        frame_spec ping_16bit; // an extended length field on a control frame: too long or not minimal
        ping_16bit.first_byte = 0x89;
        ping_16bit.payload = "ping";
        ping_16bit.form = length_form::bits16;
        CHECK(failure(client_frame(ping_16bit)).code == 1002);
        const std::string p125(125, 'p');
        CHECK(parse(client_frame(opcode::ping, p125)) == std::vector<seen>{{kind::ping, p125, 0, ""}});
    }
    SECTION("continuations only inside a message, no new message inside one")
    {
        CHECK(failure(client_frame(opcode::continuation, "orphan")).code == 1002);
        CHECK(failure(client_frame(opcode::text, "a", false) + client_frame(opcode::text, "b")).code == 1002);
        CHECK(failure(client_frame(opcode::binary, "a", false) + client_frame(opcode::binary, "b")).code == 1002);
        CHECK(failure(client_frame(opcode::text, "done") + client_frame(opcode::continuation, "more")).code == 1002);
    }
    SECTION("a 64-bit length with the top bit set")
    {
        frame_spec f;
        f.first_byte = 0x82;
        f.form = length_form::bits64;
        f.claimed_length = 0x8000000000000001ULL;
        auto wire = client_frame(f);
        CHECK(failure(wire.substr(0, 10), std::size_t(-1)).code == 1002);
    }
    SECTION("a close frame with a 1-byte payload or a code not allowed on the wire")
    {
        CHECK(failure(client_frame(opcode::close, "\x03")).code == 1002);
        for (std::uint16_t code : {0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535}) {
            INFO("code " << code);
            CHECK(failure(client_frame(opcode::close, close_payload(code))).code == 1002);
        }
        for (std::uint16_t code : {1000, 1001, 1002, 1003, 1007, 1008, 1011, 1014, 3000, 4000, 4999}) {
            INFO("code " << code);
            CHECK(parse(client_frame(opcode::close, close_payload(code))) ==
                  std::vector<seen>{{kind::close, "", code, ""}});
        }
    }
}

TEST_CASE("text that is not valid UTF-8 fails with 1007, as early as a fragment shows it", "[websocket]")
{
    CHECK(failure(client_frame(opcode::text, "\xc0\xaf")).code == 1007);
    CHECK(failure(client_frame(opcode::text, "ok \xed\xa0\x80")).code == 1007);
    CHECK(failure(client_frame(opcode::text, "\xe2\x82")).code == 1007); // cut off at the message's end
    CHECK(failure(client_frame(opcode::close, close_payload(1000, "\xff"))).code == 1007);

    // A character split between fragments is fine.
    CHECK(parse(client_frame(opcode::text, "\xe2\x82", false) + client_frame(opcode::continuation, "\xac")) ==
          std::vector<seen>{{kind::text, "€", 0, ""}});
    // Binary messages are not UTF-8.
    CHECK(parse(client_frame(opcode::binary, "\xc0\xaf")) == std::vector<seen>{{kind::binary, "\xc0\xaf", 0, ""}});

    // The first fragment already cannot be valid: no need to wait for the rest.
    frame_parser p(1024);
    p.feed(client_frame(opcode::text, "fine so far \xf4\x90\x80\x80", false));
    auto e = p.next();
    CHECK(e.what == kind::fail);
    CHECK(e.code == 1007);
    CHECK_FALSE(e.reason.empty());
}

TEST_CASE("a close frame gives the peer's code and reason, or 1005 without a payload", "[websocket]")
{
    CHECK(parse(client_frame(opcode::close, close_payload(1001, "tab closed – bye"))) ==
          std::vector<seen>{{kind::close, "", 1001, "tab closed – bye"}});
    CHECK(parse(client_frame(opcode::close, "")) == std::vector<seen>{{kind::close, "", 1005, ""}});
}

TEST_CASE("after a close or a fail, the parser stays silent and lets its buffer go", "[websocket]")
{
    for (const auto& final_frame :
         {client_frame(opcode::close, close_payload(1000)), client_frame(opcode::continuation, "bad")}) {
        frame_parser p(1024);
        p.feed(final_frame + client_frame(opcode::text, "after"));
        auto e = p.next();
        CHECK((e.what == kind::close || e.what == kind::fail));
        CHECK(p.next().what == kind::need_more);
        p.feed(client_frame(opcode::text, "later still"));
        CHECK(p.next().what == kind::need_more);
        CHECK(p.next().what == kind::need_more);
        CHECK(p.buffered() == 0);
        CHECK(p.capacity() == std::string().capacity());
    }
}

TEST_CASE("an idle parser holds no heap memory, also after a 100 KiB message", "[websocket]")
{
    frame_parser p(1 << 20);
    CHECK(p.capacity() == std::string().capacity()); // std::string's inline buffer
    CHECK(p.buffered() == 0);

    const std::string big(100 * 1024, 'z');
    const auto wire = client_frame(opcode::text, big);
    std::size_t delivered = 0;
    for (std::size_t i = 0; i < wire.size(); i += 4096) {
        p.feed(std::string_view(wire).substr(i, 4096));
        if (i + 4096 < wire.size()) CHECK(p.buffered() == i + 4096); // the partial frame is held
        for (auto e = p.next(); e.what != kind::need_more; e = p.next()) {
            CHECK(e.what == kind::text);
            CHECK(e.payload == big);
            ++delivered;
        }
    }
    CHECK(delivered == 1);
    CHECK(p.buffered() == 0);
    CHECK(p.capacity() <= frame_parser::kept_capacity);

    // The same message in ten fragments, with the next message's first bytes behind it.
    std::string fragmented;
    for (int i = 0; i < 10; ++i)
        fragmented += client_frame(i == 0 ? opcode::text : opcode::continuation,
                                   std::string_view(big).substr(i * 10240, 10240), i == 9);
    const auto next_message = client_frame(opcode::text, "next");
    p.feed(fragmented + next_message.substr(0, 3));
    auto e = p.next();
    CHECK(e.what == kind::text);
    CHECK(e.payload == big);
    CHECK(p.next().what == kind::need_more);
    CHECK(p.buffered() == 3);
    CHECK(p.capacity() <= frame_parser::kept_capacity);
    p.feed(next_message.substr(3));
    CHECK(p.next().payload == "next");
    CHECK(p.next().what == kind::need_more);
    CHECK(p.capacity() == std::string().capacity());
}
