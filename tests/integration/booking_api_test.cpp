#include "domain/office_hours.hpp"
#include "domain/zoned_time.hpp"
#include "support/test_env.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <simdjson.h>
#include <thread>

using namespace sp::test;
using namespace std::chrono_literals;

namespace {

const std::string k_prefix = "sp:{hub}:";

std::string at(const std::string& json, const std::string& pointer) { return json_at(json, pointer); }

std::vector<std::string> ids_of(const std::string& json, const std::string& list)
{
    std::vector<std::string> out;
    simdjson::dom::parser p;
    simdjson::dom::element doc = p.parse(json);
    for (auto s : doc[list].get_array()) out.emplace_back(std::string_view(s["id"].get_string()));
    return out;
}

std::string seed_file(const std::string& extra)
{
    std::string path = scratch_dir("seed") + "/hub.toml";
    std::ofstream out(path);
    out << R"([[camp]]
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
languages = ["de", "en"]
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
)" << extra;
    return path;
}

std::string event_toml(const std::string& id, int seats, int in_days, const std::string& at, int minutes = 60,
                       const std::string& host = "jonas")
{
    return "\n[[event]]\nid = \"" + id + "\"\ncamp = \"bochum\"\nroom = \"lab\"\nhost = \"" + host +
           "\"\ntitle = \"Event " + id + "\"\ntopic = \"Cloud\"\nin_days = " + std::to_string(in_days) +
           "\nat = \"" + at + "\"\nminutes = " + std::to_string(minutes) + "\nseats = " + std::to_string(seats) + "\n";
}

std::string booking_body(const std::string& email, const std::string& name = "Jan Gründer")
{
    return R"({"name":")" + name + R"(","email":")" + email +
           R"(","startup":"Acme GmbH","question":"How do we start?","consent":true,"lang":"de"})";
}

http_call book_call(const std::string& session, const std::string& email, const std::string& idem = {})
{
    http_call c{"POST", "/api/v1/sessions/" + session + "/bookings", {{"Content-Type", "application/json"}},
                booking_body(email)};
    if (!idem.empty()) c.headers["Idempotency-Key"] = idem;
    return c;
}

http_reply post_json(std::uint16_t port, const std::string& target, const std::string& body,
                     std::map<std::string, std::string> headers = {})
{
    headers["Content-Type"] = "application/json";
    return http_request(port, "POST", target, headers, body);
}

int count_changes(const redis_server& redis, const std::string& type, const std::string& session)
{
    int n = 0;
    for (const auto& e : redis.stream(k_prefix + "changes"))
        if (e.at("type") == type && e.count("session") && e.at("session") == session) ++n;
    return n;
}

/** Every change-log entry about `session`, whatever its type. */
int count_all_changes(const redis_server& redis, const std::string& session)
{
    int n = 0;
    for (const auto& e : redis.stream(k_prefix + "changes"))
        if (e.count("session") && e.at("session") == session) ++n;
    return n;
}

/** What a write would change: the data keys and the length of the change log. */
std::pair<std::string, std::string> footprint(const redis_server& redis)
{
    return {redis.footprint(), redis.cli({"XLEN", k_prefix + "changes"})};
}

/** The id of anna's office-hour slot `in_days` after today (in Berlin) at hh:mm local,
 *  derived as the server derives it: the rule id and the start's epoch seconds. */
std::string anna_slot(int in_days, int hour, int minute)
{
    const auto* berlin = sp::domain::find_zone("Europe/Berlin");
    auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    date::local_days day = date::local_days(sp::domain::local_date(now, berlin)) + date::days(in_days);
    auto start = sp::domain::resolve_local(day + std::chrono::hours(hour) + std::chrono::minutes(minute), berlin);
    REQUIRE(start);
    return sp::domain::session_id("anna-daily", *start);
}

/** "+00:00" RFC 3339 text of an instant, for seed files. */
std::string rfc3339_utc(std::chrono::system_clock::time_point t)
{
    std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char out[40];
    std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
    return out;
}

std::string url_encoded(std::string text)
{
    for (std::size_t p = text.find('+'); p != std::string::npos; p = text.find('+', p)) text.replace(p, 1, "%2B");
    return text;
}

/** The value of `field` of every element of the array `list`, in order. */
std::vector<std::string> field_of_each(const std::string& json, const std::string& list, const std::string& field)
{
    std::vector<std::string> out;
    simdjson::dom::parser p;
    simdjson::dom::element doc = p.parse(json);
    for (auto e : doc[list].get_array()) {
        simdjson::dom::element v = e[field];
        if (v.is_string()) out.emplace_back(std::string_view(v.get_string()));
        else out.push_back(simdjson::minify(v));
    }
    return out;
}

std::set<std::string> as_set(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }

/** The ids of anna's open office-hour slots at least a day ahead, in time order. */
std::vector<std::string> future_slots(std::uint16_t port)
{
    auto now = std::chrono::system_clock::now() + std::chrono::hours(26);
    std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char from[32];
    std::strftime(from, sizeof from, "%Y-%m-%dT%H:%M:%S%%2B00:00", &tm);
    http_reply r = http_get(port, std::string("/api/v1/sessions?expert=anna&from=") + from);
    REQUIRE(r.status == 200);
    return ids_of(r.body, "sessions");
}

} // namespace

TEST_CASE("the last seats go to exactly 3 of 200 racing founders, 20 times over", "[booking][race][tsan]")
{
    std::string events;
    for (int i = 0; i < 20; ++i) events += event_toml("race-" + std::to_string(i), 3, 3, "09:00");
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + seed_file(events)});

    for (int round = 0; round < 20; ++round) {
        std::string session = "race-" + std::to_string(round);
        INFO("round " << round);
        std::vector<http_call> calls;
        for (int i = 0; i < 200; ++i)
            calls.push_back(book_call(session, "founder" + std::to_string(i) + "-r" + std::to_string(round) + "@example.org"));
        auto replies = parallel_requests(server.port(), calls);
        int created = 0, full = 0, other = 0;
        for (const auto& r : replies) {
            if (r.status == 201) ++created;
            else if (r.status == 409 && at(r.body, "/code") == "full") ++full;
            else ++other;
        }
        CHECK(created == 3);
        CHECK(full == 197);
        CHECK(other == 0);
        http_reply s = http_get(server.port(), "/api/v1/sessions/" + session);
        CHECK(at(s.body, "/seats_taken") == "3");
        CHECK(at(s.body, "/seats_free") == "0");
        CHECK(redis.cli({"SCARD", k_prefix + "session:" + session + ":bookings"}) == "3");
        CHECK(count_changes(redis, "booking.created", session) == 3);
        // The 197 refusals left no trace in the log: its only entries about this session
        // are the 3 bookings (and the session's creation by the seed).
        CHECK(count_all_changes(redis, session) == 3 + count_changes(redis, "session.created", session));
    }
}

TEST_CASE("a founder racing themselves across two overlapping sessions gets exactly one, 20 times over",
          "[booking][race][tsan]")
{
    // Seats for every round's winner in either session, so no refusal is for a full one
    // (the same session may win all 20 rounds: then it holds 20 and still has one free).
    std::string events = event_toml("early", 21, 4, "10:00", 120, "anna") + event_toml("late", 21, 4, "11:00", 120);
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + seed_file(events),
                           "--booking.max_upcoming_per_founder=10"});
    for (int round = 0; round < 20; ++round) {
        INFO("round " << round);
        std::string founder = "same.founder-r" + std::to_string(round) + "@example.org";
        std::vector<http_call> calls;
        for (int i = 0; i < 60; ++i) calls.push_back(book_call(i % 2 ? "early" : "late", founder));
        auto replies = parallel_requests(server.port(), calls);
        int created = 0, conflicts = 0;
        std::set<std::string> refusals;
        for (const auto& r : replies) {
            if (r.status == 201) ++created;
            else refusals.insert(at(r.body, "/code"));
            if (r.status == 409) ++conflicts;
        }
        CHECK(created == 1);
        CHECK(conflicts == 59); // every loser is a clean 409, none a 5xx or a 422
        // The losers in the other session are refused for overlapping; in the same one,
        // for holding a place there already.
        CHECK(refusals == std::set<std::string>{"already-booked", "overlap"});
        int taken = std::stoi(at(http_get(server.port(), "/api/v1/sessions/early").body, "/seats_taken")) +
                    std::stoi(at(http_get(server.port(), "/api/v1/sessions/late").body, "/seats_taken"));
        CHECK(taken == round + 1);
        CHECK(count_changes(redis, "booking.created", "early") + count_changes(redis, "booking.created", "late") ==
              round + 1);
        CHECK(redis.cli({"ZCARD", k_prefix + "founder:" + sha256_hex(founder)}) == "1");
    }
}

TEST_CASE("an idempotent retry after a dropped connection makes one booking and returns its link", "[booking]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(),
                           "--hub.seed_file=" + seed_file(event_toml("talk", 5, 3, "18:00") + event_toml("talk-2", 5, 4, "18:00"))});
    std::string key = "retry-key-0123456789";
    std::string body = booking_body("retry@example.org");
    std::string request = "POST /api/v1/sessions/talk/bookings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          "Idempotency-Key: " + key + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    {
        // Send, then hang up without reading the answer.
        boost::asio::io_context ioc;
        boost::asio::ip::tcp::socket s(ioc);
        s.connect({boost::asio::ip::make_address("127.0.0.1"), server.port()});
        boost::asio::write(s, boost::asio::buffer(request));
        s.close();
    }
    REQUIRE(eventually([&] { return at(http_get(server.port(), "/api/v1/sessions/talk").body, "/seats_taken") == "1"; }, 3s));

    http_reply retry = post_json(server.port(), "/api/v1/sessions/talk/bookings", body, {{"Idempotency-Key", key}});
    CHECK(retry.status == 201);
    CHECK(retry.header("idempotent-replayed") == "true");
    std::string token = at(retry.body, "/manage_token");
    REQUIRE(token.size() == 43);
    http_reply mine = http_get(server.port(), "/api/v1/manage/" + token);
    CHECK(mine.status == 200);
    CHECK(at(mine.body, "/email") == "retry@example.org");
    CHECK(at(http_get(server.port(), "/api/v1/sessions/talk").body, "/seats_taken") == "1");
    CHECK(count_changes(redis, "booking.created", "talk") == 1);

    // Retrying again answers the same booking with the same link once more.
    http_reply again = post_json(server.port(), "/api/v1/sessions/talk/bookings", body, {{"Idempotency-Key", key}});
    CHECK(again.status == 201);
    CHECK(at(again.body, "/booking/id") == at(retry.body, "/booking/id"));
    CHECK(at(again.body, "/manage_token") == token);

    // The same key with another body is a conflict, and writes nothing; so is the same
    // body sent to another session.
    auto before = footprint(redis);
    http_reply other = post_json(server.port(), "/api/v1/sessions/talk/bookings", booking_body("someone@example.org"),
                                 {{"Idempotency-Key", key}});
    CHECK(other.status == 409);
    CHECK(at(other.body, "/code") == "idempotency-conflict");
    CHECK(at(other.body, "/field") == "Idempotency-Key");
    http_reply elsewhere = post_json(server.port(), "/api/v1/sessions/talk-2/bookings", body, {{"Idempotency-Key", key}});
    CHECK(elsewhere.status == 409);
    CHECK(at(elsewhere.body, "/code") == "idempotency-conflict");
    CHECK(at(http_get(server.port(), "/api/v1/sessions/talk").body, "/seats_taken") == "1");
    CHECK(at(http_get(server.port(), "/api/v1/sessions/talk-2").body, "/seats_taken") == "0");
    CHECK(footprint(redis) == before);

    // An answer that did arrive is the one a retry gets: same booking, same link.
    std::string key2 = "second-key-0123456789";
    http_reply first = post_json(server.port(), "/api/v1/sessions/talk/bookings", booking_body("two@example.org"),
                                 {{"Idempotency-Key", key2}});
    REQUIRE(first.status == 201);
    CHECK(first.header("idempotent-replayed") == "");
    http_reply replay = post_json(server.port(), "/api/v1/sessions/talk/bookings", booking_body("two@example.org"),
                                  {{"Idempotency-Key", key2}});
    CHECK(replay.status == 201);
    CHECK(replay.header("idempotent-replayed") == "true");
    CHECK(at(replay.body, "/booking/id") == at(first.body, "/booking/id"));
    CHECK(at(replay.body, "/manage_token") == at(first.body, "/manage_token"));
    CHECK(at(replay.body, "/booking/status") == "confirmed");
    CHECK(at(http_get(server.port(), "/api/v1/sessions/talk").body, "/seats_taken") == "2");
    CHECK(count_changes(redis, "booking.created", "talk") == 2);
}

TEST_CASE("cancelling gives the seat to the first founder on the waitlist, in the same change", "[booking][waitlist]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + seed_file(event_toml("solo", 1, 3, "18:00"))});
    http_reply a = post_json(server.port(), "/api/v1/sessions/solo/bookings", booking_body("a@example.org"));
    REQUIRE(a.status == 201);
    // A free seat is booked, not queued for.
    http_reply b_early = post_json(server.port(), "/api/v1/sessions/solo/bookings", booking_body("b@example.org"));
    CHECK(b_early.status == 409);
    CHECK(at(b_early.body, "/code") == "full");
    http_reply b = post_json(server.port(), "/api/v1/sessions/solo/waitlist", booking_body("b@example.org"));
    REQUIRE(b.status == 201);
    CHECK(at(b.body, "/booking/status") == "waitlisted");
    http_reply c = post_json(server.port(), "/api/v1/sessions/solo/waitlist", booking_body("c@example.org"));
    REQUIRE(c.status == 201);
    CHECK(at(c.body, "/booking/session/waiting") == "2");
    // The manage page says which place in line each one holds.
    std::string b_link = "/api/v1/manage/" + at(b.body, "/manage_token");
    std::string c_link = "/api/v1/manage/" + at(c.body, "/manage_token");
    CHECK(at(http_get(server.port(), b_link).body, "/waitlist_position") == "1");
    CHECK(at(http_get(server.port(), c_link).body, "/waitlist_position") == "2");
    CHECK(at(http_get(server.port(), "/api/v1/manage/" + at(a.body, "/manage_token")).body, "/waitlist_position").empty());
    // A place in line is in the founder's calendar as one, not as the appointment.
    std::string b_ics = http_get(server.port(), b_link + "/booking.ics").body;
    CHECK_THAT(b_ics, Catch::Contains("SUMMARY:Warteliste: ") && Catch::Contains("STATUS:TENTATIVE"));
    CHECK_THAT(http_get(server.port(), "/api/v1/manage/" + at(a.body, "/manage_token") + "/booking.ics").body,
               !Catch::Contains("Warteliste"));

    auto log_before = redis.stream(k_prefix + "changes").size();
    http_reply cancelled = post_json(server.port(), "/api/v1/manage/" + at(a.body, "/manage_token") + "/cancel", "");
    CHECK(cancelled.status == 200);
    CHECK(at(cancelled.body, "/status") == "cancelled");

    http_reply b_now = http_get(server.port(), b_link);
    CHECK(at(b_now.body, "/status") == "confirmed");
    // Promoted, and the page can say so whenever it is opened, not only if it saw it happen.
    CHECK_FALSE(at(b_now.body, "/promoted_at").empty());
    CHECK(at(b_now.body, "/waitlist_position").empty());
    std::string promoted_ics = http_get(server.port(), b_link + "/booking.ics").body;
    CHECK_THAT(promoted_ics, Catch::Contains("STATUS:CONFIRMED") && !Catch::Contains("Warteliste"));
    http_reply c_now = http_get(server.port(), c_link);
    CHECK(at(c_now.body, "/status") == "waitlisted");
    CHECK(at(c_now.body, "/waitlist_position") == "1");
    CHECK(at(c_now.body, "/promoted_at").empty());
    http_reply session = http_get(server.port(), "/api/v1/sessions/solo");
    CHECK(at(session.body, "/seats_taken") == "1");
    CHECK(at(session.body, "/waiting") == "1");

    // One entry for both: the cancellation names the promoted booking; no second change.
    auto log = redis.stream(k_prefix + "changes");
    REQUIRE(log.size() == log_before + 1);
    const auto& last = log.back();
    CHECK(last.at("type") == "booking.cancelled");
    CHECK(last.at("booking") == at(a.body, "/booking/id"));
    CHECK(last.at("promoted") == at(b.body, "/booking/id"));
    CHECK(last.at("taken") == "1");

    // Leaving the waitlist frees the place in line.
    http_reply c_left = post_json(server.port(), "/api/v1/manage/" + at(c.body, "/manage_token") + "/cancel", "");
    CHECK(c_left.status == 200);
    CHECK(at(c_left.body, "/status") == "cancelled");
    CHECK(at(http_get(server.port(), "/api/v1/sessions/solo").body, "/waiting") == "0");
    CHECK(at(http_get(server.port(), "/api/v1/sessions/solo").body, "/seats_taken") == "1");

    // Cancelling again changes nothing.
    auto before = redis.stream(k_prefix + "changes").size();
    CHECK(post_json(server.port(), "/api/v1/manage/" + at(a.body, "/manage_token") + "/cancel", "").status == 200);
    CHECK(redis.stream(k_prefix + "changes").size() == before);
}

TEST_CASE("rescheduling into a full session answers 409 and leaves the booking untouched", "[booking][reschedule]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + seed_file("")});
    auto slots = future_slots(server.port());
    REQUIRE(slots.size() >= 3);
    http_reply a = post_json(server.port(), "/api/v1/sessions/" + slots[0] + "/bookings", booking_body("a@example.org"));
    http_reply b = post_json(server.port(), "/api/v1/sessions/" + slots[1] + "/bookings", booking_body("b@example.org"));
    REQUIRE(a.status == 201);
    REQUIRE(b.status == 201);
    std::string token = at(a.body, "/manage_token");

    auto changes_before = redis.stream(k_prefix + "changes").size();
    http_reply full = post_json(server.port(), "/api/v1/manage/" + token + "/reschedule",
                                R"({"session_id":")" + slots[1] + R"("})");
    CHECK(full.status == 409);
    CHECK(at(full.body, "/code") == "full");
    http_reply still = http_get(server.port(), "/api/v1/manage/" + token);
    CHECK(at(still.body, "/session/id") == slots[0]);
    CHECK(at(still.body, "/status") == "confirmed");
    CHECK(at(http_get(server.port(), "/api/v1/sessions/" + slots[0]).body, "/seats_taken") == "1");
    CHECK(at(http_get(server.port(), "/api/v1/sessions/" + slots[1]).body, "/seats_taken") == "1");
    CHECK(redis.stream(k_prefix + "changes").size() == changes_before);

    // Into a free slot of the same expert: same booking, same link, seats moved at once.
    http_reply moved = post_json(server.port(), "/api/v1/manage/" + token + "/reschedule",
                                 R"({"session_id":")" + slots[2] + R"("})");
    CHECK(moved.status == 200);
    CHECK(at(moved.body, "/id") == at(a.body, "/booking/id"));
    CHECK(at(moved.body, "/session/id") == slots[2]);
    CHECK(at(http_get(server.port(), "/api/v1/sessions/" + slots[0]).body, "/seats_taken") == "0");
    CHECK(at(http_get(server.port(), "/api/v1/sessions/" + slots[2]).body, "/seats_taken") == "1");
    CHECK(count_changes(redis, "booking.rescheduled", slots[2]) == 1);
}

TEST_CASE("rescheduling that would break a founder limit answers 409 and changes nothing", "[booking][reschedule]")
{
    // Jonas's half-hour talk at 10:30 in four days, beside anna's daily 10:00-12:00 slots.
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(),
                           "--hub.seed_file=" + seed_file(event_toml("clash", 5, 4, "10:30", 30, "jonas"))});
    auto port = server.port();
    std::string a = anna_slot(4, 10, 0), beside_clash = anna_slot(4, 10, 30);
    std::string b = anna_slot(11, 10, 0), b_week = anna_slot(11, 10, 30); // a week later: another ISO week
    for (const auto& id : {a, beside_clash, b, b_week}) {
        INFO(id);
        REQUIRE(http_get(port, "/api/v1/sessions/" + id).status == 200);
    }
    const std::string email = "limits@example.org";
    http_reply held = post_json(port, "/api/v1/sessions/" + a + "/bookings", booking_body(email));
    REQUIRE(held.status == 201);
    REQUIRE(post_json(port, "/api/v1/sessions/clash/bookings", booking_body(email)).status == 201);
    REQUIRE(post_json(port, "/api/v1/sessions/" + b + "/bookings", booking_body(email)).status == 201);
    std::string token = at(held.body, "/manage_token");
    std::string booking_before = http_get(port, "/api/v1/manage/" + token).body;

    struct attempt {
        std::string target, code;
    };
    for (const attempt& t : {attempt{beside_clash, "overlap"}, attempt{b_week, "expert-week-limit"}}) {
        INFO(t.code);
        auto before = footprint(redis);
        http_reply r = post_json(port, "/api/v1/manage/" + token + "/reschedule", R"({"session_id":")" + t.target + "\"}");
        CHECK(r.status == 409);
        CHECK(r.header("content-type") == "application/problem+json");
        CHECK(at(r.body, "/code") == t.code);
        CHECK(at(r.body, "/field") == "session_id");
        CHECK(footprint(redis) == before);
        CHECK(http_get(port, "/api/v1/manage/" + token).body == booking_before);
        CHECK(at(http_get(port, "/api/v1/sessions/" + t.target).body, "/seats_taken") == "0");
        CHECK(at(http_get(port, "/api/v1/sessions/" + a).body, "/seats_taken") == "1");
    }
    // A move that breaks nothing still works from there: the same day at 11:30.
    http_reply moved = post_json(port, "/api/v1/manage/" + token + "/reschedule",
                                 R"({"session_id":")" + anna_slot(4, 11, 30) + "\"}");
    CHECK(moved.status == 200);
    CHECK(at(moved.body, "/id") == at(held.body, "/booking/id"));
}

TEST_CASE("the fairness limits follow the configuration", "[booking][limits]")
{
    // Against the defaults these are refused (see the error test): a second session with
    // jonas on the same day, and anna's talk overlapping the first.
    std::string events = event_toml("first", 5, 5, "12:00") + event_toml("same-week", 5, 5, "15:00") +
                         event_toml("clash", 5, 5, "12:30", 60, "anna") + event_toml("more", 5, 6, "18:00", 60, "anna");
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + seed_file(events),
                           "--booking.max_per_expert_per_week=2", "--booking.forbid_overlap=false",
                           "--booking.max_upcoming_per_founder=3", "--booking.min_notice_minutes=0"});
    const std::string email = "busy@example.org";
    for (const std::string session : {"first", "same-week", "clash"}) {
        INFO(session);
        CHECK(post_json(server.port(), "/api/v1/sessions/" + session + "/bookings", booking_body(email)).status == 201);
    }
    http_reply fourth = post_json(server.port(), "/api/v1/sessions/more/bookings", booking_body(email));
    CHECK(fourth.status == 409);
    CHECK(at(fourth.body, "/code") == "founder-limit");
}

TEST_CASE("every kind of bad request gets its problem and writes nothing", "[booking][errors]")
{
    // "starting" begins a few seconds after the server has started: by the time it is
    // booked below it has begun (a session in the past cannot be created any more).
    auto starting_at = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) +
                       std::chrono::seconds(10); // ample for a start under sanitizers on a loaded machine
    std::string events = event_toml("soon", 5, 1, "12:00") + event_toml("far", 5, 30, "12:00") +
                         event_toml("taken", 1, 5, "12:00") + event_toml("other", 5, 6, "09:00") +
                         event_toml("same-week", 5, 5, "15:00") + event_toml("clash", 5, 5, "12:30", 60, "anna") +
                         event_toml("limit-1", 5, 7, "09:00", 60, "anna") + event_toml("limit-2", 5, 8, "09:00") +
                         "\n[[event]]\nid = \"starting\"\ncamp = \"bochum\"\nhost = \"jonas\"\ntitle = \"Starting\"\n"
                         "start = \"" + rfc3339_utc(starting_at) + "\"\nend = \"2099-01-01T00:00:00+00:00\"\nseats = 5\n";
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + seed_file(events),
                           "--booking.min_notice_minutes=2880", "--booking.horizon_days=20",
                           "--booking.max_upcoming_per_founder=2", "--http.max_body_bytes=4096"});
    REQUIRE(http_get(server.port(), "/api/v1/sessions/starting").status == 200);
    // The holder has one booking (made with an Idempotency-Key) and room for one more;
    // "limited" holds the two allowed.
    const std::string holder_key = "holder-key-0123456789";
    http_reply holder = post_json(server.port(), "/api/v1/sessions/taken/bookings", booking_body("holder@example.org"),
                                  {{"Idempotency-Key", holder_key}});
    REQUIRE(holder.status == 201);
    std::string token = at(holder.body, "/manage_token");
    REQUIRE(post_json(server.port(), "/api/v1/sessions/limit-1/bookings", booking_body("limited@example.org")).status == 201);
    REQUIRE(post_json(server.port(), "/api/v1/sessions/limit-2/bookings", booking_body("limited@example.org")).status == 201);
    std::string anna_slot_id = future_slots(server.port()).at(0);
    // The confirmations are sent (here: logged and dropped) and "starting" has begun
    // before the count is taken, so nothing but a request could change it.
    REQUIRE(eventually([&] { return redis.cli({"EXISTS", k_prefix + "outbox"}) == "0"; }, 10s));
    std::this_thread::sleep_until(std::chrono::system_clock::time_point(starting_at) + std::chrono::milliseconds(200));

    std::string keys_before = redis.footprint();
    std::string log_before = redis.cli({"XLEN", k_prefix + "changes"});

    struct expectation {
        std::string what;
        http_call call;
        int status;
        std::string code;
        std::string field;
    };
    const std::string json = "application/json";
    auto book = [&](std::string session, std::string body, std::map<std::string, std::string> h = {}) {
        if (!h.count("Content-Type")) h["Content-Type"] = json;
        return http_call{"POST", "/api/v1/sessions/" + session + "/bookings", h, body};
    };
    std::vector<expectation> cases{
        {"malformed JSON", book("other", "{\"name\":"), 400, "malformed-json", ""},
        {"not an object", book("other", "[1,2]"), 400, "malformed-json", ""},
        {"a key twice, the refusing value last",
         book("other", R"({"name":"N","email":"x@example.org","startup":"A","consent":true,"consent":false})"), 400,
         "duplicate-key", "consent"},
        {"a key twice, the refusing value first",
         book("other", R"({"name":"N","email":"x@example.org","startup":"A","consent":false,"consent":true})"), 400,
         "duplicate-key", "consent"},
        {"a key twice with the same value", book("other", R"({"name":"N","name":"N","email":"x@example.org","startup":"A","consent":true})"),
         400, "duplicate-key", "name"},
        {"wrong content type", book("other", booking_body("x@example.org"), {{"Content-Type", "text/plain"}}), 415,
         "unsupported-media-type", ""},
        {"missing name", book("other", R"({"email":"x@example.org","startup":"A","consent":true})"), 422,
         "missing-field", "name"},
        {"bad e-mail", book("other", booking_body("not-an-address")), 422, "invalid-field", "email"},
        {"question too long",
         book("other", R"({"name":"N","email":"x@example.org","startup":"A","consent":true,"question":")" +
                           std::string(501, 'q') + "\"}"),
         422, "field-too-long", "question"},
        {"no consent", book("other", R"({"name":"N","email":"x@example.org","startup":"A","consent":false})"), 422,
         "consent-required", "consent"},
        {"consent not a boolean", book("other", R"({"name":"N","email":"x@example.org","startup":"A","consent":"yes"})"),
         422, "invalid-field", "consent"},
        {"unknown field", book("other", R"({"name":"N","e-mail":"x@example.org","startup":"A","consent":true})"), 422,
         "unknown-field", "e-mail"},
        {"unknown language", book("other", R"({"name":"N","email":"x@example.org","startup":"A","consent":true,"lang":"fr"})"),
         422, "invalid-field", "lang"},
        {"unknown session", book("no-such-session", booking_body("x@example.org")), 422, "unknown-session", "session_id"},
        {"a session id that would address another key", book("taken:bookings", booking_body("x@example.org")), 422,
         "unknown-session", "session_id"},
        {"a camp filter that is not an id", http_call{"GET", "/api/v1/sessions?camp=a%7Bb%7D", {}, ""}, 422,
         "invalid-field", "camp"},
        {"inside the minimum notice", book("soon", booking_body("x@example.org")), 422, "too-soon", "session_id"},
        {"beyond the horizon", book("far", booking_body("x@example.org")), 422, "beyond-horizon", "session_id"},
        {"full", book("taken", booking_body("x@example.org")), 409, "full", "session_id"},
        {"founder limit", book("other", booking_body("limited@example.org")), 409, "founder-limit", "email"},
        {"one expert twice in a week", book("same-week", booking_body("holder@example.org")), 409, "expert-week-limit",
         "session_id"},
        {"overlapping the founder's booking", book("clash", booking_body("holder@example.org")), 409, "overlap",
         "session_id"},
        {"an Idempotency-Key reused for another request",
         book("other", booking_body("someone.else@example.org"), {{"Idempotency-Key", holder_key}}), 409,
         "idempotency-conflict", "Idempotency-Key"},
        {"a waitlist while seats are free",
         http_call{"POST", "/api/v1/sessions/other/waitlist", {{"Content-Type", json}}, booking_body("x@example.org")},
         409, "not-full", "session_id"},
        {"a session that has begun", book("starting", booking_body("x@example.org")), 422, "in-past", "session_id"},
        {"bad idempotency key", book("other", booking_body("x@example.org"), {{"Idempotency-Key", "short"}}), 400,
         "invalid-idempotency-key", "Idempotency-Key"},
        {"body over the limit", book("other", std::string(5000, ' ')), 413, "body-too-large", ""},
        {"unknown token", http_call{"GET", "/api/v1/manage/" + std::string(43, 'A'), {}, ""}, 404, "unknown-token", "token"},
        {"malformed token", http_call{"GET", "/api/v1/manage/short", {}, ""}, 404, "unknown-token", "token"},
        {"cancel with unknown token", http_call{"POST", "/api/v1/manage/" + std::string(43, 'B') + "/cancel", {}, ""},
         404, "unknown-token", "token"},
        {"reschedule to unknown session",
         http_call{"POST", "/api/v1/manage/" + token + "/reschedule", {{"Content-Type", json}}, R"({"session_id":"nope"})"},
         422, "unknown-session", "session_id"},
        {"reschedule to another expert",
         http_call{"POST", "/api/v1/manage/" + token + "/reschedule", {{"Content-Type", json}},
                   R"({"session_id":")" + anna_slot_id + "\"}"},
         422, "different-expert", "session_id"},
        {"reschedule without session",
         http_call{"POST", "/api/v1/manage/" + token + "/reschedule", {{"Content-Type", json}}, "{}"}, 422,
         "missing-field", "session_id"},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        http_reply r = http_request(server.port(), c.call.method, c.call.target, c.call.headers, c.call.body);
        CHECK(r.status == c.status);
        CHECK(r.header("content-type") == "application/problem+json");
        CHECK(at(r.body, "/code") == c.code);
        CHECK(at(r.body, "/field") == c.field);
        CHECK(schema_problems("http/problem.schema.json", "", r.body) == "");
    }
    // The one key an error may add: this client's count of unknown links (the guard
    // against guessing them), which holds no data of anyone.
    std::string misses = redis_keys_with(redis, "misses:");
    CHECK(misses.find(' ') == std::string::npos);
    CHECK(redis.footprint() == keys_before);
    CHECK(redis.cli({"XLEN", k_prefix + "changes"}) == log_before);
}

TEST_CASE("API responses and requests match their JSON Schemas", "[booking][schema]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(),
                           "--hub.seed_file=" + seed_file(event_toml("talk", 5, 3, "18:00") + event_toml("later", 5, 4, "18:00") +
                                                          event_toml("solo", 1, 3, "09:00"))});
    const std::string file = "http/api-v1.schema.json";
    CHECK(schema_problems(file, "camp_list", http_get(server.port(), "/api/v1/camps").body) == "");
    CHECK(schema_problems(file, "expert_list", http_get(server.port(), "/api/v1/experts?camp=bochum").body) == "");
    CHECK(schema_problems(file, "topic_list", http_get(server.port(), "/api/v1/topics").body) == "");
    http_reply list = http_get(server.port(), "/api/v1/sessions?camp=bochum&free_only=true");
    CHECK(schema_problems(file, "session_list", list.body) == "");
    CHECK(ids_of(list.body, "sessions").size() > 5);
    CHECK(schema_problems(file, "public_session", http_get(server.port(), "/api/v1/sessions/talk").body) == "");
    std::string request = booking_body("schema@example.org");
    CHECK(schema_problems(file, "booking_request", request) == "");
    http_reply created = post_json(server.port(), "/api/v1/sessions/talk/bookings", request);
    REQUIRE(created.status == 201);
    CHECK(schema_problems(file, "booking_created", created.body) == "");
    CHECK(at(created.body, "/confirmation_mail") == "false"); // no SMTP server: the page must not promise an e-mail
    std::string token = at(created.body, "/manage_token");
    http_reply managed = http_get(server.port(), "/api/v1/manage/" + token);
    CHECK(schema_problems(file, "booking", managed.body) == "");

    // A replay, a move, a waitlist place and a cancellation answer in the same shapes.
    std::string idem = "schema-key-0123456789";
    http_reply keyed = post_json(server.port(), "/api/v1/sessions/talk/bookings", booking_body("keyed@example.org"),
                                 {{"Idempotency-Key", idem}});
    http_reply replayed = post_json(server.port(), "/api/v1/sessions/talk/bookings", booking_body("keyed@example.org"),
                                    {{"Idempotency-Key", idem}});
    REQUIRE(replayed.status == 201);
    CHECK(replayed.header("idempotent-replayed") == "true");
    CHECK(schema_problems(file, "booking_created", keyed.body) == "");
    CHECK(schema_problems(file, "booking_created", replayed.body) == "");
    std::string move = R"({"session_id":"later"})";
    CHECK(schema_problems(file, "reschedule_request", move) == "");
    http_reply moved = post_json(server.port(), "/api/v1/manage/" + token + "/reschedule", move);
    REQUIRE(moved.status == 200);
    CHECK(schema_problems(file, "booking", moved.body) == "");
    REQUIRE(post_json(server.port(), "/api/v1/sessions/solo/bookings", booking_body("first@example.org")).status == 201);
    http_reply waiting = post_json(server.port(), "/api/v1/sessions/solo/waitlist", booking_body("second@example.org"));
    REQUIRE(waiting.status == 201);
    CHECK(at(waiting.body, "/booking/status") == "waitlisted");
    CHECK(schema_problems(file, "booking_created", waiting.body) == "");
    http_reply cancelled = post_json(server.port(), "/api/v1/manage/" + token + "/cancel", "");
    REQUIRE(cancelled.status == 200);
    CHECK(at(cancelled.body, "/status") == "cancelled");
    CHECK(schema_problems(file, "booking", cancelled.body) == "");
    http_reply gone = http_request(server.port(), "DELETE", "/api/v1/manage/" + at(waiting.body, "/manage_token"));
    REQUIRE(gone.status == 200);
    CHECK(schema_problems(file, "booking", gone.body) == "");
    CHECK(schema_problems("http/readyz.schema.json", "", http_get(server.port(), "/readyz").body) == "");
    CHECK(schema_problems("http/healthz.schema.json", "", http_get(server.port(), "/healthz").body) == "");
    // The validator does reject what breaks a schema.
    CHECK(schema_problems(file, "session", R"({"id":"x"})") != "");
}

TEST_CASE("public session views never carry founders' names or e-mails", "[booking][privacy]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + seed_file(event_toml("talk", 5, 3, "18:00"))});
    REQUIRE(post_json(server.port(), "/api/v1/sessions/talk/bookings",
                      booking_body("private.person@example.org", "Privata Person"))
                .status == 201);
    for (const std::string target : {"/api/v1/sessions/talk", "/api/v1/sessions?camp=bochum", "/api/v1/experts"}) {
        http_reply r = http_get(server.port(), target);
        INFO(target);
        CHECK(r.body.find("private.person") == std::string::npos);
        CHECK(r.body.find("Privata") == std::string::npos);
    }
    for (const auto& e : redis.stream(k_prefix + "changes"))
        for (const auto& [k, v] : e) CHECK(v.find("private.person") == std::string::npos);
}

TEST_CASE("the public lists filter by camp, topic, language, expert, date range and free seats", "[booking][filters]")
{
    std::string essen = "\n" + camp_and_expert_toml("essen", "Essen", "Design", "Gelsenkirchener Straße 209", "mira", "Mira Okafor", "en") + R"(
[[event]]
id = "design-day"
camp = "essen"
host = "mira"
title = "Design Day"
topic = "Design"
in_days = 3
at = "18:00"
minutes = 120
seats = 10
)";
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(),
                           "--hub.seed_file=" + seed_file(essen + event_toml("cloud-talk", 1, 3, "09:00") +
                                                          event_toml("cloud-later", 5, 4, "09:00"))});
    auto port = server.port();
    auto experts = [&](const std::string& query) {
        http_reply r = http_get(port, "/api/v1/experts" + query);
        REQUIRE(r.status == 200);
        return as_set(field_of_each(r.body, "experts", "id"));
    };
    CHECK(experts("") == std::set<std::string>{"anna", "jonas", "mira"});
    CHECK(experts("?camp=essen") == std::set<std::string>{"mira"});
    CHECK(experts("?topic=Cloud") == std::set<std::string>{"jonas"});
    CHECK(experts("?language=en") == std::set<std::string>{"anna", "mira"});
    CHECK(experts("?camp=bochum&language=de") == std::set<std::string>{"anna", "jonas"});
    CHECK(experts("?camp=essen&topic=Cloud").empty());
    http_reply topics = http_get(port, "/api/v1/topics");
    CHECK(topics.body == R"({"topics":["Cloud","Design","IT-Sicherheit"]})");

    auto sessions = [&](const std::string& query) {
        http_reply r = http_get(port, "/api/v1/sessions" + query);
        INFO(query << ": " << r.body.substr(0, 300));
        REQUIRE(r.status == 200);
        return r.body;
    };
    std::string in_essen = sessions("?camp=essen");
    CHECK(as_set(field_of_each(in_essen, "sessions", "camp_id")) == std::set<std::string>{"essen"});
    CHECK(as_set(field_of_each(in_essen, "sessions", "id")) == std::set<std::string>{"design-day"});
    std::string annas = sessions("?expert=anna");
    CHECK(as_set(field_of_each(annas, "sessions", "expert_id")) == std::set<std::string>{"anna"});
    CHECK(field_of_each(annas, "sessions", "id").size() >= 20); // 4 a day for 7 days, less what has begun today
    CHECK(as_set(field_of_each(sessions("?topic=Design"), "sessions", "id")) == std::set<std::string>{"design-day"});
    CHECK(as_set(field_of_each(sessions("?topic=Cloud"), "sessions", "id")) ==
          std::set<std::string>{"cloud-talk", "cloud-later"});
    CHECK(as_set(field_of_each(sessions("?camp=bochum&expert=jonas"), "sessions", "id")) ==
          std::set<std::string>{"cloud-talk", "cloud-later"});
    CHECK(field_of_each(sessions("?camp=essen&expert=jonas"), "sessions", "id").empty());

    // free_only drops the session whose only seat is taken.
    REQUIRE(post_json(port, "/api/v1/sessions/cloud-talk/bookings", booking_body("cloud@example.org")).status == 201);
    CHECK(as_set(field_of_each(sessions("?topic=Cloud&free_only=true"), "sessions", "id")) ==
          std::set<std::string>{"cloud-later"});
    CHECK(as_set(field_of_each(sessions("?topic=Cloud&free_only=false"), "sessions", "id")) ==
          std::set<std::string>{"cloud-talk", "cloud-later"});
    std::string free_now = sessions("?camp=bochum&free_only=true");
    CHECK(as_set(field_of_each(free_now, "sessions", "seats_free")).count("0") == 0);

    // A date range: from is inclusive, to exclusive, by start.
    std::string design = http_get(port, "/api/v1/sessions/design-day").body;
    std::string start = at(design, "/start"), end = at(design, "/end");
    auto t0 = sp::domain::parse_rfc3339(start), t1 = sp::domain::parse_rfc3339(end);
    REQUIRE(t0);
    REQUIRE(t1);
    std::string in_range = sessions("?from=" + url_encoded(start) + "&to=" + url_encoded(end));
    CHECK(as_set(field_of_each(in_range, "sessions", "id")).count("design-day") == 1);
    for (const auto& s : field_of_each(in_range, "sessions", "start")) {
        auto t = sp::domain::parse_rfc3339(s);
        REQUIRE(t);
        CHECK(*t >= *t0);
        CHECK(*t < *t1);
    }
    std::string after = sessions("?from=" + url_encoded(sp::domain::format_rfc3339(*t0 + std::chrono::seconds(1),
                                                                                  sp::domain::find_zone("UTC"))) +
                                 "&to=" + url_encoded(end));
    CHECK(as_set(field_of_each(after, "sessions", "id")).count("design-day") == 0);
    // Bad bounds are named.
    http_reply backwards = http_get(port, "/api/v1/sessions?from=" + url_encoded(end) + "&to=" + url_encoded(start));
    CHECK(backwards.status == 422);
    CHECK(at(backwards.body, "/field") == "to");
    http_reply bad_free = http_get(port, "/api/v1/sessions?free_only=yes");
    CHECK(bad_free.status == 422);
    CHECK(at(bad_free.body, "/field") == "free_only");
}

TEST_CASE("a manage link is 256 random bits and Redis keeps only its hash", "[booking][tokens][security]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + seed_file(event_toml("talk", 5, 3, "18:00"))});
    std::vector<std::string> tokens;
    for (const std::string email : {"one@example.org", "two@example.org"}) {
        http_reply r = post_json(server.port(), "/api/v1/sessions/talk/bookings", booking_body(email));
        REQUIRE(r.status == 201);
        tokens.push_back(at(r.body, "/manage_token"));
    }
    CHECK(tokens[0] != tokens[1]);
    for (const auto& token : tokens) {
        INFO(token);
        // 43 base64url characters without padding: 256 bits.
        CHECK(token.size() == 43);
        CHECK(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
              std::string::npos);
        CHECK(redis.cli({"EXISTS", k_prefix + "token:" + sha256_hex(token)}) == "1");
        // A link one character off finds nothing.
        std::string near = token;
        near.back() = near.back() == 'A' ? 'B' : 'A';
        CHECK(http_get(server.port(), "/api/v1/manage/" + near).status == 404);
    }
    // The token travels only inside the confirmation, which is gone once sent (here:
    // logged and dropped, no mail server is configured); after that no key, value or
    // change-log entry holds it, only its SHA-256.
    REQUIRE(eventually([&] { return redis.cli({"EXISTS", k_prefix + "outbox"}) == "0"; }, 10s));
    std::string stored = everything_in(redis);
    for (const auto& token : tokens) {
        CHECK(stored.find(token) == std::string::npos);
        CHECK(stored.find(token.substr(0, 16)) == std::string::npos);
        CHECK(stored.find(sha256_hex(token)) != std::string::npos);
    }
    CHECK(http_get(server.port(), "/api/v1/manage/" + tokens[0]).status == 200);
}

TEST_CASE("every listed session says whether it is bookable, until when and why not, and free_only keeps only bookable ones",
          "[booking][bookable]")
{
    // Notice 2 days, horizon 20 days: "soon" (in 1 day) is too soon, "far" (30 days) beyond
    // the horizon, "taken" (1 seat) full once booked, "open" bookable.
    std::string events = event_toml("soon", 5, 1, "12:00") + event_toml("far", 5, 30, "12:00") +
                         event_toml("taken", 1, 5, "12:00") + event_toml("open", 5, 6, "12:00");
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + seed_file(events),
                           "--booking.min_notice_minutes=2880", "--booking.horizon_days=20"});
    REQUIRE(post_json(server.port(), "/api/v1/sessions/taken/bookings", booking_body("holder@example.org")).status == 201);

    auto session = [&](const std::string& id) { return http_get(server.port(), "/api/v1/sessions/" + id).body; };
    CHECK(at(session("open"), "/bookable") == "true");
    CHECK(at(session("open"), "/not_bookable_reason").empty());
    CHECK(at(session("soon"), "/bookable") == "false");
    CHECK(at(session("soon"), "/not_bookable_reason") == "too-soon");
    CHECK(at(session("far"), "/not_bookable_reason") == "beyond-horizon");
    CHECK(at(session("taken"), "/not_bookable_reason") == "full");

    // The window edges are the start minus the notice and minus the horizon, in the camp's offset.
    std::string open = session("open");
    auto start = sp::domain::parse_rfc3339(at(open, "/start"));
    auto until = sp::domain::parse_rfc3339(at(open, "/bookable_until"));
    auto from = sp::domain::parse_rfc3339(at(open, "/bookable_from"));
    REQUIRE(start);
    REQUIRE(until);
    REQUIRE(from);
    CHECK(*start - *until == std::chrono::minutes(2880));
    CHECK(*start - *from == std::chrono::days(20));
    CHECK(at(open, "/bookable_until").substr(19) == at(open, "/start").substr(19)); // same offset

    // Every listed session agrees with itself: bookable exactly when no reason is given.
    std::set<std::string> listed, free;
    int bookable = 0, not_bookable = 0;
    http_reply list = http_get(server.port(), "/api/v1/sessions?camp=bochum&to=" +
                                                  sp::domain::format_rfc3339(*start + std::chrono::days(40),
                                                                             sp::domain::find_zone("UTC")).substr(0, 10));
    REQUIRE(list.status == 200);
    simdjson::dom::parser p;
    for (auto s : p.parse(list.body)["sessions"].get_array()) {
        std::string id(std::string_view(s["id"].get_string()));
        listed.insert(id);
        bool b = s["bookable"].get_bool();
        bool has_reason = s["not_bookable_reason"].error() == simdjson::SUCCESS;
        CHECK(b != has_reason);
        (b ? bookable : not_bookable)++;
    }
    CHECK(listed.count("soon"));
    CHECK(listed.count("taken"));
    CHECK(bookable > 0);
    CHECK(not_bookable > 0);

    http_reply free_list = http_get(server.port(), "/api/v1/sessions?camp=bochum&free_only=true&to=" +
                                                       sp::domain::format_rfc3339(*start + std::chrono::days(40),
                                                                                  sp::domain::find_zone("UTC")).substr(0, 10));
    REQUIRE(free_list.status == 200);
    CHECK(schema_problems("http/api-v1.schema.json", "session_list", free_list.body) == "");
    simdjson::dom::parser p2;
    for (auto s : p2.parse(free_list.body)["sessions"].get_array()) {
        free.insert(std::string(std::string_view(s["id"].get_string())));
        CHECK(bool(s["bookable"].get_bool()));
    }
    CHECK(free.count("open"));
    CHECK(!free.count("soon"));
    CHECK(!free.count("far"));
    CHECK(!free.count("taken"));
    CHECK(free.size() == static_cast<std::size_t>(bookable));
    // What free_only offers is accepted: none of it is refused as too soon or beyond the horizon.
    for (const auto& id : free) {
        http_reply r = post_json(server.port(), "/api/v1/sessions/" + id + "/bookings",
                                 booking_body("probe-" + id + "@example.org"));
        CHECK(r.status == 201);
    }
    // A refused booking names the reason the view gave.
    http_reply refused = post_json(server.port(), "/api/v1/sessions/soon/bookings", booking_body("x@example.org"));
    CHECK(refused.status == 422);
    CHECK(at(refused.body, "/code") == at(session("soon"), "/not_bookable_reason"));
}

TEST_CASE("an event's page data: the record with its description and its session's seats, 404 for anything else",
          "[booking][events]")
{
    redis_server redis;
    std::string extra = event_toml("solo", 1, 3, "18:00") + "description = \"Wie man eine Cloud absichert.\"\n";
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + seed_file(extra)});
    http_reply page = http_get(server.port(), "/api/v1/events/solo");
    REQUIRE(page.status == 200);
    CHECK(at(page.body, "/title") == "Event solo");
    CHECK(at(page.body, "/description") == "Wie man eine Cloud absichert.");
    CHECK(at(page.body, "/expert_id") == "jonas");
    CHECK(at(page.body, "/room_id") == "lab");
    CHECK(at(page.body, "/session/id") == "solo");
    CHECK(at(page.body, "/session/seats_free") == "1");
    CHECK(at(page.body, "/session/bookable") == "true");

    REQUIRE(post_json(server.port(), "/api/v1/sessions/solo/bookings", booking_body("a@example.org")).status == 201);
    http_reply full = http_get(server.port(), "/api/v1/events/solo");
    CHECK(at(full.body, "/session/seats_free") == "0");
    CHECK(at(full.body, "/session/not_bookable_reason") == "full");

    http_reply none = http_get(server.port(), "/api/v1/events/nope");
    CHECK(none.status == 404);
    CHECK(at(none.body, "/code") == "unknown-event");
    CHECK(at(none.body, "/field") == "id");
    // An office hour is a session, not an event: it has no event page.
    std::string sessions = http_get(server.port(), "/api/v1/sessions?expert=anna").body;
    std::string office_hour = at(sessions, "/sessions/0/id");
    REQUIRE_FALSE(office_hour.empty());
    CHECK(http_get(server.port(), "/api/v1/events/" + office_hour).status == 404);
    CHECK(http_get(server.port(), "/api/v1/events/..%2Fsecret").status == 404);
}
