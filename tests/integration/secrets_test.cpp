// Secrets and tokens: guessing manage, feed and invitation links finds nothing and gets
// the guesser throttled; no secret ever reaches the server's output.
#include "support/accounts.hpp"
#include "support/test_env.hpp"
#include "support/ws_client.hpp"

#include <catch2/catch.hpp>
#include <random>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace sp::test;
using namespace std::chrono_literals;

namespace {

struct guess {
    std::string target;
    std::string client; // X-Forwarded-For (the server trusts 127.0.0.1 as a proxy here)
};

struct guess_reply {
    int status = 0;
    std::string retry_after;
};

/** Sends every guess as a GET, pipelined over `connections` keep-alive connections
 *  (each written by one thread and read by another); the replies in guess order. */
std::vector<guess_reply> pipelined(std::uint16_t port, const std::vector<guess>& guesses, std::size_t connections = 32)
{
    std::vector<guess_reply> replies(guesses.size());
    std::vector<std::thread> workers;
    for (std::size_t c = 0; c < connections; ++c) {
        workers.emplace_back([&, c] {
            std::vector<std::size_t> mine;
            for (std::size_t i = c; i < guesses.size(); i += connections) mine.push_back(i);
            int fd = connect_loopback(port);
            if (fd < 0) return;
            std::thread writer([&] {
                std::string batch;
                for (std::size_t i : mine) {
                    batch += "GET " + guesses[i].target + " HTTP/1.1\r\nHost: x\r\n";
                    if (!guesses[i].client.empty()) batch += "X-Forwarded-For: " + guesses[i].client + "\r\n";
                    batch += "\r\n";
                    if (batch.size() > 32 * 1024) {
                        if (::send(fd, batch.data(), batch.size(), MSG_NOSIGNAL) < 0) return;
                        batch.clear();
                    }
                }
                if (!batch.empty()) ::send(fd, batch.data(), batch.size(), MSG_NOSIGNAL);
            });
            std::string in;
            char buf[65536];
            std::size_t next = 0;
            timeval tv{10, 0};
            ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
            while (next < mine.size()) {
                auto head_end = in.find("\r\n\r\n");
                if (head_end != std::string::npos) {
                    std::string head = in.substr(0, head_end + 2);
                    auto cl = head.find("Content-Length: ");
                    std::size_t length = cl == std::string::npos ? 0 : std::stoul(head.substr(cl + 16));
                    if (in.size() >= head_end + 4 + length) {
                        guess_reply& r = replies[mine[next++]];
                        r.status = std::stoi(head.substr(9, 3));
                        auto ra = head.find("Retry-After: ");
                        if (ra != std::string::npos) r.retry_after = head.substr(ra + 13, head.find("\r\n", ra) - ra - 13);
                        in.erase(0, head_end + 4 + length);
                        continue;
                    }
                }
                ssize_t n = ::recv(fd, buf, sizeof buf, 0);
                if (n <= 0) break;
                in.append(buf, static_cast<std::size_t>(n));
            }
            ::shutdown(fd, SHUT_RDWR);
            writer.join();
            ::close(fd);
        });
    }
    for (auto& w : workers) w.join();
    return replies;
}

/** 43 characters of base64url, like a real token. */
std::string random_token(std::mt19937_64& rng)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string t(43, 'A');
    for (char& c : t) c = alphabet[rng() % 64];
    return t;
}

/** Near misses of a real token: one character changed, cut short, extended, other case. */
std::vector<std::string> near_misses(const std::string& real)
{
    std::vector<std::string> out;
    for (std::size_t i = 0; i < real.size(); i += 3) {
        std::string t = real;
        t[i] = t[i] == 'A' ? 'B' : 'A';
        out.push_back(t);
    }
    out.push_back(real.substr(0, real.size() - 1));
    out.push_back(real.substr(0, 16));
    out.push_back(real + "A");
    out.push_back(real + "%00");
    out.push_back(real + "%20");
    std::string upper = real;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper != real) out.push_back(upper);
    for (std::string odd : {"%2A", "*", "..", "%2e%2e", "0", "%20", "null", "undefined", "%5Bobject%20Object%5D"})
        out.push_back(odd);
    return out;
}

std::string hub_with_talk() { return bochum_hub_file(event_toml("talk", "anna", "Security Night", 20)); }

http_reply book(std::uint16_t port, const std::string& email, const std::string& idempotency_key = {})
{
    std::map<std::string, std::string> h{{"Content-Type", "application/json"}};
    if (!idempotency_key.empty()) h["Idempotency-Key"] = idempotency_key;
    return http_request(port, "POST", "/api/v1/sessions/talk/bookings", h,
                        R"({"name":"N","email":")" + email + R"(","startup":"S","consent":true})");
}

std::string feed_path(const http_reply& r)
{
    std::string url = json_at(r.body, "/url");
    return url.substr(url.find("/feeds/"));
}

std::string feed_token(const http_reply& r)
{
    std::string path = feed_path(r);
    return path.substr(7, path.size() - 7 - 4);
}

} // namespace

TEST_CASE("10,000 guessed manage, feed and invitation links find nothing, and a guessing address gets 429",
          "[security][tokens]")
{
    constexpr int k_limit = 40;
    redis_server redis;
    // 40,000 requests: the optimised server when the test command built one, so this
    // takes seconds, not a minute (the guard also runs under the sanitizers in the
    // booking and secrets tests).
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + hub_with_talk(),
                           "--http.trusted_proxies=127.0.0.1", "--log.access_log=false",
                           "--auth.token_misses_per_address=" + std::to_string(k_limit),
                           "--auth.token_miss_window_seconds=600"},
                          true, perf_server_binary());
    auto port = server.port();
    REQUIRE(eventually([&] { return status_of(port, "/readyz") == 200; }, 5s));
    http_reply booked = book(port, "real.founder@example.org");
    REQUIRE(booked.status == 201);
    std::string manage = json_at(booked.body, "/manage_token");
    http_reply feed = post(port, "/api/v1/manage/" + manage + "/feed", "");
    REQUIRE(feed.status == 201);
    std::string feed_tok = feed_token(feed);
    std::string invitation = invite_admin(redis, "manager@hub.example.org");

    // 10,000 guesses of each kind: random tokens and near misses of the real ones, each
    // address below the limit (addresses from a trusted proxy), so every one is looked up.
    std::mt19937_64 rng(20260101);
    std::vector<guess> guesses;
    auto add_kind = [&](const std::string& real, auto target_of) {
        std::vector<std::string> tokens = near_misses(real);
        while (tokens.size() < 10'000) tokens.push_back(random_token(rng));
        for (const auto& t : tokens) guesses.push_back({target_of(t), {}});
    };
    add_kind(manage, [](const std::string& t) { return "/api/v1/manage/" + t; });
    add_kind(feed_tok, [](const std::string& t) { return "/feeds/" + t + ".ics"; });
    add_kind(invitation, [](const std::string& t) { return "/api/v1/auth/invitations/" + t; });
    for (std::size_t i = 0; i < guesses.size(); ++i) {
        std::size_t a = i / (k_limit - 1); // k_limit - 1 misses per address
        guesses[i].client = "10." + std::to_string(a / 65536) + "." + std::to_string(a / 256 % 256) + "." +
                            std::to_string(a % 256);
    }
    auto started = std::chrono::steady_clock::now();
    auto replies = pipelined(port, guesses);
    double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::map<int, int> by_status;
    for (const auto& r : replies) ++by_status[r.status];
    INFO(guesses.size() << " guesses in " << took << " s");
    CHECK(by_status[404] == static_cast<int>(guesses.size())); // no hit, no error, nothing throttled
    CHECK(by_status.size() == 1);

    // One address guessing: k_limit misses, then 429 with Retry-After for everything,
    // whether the link exists or not, so a hit cannot be told apart any more.
    std::vector<guess> first, rest;
    for (int i = 0; i < k_limit + 10; ++i) first.push_back({"/api/v1/manage/" + random_token(rng), "10.200.0.1"});
    for (int i = 0; i < 10'000 - k_limit - 10; ++i) rest.push_back({"/api/v1/manage/" + random_token(rng), "10.200.0.1"});
    auto in_order = pipelined(port, first, 1); // one connection: one after the other
    for (int i = 0; i < k_limit + 10; ++i) CHECK(in_order[static_cast<std::size_t>(i)].status == (i < k_limit ? 404 : 429));
    auto throttled = pipelined(port, rest);
    int refused = 0;
    for (const auto& r : throttled) refused += r.status == 429;
    CHECK(refused == static_cast<int>(rest.size()));
    int retry = std::atoi(throttled.back().retry_after.c_str());
    CHECK(retry > 500);
    CHECK(retry <= 600);
    for (const std::string& target : {"/api/v1/manage/" + manage, "/feeds/" + feed_tok + ".ics",
                                      "/api/v1/auth/invitations/" + invitation}) {
        INFO(target);
        http_reply blocked = http_get(port, target, {{"X-Forwarded-For", "10.200.0.1"}});
        CHECK(blocked.status == 429);
        CHECK(blocked.header("retry-after") != "");
        CHECK(json_at(blocked.body, "/code") == "too-many-guesses");
        // Another address is not affected, and the real links work there.
        CHECK(http_get(port, target, {{"X-Forwarded-For", "10.200.0.2"}}).status == 200);
    }
    // Hits are not misses: an address using its real link over and over is never stopped.
    for (int i = 0; i < k_limit + 5; ++i)
        REQUIRE(http_get(port, "/api/v1/manage/" + manage, {{"X-Forwarded-For", "10.200.0.3"}}).status == 200);

    // IPv6 addresses count by their /64: hopping within it does not reset the count.
    std::vector<guess> v6;
    for (int i = 1; i <= k_limit; ++i) {
        char addr[64];
        std::snprintf(addr, sizeof addr, "2001:db8:1:2::%x", i);
        v6.push_back({"/feeds/" + random_token(rng) + ".ics", addr});
    }
    for (const auto& r : pipelined(port, v6, 1)) CHECK(r.status == 404);
    CHECK(http_get(port, "/feeds/" + feed_tok + ".ics", {{"X-Forwarded-For", "2001:db8:1:2:ffff::1"}}).status == 429);
    CHECK(http_get(port, "/feeds/" + feed_tok + ".ics", {{"X-Forwarded-For", "2001:db8:1:3::1"}}).status == 200);

    // The window ends: the count lives in Redis with an expiry, nowhere else.
    std::string keys = redis_keys_with(redis, "misses:");
    CHECK(keys.find(sha256_hex("10.200.0.1")) != std::string::npos);
    CHECK(keys.find("10.200.0.1") == std::string::npos); // the address only hashed
    CHECK(redis.cli({"DEL", "sp:{hub}:misses:" + sha256_hex("10.200.0.1")}) == "1");
    CHECK(http_get(port, "/api/v1/manage/" + manage, {{"X-Forwarded-For", "10.200.0.1"}}).status == 200);
}

TEST_CASE("no password, token, session id or CSRF token ever appears in the server's output", "[security][log]")
{
    redis_server redis;
    std::uint16_t closed_port = free_port(); // mail and webhooks fail: their retries are logged too
    const std::string smtp_password = "smtp-secret-Pa55word";
    const std::string webhook_secret = "webhook-signing-secret-0815";
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + hub_with_talk(), "--log.level=debug",
                           "--mail.smtp_url=smtp://127.0.0.1:" + std::to_string(closed_port),
                           "--mail.username=hub", "--mail.password=" + smtp_password, "--mail.retry_base_seconds=1",
                           "--mail.poll_ms=50", "--mail.timeout_seconds=1",
                           "--webhook.url=http://127.0.0.1:" + std::to_string(closed_port) + "/hook",
                           "--webhook.secret=" + webhook_secret, "--calendar.fetch_timeout_seconds=2"});
    auto port = server.port();
    REQUIRE(eventually([&] { return status_of(port, "/readyz") == 200; }, 5s));
    std::vector<std::pair<std::string, std::string>> secrets{{"smtp password", smtp_password},
                                                             {"webhook secret", webhook_secret}};
    auto keep = [&](const std::string& what, const std::string& value) {
        REQUIRE(value.size() >= 16);
        secrets.emplace_back(what, value);
    };

    // The first admin: an invitation from the admin tool, a password set through it.
    std::string admin_invitation = invite_admin(redis, "manager@hub.example.org");
    keep("admin invitation", admin_invitation);
    REQUIRE(http_get(port, "/api/v1/auth/invitations/" + admin_invitation).status == 200);
    http_reply accepted = post(port, "/api/v1/auth/invitations/" + admin_invitation + "/accept",
                               R"({"password":")" + k_password + R"("})");
    REQUIRE(accepted.status == 201);
    keep("admin password", k_password);
    browser admin = from(accepted);
    keep("admin session", admin.session);
    keep("admin csrf", admin.csrf);

    // An expert, invited through the API; a wrong password, then a sign-in.
    http_reply inv = post(port, "/api/v1/admin/invitations",
                          R"({"email":"anna@example.org","role":"expert","expert_id":"anna"})", admin.headers());
    REQUIRE(inv.status == 201);
    std::string expert_invitation = json_at(inv.body, "/invitation_token");
    keep("expert invitation", expert_invitation);
    const std::string expert_password = "Anna's very own passphrase 42";
    keep("expert password", expert_password);
    REQUIRE(post(port, "/api/v1/auth/invitations/" + expert_invitation + "/accept",
                 R"({"password":")" + expert_password + R"("})")
                .status == 201);
    const std::string wrong_password = "not Anna's passphrase at all";
    keep("a wrong password", wrong_password);
    CHECK(post(port, "/api/v1/auth/login", R"({"email":"anna@example.org","password":")" + wrong_password + R"("})")
              .status == 401);
    http_reply signed_in = post(port, "/api/v1/auth/login",
                                R"({"email":"anna@example.org","password":")" + expert_password + R"("})");
    REQUIRE(signed_in.status == 200);
    browser anna = from(signed_in);
    keep("expert session", anna.session);
    keep("expert csrf", anna.csrf);
    CHECK(http_get(port, "/api/v1/auth/me", anna.headers()).status == 200);

    // A founder books (with an idempotency key), uses the manage link, makes a feed.
    const std::string idempotency_key = "idem-key-8d3f1c2a-77aa-4b1e";
    keep("idempotency key", idempotency_key);
    http_reply booked = book(port, "founder@example.org", idempotency_key);
    REQUIRE(booked.status == 201);
    std::string manage = json_at(booked.body, "/manage_token");
    keep("manage token", manage);
    CHECK(book(port, "founder@example.org", idempotency_key).status == 201); // the replay
    CHECK(http_get(port, "/api/v1/manage/" + manage).status == 200);
    CHECK(http_get(port, "/b/" + manage).status == 200);
    CHECK(http_get(port, "/api/v1/manage/" + manage + "/booking.ics").status == 200);
    http_reply founder_feed = post(port, "/api/v1/manage/" + manage + "/feed", "");
    REQUIRE(founder_feed.status == 201);
    keep("founder feed token", feed_token(founder_feed));
    CHECK(http_get(port, feed_path(founder_feed)).status == 200);
    http_reply expert_feed = post(port, "/api/v1/expert/feed", "", anna.headers());
    REQUIRE(expert_feed.status == 201);
    keep("expert feed token", feed_token(expert_feed));
    CHECK(http_get(port, feed_path(expert_feed)).status == 200);
    // Her own calendar's private address: a secret the server stores, never logs.
    const std::string calendar_secret = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
    keep("expert's calendar address", calendar_secret);
    CHECK(post(port, "/api/v1/expert/calendars",
               R"({"url":"https://calendar.google.com/calendar/ical/anna/private-)" + calendar_secret + R"(/basic.ics"})",
               anna.headers())
              .status == 201);
    CHECK(http_get(port, "/api/v1/expert/calendars", anna.headers(false)).body.find(calendar_secret.substr(0, 12)) ==
          std::string::npos);

    // The expert watches live, with her session cookie.
    {
        ws_client live(port, {}, true, 0, "sp_session=" + anna.session);
        live.send(R"({"op":"subscribe","id":"s","view":{"type":"expert","expert":"anna","private":true}})");
        CHECK(live.next_op("snapshot"));
    }
    CHECK(post(port, "/api/v1/manage/" + manage + "/cancel", "").status == 200);
    CHECK(post(port, "/api/v1/auth/logout", "", anna.headers()).status == 204);
    CHECK(http_get(port, "/api/v1/auth/me", anna.headers()).status == 401); // a stale cookie, logged as such

    // Mail and webhooks have been tried (and failed) by now: their retries are logged.
    CHECK(eventually([&] { return server.log().find("event=message_retry") != std::string::npos; }, 10s));
    auto status = server.terminate(10s);
    REQUIRE(status.has_value());

    std::string log = server.log();
    CHECK_THAT(log, Catch::Contains("event=access") && Catch::Contains("path=/api/v1/manage/[redacted]") &&
                        Catch::Contains("event=login_failed") && Catch::Contains("event=account_created"));
    for (const auto& [what, value] : secrets) {
        INFO(what);
        CHECK(log.find(value) == std::string::npos);
        CHECK(log.find(value.substr(0, 12)) == std::string::npos); // not even a prefix
    }
}
