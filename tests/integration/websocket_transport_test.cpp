// The live sockets' own WebSocket transport (server/websocket/ and websocket_session),
// seen from a client that writes its frames byte by byte: the opening handshake and its
// refusals, frames split and interleaved as RFC 6455 allows, the close handshake, and the
// protocol errors a browser never makes but a hostile or broken peer does. The Beast
// client of the other live tests (tests/support/ws_client) checks the same transport
// from a second, independent implementation.

#include "support/test_env.hpp"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <string>

using namespace sp::test;
using namespace std::chrono_literals;

namespace {

const std::string k_upgrade = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

/** A client frame: FIN as given, masked with a fixed key (as a client must), or not. */
std::string frame(std::uint8_t opcode, const std::string& payload, bool fin = true, bool masked = true)
{
    std::string f;
    f += static_cast<char>((fin ? 0x80 : 0) | opcode);
    std::uint8_t mask_bit = masked ? 0x80 : 0;
    if (payload.size() < 126) {
        f += static_cast<char>(mask_bit | payload.size());
    } else {
        f += static_cast<char>(mask_bit | 126);
        f += static_cast<char>((payload.size() >> 8) & 0xff);
        f += static_cast<char>(payload.size() & 0xff);
    }
    const unsigned char key[4] = {0x37, 0xfa, 0x21, 0x3d};
    if (masked) f.append(reinterpret_cast<const char*>(key), 4);
    for (std::size_t i = 0; i < payload.size(); ++i)
        f += masked ? static_cast<char>(payload[i] ^ key[i % 4]) : payload[i];
    return f;
}

/** One server frame as the client reads it (servers never mask). */
struct server_frame {
    std::uint8_t opcode = 0;
    std::string payload;
};

/** A raw TCP client that sends what the test says and reads frames. */
class raw_client {
public:
    /** `receive_buffer` > 0: a small receive buffer, so a client that stops reading backs up soon. */
    explicit raw_client(std::uint16_t port, int receive_buffer = 0)
    {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        if (receive_buffer > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = htons(port);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) throw std::runtime_error("connect");
    }
    ~raw_client() { ::close(fd_); }

    void send(const std::string& bytes)
    {
        std::size_t sent = 0;
        while (sent < bytes.size()) {
            ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) return; // the server may have closed: what it said is read next
            sent += static_cast<std::size_t>(n);
        }
    }

    /** The response head to the upgrade (up to the blank line); what follows stays buffered. */
    std::string handshake(const std::string& request = k_upgrade)
    {
        send(request);
        fill_until([&] { return in_.find("\r\n\r\n") != std::string::npos; }, 5s);
        auto end = in_.find("\r\n\r\n");
        if (end == std::string::npos) return in_;
        std::string head = in_.substr(0, end + 4);
        in_.erase(0, end + 4);
        return head;
    }

    /** The next frame, or nullopt if none came within `timeout` (or the connection ended). */
    std::optional<server_frame> next(std::chrono::milliseconds timeout = 5s)
    {
        std::optional<server_frame> out;
        fill_until([&] { return (out = parse()).has_value(); }, timeout);
        return out;
    }

    /** True when the server closes the connection (EOF) within `timeout`. */
    bool closed_by_server(std::chrono::milliseconds timeout = 5s)
    {
        fill_until([] { return false; }, timeout);
        return eof_;
    }

    std::string& buffered() { return in_; }

    /** Sends what the socket takes right now; false once the connection is gone. */
    bool send_some(const std::string& bytes)
    {
        ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        return n >= 0 || errno == EAGAIN || errno == EWOULDBLOCK;
    }

private:
    std::optional<server_frame> parse()
    {
        if (in_.size() < 2) return std::nullopt;
        auto b = [&](std::size_t i) { return static_cast<unsigned char>(in_[i]); };
        std::size_t len = b(1) & 0x7f, at = 2;
        if (b(1) & 0x80) throw std::runtime_error("the server masked a frame");
        if (len == 126) {
            if (in_.size() < 4) return std::nullopt;
            len = (b(2) << 8) | b(3);
            at = 4;
        } else if (len == 127) {
            if (in_.size() < 10) return std::nullopt;
            len = 0;
            for (int i = 2; i < 10; ++i) len = (len << 8) | b(i);
            at = 10;
        }
        if (in_.size() < at + len) return std::nullopt;
        server_frame f{static_cast<std::uint8_t>(b(0) & 0x0f), in_.substr(at, len)};
        if ((b(0) & 0x80) == 0) throw std::runtime_error("the server fragmented a frame");
        in_.erase(0, at + len);
        return f;
    }

    template <class Pred>
    void fill_until(Pred done, std::chrono::milliseconds timeout)
    {
        auto end = std::chrono::steady_clock::now() + timeout;
        while (!done() && !eof_ && std::chrono::steady_clock::now() < end) {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            char buf[4096];
            ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
            if (n <= 0) {
                eof_ = true;
                break;
            }
            in_.append(buf, static_cast<std::size_t>(n));
        }
    }

    int fd_ = -1;
    std::string in_;
    bool eof_ = false;
};

int close_code_of(const server_frame& f)
{
    if (f.opcode != 8 || f.payload.size() < 2) return f.opcode == 8 ? 1005 : -1;
    return (static_cast<unsigned char>(f.payload[0]) << 8) | static_cast<unsigned char>(f.payload[1]);
}

/** The close frame the server ends with (skipping anything before it), its code; -1 if none. */
int close_code_within(raw_client& c, std::chrono::milliseconds timeout = 5s)
{
    auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
        auto f = c.next(std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now()));
        if (!f) return -1;
        if (f->opcode == 8) return close_code_of(*f);
    }
    return -1;
}

} // namespace

TEST_CASE("the handshake answers RFC 6455's own example, and refuses a wrong version or key naming the header",
          "[live][websocket]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url()});
    {
        raw_client c(server.port());
        std::string head = c.handshake();
        CHECK(head.rfind("HTTP/1.1 101", 0) == 0);
        CHECK_THAT(head, Catch::Contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
        CHECK(head.find("Sec-WebSocket-Extensions") == std::string::npos); // nothing negotiated
    }
    {
        std::string old = k_upgrade;
        old.replace(old.find("Version: 13"), 11, "Version: 8");
        std::string raw = raw_exchange(server.port(), old);
        CHECK(raw.rfind("HTTP/1.1 426", 0) == 0);
        CHECK_THAT(raw, Catch::Contains("Sec-WebSocket-Version: 13\r\n"));
        CHECK_THAT(raw, Catch::Contains("\"code\":\"bad-upgrade\""));
    }
    {
        std::string keyless = k_upgrade;
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
    raw_client c(server.port());
    REQUIRE(c.handshake().rfind("HTTP/1.1 101", 0) == 0);
    // {"op":"ping","id":"frag"} in three pieces, a control ping after the first, the
    // last piece sent one byte at a time.
    c.send(frame(1, R"({"op":"pi)", false));
    c.send(frame(9, "are you there"));
    c.send(frame(0, R"(ng","id":)", false));
    for (char byte : frame(0, R"("frag"})")) c.send(std::string(1, byte));
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
    raw_client c(server.port());
    REQUIRE(c.handshake().rfind("HTTP/1.1 101", 0) == 0);
    c.send(frame(8, std::string("\x0f\xa0", 2) + "bye")); // 4000, an application's own code
    auto echo = c.next();
    REQUIRE(echo);
    CHECK(close_code_of(*echo) == 4000);
    CHECK(c.closed_by_server());
    CHECK(eventually([&] { return metric(server.port(), "sp_live_sockets") == 0; }, 5s));
}

TEST_CASE("protocol errors close with the code RFC 6455 names, and the others keep being served", "[live][websocket]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--live.max_message_bytes=1024"});
    raw_client healthy(server.port());
    REQUIRE(healthy.handshake().rfind("HTTP/1.1 101", 0) == 0);

    struct bad_case {
        const char* what;
        std::string bytes;
        int code;
    };
    const bad_case cases[] = {
        {"an unmasked frame", frame(1, R"({"op":"ping","id":"x"})", true, false), 1002},
        {"a reserved bit", std::string(1, '\xc1') + frame(1, "{}").substr(1), 1002},
        {"an unknown opcode", frame(3, "{}"), 1002},
        {"a continuation with no message", frame(0, "{}"), 1002},
        {"a fragmented ping", frame(9, "x", false), 1002},
        {"invalid UTF-8", frame(1, "{\"op\":\"\xc0\xaf\"}"), 1007},
        {"a close code never sent on the wire", frame(8, std::string("\x03\xed", 2)), 1002},
        {"a message over live.max_message_bytes, told by its header", frame(1, std::string(1100, ' ')).substr(0, 8), 1009},
        {"binary data", frame(2, "\x01\x02"), 1003},
    };
    for (const auto& bad : cases) {
        INFO(bad.what);
        raw_client c(server.port());
        REQUIRE(c.handshake().rfind("HTTP/1.1 101", 0) == 0);
        c.send(bad.bytes);
        CHECK(close_code_within(c) == bad.code);
        CHECK(c.closed_by_server());
    }
    healthy.send(frame(1, R"({"op":"ping","id":"still"})"));
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
    raw_client flood(server.port(), 4096);
    REQUIRE(flood.handshake().rfind("HTTP/1.1 101", 0) == 0);
    REQUIRE(eventually([&] { return metric(server.port(), "sp_live_sockets") == 1; }, 5s));
    const std::string ping = frame(9, std::string(125, 'p'));
    std::string burst;
    for (int i = 0; i < 64; ++i) burst += ping;
    // Pinging all along: the drop must come while the pings keep arriving (a client
    // that merely falls silent is dropped anyway).
    auto started = std::chrono::steady_clock::now();
    bool dropped = false;
    while (!dropped && std::chrono::steady_clock::now() - started < 15s) {
        flood.send_some(burst);
        dropped = metric(server.port(), "sp_live_sockets") == 0;
    }
    INFO("dropped after " << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count()
                          << " ms of pings");
    CHECK(dropped);
    // A client that reads is served as before.
    raw_client healthy(server.port());
    REQUIRE(healthy.handshake().rfind("HTTP/1.1 101", 0) == 0);
    healthy.send(frame(9, "hi"));
    auto pong = healthy.next();
    REQUIRE(pong);
    CHECK(pong->opcode == 10);
}
