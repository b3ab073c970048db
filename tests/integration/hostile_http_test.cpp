// Hostile HTTP clients over raw sockets: request smuggling, oversized and never-ending
// requests, header injection, slowloris.
#include "support/test_env.hpp"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace sp::test;
using namespace std::chrono_literals;

namespace {

std::string status_line(const std::string& raw) { return raw.substr(0, raw.find("\r\n")); }
std::string head_of(const std::string& raw) { return raw.substr(0, raw.find("\r\n\r\n") + 2); }

/** What the server answered to `bytes` and whether it then closed the connection by
 *  itself within 3 s (raw_exchange waits up to 5 s for a connection left open). */
struct answer {
    std::string raw;
    bool closed = false;
};

answer exchange(std::uint16_t port, const std::string& bytes)
{
    auto start = std::chrono::steady_clock::now();
    answer a;
    a.raw = raw_exchange(port, bytes);
    a.closed = std::chrono::steady_clock::now() - start < 3s;
    return a;
}

/** Sends `head`, then `filler` over and over (never finishing the request) while
 *  reading; stops at the first answer byte or after `cap` bytes. The answer (read until
 *  the server closes, at most 3 s) and how many bytes were sent before it came. */
struct stream_result {
    std::string raw;
    std::size_t sent = 0;
    bool closed = false;
};

stream_result stream_until_answer(std::uint16_t port, const std::string& head, const std::string& filler,
                                  std::size_t cap)
{
    stream_result out;
    int fd = connect_loopback(port);
    REQUIRE(fd >= 0);
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    std::string pending = head;
    char buf[4096];
    auto deadline = std::chrono::steady_clock::now() + 20s;
    bool answered = false;
    while (!answered && out.sent < cap && std::chrono::steady_clock::now() < deadline) {
        pollfd p{fd, POLLIN | POLLOUT, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
            answered = true;
            break;
        }
        if (p.revents & POLLOUT) {
            if (pending.empty()) pending = filler;
            ssize_t n = ::send(fd, pending.data(), pending.size(), MSG_NOSIGNAL);
            if (n < 0 && errno != EAGAIN) {
                answered = true;
                break;
            }
            if (n > 0) {
                out.sent += static_cast<std::size_t>(n);
                pending.erase(0, static_cast<std::size_t>(n));
            }
        }
    }
    auto end = std::chrono::steady_clock::now() + 3s;
    while (answered && std::chrono::steady_clock::now() < end) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) {
            out.closed = true;
            break;
        }
        out.raw.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return out;
}

/** Sends `bytes` and reads the response head; if the status is `until_close_on`, reads
 *  on until the server closes (at most 3 s). Does not wait for a connection the server
 *  rightly keeps open (keep-alive, a WebSocket). */
answer head_exchange(std::uint16_t port, const std::string& bytes, const std::string& until_close_on)
{
    answer a;
    int fd = connect_loopback(port);
    REQUIRE(fd >= 0);
    ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    char buf[4096];
    auto end = std::chrono::steady_clock::now() + 3s;
    while (std::chrono::steady_clock::now() < end) {
        if (a.raw.find("\r\n\r\n") != std::string::npos && status_line(a.raw) != until_close_on) break;
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) {
            a.closed = true;
            break;
        }
        a.raw.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return a;
}

std::size_t count_of(const std::string& text, const std::string& what)
{
    std::size_t n = 0;
    for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
    return n;
}

} // namespace

TEST_CASE("an oversized URL gets 414 and a close, a big header block still gets 431", "[http][hostile]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--http.max_header_bytes=4096"});
    answer url = exchange(server.port(), "GET /" + std::string(6000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(status_line(url.raw) == "HTTP/1.1 414 URI Too Long");
    CHECK_THAT(url.raw, Catch::Contains("Connection: close") && Catch::Contains("\"uri-too-long\""));
    CHECK(url.closed);

    answer header = exchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(6000, 'b') +
                                                "\r\n\r\n");
    CHECK(status_line(header.raw) == "HTTP/1.1 431 Request Header Fields Too Large");
    CHECK_THAT(header.raw, Catch::Contains("Connection: close"));
    CHECK(header.closed);
    CHECK(http_get(server.port(), "/healthz").status == 200);
}

TEST_CASE("Content-Length together with Transfer-Encoding gets 400 and a close, and nothing is smuggled",
          "[http][hostile]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url()});
    // Each body hides a second request: a server that framed the body the other way
    // than a proxy in front would answer it.
    const std::string smuggled = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    const std::vector<std::string> framings{
        "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
        "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
        "Transfer-Encoding: gzip\r\nContent-Length: 5\r\n",
        "Content-Length: 5\r\nTransfer-Encoding: identity\r\n",
    };
    for (const auto& framing : framings) {
        INFO(framing);
        answer a = exchange(server.port(), "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
                                               framing + "\r\n0\r\n\r\n" + smuggled);
        CHECK(status_line(a.raw) == "HTTP/1.1 400 Bad Request");
        CHECK_THAT(a.raw, Catch::Contains("Connection: close") && Catch::Contains("application/problem+json"));
        CHECK(count_of(a.raw, "HTTP/1.1 ") == 1); // the hidden request was never answered
        CHECK(a.closed);
    }
}

TEST_CASE("a Transfer-Encoding other than exactly chunked gets 400 and a close", "[http][hostile]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url()});
    const std::string smuggled = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    const std::vector<std::string> codings{
        "Transfer-Encoding: gzip\r\n",
        "Transfer-Encoding: chunked, gzip\r\n",
        "Transfer-Encoding: gzip, chunked\r\n",
        "Transfer-Encoding: chunked, chunked\r\n",
        "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n",
        "Transfer-Encoding: xchunked\r\n",
    };
    for (const auto& coding : codings) {
        INFO(coding);
        answer a = exchange(server.port(), "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
                                               coding + "\r\n2\r\n{}\r\n0\r\n\r\n" + smuggled);
        CHECK(status_line(a.raw) == "HTTP/1.1 400 Bad Request");
        CHECK_THAT(a.raw, Catch::Contains("Connection: close"));
        CHECK(count_of(a.raw, "HTTP/1.1 ") == 1);
        CHECK(a.closed);
    }
    answer old = exchange(server.port(), "POST /api/v1/auth/login HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                                         "\r\n2\r\n{}\r\n0\r\n\r\n");
    CHECK(status_line(old.raw) == "HTTP/1.1 400 Bad Request");
    CHECK(old.closed);

    // Plain chunked is read: the body reaches the handler (401 for unknown credentials,
    // not 400 for a missing body), and the connection stays usable.
    std::string body = R"({"email":"nobody@example.org","password":"whatever-it-is"})";
    char size[16];
    std::snprintf(size, sizeof size, "%zx", body.size());
    std::string raw = raw_exchange(server.port(), "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: "
                                                  "application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
                                                      std::string(size) + "\r\n" + body + "\r\n0\r\n\r\n" +
                                                      "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK(status_line(raw) == "HTTP/1.1 401 Unauthorized");
    CHECK_THAT(raw, Catch::Contains("HTTP/1.1 200 OK"));
}

TEST_CASE("an unterminated chunk extension is cut off at a bounded size with 413 and a close", "[http][hostile]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--http.max_body_bytes=1024", "--http.max_header_bytes=2048"});
    long rss_before = rss_kib(server.pid());
    // A chunk-size line that never ends: "5;aaaa..." without CRLF. A server that kept
    // reading it would hold all of it; this one answers while we are still sending.
    stream_result r = stream_until_answer(server.port(),
                                          "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: "
                                          "application/json\r\nTransfer-Encoding: chunked\r\n\r\n5;ext",
                                          std::string(64 * 1024, 'a'), 64 * 1024 * 1024);
    INFO("sent " << r.sent << " bytes");
    std::string line = status_line(r.raw);
    CHECK((line == "HTTP/1.1 413 Payload Too Large" || line == "HTTP/1.1 400 Bad Request"));
    CHECK_THAT(r.raw, Catch::Contains("Connection: close"));
    CHECK(r.closed);
    CHECK(r.sent < 64u * 1024 * 1024);
    long rss_after = rss_kib(server.pid());
    CHECK(rss_after - rss_before < 8 * 1024); // KiB: nothing near what was sent was kept
    CHECK(http_get(server.port(), "/healthz").status == 200);

    // The same with a chunk extension that is long but ends: cut off as well.
    answer ended = exchange(server.port(), "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                                           "\r\n2;" + std::string(40 * 1024, 'e') + "\r\n{}\r\n0\r\n\r\n");
    std::string ended_line = status_line(ended.raw);
    CHECK((ended_line == "HTTP/1.1 413 Payload Too Large" || ended_line == "HTTP/1.1 400 Bad Request"));
    CHECK(ended.closed);
}

TEST_CASE("CR or LF in anything the server might echo never reaches a response header", "[http][hostile][security]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + bochum_hub_file()});
    REQUIRE(eventually([&] { return status_of(server.port(), "/readyz") == 200; }, 5s));
    auto injected = [](const std::string& raw) {
        std::string head = head_of(raw);
        return head.find("\r\nX-Injected") != std::string::npos || head.find("\r\nSet-Cookie: injected") != std::string::npos ||
               head.find("\nX-Injected") != std::string::npos;
    };
    // Percent-encoded line breaks in paths that become parameters, file names, page
    // paths or links.
    const std::vector<std::string> targets{
        "/b/x%0d%0aX-Injected:%201",
        "/invite/x%0D%0AX-Injected:%201",
        "/feeds/x%0d%0aX-Injected:%201.ics",
        "/api/v1/manage/x%0d%0aX-Injected:%201",
        "/api/v1/manage/x%0d%0aX-Injected:%201/booking.ics",
        "/api/v1/auth/invitations/x%0d%0aX-Injected:%201",
        "/api/v1/camps/x%0d%0aX-Injected:%201/qr.svg",
        "/api/v1/sessions/x%0d%0aX-Injected:%201",
        "/admin%0d%0aX-Injected:%201",
        "/%0d%0aSet-Cookie:%20injected=1",
        "/lobby/bochum%0aX-Injected:%201",
        "/index.html?x=%0d%0aX-Injected:%201",
    };
    for (const auto& target : targets) {
        INFO(target);
        std::string raw = raw_exchange(server.port(), "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        CHECK(status_line(raw).rfind("HTTP/1.1 ", 0) == 0);
        CHECK_FALSE(injected(raw));
    }
    // Header values the server reads (request id, origin, idempotency key, cookies)
    // with a bare CR, a bare LF or an obsolete line folding: refused with 400 and a
    // close, or read as one harmless value, never echoed with the break.
    const std::vector<std::string> headers{
        "X-Request-Id: abc\rX-Injected: 1\r\n",
        "X-Request-Id: abc\nX-Injected: 1\r\n",
        "X-Request-Id: abc\r\n X-Injected: 1\r\n",
        "Origin: http://x\r\n\tSet-Cookie: injected=1\r\n",
        "Idempotency-Key: k\rX-Injected: 1\r\n",
        "Cookie: sp_session=a\rX-Injected: 1\r\n",
    };
    const std::vector<std::string> requests{
        "GET /healthz HTTP/1.1\r\n",
        "POST /api/v1/auth/login HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n",
        "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        "Sec-WebSocket-Version: 13\r\n",
    };
    for (const auto& request : requests) {
        for (const auto& header : headers) {
            INFO(request << header);
            std::string body = request.starts_with("POST") ? "{}" : "";
            answer a = head_exchange(server.port(), request + "Host: x\r\n" + header + "\r\n" + body,
                                     "HTTP/1.1 400 Bad Request");
            CHECK_FALSE(injected(a.raw));
            std::string line = status_line(a.raw);
            CHECK(line.rfind("HTTP/1.1 ", 0) == 0);
            if (line == "HTTP/1.1 400 Bad Request") {
                CHECK_THAT(a.raw, Catch::Contains("Connection: close"));
                CHECK(a.closed);
            }
        }
    }
    // The server is unharmed.
    CHECK(http_get(server.port(), "/healthz").status == 200);
}

TEST_CASE("2,000 slowloris connections do not slow a legitimate client (p99 < 200 ms) and are cut off",
          "[http][hostile][slow]")
{
    constexpr int k_slow = 2000;
    // The test process and the server (its child, which inherits the limit) each hold
    // one descriptor per slow connection.
    rlimit lim{};
    ::getrlimit(RLIMIT_NOFILE, &lim);
    lim.rlim_cur = lim.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &lim);
    REQUIRE(lim.rlim_cur >= static_cast<rlim_t>(k_slow + 512));

    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--http.max_connections=" + std::to_string(k_slow + 500),
                           "--http.read_timeout_ms=3000", "--log.access_log=false"},
                          true, perf_server_binary());

    // One thread keeps 2,000 connections dribbling a header, one byte per connection
    // and second; a connection the server drops is counted and opened again.
    std::atomic<bool> stop{false};
    std::atomic<int> open{0}, cut_off{0};
    std::thread slow([&] {
        std::vector<int> fds(k_slow, -1);
        const std::string start = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ";
        auto open_one = [&](int& fd) {
            fd = connect_loopback(server.port());
            if (fd < 0) return;
            ::send(fd, start.data(), start.size(), MSG_NOSIGNAL);
            ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
        };
        for (int& fd : fds) open_one(fd);
        open = static_cast<int>(std::count_if(fds.begin(), fds.end(), [](int fd) { return fd >= 0; }));
        for (int tick = 0; !stop; ++tick) {
            for (int i = tick % 10; i < k_slow; i += 10) {
                int& fd = fds[static_cast<std::size_t>(i)];
                if (fd < 0) continue;
                char c;
                ssize_t n = ::recv(fd, &c, 1, MSG_DONTWAIT);
                bool dropped = n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) ||
                               ::send(fd, "a", 1, MSG_NOSIGNAL) < 0;
                if (dropped || n > 0) {
                    ::close(fd);
                    ++cut_off;
                    open_one(fd);
                }
            }
            std::this_thread::sleep_for(100ms);
        }
        for (int fd : fds)
            if (fd >= 0) ::close(fd);
    });
    REQUIRE(eventually([&] { return open.load() > 0; }, 20s));
    CHECK(open.load() == k_slow);

    std::vector<double> ms;
    auto until = std::chrono::steady_clock::now() + 7s;
    while (std::chrono::steady_clock::now() < until) {
        auto t0 = std::chrono::steady_clock::now();
        int status = status_of(server.port(), "/healthz");
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        CHECK(status == 200);
        std::this_thread::sleep_for(20ms);
    }
    stop = true;
    slow.join();
    std::sort(ms.begin(), ms.end());
    double p99 = ms[ms.size() * 99 / 100];
    INFO("requests " << ms.size() << ", p50 " << ms[ms.size() / 2] << " ms, p99 " << p99 << " ms, cut off "
                     << cut_off.load());
    CHECK(ms.size() >= 100);
    CHECK(p99 < 200);
    // The read timeout (3 s) ends a request that is still not complete: every slow
    // connection was dropped at least once in 7 s.
    CHECK(cut_off.load() >= k_slow);
}
