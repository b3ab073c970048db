// Hostile WebSocket frames over a raw TCP socket after a real upgrade: each gets the
// close code RFC 6455 asks for, nothing is buffered, and other clients keep being served.
#include "support/test_env.hpp"
#include "support/ws_client.hpp"

#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace sp::test;
using namespace std::chrono_literals;

namespace {

/** A client socket that has completed the upgrade to /ws; frames are built by hand. */
class raw_ws {
public:
    explicit raw_ws(std::uint16_t port)
    {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = htons(port);
        REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        send_bytes("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        auto end = std::chrono::steady_clock::now() + 5s;
        while (in_.find("\r\n\r\n") == std::string::npos && std::chrono::steady_clock::now() < end) read_some(100);
        REQUIRE(in_.rfind("HTTP/1.1 101", 0) == 0);
        in_.erase(0, in_.find("\r\n\r\n") + 4);
        ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
    }
    ~raw_ws() { ::close(fd_); }
    raw_ws(const raw_ws&) = delete;
    raw_ws& operator=(const raw_ws&) = delete;

    /** A frame header (with a mask key unless `masked` is false) and `payload`
     *  (masked); `declared` overrides the payload length in the header. */
    static std::string frame(std::uint8_t first_byte, const std::string& payload, bool masked = true,
                             std::uint64_t declared = UINT64_MAX)
    {
        std::uint64_t len = declared == UINT64_MAX ? payload.size() : declared;
        std::string f(1, static_cast<char>(first_byte));
        std::uint8_t mask_bit = masked ? 0x80 : 0;
        if (len < 126) {
            f += static_cast<char>(mask_bit | len);
        } else if (len <= 0xffff) {
            f += static_cast<char>(mask_bit | 126);
            f += static_cast<char>(len >> 8);
            f += static_cast<char>(len & 0xff);
        } else {
            f += static_cast<char>(mask_bit | 127);
            for (int i = 7; i >= 0; --i) f += static_cast<char>((len >> (8 * i)) & 0xff);
        }
        const char key[4] = {0x12, 0x34, 0x56, 0x78};
        if (masked) f.append(key, 4);
        for (std::size_t i = 0; i < payload.size(); ++i)
            f += masked ? static_cast<char>(payload[i] ^ key[i % 4]) : payload[i];
        return f;
    }

    /** Sends what the socket takes within `for_at_most`; how much that was. */
    std::size_t send_bytes(const std::string& bytes, std::chrono::milliseconds for_at_most = 5s)
    {
        std::size_t sent = 0;
        auto end = std::chrono::steady_clock::now() + for_at_most;
        while (sent < bytes.size() && std::chrono::steady_clock::now() < end) {
            ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
            if (n > 0) {
                sent += static_cast<std::size_t>(n);
            } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                read_some(10); // the server may have answered (and stopped reading)
                if (closed_) break;
            } else {
                break;
            }
        }
        return sent;
    }

    /** The code of the server's close frame, or -1 if none came within `timeout`
     *  (0: closed without a close frame). Skips other frames. */
    int close_code(std::chrono::milliseconds timeout = 5s)
    {
        auto end = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            // Parse complete server frames (unmasked) in what was read so far.
            while (in_.size() >= 2) {
                auto b = [&](std::size_t i) { return static_cast<std::uint8_t>(in_[i]); };
                std::uint64_t len = b(1) & 0x7f;
                std::size_t pos = 2;
                if (len == 126) {
                    if (in_.size() < 4) break;
                    len = (std::uint64_t(b(2)) << 8) | b(3);
                    pos = 4;
                } else if (len == 127) {
                    if (in_.size() < 10) break;
                    len = 0;
                    for (int i = 0; i < 8; ++i) len = (len << 8) | b(static_cast<std::size_t>(2 + i));
                    pos = 10;
                }
                if (in_.size() < pos + len) break;
                std::uint8_t opcode = b(0) & 0x0f;
                if (opcode == 0x8) return len >= 2 ? (b(pos) << 8) | b(pos + 1) : 1005;
                seen_.append(in_, pos, len);
                in_.erase(0, pos + len);
            }
            if (closed_) return 0;
            if (std::chrono::steady_clock::now() > end) return -1;
            read_some(50);
        }
    }

    /** The payloads of the frames close_code skipped. */
    const std::string& seen() const { return seen_; }

private:
    void read_some(int wait_ms)
    {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, wait_ms) <= 0) return;
        char buf[65536];
        ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n > 0) in_.append(buf, static_cast<std::size_t>(n));
        else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) closed_ = true;
    }

    int fd_ = -1;
    std::string in_;
    std::string seen_;
    bool closed_ = false;
};

constexpr std::uint8_t k_fin = 0x80, k_rsv1 = 0x40, k_rsv2 = 0x20, k_rsv3 = 0x10;
constexpr std::uint8_t k_text = 0x1, k_continuation = 0x0, k_ping = 0x9;

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
        raw_ws c(server.port());
        // The header and the first 256 KiB only: the answer must not wait for the rest.
        c.send_bytes(raw_ws::frame(k_fin | k_text, std::string(256 * 1024, 'x'), true, declared), 3s);
        CHECK(c.close_code(3s) == 1009);
    }
    // The full 17 MB, sent as fast as the server takes it: refused, and never held.
    raw_ws full(server.port());
    full.send_bytes(raw_ws::frame(k_fin | k_text, std::string(17 * 1024 * 1024, 'x')), 5s);
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
        {"invalid UTF-8 in a text frame", raw_ws::frame(k_fin | k_text, "{\"op\":\"ping\",\"id\":\"\xff\xfe\"}"), 1007},
        {"an overlong UTF-8 encoding", raw_ws::frame(k_fin | k_text, overlong_slash), 1007},
        {"a UTF-16 surrogate in UTF-8", raw_ws::frame(k_fin | k_text, surrogate), 1007},
        {"invalid UTF-8 split across fragments",
         raw_ws::frame(k_text, "\xe2\x82") + raw_ws::frame(k_fin | k_continuation, "\x41"), 1007},
        {"reserved data opcode 0x3", raw_ws::frame(k_fin | 0x3, "x"), 1002},
        {"reserved control opcode 0xB", raw_ws::frame(k_fin | 0xB, "x"), 1002},
        {"RSV1 without an extension", raw_ws::frame(k_fin | k_rsv1 | k_text, k_ping_msg), 1002},
        {"RSV2", raw_ws::frame(k_fin | k_rsv2 | k_text, k_ping_msg), 1002},
        {"RSV3", raw_ws::frame(k_fin | k_rsv3 | k_text, k_ping_msg), 1002},
        {"a fragmented ping", raw_ws::frame(k_ping, "a") + raw_ws::frame(k_fin | k_continuation, "b"), 1002},
        {"a control frame over 125 bytes", raw_ws::frame(k_fin | k_ping, std::string(126, 'p')), 1002},
        {"a continuation without a start", raw_ws::frame(k_fin | k_continuation, k_ping_msg), 1002},
        {"a new message inside a fragmented one", raw_ws::frame(k_text, "{") + raw_ws::frame(k_fin | k_text, "}"), 1002},
        {"an unmasked client frame", raw_ws::frame(k_fin | k_text, k_ping_msg, false), 1002},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        raw_ws ws(server.port());
        ws.send_bytes(c.bytes);
        CHECK(ws.close_code(3s) == c.code);
    }
    // A well-formed fragmented message with a ping in between is fine.
    raw_ws good(server.port());
    good.send_bytes(raw_ws::frame(k_text, k_ping_msg.substr(0, 5)) + raw_ws::frame(k_fin | k_ping, "hi") +
                    raw_ws::frame(k_fin | k_continuation, k_ping_msg.substr(5)));
    CHECK(good.close_code(1s) == -1); // still open
    CHECK_THAT(good.seen(), Catch::Contains("\"op\":\"pong\""));

    healthy.send(k_ping_msg);
    CHECK(healthy.next_op("pong"));
    ws_client later(server.port());
    later.send(k_ping_msg);
    CHECK(later.next_op("pong"));
}
