// Hostile WebSocket frames over a raw TCP socket after a real upgrade: each gets the
// close code RFC 6455 asks for, nothing is buffered, and other clients keep being served.
#include "support/raw_ws_client.hpp"
#include "support/test_env.hpp"
#include "support/ws_client.hpp"

#include <catch2/catch.hpp>

using namespace sp::test;
using namespace std::chrono_literals;

namespace {

using namespace ws_bits;

const std::string k_ping_msg = R"({"op":"ping","id":"p"})";

} // namespace

TEST_CASE("a 17 MB frame and a huge 64-bit length are closed with 1009 before their payload is read",
          "[live][hostile]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url()});
    ws_client healthy(server.port());
    long rss_before = rss_kib(server.pid());

    for (std::uint64_t declared : {std::uint64_t(17) * 1024 * 1024, std::uint64_t(1) << 40, (std::uint64_t(1) << 63) - 1}) {
        INFO("declared length " << declared);
        raw_ws_client c(server.port());
        // The header and the first 256 KiB only: the answer must not wait for the rest.
        c.send_bytes(client_frame(fin | text, std::string(256 * 1024, 'x'), true, declared), 3s);
        CHECK(c.close_code(3s) == 1009);
    }
    // The full 17 MB, sent as fast as the server takes it: refused, and never held.
    raw_ws_client full(server.port());
    full.send_bytes(client_frame(fin | text, std::string(17 * 1024 * 1024, 'x')), 5s);
    CHECK(full.close_code(3s) == 1009);
    CHECK(rss_kib(server.pid()) - rss_before < 8 * 1024); // KiB: no 17 MB buffer was made

    healthy.send(k_ping_msg);
    CHECK(healthy.next_op("pong"));
}

TEST_CASE("invalid UTF-8, reserved opcodes and bits, fragmented control frames and unmasked frames get their close codes",
          "[live][hostile]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url()});
    ws_client healthy(server.port());

    struct hostile_case {
        std::string what;
        std::string bytes;
        int code;
    };
    std::string overlong_slash = "\xc0\xaf";
    std::string surrogate = "\xed\xa0\x80";
    const std::vector<hostile_case> cases{
        {"invalid UTF-8 in a text frame", client_frame(fin | text, "{\"op\":\"ping\",\"id\":\"\xff\xfe\"}"), 1007},
        {"an overlong UTF-8 encoding", client_frame(fin | text, overlong_slash), 1007},
        {"a UTF-16 surrogate in UTF-8", client_frame(fin | text, surrogate), 1007},
        {"invalid UTF-8 split across fragments",
         client_frame(text, "\xe2\x82") + client_frame(fin | continuation, "\x41"), 1007},
        {"reserved data opcode 0x3", client_frame(fin | 0x3, "x"), 1002},
        {"reserved control opcode 0xB", client_frame(fin | 0xB, "x"), 1002},
        {"RSV1 without an extension", client_frame(fin | rsv1 | text, k_ping_msg), 1002},
        {"RSV2", client_frame(fin | rsv2 | text, k_ping_msg), 1002},
        {"RSV3", client_frame(fin | rsv3 | text, k_ping_msg), 1002},
        {"a fragmented ping", client_frame(ping, "a") + client_frame(fin | continuation, "b"), 1002},
        {"a control frame over 125 bytes", client_frame(fin | ping, std::string(126, 'p')), 1002},
        {"a continuation without a start", client_frame(fin | continuation, k_ping_msg), 1002},
        {"a new message inside a fragmented one", client_frame(text, "{") + client_frame(fin | text, "}"), 1002},
        {"an unmasked client frame", client_frame(fin | text, k_ping_msg, false), 1002},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        raw_ws_client ws(server.port());
        ws.send_bytes(c.bytes);
        CHECK(ws.close_code(3s) == c.code);
        CHECK(ws.closed_by_server());
    }
    healthy.send(k_ping_msg);
    CHECK(healthy.next_op("pong"));
    ws_client later(server.port());
    later.send(k_ping_msg);
    CHECK(later.next_op("pong"));
}
