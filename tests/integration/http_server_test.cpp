#include "http/gzip.hpp"
#include "support/test_env.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

using namespace sp::test;
using namespace std::chrono_literals;

namespace {
std::string status_line(const std::string& raw) { return raw.substr(0, raw.find("\r\n")); }
} // namespace

TEST_CASE("a static page is served with its type, an ETag, and 304 on revalidation", "[http][static]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url()});

    http_reply page = http_get(server.port(), "/");
    CHECK(page.status == 200);
    CHECK(page.header("content-type") == "text/html; charset=utf-8");
    CHECK(page.header("cache-control") == "no-cache");
    CHECK(page.header("x-content-type-options") == "nosniff");
    CHECK_THAT(page.body, Catch::Contains(">Sprechstunde</title>"));
    std::string etag = page.header("etag");
    REQUIRE(etag.size() > 2);

    http_reply again = http_get(server.port(), "/", {{"If-None-Match", etag}});
    CHECK(again.status == 304);
    CHECK(again.body.empty());
    CHECK(again.header("etag") == etag);
    CHECK(again.header("cache-control") == "no-cache");

    http_reply css = http_get(server.port(), "/css/base.css");
    CHECK(css.status == 200);
    CHECK(css.header("content-type") == "text/css; charset=utf-8");
    CHECK(css.header("cache-control") == "no-cache"); // revalidated on every use, 304 when unchanged
    CHECK(http_get(server.port(), "/css/base.css", {{"If-None-Match", css.header("etag")}}).status == 304);
    CHECK(http_get(server.port(), "/css/base.css", {{"If-None-Match", "\"stale\""}}).status == 200);
    // Browsers refuse ES modules that are not served as JavaScript.
    CHECK(http_get(server.port(), "/js/api.js").header("content-type") == "text/javascript; charset=utf-8");
    CHECK(http_get(server.port(), "/favicon.svg").header("content-type") == "image/svg+xml");
}

TEST_CASE("text files go out gzip-compressed to clients that accept it, with Vary and an ETag of their own",
          "[http][static][gzip]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url()});

    http_reply plain = http_get(server.port(), "/js/pages/booking.js");
    REQUIRE(plain.status == 200);
    CHECK(plain.header("content-encoding").empty());
    CHECK(plain.header("vary") == "Accept-Encoding");

    http_reply gz = http_get(server.port(), "/js/pages/booking.js", {{"Accept-Encoding", "gzip, deflate, br"}});
    REQUIRE(gz.status == 200);
    CHECK(gz.header("content-encoding") == "gzip");
    CHECK(gz.header("vary") == "Accept-Encoding");
    CHECK(gz.header("content-type") == "text/javascript; charset=utf-8");
    CHECK(gz.body.size() * 2 < plain.body.size()); // worth it
    CHECK(sp::http::gzip_decompress(gz.body) == plain.body);
    CHECK(gz.header("etag") != plain.header("etag"));

    // Revalidation works for both, and one encoding's ETag never validates the other.
    CHECK(http_get(server.port(), "/js/pages/booking.js", {{"Accept-Encoding", "gzip"}, {"If-None-Match", gz.header("etag")}})
              .status == 304);
    CHECK(http_get(server.port(), "/js/pages/booking.js", {{"If-None-Match", plain.header("etag")}}).status == 304);
    CHECK(http_get(server.port(), "/js/pages/booking.js", {{"If-None-Match", gz.header("etag")}}).status == 200);
    CHECK(http_get(server.port(), "/js/pages/booking.js", {{"Accept-Encoding", "gzip"}, {"If-None-Match", plain.header("etag")}})
              .status == 200);
    CHECK(http_get(server.port(), "/js/pages/booking.js", {{"Accept-Encoding", "gzip;q=0"}}).header("content-encoding").empty());
    CHECK(http_get(server.port(), "/", {{"Accept-Encoding", "gzip"}}).header("content-encoding") == "gzip");
}

TEST_CASE("HEAD answers with the headers of GET and no body", "[http][static]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url()});
    http_reply get = http_get(server.port(), "/css/base.css");
    std::string raw = raw_exchange(server.port(), "HEAD /css/base.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK(status_line(raw) == "HTTP/1.1 200 OK");
    CHECK_THAT(raw, Catch::Contains("Content-Length: " + std::to_string(get.body.size())));
    CHECK_THAT(raw, Catch::Contains("ETag: " + get.header("etag")));
    CHECK(raw.substr(raw.find("\r\n\r\n") + 4).empty());
}

TEST_CASE("traversal attempts over the wire never reach a file outside static/", "[http][static][security]")
{
    // A served folder with a secret right next to it, and /etc/passwd far above: a server
    // that followed any of these would answer with one of them (a lone "/../etc/passwd"
    // against the source tree would only meet a missing file and 404 anyway).
    std::string root = scratch_dir("traversal");
    std::string www = root + "/www";
    std::filesystem::create_directories(www + "/css");
    std::ofstream(www + "/index.html") << "<!doctype html><title>in</title>";
    std::ofstream(www + "/css/site.css") << "body{}";
    std::ofstream(root + "/secret.txt") << "OUTSIDE-THE-FOLDER";
    std::string up(20 * 3, '.');
    for (std::size_t i = 2; i < up.size(); i += 3) up[i] = '/'; // "../../..." past the file system's root
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--http.static_dir=" + www});
    REQUIRE(http_get(server.port(), "/css/site.css").body == "body{}");

    const std::vector<std::string> attacks{
        "/../secret.txt",           "/css/../../secret.txt",         "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",     "/css/%2e%2e/%2e%2e/secret.txt", "/..%5csecret.txt",
        "/css/..%2f..%2fsecret.txt", "/.%2e/secret.txt",             "/" + up + "etc/passwd",
        "/" + up + "%2e%2e/etc/passwd", "//etc/passwd",              "/" + root + "/secret.txt",
        "//" + root + "/secret.txt", "/%2fetc%2fpasswd",             "/index.html%00.css",
        "/secret.txt%00",           "/.git/config",                  "http://evil.example/etc/passwd"};
    for (const auto& target : attacks) {
        INFO(target);
        std::string raw = raw_exchange(server.port(), "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        std::string line = status_line(raw);
        bool refused = line == "HTTP/1.1 404 Not Found" || line == "HTTP/1.1 400 Bad Request";
        CHECK(refused);
        CHECK(raw.find("OUTSIDE-THE-FOLDER") == std::string::npos);
        CHECK(raw.find("root:") == std::string::npos);
        CHECK_THAT(raw, Catch::Contains("application/problem+json"));
    }
    // A raw NUL byte in the request line is malformed, not a file name.
    std::string nul = raw_exchange(server.port(), std::string("GET /index.html\0.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 61));
    CHECK(status_line(nul) == "HTTP/1.1 400 Bad Request");
}

TEST_CASE("a body over the limit gets 413 with a problem body", "[http][limits]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--http.max_body_bytes=1024"});
    std::string body(2000, 'x');
    std::string raw = raw_exchange(server.port(), "POST /api/v1/anything HTTP/1.1\r\nHost: x\r\nContent-Length: 2000\r\n"
                                                  "Content-Type: application/json\r\n\r\n" + body);
    CHECK(status_line(raw) == "HTTP/1.1 413 Payload Too Large");
    CHECK_THAT(raw, Catch::Contains("\"body-too-large\""));
    CHECK_THAT(raw, Catch::Contains("1024 bytes"));

    // A chunked body has no Content-Length to refuse up front: it is cut off where it
    // passes the limit (two 600-byte chunks).
    std::string chunk = "258\r\n" + std::string(600, 'x') + "\r\n";
    std::string chunked = raw_exchange(server.port(), "POST /api/v1/anything HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                                                      "Content-Type: application/json\r\n\r\n" + chunk + chunk + "0\r\n\r\n");
    CHECK(status_line(chunked) == "HTTP/1.1 413 Payload Too Large");
    CHECK_THAT(chunked, Catch::Contains("\"body-too-large\""));

    // Exactly at the limit is read and routed (no route takes it: the static files answer
    // a POST with 405, not 413).
    std::string ok = raw_exchange(server.port(), "POST /api/v1/anything HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                                 "Content-Type: application/json\r\nContent-Length: 1024\r\n\r\n" +
                                                     std::string(1024, 'x'));
    CHECK(status_line(ok) == "HTTP/1.1 405 Method Not Allowed");
}

TEST_CASE("a header block over the limit gets 431", "[http][limits]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--http.max_header_bytes=2048"});
    std::string raw = raw_exchange(server.port(), "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n");
    CHECK(status_line(raw) == "HTTP/1.1 431 Request Header Fields Too Large");
    // A normal request still works afterwards.
    CHECK(http_get(server.port(), "/healthz").status == 200);
}

TEST_CASE("garbage instead of HTTP gets 400 and a close", "[http][limits]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url()});
    std::string raw = raw_exchange(server.port(), "HELLO WORLD\r\n\r\n");
    CHECK(status_line(raw) == "HTTP/1.1 400 Bad Request");
}

TEST_CASE("a client that sends its request too slowly is disconnected at the read timeout", "[http][limits]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--http.read_timeout_ms=300"});
    auto start = std::chrono::steady_clock::now();
    std::string raw = raw_exchange(server.port(), "GET / HTTP/1.1\r\nHost: x\r\n"); // never finishes the header
    auto took = std::chrono::steady_clock::now() - start;
    CHECK(raw.empty());
    CHECK(took >= 250ms);
    CHECK(took < 3s); // raw_exchange would wait 5 s for a server that kept the connection
}

TEST_CASE("unknown paths and wrong methods get problem bodies", "[http]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url()});
    http_reply missing = http_get(server.port(), "/no/such/page.html");
    CHECK(missing.status == 404);
    CHECK(missing.header("content-type") == "application/problem+json");
    CHECK_THAT(missing.body, Catch::Contains("\"status\":404"));

    http_reply post = http_request(server.port(), "POST", "/healthz", {}, "{}");
    CHECK(post.status == 405);
    CHECK_THAT(post.header("allow"), Catch::Contains("GET"));

    http_reply delete_static = http_request(server.port(), "DELETE", "/index.html");
    CHECK(delete_static.status == 405);
    CHECK(delete_static.header("allow") == "GET, HEAD");
}

TEST_CASE("every response carries a request id that the access log repeats", "[http][log]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url()});
    http_reply mine = http_get(server.port(), "/healthz", {{"X-Request-Id", "trace-42"}});
    CHECK(mine.header("x-request-id") == "trace-42");
    http_reply generated = http_get(server.port(), "/healthz", {{"X-Request-Id", "bad id with spaces"}});
    std::string rid = generated.header("x-request-id");
    CHECK_FALSE(rid.empty());
    CHECK(rid != "bad id with spaces");
    CHECK(eventually([&] { return server.log().find("rid=" + rid) != std::string::npos; }, 2s));
    // One access line per request, with what was asked and how it was answered.
    std::vector<std::string> lines;
    std::istringstream log(server.log());
    for (std::string line; std::getline(log, line);)
        if (line.find("event=access rid=trace-42 ") != std::string::npos) lines.push_back(line);
    REQUIRE(lines.size() == 1);
    CHECK_THAT(lines[0], Catch::Contains(" method=GET path=/healthz status=200 ") && Catch::Contains(" ms="));
}

TEST_CASE("manage-link tokens and query strings never reach the access log", "[http][log][security]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url()});
    http_get(server.port(), "/b/SECRETTOKEN123");
    http_get(server.port(), "/index.html?token=SECRETQUERY");
    CHECK(eventually([&] { return server.log().find("path=/index.html") != std::string::npos; }, 2s));
    CHECK(server.log().find("SECRETTOKEN123") == std::string::npos);
    CHECK(server.log().find("SECRETQUERY") == std::string::npos);
}

TEST_CASE("keep-alive serves several requests on one connection, then idles out", "[http]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--http.idle_timeout_ms=300"});
    auto start = std::chrono::steady_clock::now();
    std::string raw = raw_exchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                                                  "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    auto took = std::chrono::steady_clock::now() - start;
    std::size_t answers = 0;
    for (std::size_t p = raw.find("HTTP/1.1 200"); p != std::string::npos; p = raw.find("HTTP/1.1 200", p + 1)) ++answers;
    CHECK(answers == 2);
    // raw_exchange returns when the server closes the idle connection (or after 5 s).
    CHECK(took < 3s);
}

TEST_CASE("connections over the limit get 503 while the others keep working", "[http][limits]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--http.max_connections=2"});
    // Two keep-alive connections the server is serving: each has had a 200 and stays
    // open. The start-up probe's connection may still be counted for a moment after the
    // probe closed it (the server notices the close a little later), so a connection
    // that was refused meanwhile is opened again, as a client would.
    const std::string keep_alive = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    auto served = [&] {
        std::unique_ptr<tcp_connection> c;
        CHECK(eventually([&] {
            c = std::make_unique<tcp_connection>(server.port());
            if (!c->connected() || !c->send(keep_alive)) return false;
            auto r = c->read_response(2s);
            return r.complete && r.reply.status == 200;
        }, 5s));
        return c;
    };
    auto a = served();
    auto b = served();
    // A third connection is refused, and says when to try again.
    std::string raw = raw_exchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK(status_line(raw) == "HTTP/1.1 503 Service Unavailable");
    CHECK_THAT(raw, Catch::Contains("Retry-After: 1"));
    // The two held connections keep working meanwhile.
    REQUIRE(a->send(keep_alive));
    CHECK(a->read_response(2s).reply.status == 200);
    a->close();
    b->close();
    CHECK(eventually([&] { return status_of(server.port(), "/healthz") == 200; }, 2s));
}

TEST_CASE("SIGTERM closes idle keep-alive connections and exits 0 promptly", "[http][shutdown][tsan]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--http.shutdown_grace_ms=3000"});
    // An idle keep-alive connection must not hold the shutdown up.
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket idle(ioc);
    idle.connect({boost::asio::ip::make_address("127.0.0.1"), server.port()});
    std::this_thread::sleep_for(100ms);
    auto start = std::chrono::steady_clock::now();
    auto status = server.terminate(10s);
    REQUIRE(status.has_value());
    CHECK(exit_code(*status) == 0);
    CHECK(std::chrono::steady_clock::now() - start < 3s);
    CHECK_THAT(server.log(), Catch::Contains("event=shutdown_complete"));
}

TEST_CASE("a request that never completes holds SIGTERM up for http.shutdown_grace_ms, not longer", "[http][shutdown]")
{
    redis_server redis;
    // The read timeout (10 s) would end it much later: the grace is what bounds the stop.
    server_process server({"--redis.url=" + redis.url(), "--http.shutdown_grace_ms=500", "--http.read_timeout_ms=10000"});
    tcp_connection stuck(server.port());
    REQUIRE(stuck.connected());
    REQUIRE(stuck.send("POST /api/v1/anything HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"half\":"));
    std::this_thread::sleep_for(200ms); // the server is reading its body
    auto start = std::chrono::steady_clock::now();
    auto status = server.terminate(10s);
    auto took = std::chrono::steady_clock::now() - start;
    REQUIRE(status.has_value());
    CHECK(exit_code(*status) == 0);
    CHECK(took >= 450ms); // it gave the request its grace
    CHECK(took < 3s);
    CHECK_THAT(server.log(), Catch::Contains("event=shutdown_complete abandoned_connections=1"));
}

TEST_CASE("page paths serve their page, and every response forbids inline script", "[http][static][security]")
{
    std::string dir = scratch_dir("pages");
    for (std::string name :
         {"index.html", "manage.html", "lobby.html", "expert.html", "admin.html", "invite.html", "profile.html"}) {
        std::ofstream(dir + "/" + name) << "<!doctype html><title>" << name << "</title>";
    }
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--http.static_dir=" + dir});

    CHECK_THAT(http_get(server.port(), "/b/Zk3x9_token").body, Catch::Contains("manage.html"));
    CHECK_THAT(http_get(server.port(), "/lobby/bochum").body, Catch::Contains("lobby.html"));
    CHECK_THAT(http_get(server.port(), "/invite/abc").body, Catch::Contains("invite.html"));
    CHECK_THAT(http_get(server.port(), "/expert").body, Catch::Contains("expert.html"));
    CHECK_THAT(http_get(server.port(), "/experts/anna-schmidt").body, Catch::Contains("profile.html"));
    CHECK(http_get(server.port(), "/experts/").status == 404);
    CHECK_THAT(http_get(server.port(), "/admin?tab=stats").body, Catch::Contains("admin.html"));
    CHECK(http_get(server.port(), "/b/").status == 404);
    CHECK(http_get(server.port(), "/b/a/b").status == 404);

    for (std::string path : {"/", "/b/x", "/api/v1/camps", "/no-such-file"}) {
        std::string csp = http_get(server.port(), path).header("content-security-policy");
        CHECK_THAT(csp, Catch::Contains("script-src 'self'"));
        CHECK_THAT(csp, !Catch::Contains("unsafe-inline"));
        CHECK_THAT(csp, Catch::Contains("frame-ancestors 'none'"));
    }
}

TEST_CASE("a camp's QR code is an SVG pointing at its booking page", "[http][qr]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + bochum_hub_file(),
                           "--hub.public_url=https://hub.example.org/"});
    REQUIRE(eventually([&] { return status_of(server.port(), "/readyz") == 200; }, 5s));
    http_reply qr = http_get(server.port(), "/api/v1/camps/bochum/qr.svg");
    CHECK(qr.status == 200);
    CHECK(qr.header("content-type") == "image/svg+xml");
    CHECK_THAT(qr.body, Catch::StartsWith("<svg"));
    CHECK_THAT(qr.body, Catch::Contains("<title>QR code: https://hub.example.org/?camp=bochum</title>"));
    http_reply unknown = http_get(server.port(), "/api/v1/camps/atlantis/qr.svg");
    CHECK(unknown.status == 404);
    CHECK(json_at(unknown.body, "/field") == "id");
}
