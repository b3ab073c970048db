// Server-to-client frames (server/websocket/frame_writer): what a browser reads back,
// checked with a reader written separately in the test (websocket_test_frames.hpp).
#include "websocket/frame_writer.hpp"
#include "websocket_test_frames.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace sp::websocket;
using sp::websocket::test::read_server_frame;

TEST_CASE("a data frame's header has the shortest length encoding and round-trips", "[websocket]")
{
    struct expect {
        std::size_t length;
        std::size_t header_size;
    };
    for (auto [length, header_size] : {expect{0, 2}, expect{125, 2}, expect{126, 4}, expect{65535, 4},
                                       expect{65536, 10}}) {
        INFO("payload " << length);
        const std::string payload(length, 'p');
        const auto h = header(opcode::binary, length);
        CHECK(h.size == header_size);
        CHECK(h.view().size() == header_size);
        auto frame = read_server_frame(std::string(h.view()) + payload);
        REQUIRE(frame);
        CHECK(frame->fin);
        CHECK(frame->opcode == 2);
        CHECK(frame->header_size == header_size);
        CHECK(frame->payload == payload);
    }
    CHECK(header(opcode::text, 5).view() == std::string_view("\x81\x05", 2));
    CHECK(header(opcode::text, 300).view() == std::string_view("\x81\x7e\x01\x2c", 4));
    CHECK(header(opcode::binary, 0x0102030405ULL).view() == std::string_view("\x82\x7f\0\0\0\x01\x02\x03\x04\x05", 10));
}

TEST_CASE("ping and pong frames carry their payload, cut to 125 bytes", "[websocket]")
{
    auto ping = read_server_frame(control_frame(opcode::ping, "are you there"));
    REQUIRE(ping);
    CHECK(ping->opcode == 9);
    CHECK(ping->fin);
    CHECK(ping->payload == "are you there");

    const std::string long_payload(300, 'x');
    auto pong = read_server_frame(control_frame(opcode::pong, long_payload));
    REQUIRE(pong);
    CHECK(pong->opcode == 10);
    CHECK(pong->payload == long_payload.substr(0, 125));
    CHECK(pong->header_size == 2);
}

TEST_CASE("a close frame carries the code and the reason, cut to 123 bytes between characters", "[websocket]")
{
    auto bye = read_server_frame(close_frame(1001, "server restarts"));
    REQUIRE(bye);
    CHECK(bye->opcode == 8);
    CHECK(bye->fin);
    CHECK(bye->payload == std::string("\x03\xe9", 2) + "server restarts");

    auto no_status = read_server_frame(close_frame(1005, "ignored"));
    REQUIRE(no_status);
    CHECK(no_status->payload.empty());

    const std::string a121(121, 'a'), a122(122, 'a'), a123(123, 'a');
    // "€" is 3 bytes: at 121-123 it would be cut in half, so it goes whole.
    auto cut_before_euro = read_server_frame(close_frame(1000, a121 + "€"));
    REQUIRE(cut_before_euro);
    CHECK(cut_before_euro->payload.substr(2) == a121);
    auto fits = read_server_frame(close_frame(1000, a121 + "ü")); // 123 bytes: kept
    REQUIRE(fits);
    CHECK(fits->payload.substr(2) == a121 + "ü");
    auto plain = read_server_frame(close_frame(1009, a123 + "bcd"));
    REQUIRE(plain);
    CHECK(plain->payload.substr(2) == a123);
    CHECK(plain->payload.size() == 125);
    auto before_emoji = read_server_frame(close_frame(1000, a122 + "😀"));
    REQUIRE(before_emoji);
    CHECK(before_emoji->payload.substr(2) == a122);
}
