// A founder's upcoming entries (the bookings and waitlist places the limits are checked
// against) when optional fields are empty: an event without a host or room, an office
// hour without a room, a booking without a question. And entries stored by earlier
// versions ("b|s|e|start|end|week"), which must still be read the same way.
#include "domain/office_hours.hpp"
#include "domain/zoned_time.hpp"
#include "support/test_env.hpp"

#include <catch2/catch.hpp>
#include <fstream>

using namespace sp::test;
using namespace std::chrono_literals;

namespace {

const std::string k_prefix = "sp:{hub}:";

std::string at(const std::string& json, const std::string& pointer) { return json_at(json, pointer); }

/** An event without host or room: `in_days` from today at `at` local time. */
std::string hostless_event(const std::string& id, int seats, int in_days, const std::string& at, int minutes = 60)
{
    return "\n[[event]]\nid = \"" + id + "\"\ncamp = \"bochum\"\ntitle = \"Open " + id +
           "\"\ntopic = \"Repro\"\nin_days = " + std::to_string(in_days) + "\nat = \"" + at +
           "\"\nminutes = " + std::to_string(minutes) + "\nseats = " + std::to_string(seats) + "\n";
}

/** Bochum, anna's daily office hours in the lab, jonas's online without a room, plus `extra`. */
std::string hub(const std::string& extra)
{
    std::string path = scratch_dir("founder-entries") + "/hub.toml";
    std::ofstream(path) << R"([[camp]]
id = "bochum"
name = "Digital Camp Bochum"
city = "Bochum"
focus = "IT-Sicherheit"
address = "Universitätsstraße 142"

[[room]]
id = "lab"
camp = "bochum"
name = "Security Lab"
capacity = 20

[[expert]]
id = "anna"
name = "Anna Schmidt"
topics = ["IT-Sicherheit"]
languages = ["de"]
camps = ["bochum"]

[[expert]]
id = "jonas"
name = "Jonas Becker"
topics = ["Cloud"]
languages = ["de"]
camps = ["bochum"]

[[rule]]
id = "anna-daily"
expert = "anna"
camp = "bochum"
room = "lab"
slot_minutes = 30
windows = [ { day = "mon", start = "10:00", end = "12:00" }, { day = "tue", start = "10:00", end = "12:00" },
            { day = "wed", start = "10:00", end = "12:00" }, { day = "thu", start = "10:00", end = "12:00" },
            { day = "fri", start = "10:00", end = "12:00" }, { day = "sat", start = "10:00", end = "12:00" },
            { day = "sun", start = "10:00", end = "12:00" } ]

[[rule]]
id = "jonas-roomless"
expert = "jonas"
camp = "bochum"
online_url = "https://meet.example.org/jonas"
slot_minutes = 30
windows = [ { day = "mon", start = "14:00", end = "16:00" }, { day = "tue", start = "14:00", end = "16:00" },
            { day = "wed", start = "14:00", end = "16:00" }, { day = "thu", start = "14:00", end = "16:00" },
            { day = "fri", start = "14:00", end = "16:00" }, { day = "sat", start = "14:00", end = "16:00" },
            { day = "sun", start = "14:00", end = "16:00" } ]
)" << extra;
    return path;
}

/** The id of `rule`'s slot `in_days` after today (in Berlin) at hh:mm local. */
std::string slot(const std::string& rule, int in_days, int hour, int minute)
{
    const auto* berlin = sp::domain::find_zone("Europe/Berlin");
    auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    date::local_days day = date::local_days(sp::domain::local_date(now, berlin)) + date::days(in_days);
    auto start = sp::domain::resolve_local(day + std::chrono::hours(hour) + std::chrono::minutes(minute), berlin);
    REQUIRE(start);
    return sp::domain::session_id(rule, *start);
}

/** A booking body without the optional question. */
std::string body(const std::string& email)
{
    return R"({"name":"Jan Gründer","email":")" + email + R"(","startup":"Acme GmbH","consent":true,"lang":"de"})";
}

http_reply post_json(std::uint16_t port, const std::string& target, const std::string& json)
{
    return http_request(port, "POST", target, {{"Content-Type", "application/json"}}, json);
}

http_reply book(std::uint16_t port, const std::string& session, const std::string& email)
{
    return post_json(port, "/api/v1/sessions/" + session + "/bookings", body(email));
}

/** No Lua script failed: every answer above came from the booking rules, not a crash. */
void no_script_failed(const server_process& server)
{
    CHECK(metric(server.port(), "sp_redis_script_failures_total") == 0);
    CHECK(server.log().find("redis_script_failed") == std::string::npos);
}

/** Rewrites a booking's founder entry into the form earlier versions stored:
 *  "booking|session|expert|start|end|week", with the same score. */
void store_in_old_format(const redis_server& redis, const std::string& booking_id)
{
    std::string key = k_prefix + "booking:" + booking_id;
    std::string founder = redis.cli({"HGET", key, "founder_key"});
    std::string entry = redis.cli({"HGET", key, "founder_entry"});
    REQUIRE(entry.front() == '[');
    std::string score = redis.cli({"ZSCORE", founder, entry});
    REQUIRE(score != "(nil)");
    std::vector<std::string> f;
    for (std::size_t i = 0; i < 6; ++i) f.push_back(json_at(entry, "/" + std::to_string(i)));
    std::string old = f[0] + '|' + f[1] + '|' + f[2] + '|' + f[3] + '|' + f[4] + '|' + f[5];
    REQUIRE(redis.replies({{"ZREM", founder, entry}, {"ZADD", founder, score, old}, {"HSET", key, "founder_entry", old}})
                .size() == 3);
    REQUIRE(redis.cli({"HGET", key, "founder_entry"}) == old);
}

} // namespace

TEST_CASE("events without a host book, wait, move, cancel, promote and erase, and the founder limits hold for them",
          "[booking][optional]")
{
    std::string events = hostless_event("open-a", 1, 10, "10:00") + hostless_event("open-b", 5, 10, "10:00") +
                         hostless_event("open-c", 5, 11, "10:00");
    for (int d = 20; d <= 24; ++d) events += hostless_event("later-" + std::to_string(d), 5, d, "09:00");
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + hub(events),
                           "--booking.max_upcoming_per_founder=4", "--booking.max_per_expert_per_week=1",
                           "--booking.forbid_overlap=true"});
    auto port = server.port();
    REQUIRE(at(http_get(port, "/api/v1/sessions/open-a").body, "/expert_id").empty());

    // x holds a place in a host-less event and still books: another host-less event, an
    // office hour with a room and one without.
    http_reply xa = book(port, "open-a", "x@example.org");
    REQUIRE(xa.status == 201);
    http_reply xc = book(port, "open-c", "x@example.org");
    CHECK(xc.status == 201);
    http_reply xanna = book(port, slot("anna-daily", 12, 10, 0), "x@example.org");
    CHECK(xanna.status == 201);
    // ...and moves the hosted one, with the host-less place still held.
    http_reply moved = post_json(port, "/api/v1/manage/" + at(xanna.body, "/manage_token") + "/reschedule",
                                 R"({"session_id":")" + slot("anna-daily", 12, 11, 0) + "\"}");
    CHECK(moved.status == 200);
    // A host-less place has no expert to move within.
    http_reply no_host_move = post_json(port, "/api/v1/manage/" + at(xc.body, "/manage_token") + "/reschedule",
                                        R"({"session_id":"open-b"})");
    CHECK(no_host_move.status == 422);
    CHECK(at(no_host_move.body, "/code") == "different-expert");

    // y waits for the full host-less event, and cannot take another at the same time.
    http_reply ya = post_json(port, "/api/v1/sessions/open-a/waitlist", body("y@example.org"));
    REQUIRE(ya.status == 201);
    CHECK(at(ya.body, "/booking/status") == "waitlisted");
    http_reply yb = book(port, "open-b", "y@example.org");
    CHECK(yb.status == 409);
    CHECK(at(yb.body, "/code") == "overlap");
    CHECK(at(http_get(port, "/api/v1/sessions/open-b").body, "/seats_taken") == "0");

    // x cancels: the seat goes to y.
    CHECK(post_json(port, "/api/v1/manage/" + at(xa.body, "/manage_token") + "/cancel", "{}").status == 200);
    std::string y_token = at(ya.body, "/manage_token");
    CHECK(at(http_get(port, "/api/v1/manage/" + y_token).body, "/status") == "confirmed");
    // ...and now holding it, y still cannot double-book that hour, but books elsewhere.
    CHECK(at(book(port, "open-b", "y@example.org").body, "/code") == "overlap");
    CHECK(book(port, slot("jonas-roomless", 12, 14, 0), "y@example.org").status == 201);

    // The week limit is per expert: host-less events are nobody's, so two of them in a
    // week are fine, and they do not count against anna's one.
    CHECK(book(port, "open-b", "w@example.org").status == 201);
    CHECK(book(port, "open-c", "w@example.org").status == 201);
    CHECK(book(port, slot("anna-daily", 12, 10, 30), "w@example.org").status == 201);
    http_reply second_anna = book(port, slot("anna-daily", 12, 11, 30), "w@example.org");
    CHECK(second_anna.status == 409);
    CHECK(at(second_anna.body, "/code") == "expert-week-limit");
    // The count of upcoming bookings includes host-less ones.
    for (int d = 20; d <= 23; ++d) CHECK(book(port, "later-" + std::to_string(d), "z@example.org").status == 201);
    http_reply fifth = book(port, "later-24", "z@example.org");
    CHECK(fifth.status == 409);
    CHECK(at(fifth.body, "/code") == "founder-limit");

    // y erases everything: nothing of y is left, the seat goes back.
    http_reply erased = post_json(port, "/api/v1/manage/" + y_token + "/erase", R"({"confirm":true})");
    CHECK(erased.status == 200);
    CHECK(at(http_get(port, "/api/v1/sessions/open-a").body, "/seats_taken") == "0");
    CHECK(everything_in(redis).find("y@example.org") == std::string::npos);
    no_script_failed(server);
}

TEST_CASE("founder entries stored by earlier versions are read field by field, empty host included",
          "[booking][optional][upgrade]")
{
    std::string events = hostless_event("open-a", 5, 10, "10:00") + hostless_event("open-b", 5, 10, "10:30");
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + hub(events),
                           "--booking.max_upcoming_per_founder=5", "--booking.max_per_expert_per_week=1"});
    auto port = server.port();
    http_reply event = book(port, "open-a", "old@example.org");
    REQUIRE(event.status == 201);
    http_reply office = book(port, slot("anna-daily", 12, 10, 0), "old@example.org");
    REQUIRE(office.status == 201);
    store_in_old_format(redis, at(event.body, "/booking/id"));
    store_in_old_format(redis, at(office.body, "/booking/id"));
    std::string founder = redis.cli({"HGET", k_prefix + "booking:" + at(event.body, "/booking/id"), "founder_key"});

    // The old entries count as they did: the overlap with the host-less event, the week
    // with anna, the same session.
    CHECK(at(book(port, "open-b", "old@example.org").body, "/code") == "overlap");
    CHECK(at(book(port, slot("anna-daily", 12, 11, 30), "old@example.org").body, "/code") == "expert-week-limit");
    CHECK(at(post_json(port, "/api/v1/sessions/open-a/waitlist", body("old@example.org")).body, "/code") == "not-full");
    CHECK(at(book(port, "open-a", "old@example.org").body, "/code") == "already-booked");
    // A move replaces the old entry by the new form; a cancel removes an old one.
    http_reply moved = post_json(port, "/api/v1/manage/" + at(office.body, "/manage_token") + "/reschedule",
                                 R"({"session_id":")" + slot("anna-daily", 19, 10, 0) + "\"}");
    CHECK(moved.status == 200);
    CHECK(post_json(port, "/api/v1/manage/" + at(event.body, "/manage_token") + "/cancel", "{}").status == 200);
    CHECK(redis.cli({"ZCARD", founder}) == "1");
    CHECK(redis.cli({"ZRANGE", founder, "0", "-1"}).front() == '[');
    // With the old place gone, the founder books that hour again.
    CHECK(book(port, "open-b", "old@example.org").status == 201);
    no_script_failed(server);
}

TEST_CASE("a script that fails on a damaged record answers 500 internal with the request id, and is counted",
          "[booking][errors]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + hub(hostless_event("open-a", 5, 10, "10:00"))});
    auto port = server.port();
    // A record no version of the server writes: a start that is not a number.
    REQUIRE(redis.cli({"HSET", k_prefix + "session:open-a", "start", "soon"}) == "0");
    for (int attempt = 0; attempt < 2; ++attempt) {
        http_reply r = book(port, "open-a", "x@example.org");
        CHECK(r.status == 500);
        CHECK(r.header("content-type") == "application/problem+json");
        CHECK(at(r.body, "/code") == "internal");
        CHECK_FALSE(r.header("x-request-id").empty());
        CHECK(at(r.body, "/request_id") == r.header("x-request-id"));
        CHECK(r.header("retry-after").empty()); // not an outage: retrying does not help
        CHECK(schema_problems("http/problem.schema.json", "", r.body) == "");
    }
    // Nothing of the attempts was written (the hub's own expansion may add sessions meanwhile).
    CHECK(redis_keys_with(redis, "booking:").empty());
    CHECK(redis_keys_with(redis, "founder:").empty());
    CHECK(redis.cli({"EXISTS", k_prefix + "outbox"}) == "0");
    CHECK(metric(port, "sp_redis_script_failures_total") == 2);
    CHECK(eventually([&] { return server.log().find("redis_script_failed") != std::string::npos; }, 5s));
    CHECK(server.log().find("event=redis_script_failed script=book") != std::string::npos);
    // Redis itself is fine, and says so.
    CHECK(status_of(port, "/readyz") == 200);
}
