// The live sockets' own WebSocket transport (server/websocket/ and websocket_session),
// seen from a client that writes its frames byte by byte: the opening handshake and its
// refusals, frames split and interleaved as RFC 6455 allows, the close handshake, and the
// protocol errors a browser never makes but a hostile or broken peer does (more of those
// in hostile_ws_test). The Beast client of the other live tests (tests/support/ws_client)
// checks the same transport from a second, independent implementation.

#include "support/raw_ws_client.hpp"
#include "support/test_env.hpp"

#include <catch2/catch.hpp>
#include <optional>

#include <string>

using namespace sp::test;
using namespace sp::test::ws_bits;
using namespace std::chrono_literals;

TEST_CASE("the handshake answers RFC 6455's own example, and refuses a wrong version or key naming the header",
          "[live][websocket]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url()});
    {
        raw_ws_client c(server.port(), false);
        std::string head = c.handshake();
        CHECK(head.rfind("HTTP/1.1 101", 0) == 0);
        CHECK_THAT(head, Catch::Contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
        CHECK(head.find("Sec-WebSocket-Extensions") == std::string::npos); // nothing negotiated
    }
    {
        std::string old = k_ws_upgrade;
        old.replace(old.find("Version: 13"), 11, "Version: 8");
        std::string raw = raw_exchange(server.port(), old);
        CHECK(raw.rfind("HTTP/1.1 426", 0) == 0);
        CHECK_THAT(raw, Catch::Contains("Sec-WebSocket-Version: 13\r\n"));
        CHECK_THAT(raw, Catch::Contains("\"code\":\"bad-upgrade\""));
    }
    {
        std::string keyless = k_ws_upgrade;
        keyless.replace(keyless.find("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="), 43, "Sec-WebSocket-Key: c2hvcnQ=");
        std::string raw = raw_exchange(server.port(), keyless);
        CHECK(raw.rfind("HTTP/1.1 400", 0) == 0);
        CHECK_THAT(raw, Catch::Contains("Sec-WebSocket-Key"));
    }
    CHECK(eventually([&] { return metric(server.port(), "sp_live_sockets") == 0; }, 5s));
}

TEST_CASE("a message in fragments with a ping between them is answered: the pong first, then the reply",
          "[live][websocket]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url()});
    raw_ws_client c(server.port());
    // {"op":"ping","id":"frag"} in three pieces, a control ping after the first, the
    // last piece sent one byte at a time.
    c.send_bytes(client_frame(text, R"({"op":"pi)"));
    c.send_bytes(client_frame(fin | ping, "are you there"));
    c.send_bytes(client_frame(continuation, R"(ng","id":)"));
    for (char byte : client_frame(fin | continuation, R"("frag"})")) c.send_bytes(std::string(1, byte));
    auto pong = c.next();
    REQUIRE(pong);
    CHECK(pong->opcode == 10);
    CHECK(pong->payload == "are you there");
    auto reply = c.next();
    REQUIRE(reply);
    CHECK(reply->opcode == 1);
    CHECK_THAT(reply->payload, Catch::Contains(R"("op":"pong")"));
    CHECK_THAT(reply->payload, Catch::Contains(R"("id":"frag")"));
}

TEST_CASE("the peer's close is echoed with its code and the server then ends the connection", "[live][websocket]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url()});
    std::optional<raw_ws_client> c(std::in_place, server.port());
    c->send_bytes(client_frame(fin | ws_bits::close, std::string("\x0f\xa0", 2) + "bye")); // 4000, an application's own code
    auto echo = c->next();
    REQUIRE(echo);
    CHECK(close_code_of(*echo) == 4000);
    CHECK(c->closed_by_server());
    // The client closes its side once it saw the end, as browsers do; the server then lets
    // go of the socket at once (not only after live.slow_consumer_grace_ms, 5 s, which is
    // for a peer that never closes).
    c.reset();
    CHECK(eventually([&] { return metric(server.port(), "sp_live_sockets") == 0; }, 3s));
}

TEST_CASE("close codes never sent on the wire, a message over live.max_message_bytes and binary data get 1002, 1009 "
          "and 1003, and the others keep being served",
          "[live][websocket]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--live.max_message_bytes=1024"});
    raw_ws_client healthy(server.port());

    struct bad_case {
        const char* what;
        std::string bytes;
        int code;
    };
    const bad_case cases[] = {
        {"1005, a close code never sent on the wire", client_frame(fin | ws_bits::close, std::string("\x03\xed", 2)), 1002},
        {"1006, a close code never sent on the wire", client_frame(fin | ws_bits::close, std::string("\x03\xee", 2)), 1002},
        {"a message over live.max_message_bytes, told by its header",
         client_frame(fin | text, std::string(1100, ' ')).substr(0, 8), 1009},
        {"the configured limit reached by fragments",
         client_frame(text, std::string(600, ' ')) + client_frame(fin | continuation, std::string(600, ' ')), 1009},
        {"binary data", client_frame(fin | binary, "\x01\x02"), 1003},
    };
    for (const auto& bad : cases) {
        INFO(bad.what);
        raw_ws_client c(server.port());
        c.send_bytes(bad.bytes);
        CHECK(c.close_code() == bad.code);
        CHECK(c.closed_by_server());
    }
    healthy.send_bytes(client_frame(fin | text, R"({"op":"ping","id":"still"})"));
    auto reply = healthy.next();
    REQUIRE(reply);
    CHECK_THAT(reply->payload, Catch::Contains(R"("id":"still")"));
}

TEST_CASE("a client that pings without ever reading is dropped by the heartbeat, not served pongs without end",
          "[live][websocket]")
{
    // Each ping asks for a pong. A client that never reads fills its receive buffer and
    // then the server's send buffer; from then on the server reads nothing more from it
    // (it would only pile up pongs), so the client falls silent and the heartbeat drops
    // it after an idle timeout or two.
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--live.idle_timeout_ms=1000"});
    raw_ws_client flood(server.port(), true, 4096);
    REQUIRE(eventually([&] { return metric(server.port(), "sp_live_sockets") == 1; }, 5s));
    const std::string one_ping = client_frame(fin | ping, std::string(125, 'p'));
    std::string burst;
    for (int i = 0; i < 64; ++i) burst += one_ping;
    // Pinging all along: the drop must come while the pings keep arriving (a client
    // that merely falls silent is dropped anyway).
    auto started = std::chrono::steady_clock::now();
    bool dropped = false;
    std::string pending; // what the socket did not take yet: whole frames only, never a cut one
    while (!dropped && std::chrono::steady_clock::now() - started < 15s) {
        if (pending.empty()) pending = burst;
        if (auto n = flood.send_some(pending)) pending.erase(0, *n);
        dropped = metric(server.port(), "sp_live_sockets") == 0;
    }
    INFO("dropped after " << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count()
                          << " ms of pings");
    CHECK(dropped);
    // A client that reads is served as before.
    raw_ws_client healthy(server.port());
    healthy.send_bytes(client_frame(fin | ping, "hi"));
    auto pong = healthy.next();
    REQUIRE(pong);
    CHECK(pong->opcode == 10);
}
