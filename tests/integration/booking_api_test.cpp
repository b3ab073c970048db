#include "support/test_env.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <simdjson.h>

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
    }
}

TEST_CASE("a founder racing themselves across two overlapping sessions gets exactly one", "[booking][race][tsan]")
{
    std::string events = event_toml("early", 10, 4, "10:00", 120, "anna") + event_toml("late", 10, 4, "11:00", 120);
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + seed_file(events),
                           "--booking.max_upcoming_per_founder=10"});
    std::vector<http_call> calls;
    for (int i = 0; i < 60; ++i) calls.push_back(book_call(i % 2 ? "early" : "late", "same.founder@example.org"));
    auto replies = parallel_requests(server.port(), calls);
    int created = 0;
    std::set<std::string> refusals;
    for (const auto& r : replies) {
        if (r.status == 201) ++created;
        else refusals.insert(at(r.body, "/code"));
    }
    CHECK(created == 1);
    // The loser of the other session is refused for overlapping; in the same one, for
    // holding a place there already.
    CHECK(refusals == std::set<std::string>{"already-booked", "overlap"});
    int taken = std::stoi(at(http_get(server.port(), "/api/v1/sessions/early").body, "/seats_taken")) +
                std::stoi(at(http_get(server.port(), "/api/v1/sessions/late").body, "/seats_taken"));
    CHECK(taken == 1);
}

TEST_CASE("an idempotent retry after a dropped connection makes one booking and returns its link", "[booking]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + seed_file(event_toml("talk", 5, 3, "18:00"))});
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

    // The same key with another body is a conflict, and writes nothing.
    http_reply other = post_json(server.port(), "/api/v1/sessions/talk/bookings", booking_body("someone@example.org"),
                                 {{"Idempotency-Key", key}});
    CHECK(other.status == 409);
    CHECK(at(other.body, "/code") == "idempotency-conflict");
    CHECK(at(other.body, "/field") == "Idempotency-Key");
    CHECK(at(http_get(server.port(), "/api/v1/sessions/talk").body, "/seats_taken") == "1");
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

    http_reply cancelled = post_json(server.port(), "/api/v1/manage/" + at(a.body, "/manage_token") + "/cancel", "");
    CHECK(cancelled.status == 200);
    CHECK(at(cancelled.body, "/status") == "cancelled");

    http_reply b_now = http_get(server.port(), "/api/v1/manage/" + at(b.body, "/manage_token"));
    CHECK(at(b_now.body, "/status") == "confirmed");
    CHECK(at(http_get(server.port(), "/api/v1/manage/" + at(c.body, "/manage_token")).body, "/status") == "waitlisted");
    http_reply session = http_get(server.port(), "/api/v1/sessions/solo");
    CHECK(at(session.body, "/seats_taken") == "1");
    CHECK(at(session.body, "/waiting") == "1");

    auto log = redis.stream(k_prefix + "changes");
    REQUIRE_FALSE(log.empty());
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

TEST_CASE("every kind of bad request gets its problem and writes nothing", "[booking][errors]")
{
    std::string events = event_toml("soon", 5, 1, "12:00") + event_toml("far", 5, 30, "12:00") +
                         event_toml("taken", 1, 5, "12:00") + event_toml("other", 5, 6, "09:00");
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + seed_file(events),
                           "--booking.min_notice_minutes=2880", "--booking.horizon_days=20",
                           "--booking.max_upcoming_per_founder=1", "--http.max_body_bytes=4096"});
    http_reply holder = post_json(server.port(), "/api/v1/sessions/taken/bookings", booking_body("holder@example.org"));
    REQUIRE(holder.status == 201);
    std::string token = at(holder.body, "/manage_token");

    std::string keys_before = redis.cli({"DBSIZE"});
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
        {"founder limit", book("other", booking_body("holder@example.org")), 409, "founder-limit", "email"},
        {"bad idempotency key", book("other", booking_body("x@example.org"), {{"Idempotency-Key", "short"}}), 400,
         "invalid-idempotency-key", "Idempotency-Key"},
        {"body over the limit", book("other", std::string(5000, ' ')), 413, "body-too-large", ""},
        {"unknown token", http_call{"GET", "/api/v1/manage/" + std::string(43, 'A'), {}, ""}, 404, "unknown-token", ""},
        {"malformed token", http_call{"GET", "/api/v1/manage/short", {}, ""}, 404, "unknown-token", ""},
        {"cancel with unknown token", http_call{"POST", "/api/v1/manage/" + std::string(43, 'B') + "/cancel", {}, ""},
         404, "unknown-token", ""},
        {"reschedule to unknown session",
         http_call{"POST", "/api/v1/manage/" + token + "/reschedule", {{"Content-Type", json}}, R"({"session_id":"nope"})"},
         422, "unknown-session", "session_id"},
        {"reschedule to another expert",
         http_call{"POST", "/api/v1/manage/" + token + "/reschedule", {{"Content-Type", json}},
                   R"({"session_id":")" + future_slots(server.port()).at(0) + "\"}"},
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
    CHECK(std::stoi(redis.cli({"DBSIZE"})) - (misses.empty() ? 0 : 1) == std::stoi(keys_before));
    CHECK(redis.cli({"XLEN", k_prefix + "changes"}) == log_before);
}

TEST_CASE("API responses and requests match their JSON Schemas", "[booking][schema]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + seed_file(event_toml("talk", 5, 3, "18:00"))});
    const std::string file = "http/api-v1.schema.json";
    CHECK(schema_problems(file, "camp_list", http_get(server.port(), "/api/v1/camps").body) == "");
    CHECK(schema_problems(file, "expert_list", http_get(server.port(), "/api/v1/experts?camp=bochum").body) == "");
    CHECK(schema_problems(file, "topic_list", http_get(server.port(), "/api/v1/topics").body) == "");
    http_reply list = http_get(server.port(), "/api/v1/sessions?camp=bochum&free_only=true");
    CHECK(schema_problems(file, "session_list", list.body) == "");
    CHECK(ids_of(list.body, "sessions").size() > 5);
    CHECK(schema_problems(file, "session", http_get(server.port(), "/api/v1/sessions/talk").body) == "");
    std::string request = booking_body("schema@example.org");
    CHECK(schema_problems(file, "booking_request", request) == "");
    http_reply created = post_json(server.port(), "/api/v1/sessions/talk/bookings", request);
    REQUIRE(created.status == 201);
    CHECK(schema_problems(file, "booking_created", created.body) == "");
    http_reply managed = http_get(server.port(), "/api/v1/manage/" + at(created.body, "/manage_token"));
    CHECK(schema_problems(file, "booking", managed.body) == "");
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
