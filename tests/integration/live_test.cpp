#include "support/accounts.hpp"
#include "support/test_env.hpp"
#include "support/ws_client.hpp"

#include <catch2/catch.hpp>
#include <algorithm>
#include <ctime>
#include <fstream>
#include <thread>
#include <simdjson.h>

using namespace sp::test;
using namespace std::chrono_literals;

namespace {

std::string at(const std::string& json, const std::string& pointer) { return json_at(json, pointer); }

std::size_t count(const std::string& json, const std::string& pointer)
{
    simdjson::dom::parser p;
    simdjson::dom::array arr;
    if (p.parse(json).at_pointer(pointer).get(arr) != simdjson::SUCCESS) return 0;
    return arr.size();
}

/** Versions compare as "ms-seq". */
bool newer(const std::string& a, const std::string& b)
{
    auto split = [](const std::string& v) {
        auto d = v.find('-');
        return std::pair{std::stoull(v.substr(0, d)), std::stoull(v.substr(d + 1))};
    };
    return split(a) > split(b);
}

std::string hub_file(int seats)
{
    return bochum_hub_file(event_toml("talk", "anna", "Security Night", seats));
}

int book(std::uint16_t port, const std::string& email)
{
    return http_request(port, "POST", "/api/v1/sessions/talk/bookings", {{"Content-Type", "application/json"}},
                        R"({"name":"N","email":")" + email + R"(","startup":"S","consent":true})")
        .status;
}

const std::string subscribe_event = R"({"op":"subscribe","id":"s1","view":{"type":"event","event":"talk"}})";

/** The version of the event's snapshot, from a client that then goes away. */
std::string event_snapshot_version(std::uint16_t port)
{
    ws_client first(port);
    first.send(subscribe_event);
    auto snapshot = first.next_op("snapshot");
    REQUIRE(snapshot);
    return at(*snapshot, "/version");
}

} // namespace

TEST_CASE("a booking made over HTTP reaches a subscribed WebSocket client with the new seat count", "[live]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + hub_file(50)});
    ws_client client(server.port());
    client.send(subscribe_event);
    auto snapshot = client.next_op("snapshot");
    REQUIRE(snapshot);
    CHECK(at(*snapshot, "/id") == "s1");
    CHECK(at(*snapshot, "/sessions/0/seats_taken") == "0");
    std::string version = at(*snapshot, "/version");
    CHECK(schema_problems("ws/live.schema.json", "snapshot", *snapshot) == "");

    REQUIRE(book(server.port(), "a@example.org") == 201);
    auto changes = client.next_op("changes", 3s);
    REQUIRE(changes);
    CHECK(at(*changes, "/changes/0/session/id") == "talk");
    CHECK(at(*changes, "/changes/0/session/seats_taken") == "1");
    CHECK(at(*changes, "/changes/0/type") == "booking.created");
    CHECK(newer(at(*changes, "/changes/0/version"), version));
    CHECK(schema_problems("ws/live.schema.json", "changes", *changes) == "");
    // Public views never carry who booked.
    CHECK(changes->find("a@example.org") == std::string::npos);
}

TEST_CASE("a camp's events view lists its events of any date and follows one moved far ahead", "[live][lobby]")
{
    redis_server redis;
    // Two events, one in 25 days (past the lobby's watched days), and office hours that
    // the view must leave out.
    server_process server({"--redis.url=" + redis.url(),
                           "--hub.seed_file=" + bochum_hub_file(event_toml("talk", "anna", "Security Night", 20) +
                                                                event_toml("far", "anna", "Far Night", 20, 25) +
                                                                daily_rule_toml("r", "anna", "", "09:00", "17:00"))});
    ws_client client(server.port());
    client.send(R"({"op":"subscribe","id":"ev","view":{"type":"camp_events","camp":"bochum"}})");
    // Another camp's screen, open all along: none of Bochum's changes reach it.
    ws_client other(server.port());
    other.send(R"({"op":"subscribe","id":"ev","view":{"type":"camp_events","camp":"dortmund"}})");
    auto none = other.next_op("snapshot");
    REQUIRE(none);
    CHECK(count(*none, "/sessions") == 0);
    auto snapshot = client.next_op("snapshot");
    REQUIRE(snapshot);
    INFO(*snapshot);
    CHECK(schema_problems("ws/live.schema.json", "snapshot", *snapshot) == "");
    REQUIRE(count(*snapshot, "/sessions") == 2); // no office hour
    CHECK(at(*snapshot, "/sessions/0/id") == "talk");
    CHECK(at(*snapshot, "/sessions/1/id") == "far");

    // A booking of the far event reaches the screen at once.
    REQUIRE(http_request(server.port(), "POST", "/api/v1/sessions/far/bookings", {{"Content-Type", "application/json"}},
                         R"({"name":"N","email":"n@example.org","startup":"S","consent":true})")
                .status == 201);
    auto booked = client.next_op("changes", 3s);
    REQUIRE(booked);
    CHECK(at(*booked, "/changes/0/session/id") == "far");
    CHECK(at(*booked, "/changes/0/session/seats_taken") == "1");

    // Moved two months ahead by a community manager: the screen hears of it (and can drop
    // it from its window) although the event left every window a lobby shows.
    browser admin = first_admin(redis, server);
    std::time_t later = std::time(nullptr) + 60 * 86400;
    std::tm tm{};
    gmtime_r(&later, &tm);
    char start[40], end[40];
    std::strftime(start, sizeof start, "%Y-%m-%dT17:00:00Z", &tm);
    std::strftime(end, sizeof end, "%Y-%m-%dT19:00:00Z", &tm);
    auto moved = http_request(server.port(), "PUT", "/api/v1/admin/events/far", admin.headers(),
                              std::string(R"({"camp_id":"bochum","expert_id":"anna","title":"Far Night","topic":"IT-Sicherheit","start":")") +
                                  start + R"(","end":")" + end + R"(","seats":20})");
    INFO(moved.body);
    REQUIRE(moved.status == 200);
    std::optional<std::string> change;
    REQUIRE(eventually([&] {
        change = client.next_op("changes", 1s);
        return change && at(*change, "/changes/0/session/id") == "far" &&
               at(*change, "/changes/0/session/start").substr(0, 10) == std::string(start).substr(0, 10);
    }, 10s));

    CHECK_FALSE(other.next_op("changes", 500ms)); // after the booking and the move above
}

TEST_CASE("two instances on one Redis: a booking on A reaches a client of B", "[live][tsan]")
{
    redis_server redis;
    server_process a({"--redis.url=" + redis.url(), "--hub.seed_file=" + hub_file(50)});
    server_process b({"--redis.url=" + redis.url()});
    ws_client client(b.port());
    client.send(subscribe_event);
    REQUIRE(client.next_op("snapshot"));
    REQUIRE(book(a.port(), "a@example.org") == 201);
    auto changes = client.next_op("changes", 3s);
    REQUIRE(changes);
    CHECK(at(*changes, "/changes/0/session/seats_taken") == "1");
    // And the other way round.
    REQUIRE(book(b.port(), "b@example.org") == 201);
    auto more = client.next_op("changes", 3s);
    REQUIRE(more);
    CHECK(at(*more, "/changes/0/session/seats_taken") == "2");
}

TEST_CASE("100 concurrent bookings on two instances fan out to 40 WebSocket clients, who all end at the true count",
          "[live][race][tsan]")
{
    // Several io threads on each instance: the sessions, the hub's fan-out and the
    // tailer run in parallel, which is what the ThreadSanitizer run is for.
    redis_server redis;
    server_process a({"--redis.url=" + redis.url(), "--hub.seed_file=" + hub_file(60), "--server.threads=4"});
    server_process b({"--redis.url=" + redis.url(), "--server.threads=4"});
    REQUIRE(eventually([&] { return status_of(a.port(), "/readyz") == 200 && status_of(b.port(), "/readyz") == 200; }, 5s));
    std::vector<std::unique_ptr<ws_client>> clients;
    for (int i = 0; i < 40; ++i) {
        clients.push_back(std::make_unique<ws_client>(i % 2 ? a.port() : b.port()));
        clients.back()->send(subscribe_event);
    }
    for (auto& c : clients) REQUIRE(c->next_op("snapshot"));

    std::vector<http_call> calls;
    for (int i = 0; i < 100; ++i)
        calls.push_back({"POST", "/api/v1/sessions/talk/bookings", {{"Content-Type", "application/json"}},
                         R"({"name":"N","email":"racer)" + std::to_string(i) + R"(@example.org","startup":"S","consent":true})"});
    std::vector<http_call> on_a(calls.begin(), calls.begin() + 50), on_b(calls.begin() + 50, calls.end());
    std::vector<http_reply> ra, rb;
    std::thread ta([&] { ra = parallel_requests(a.port(), on_a); });
    std::thread tb([&] { rb = parallel_requests(b.port(), on_b); });
    ta.join();
    tb.join();
    int created = 0;
    for (const auto& r : ra) created += r.status == 201;
    for (const auto& r : rb) created += r.status == 201;
    CHECK(created == 60);
    // Every client sees the last seat go, whatever it coalesced on the way.
    for (auto& c : clients) {
        std::string last;
        CHECK(eventually([&] {
            auto m = c->next_op("changes", 200ms);
            if (m) last = at(*m, "/changes/" + std::to_string(count(*m, "/changes") - 1) + "/session/seats_taken");
            return last == "60";
        }, 10s));
    }
}

TEST_CASE("a client that reconnects with since gets exactly the five changes it missed, in order", "[live][resume][tsan]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + hub_file(50)});
    std::string version = event_snapshot_version(server.port());
    for (int i = 0; i < 5; ++i) REQUIRE(book(server.port(), "f" + std::to_string(i) + "@example.org") == 201);

    ws_client again(server.port());
    again.send(R"({"op":"subscribe","id":"s1","view":{"type":"event","event":"talk"},"since":")" + version + "\"}");
    auto resume = again.next_op("resume");
    REQUIRE(resume);
    CHECK(schema_problems("ws/live.schema.json", "resume", *resume) == "");
    REQUIRE(count(*resume, "/changes") == 5);
    std::string previous = version;
    for (int i = 0; i < 5; ++i) {
        std::string v = at(*resume, "/changes/" + std::to_string(i) + "/version");
        CHECK(newer(v, previous));
        previous = v;
        CHECK(at(*resume, "/changes/" + std::to_string(i) + "/session/seats_taken") == std::to_string(i + 1));
    }
    CHECK(at(*resume, "/version") == previous);
    // Nothing else is pending: no duplicate arrives afterwards.
    CHECK_FALSE(again.next_op("changes", 500ms));
}

TEST_CASE("a client resuming while the server still follows the log gets each change once, in order",
          "[live][resume][tsan]")
{
    // The client comes back right after a burst of bookings, before this instance has
    // published them: the resume reads them from the log, and the late live copies
    // must not reach the client again.
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + hub_file(60)});
    std::string version = event_snapshot_version(server.port());
    int booked = 0;
    for (int round = 0; round < 6; ++round) {
        std::vector<std::thread> burst;
        std::vector<int> statuses(6); // checked here: Catch's assertions are not thread-safe
        for (int i = 0; i < 6; ++i)
            burst.emplace_back([&, i] {
                statuses[static_cast<std::size_t>(i)] =
                    book(server.port(), "r" + std::to_string(round) + "-" + std::to_string(i) + "@example.org");
            });
        for (auto& t : burst) t.join();
        CHECK(statuses == std::vector<int>(6, 201));
        booked += 6;

        ws_client again(server.port());
        again.send(R"({"op":"subscribe","id":"s1","view":{"type":"event","event":"talk"},"since":")" + version + "\"}");
        std::vector<std::string> seen; // every change version the client receives, in order
        std::string taken;
        auto take = [&](const std::string& m, const std::string& list) {
            for (std::size_t i = 0; i < count(m, list); ++i) {
                std::string at_i = list + "/" + std::to_string(i);
                seen.push_back(at(m, at_i + "/version"));
                taken = at(m, at_i + "/session/seats_taken");
            }
        };
        auto resume = again.next_op("resume");
        REQUIRE(resume);
        take(*resume, "/changes");
        while (auto m = again.next(400ms)) {
            if (at(*m, "/op") == "changes") take(*m, "/changes");
        }
        INFO("round " << round << ", versions " << Catch::Detail::stringify(seen));
        REQUIRE(seen.size() == 6);
        std::string previous = version;
        for (const auto& v : seen) {
            CHECK(newer(v, previous));
            previous = v;
        }
        CHECK(taken == std::to_string(booked));
        version = seen.back();
    }
}

TEST_CASE("a since older than the trimmed change log gets a fresh snapshot", "[live][resume]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + hub_file(50)});
    REQUIRE(book(server.port(), "a@example.org") == 201);
    ws_client client(server.port());
    client.send(R"({"op":"subscribe","id":"s1","view":{"type":"event","event":"talk"},"since":"1-0"})");
    // The booking's own change may still be on its way from the tailer and arrive first.
    auto reply = client.next_op("snapshot", 3s);
    REQUIRE(reply);
    CHECK(at(*reply, "/sessions/0/seats_taken") == "1");
}

TEST_CASE("a since the change log cannot vouch for gets a fresh snapshot with the real version, never an echo",
          "[live][resume]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + hub_file(50)});
    REQUIRE(book(server.port(), "a@example.org") == 201);
    std::string real = event_snapshot_version(server.port());
    auto log = redis.stream("sp:{hub}:changes");
    REQUIRE(log.size() >= 2);
    REQUIRE(log.back().at("_id") == real);
    auto ms = [](const std::string& v) { return std::stoull(v.substr(0, v.find('-'))); };
    const std::string& before = log[log.size() - 2].at("_id");
    REQUIRE(ms(before) < ms(real));
    // Ahead of the log's head (never sent), and inside the log's range but not one of its
    // entries (from a log that was wiped and refilled since).
    std::string ahead = std::to_string(ms(real) + 3'600'000) + "-0";
    std::string foreign = std::to_string(ms(before)) + "-999999";
    for (const std::string& since : {ahead, foreign}) {
        INFO(since);
        ws_client client(server.port());
        client.send(R"({"op":"subscribe","id":"s1","view":{"type":"event","event":"talk"},"since":")" + since + "\"}");
        auto reply = client.next();
        REQUIRE(reply);
        CHECK(at(*reply, "/op") == "snapshot");
        CHECK(at(*reply, "/version") == real);
        CHECK(at(*reply, "/sessions/0/seats_taken") == "1");
    }
    // The version the server did send still resumes, with nothing missed.
    ws_client current(server.port());
    current.send(R"({"op":"subscribe","id":"s1","view":{"type":"event","event":"talk"},"since":")" + real + "\"}");
    auto resume = current.next();
    REQUIRE(resume);
    CHECK(at(*resume, "/op") == "resume");
    CHECK(at(*resume, "/version") == real);
    CHECK(count(*resume, "/changes") == 0);
}

TEST_CASE("after a Redis restart the tailer follows again and clients converge within 2 s", "[live][faults]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + hub_file(50)});
    ws_client client(server.port());
    client.send(subscribe_event);
    REQUIRE(client.next_op("snapshot"));
    redis.stop();
    redis.start();
    auto back = std::chrono::steady_clock::now();
    REQUIRE(eventually([&] { return status_of(server.port(), "/readyz") == 200; }, 3s));
    REQUIRE(book(server.port(), "after@example.org") == 201);
    auto changes = client.next_op("changes", 3s);
    REQUIRE(changes);
    CHECK(at(*changes, "/changes/0/session/seats_taken") == "1");
    CHECK(std::chrono::steady_clock::now() - back < 3s);
}

TEST_CASE("bad messages get an error or the right close code, and others keep being served", "[live][limits][tsan]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + hub_file(50),
                           "--live.max_subscriptions=2", "--live.max_message_bytes=1024"});
    ws_client healthy(server.port());
    healthy.send(subscribe_event);
    REQUIRE(healthy.next_op("snapshot"));

    ws_client c(server.port());
    c.send("{not json");
    auto e1 = c.next_op("error");
    REQUIRE(e1);
    CHECK(at(*e1, "/code") == "malformed-json");
    CHECK(schema_problems("ws/live.schema.json", "error", *e1) == "");
    c.send(R"({"op":"subscribe","id":"d","view":{"type":"event","event":"talk","event":"other"}})");
    auto dup = c.next_op("error");
    REQUIRE(dup);
    CHECK(at(*dup, "/code") == "duplicate-key");
    CHECK(at(*dup, "/id") == "d");
    CHECK(at(*dup, "/detail").find("view.event") != std::string::npos);
    CHECK(schema_problems("ws/live.schema.json", "error", *dup) == "");
    c.send(R"({"op":"dance","id":"x"})");
    CHECK(at(c.next_op("error").value_or("{}"), "/code") == "unknown-op");
    c.send(R"({"op":"subscribe","id":"v","view":{"type":"camp_day","camp":"bochum","date":"2026-02-30"}})");
    CHECK(at(c.next_op("error").value_or("{}"), "/code") == "invalid-view");
    c.send(R"({"op":"subscribe","id":"a","view":{"type":"lobby","camp":"bochum"}})");
    c.send(R"({"op":"subscribe","id":"b","view":{"type":"expert","expert":"anna"}})");
    c.send(R"({"op":"subscribe","id":"c","view":{"type":"hub_day","date":"2026-12-01"}})");
    auto e2 = c.next_op("error");
    REQUIRE(e2);
    CHECK(at(*e2, "/code") == "too-many-subscriptions");
    c.send(R"({"op":"ping","id":"p"})");
    auto pong = c.next_op("pong");
    REQUIRE(pong);
    CHECK(schema_problems("ws/live.schema.json", "pong", *pong) == "");

    ws_client big(server.port());
    big.send(R"({"op":"ping","id":")" + std::string(2000, 'x') + "\"}");
    CHECK(big.wait_closed() == 1009);

    ws_client binary(server.port());
    binary.send_binary("\x01\x02\x03");
    CHECK(binary.wait_closed() == 1003);

    // The healthy client never noticed.
    REQUIRE(book(server.port(), "ok@example.org") == 201);
    CHECK(healthy.next_op("changes", 3s));
}

TEST_CASE("a client flooding messages is closed with 1008", "[live][limits]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--live.max_messages_per_second=5"});
    ws_client c(server.port());
    for (int i = 0; i < 60; ++i) c.send(R"({"op":"ping","id":"p"})");
    CHECK(c.wait_closed() == 1008);
}

TEST_CASE("an upgrade from a foreign origin is refused with 403 before it happens", "[live][security]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--live.allowed_origins=https://hub.example.org"});
    CHECK_THROWS_WITH(ws_client(server.port(), "https://evil.example"), Catch::Contains("HTTP 403"));
    CHECK_NOTHROW(ws_client(server.port(), "https://hub.example.org"));
    CHECK_NOTHROW(ws_client(server.port(), "http://127.0.0.1:" + std::to_string(server.port()))); // same origin
    CHECK_NOTHROW(ws_client(server.port())); // no Origin: not a browser
}

TEST_CASE("handshakes and subscribes over live.max_concurrent_opens wait their turn, and over max_waiting_opens they are turned away",
          "[live][limits]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + hub_file(50),
                           "--live.max_concurrent_opens=1", "--live.max_waiting_opens=1",
                           "--redis.command_timeout_ms=5000"});
    ws_client a(server.port()), b(server.port()), c(server.port());
    redis.pause(); // a's subscribe holds the one turn while it waits for Redis
    a.send(subscribe_event);
    REQUIRE(eventually([&] { return metric(server.port(), "sp_live_opens_waiting") == 0; }, 2s));
    std::this_thread::sleep_for(200ms);
    b.send(subscribe_event); // waits for a's turn
    REQUIRE(eventually([&] { return metric(server.port(), "sp_live_opens_waiting") == 1; }, 2s));

    // The line is full: a third subscribe is told to retry at once, a new socket gets 503.
    auto start = std::chrono::steady_clock::now();
    c.send(subscribe_event);
    auto refused = c.next_op("error", 2s);
    REQUIRE(refused);
    CHECK(at(*refused, "/code") == "unavailable");
    CHECK(std::chrono::steady_clock::now() - start < 1s);
    std::string upgrade = raw_exchange(server.port(),
                                       "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    CHECK_THAT(upgrade, Catch::StartsWith("HTTP/1.1 503"));
    CHECK_THAT(upgrade, Catch::Contains("Retry-After: 1"));
    CHECK_THAT(upgrade, Catch::Contains("\"code\":\"busy\""));
    CHECK(metric(server.port(), "sp_live_opens_turned_away_total") == 2);

    // Redis answers again: the waiting ones are served in turn, and the line is free.
    redis.resume();
    CHECK(a.next_op("snapshot", 5s));
    CHECK(b.next_op("snapshot", 5s));
    c.send(subscribe_event);
    CHECK(c.next_op("snapshot", 5s));
    CHECK(metric(server.port(), "sp_live_opens_waiting") == 0);
}

TEST_CASE("sockets per client address are limited (429)", "[live][limits]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--live.max_sockets_per_address=2"});
    ws_client a(server.port()), b(server.port());
    CHECK_THROWS_WITH(ws_client(server.port()), Catch::Contains("HTTP 429"));
    a.close();
    CHECK(eventually(
        [&] {
            try {
                ws_client c(server.port());
                return true;
            } catch (...) {
                return false;
            }
        },
        3s));
}

TEST_CASE("a graceful stop closes live connections with 1001", "[live][shutdown][tsan]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url()});
    ws_client c(server.port());
    c.send(R"({"op":"ping","id":"p"})");
    REQUIRE(c.next_op("pong"));
    auto status = server.terminate(10s);
    CHECK(c.wait_closed() == 1001);
    REQUIRE(status.has_value());
    CHECK(exit_code(*status) == 0);
}

TEST_CASE("a peer that ignores the 1001 close does not hold the stop up past the grace, and the server exits cleanly",
          "[live][shutdown][tsan]")
{
    // The peer subscribed, then stops reading: it never answers the close frame. After
    // the grace the server gives up on it and exits; its connection, still open then,
    // is torn down before the hub and the stores it refers to (a sanitizer build would
    // report the use after free and exit non-zero).
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--http.shutdown_grace_ms=300"});
    ws_client deaf(server.port(), {}, /*read=*/false);
    deaf.send(R"({"op":"ping","id":"p"})");
    ws_client c(server.port());
    c.send(R"({"op":"ping","id":"p"})");
    REQUIRE(c.next_op("pong"));
    auto started = std::chrono::steady_clock::now();
    auto status = server.terminate(10s);
    REQUIRE(status.has_value());
    CHECK(exit_code(*status) == 0);
    CHECK(std::chrono::steady_clock::now() - started < 5s);
    CHECK(c.wait_closed() == 1001);
    auto log = server.log();
    CHECK(log.find("abandoned_connections=") != std::string::npos); // it did outlive the grace
    CHECK(log.find("abandoned_connections=0") == std::string::npos);
    CHECK(log.find("live_hub_outlived") == std::string::npos);
}

TEST_CASE("50 sockets that never read cannot make the server hoard memory or slow a healthy client", "[live][slow]")
{
    // Many sessions, so coalescing alone cannot hide the load: 10,000 changes over 200.
    std::string events;
    for (int i = 0; i < 200; ++i)
        events += "\n[[event]]\nid = \"e" + std::to_string(i) + "\"\ncamp = \"bochum\"\nhost = \"anna\"\ntitle = \"" +
                  std::string(200, 'T') + "\"\nin_days = 2\nat = \"10:00\"\nminutes = 30\nseats = 5\n";
    std::string seed = hub_file(50);
    std::ofstream(seed, std::ios::app) << events;
    redis_server redis;
    // A small per-socket bound, so the stuck sockets do hit it within the test.
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + seed, "--live.slow_consumer_grace_ms=2000",
                           "--live.max_sockets_per_address=100", "--live.queue_max_bytes=65536"},
                          true, perf_server_binary());
    INFO("server binary " << perf_server_binary());
    std::string subscribe_lobby_day = R"({"op":"subscribe","id":"d","view":{"type":"expert","expert":"anna"}})";

    std::vector<std::unique_ptr<ws_client>> sleepers;
    for (int i = 0; i < 50; ++i) {
        sleepers.push_back(std::make_unique<ws_client>(server.port(), "", false, 4096));
        sleepers.back()->send(subscribe_lobby_day);
    }
    ws_client healthy(server.port());
    healthy.send(subscribe_lobby_day);
    REQUIRE(healthy.next_op("snapshot", 10s));
    std::this_thread::sleep_for(500ms);
    long rss_before = rss_kib(server.pid());

    // 10,000 changes streamed over about ten seconds (100 every 100 ms), each naming one
    // of the 200 sessions.
    std::vector<double> delays_ms;
    for (int burst = 0; burst < 100; ++burst) {
        std::vector<std::vector<std::string>> cmds;
        for (int i = 0; i < 100; ++i) {
            int n = burst * 100 + i;
            cmds.push_back({"XADD", "sp:{hub}:changes", "*", "type", "booking.created", "session",
                            "e" + std::to_string(n % 200), "taken", std::to_string(n % 5), "seats", "5", "waiting", "0"});
        }
        REQUIRE(redis.pipeline(cmds) == 0);
        std::this_thread::sleep_for(100ms);
    }
    // Each change's age when it reached the healthy client: from the time in its
    // version (when Redis logged it) to its arrival (stamped by the client's reader).
    while (auto m = healthy.next_timed(1000ms)) {
        auto version = at(m->first, "/changes/0/version");
        if (version.empty()) continue;
        auto arrived_ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(m->second.time_since_epoch()).count();
        delays_ms.push_back(static_cast<double>(arrived_ms - std::stoll(version.substr(0, version.find('-')))));
    }
    long rss_after = rss_kib(server.pid());
    INFO("rss before " << rss_before << " KiB, after " << rss_after << " KiB, " << delays_ms.size() << " updates");
    CHECK(rss_after - rss_before < 64 * 1024);
    REQUIRE(delays_ms.size() > 100);
    std::sort(delays_ms.begin(), delays_ms.end());
    double p99 = delays_ms[delays_ms.size() * 99 / 100];
    INFO("p99 delivery " << p99 << " ms");
    CHECK(p99 < 250);
    // The sleepers were cut off as slow consumers.
    CHECK(metric(server.port(), "sp_live_slow_closes_total") > 0);
    // Their queues merged the states of the same session while they waited.
    CHECK(metric(server.port(), "sp_live_coalesced_total") > 0);
}

TEST_CASE("/metrics counts live sockets, subscriptions, messages and bytes sent, and the tailer's lag", "[live][metrics]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + hub_file(50)});
    auto m = [&](const char* name) { return metric(server.port(), name); };
    CHECK(m("sp_live_sockets") == 0);
    CHECK(m("sp_live_subscriptions") == 0);
    CHECK(m("sp_live_tailer_lag_ms") >= 0);
    long sent_before = m("sp_live_messages_sent_total"), bytes_before = m("sp_live_bytes_sent_total");
    REQUIRE(sent_before >= 0);
    {
        ws_client a(server.port()), b(server.port());
        a.send(subscribe_event);
        a.send(R"({"op":"subscribe","id":"s2","view":{"type":"expert","expert":"anna"}})");
        b.send(subscribe_event);
        REQUIRE(a.next_op("snapshot"));
        REQUIRE(a.next_op("snapshot"));
        REQUIRE(b.next_op("snapshot"));
        CHECK(m("sp_live_sockets") == 2);
        CHECK(m("sp_live_subscriptions") == 3);
        REQUIRE(book(server.port(), "metrics@example.org") == 201);
        REQUIRE(a.next_op("changes"));
        REQUIRE(b.next_op("changes"));
        // Three snapshots and one change on each socket (once on a, though two of its views match it).
        // (counted when the write completes, which can be just after the client read it)
        CHECK(eventually([&] { return m("sp_live_messages_sent_total") - sent_before == 5; }, 2s));
        CHECK(m("sp_live_bytes_sent_total") - bytes_before > 500);
        CHECK(m("sp_live_changes_published_total") == 1);
        CHECK_FALSE(a.next_op("changes", 300ms));
    }
    CHECK(eventually([&] { return m("sp_live_sockets") == 0 && m("sp_live_subscriptions") == 0; }, 2s));
}

TEST_CASE("a peer that stops answering pings is dropped after the idle timeout", "[live][heartbeat]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--live.idle_timeout_ms=1000"});
    auto sockets = [&] { return metric(server.port(), "sp_live_sockets"); };
    ws_client alive(server.port());
    {
        ws_client dead(server.port(), "", false); // never reads, so never answers a ping
        REQUIRE(eventually([&] { return sockets() == 2; }, 2s));
        auto start = std::chrono::steady_clock::now();
        CHECK(eventually([&] { return sockets() == 1; }, 4s));
        CHECK(std::chrono::steady_clock::now() - start < 3s);
    }
    // The live one answered every ping and is still there.
    alive.send(R"({"op":"ping","id":"still"})");
    CHECK(alive.next_op("pong", 2s));
}

TEST_CASE("permessage-deflate offers are declined", "[live][security]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url()});
    std::string raw = raw_exchange(server.port(),
                                   "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                                   "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n");
    CHECK(raw.rfind("HTTP/1.1 101", 0) == 0);
    CHECK(raw.find("permessage-deflate") == std::string::npos);
}

TEST_CASE("when the log is trimmed past an instance's position while it is cut off, its clients are told to resync",
          "[live][resume]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + hub_file(50)});
    ws_client client(server.port());
    client.send(subscribe_event);
    REQUIRE(client.next_op("snapshot"));

    // Find the tailer's connection, cut it, and trim the log before it can reconnect.
    std::string clients = redis.cli({"CLIENT", "LIST"});
    auto at_name = clients.find("name=sprechstunde-tailer");
    REQUIRE(at_name != std::string::npos);
    auto line_start = clients.rfind('\n', at_name);
    line_start = line_start == std::string::npos ? 0 : line_start + 1;
    auto id_pos = clients.find("id=", line_start);
    std::string id = clients.substr(id_pos + 3, clients.find(' ', id_pos) - id_pos - 3);
    REQUIRE(redis.pipeline({{"CLIENT", "KILL", "ID", id},
                            {"XTRIM", "sp:{hub}:changes", "MAXLEN", "0"},
                            {"XADD", "sp:{hub}:changes", "*", "type", "booking.created", "session", "talk", "taken",
                             "0", "seats", "50", "waiting", "0"}}) == 0);
    auto resync = client.next_op("resync", 5s);
    REQUIRE(resync);
    CHECK(schema_problems("ws/live.schema.json", "resync", *resync) == "");
    // Resubscribing works and live changes flow again.
    client.send(subscribe_event);
    REQUIRE(client.next_op("snapshot"));
    REQUIRE(book(server.port(), "later@example.org") == 201);
    CHECK(client.next_op("changes", 3s));
}
