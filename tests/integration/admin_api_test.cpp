#include "support/accounts.hpp"
#include "support/test_env.hpp"

#include <catch2/catch.hpp>
#include <ctime>

using namespace sp::test;
using namespace std::chrono_literals;

namespace {

struct hub {
    redis_server redis;
    server_process server{{"--redis.url=" + redis.url(), "--hub.seed_file=" + bochum_hub_file()}};
    browser admin = first_admin(redis, server);
};

http_reply put(std::uint16_t port, const std::string& target, const std::string& body, const browser& who)
{
    return http_request(port, "PUT", target, who.headers(), body);
}

http_reply del(std::uint16_t port, const std::string& target, const browser& who)
{
    return http_request(port, "DELETE", target, who.headers(), "");
}

http_reply get(std::uint16_t port, const std::string& target, const browser& who)
{
    return http_get(port, target, who.headers(false));
}

/** `days` from now at 15:00 UTC, as RFC 3339. */
std::string utc_in_days(int days, int hour = 15)
{
    std::time_t t = std::time(nullptr) + days * 86400;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:00:00Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, hour);
    return buf;
}

std::string event_body(const std::string& start, const std::string& end, int seats = 3)
{
    return R"({"camp_id":"dortmund","room_id":"do-lab","expert_id":"lena","title":"Lieferketten-Workshop",
      "topic":"Logistik-IT","start":")" +
           start + R"(","end":")" + end + R"(","seats":)" + std::to_string(seats) + "}";
}

void build_dortmund(const hub& h)
{
    auto port = h.server.port();
    auto camp = put(port, "/api/v1/admin/camps/dortmund",
                    R"({"name":"Digital Camp Dortmund","city":"Dortmund","focus":"Logistik-IT","address":"Phoenixplatz 1"})",
                    h.admin);
    REQUIRE(camp.status == 201);
    CHECK(schema_problems("http/api-v1.schema.json", "entity_saved", camp.body) == "");
    REQUIRE(put(port, "/api/v1/admin/rooms/do-lab", R"({"camp_id":"dortmund","name":"Lab","capacity":12})", h.admin)
                .status == 201);
    REQUIRE(put(port, "/api/v1/admin/experts/lena",
                R"({"name":"Lena Wolf","title":"Supply chains","topics":["Logistik-IT"],"languages":["de","en"],"camp_ids":["dortmund"]})",
                h.admin)
                .status == 201);
}

} // namespace

TEST_CASE("an admin creates a camp with a room, an expert and an event, and founders can book it", "[admin]")
{
    hub h;
    auto port = h.server.port();
    build_dortmund(h);

    http_reply camps = http_get(port, "/api/v1/camps");
    CHECK(json_at(camps.body, "/camps/1/id") == "dortmund"); // sorted by city: Bochum, Dortmund
    CHECK(json_at(camps.body, "/camps/1/zone") == "Europe/Berlin");
    CHECK(json_at(camps.body, "/camps/1/rooms/0/capacity") == "12");
    CHECK_THAT(http_get(port, "/api/v1/experts?camp=dortmund").body, Catch::Contains("Lena Wolf"));

    // Replacing answers 200 and keeps one record.
    http_reply again = put(port, "/api/v1/admin/camps/dortmund",
                           R"({"name":"Digital Camp Dortmund","city":"Dortmund","focus":"Logistik","address":"Phoenixplatz 2"})",
                           h.admin);
    CHECK(again.status == 200);
    CHECK(json_at(again.body, "/created") == "false");
    CHECK_THAT(http_get(port, "/api/v1/camps").body, Catch::Contains("Phoenixplatz 2"));

    http_reply event = put(port, "/api/v1/admin/events/supply-day", event_body(utc_in_days(5), utc_in_days(5, 17)), h.admin);
    REQUIRE(event.status == 201);
    http_reply events = get(port, "/api/v1/admin/events", h.admin);
    CHECK(events.status == 200);
    CHECK(schema_problems("http/api-v1.schema.json", "event_list", events.body) == "");
    CHECK(json_at(events.body, "/events/0/id") == "supply-day");
    CHECK(json_at(events.body, "/events/0/seats") == "3");

    http_reply session = http_get(port, "/api/v1/sessions/supply-day");
    CHECK(session.status == 200);
    CHECK(json_at(session.body, "/seats") == "3");
    http_reply booked = post(port, "/api/v1/sessions/supply-day/bookings",
                             R"({"name":"Mia","email":"mia@example.org","startup":"Hafenlogik","consent":true})");
    CHECK(booked.status == 201);

    // The admin sees the expert's schedule with the founder in it.
    http_reply schedule = get(port, "/api/v1/admin/experts/lena/sessions", h.admin);
    CHECK(schedule.status == 200);
    CHECK(schema_problems("http/api-v1.schema.json", "expert_schedule", schedule.body) == "");
    CHECK_THAT(schedule.body, Catch::Contains("mia@example.org"));
    CHECK(get(port, "/api/v1/admin/experts/nobody/sessions", h.admin).status == 404);
}

TEST_CASE("admin input errors name the field and write nothing", "[admin][validation]")
{
    hub h;
    auto port = h.server.port();
    std::string before = h.redis.cli({"XLEN", "sp:{hub}:changes"});
    struct bad {
        std::string target, body, field;
        int status;
    };
    std::vector<bad> cases{
        {"/api/v1/admin/camps/x", R"({"name":"X","city":"X","focus":"X","address":"X","zone":"Mars/Olympus"})", "zone", 422},
        {"/api/v1/admin/camps/x", R"({"name":"X","city":"X","focus":"X"})", "address", 422},
        {"/api/v1/admin/camps/X_Y", R"({"name":"X","city":"X","focus":"X","address":"X"})", "id", 422},
        {"/api/v1/admin/rooms/r", R"({"camp_id":"bochum","name":"R","capacity":0})", "capacity", 422},
        {"/api/v1/admin/rooms/r", R"({"camp_id":"atlantis","name":"R","capacity":5})", "camp_id", 422},
        {"/api/v1/admin/experts/e", R"({"name":"E","topics":[],"languages":["de"],"camp_ids":["bochum"]})", "topics", 422},
        {"/api/v1/admin/experts/e", R"({"name":"E","topics":["T"],"languages":["fr"],"camp_ids":["bochum"]})", "languages", 422},
        {"/api/v1/admin/experts/e", R"({"name":"E","topics":["T"],"languages":["de"],"camp_ids":["nowhere"]})", "camp_ids", 422},
        {"/api/v1/admin/experts/e", R"({"name":"E","topics":["T"],"languages":["de"],"camp_ids":["bochum"],"admin":true})", "admin", 422},
        {"/api/v1/admin/events/ev", R"({"camp_id":"bochum","title":"T","topic":"T","start":"yesterday","end":"x","seats":3})", "start", 422},
        {"/api/v1/admin/events/ev", "{\"camp_id\":\"bochum\",\"title\":\"T\",\"topic\":\"T\",\"start\":\"" + utc_in_days(2) +
             "\",\"end\":\"" + utc_in_days(1) + "\",\"seats\":3}", "end", 422},
        {"/api/v1/admin/events/ev", "{\"camp_id\":\"bochum\",\"room_id\":\"nope\",\"title\":\"T\",\"topic\":\"T\",\"start\":\"" +
             utc_in_days(2) + "\",\"end\":\"" + utc_in_days(2, 16) + "\",\"seats\":3}", "room_id", 422},
        {"/api/v1/admin/camps/x", R"({"name":"X",)", "", 400},
    };
    for (const auto& c : cases) {
        INFO(c.target << " " << c.body);
        http_reply r = put(port, c.target, c.body, h.admin);
        CHECK(r.status == c.status);
        CHECK(json_at(r.body, "/field") == c.field);
        CHECK(schema_problems("http/problem.schema.json", "", r.body) == "");
    }
    CHECK(h.redis.cli({"XLEN", "sp:{hub}:changes"}) == before);
    CHECK(redis_keys_with(h.redis, "camp:x") == "");
    CHECK(redis_keys_with(h.redis, "expert:e") == "");
}

TEST_CASE("only admins reach the admin API, and changes need the CSRF token", "[admin][auth]")
{
    hub h;
    auto port = h.server.port();
    browser anna = invited_expert(h.server, h.admin, "anna@example.org", "anna");
    const std::string camp = R"({"name":"X","city":"X","focus":"X","address":"X"})";

    CHECK(http_get(port, "/api/v1/admin/statistics").status == 401);
    CHECK(http_request(port, "PUT", "/api/v1/admin/camps/x", {{"Content-Type", "application/json"}}, camp).status == 403);
    CHECK(get(port, "/api/v1/admin/statistics", anna).status == 403);
    CHECK(put(port, "/api/v1/admin/camps/x", camp, anna).status == 403);
    CHECK(http_request(port, "PUT", "/api/v1/admin/camps/x", h.admin.headers(false), camp).status == 403); // no token
    auto foreign = h.admin.headers();
    foreign["Origin"] = "https://evil.example";
    CHECK(http_request(port, "PUT", "/api/v1/admin/camps/x", foreign, camp).status == 403);
    CHECK(redis_keys_with(h.redis, "camp:x") == "");
    CHECK(put(port, "/api/v1/admin/camps/x", camp, h.admin).status == 201);
}

TEST_CASE("what is still in use cannot be deleted, what is unused can", "[admin]")
{
    hub h;
    auto port = h.server.port();
    build_dortmund(h);
    REQUIRE(put(port, "/api/v1/admin/events/supply-day", event_body(utc_in_days(5), utc_in_days(5, 17)), h.admin).status ==
            201);

    http_reply camp = del(port, "/api/v1/admin/camps/dortmund", h.admin);
    CHECK(camp.status == 409);
    CHECK(json_at(camp.body, "/code") == "in-use");
    CHECK(del(port, "/api/v1/admin/rooms/do-lab", h.admin).status == 409);   // the coming event
    CHECK(del(port, "/api/v1/admin/experts/lena", h.admin).status == 409);   // her coming session
    CHECK(del(port, "/api/v1/admin/camps/atlantis", h.admin).status == 404);

    REQUIRE(post(port, "/api/v1/sessions/supply-day/bookings",
                 R"({"name":"Mia","email":"mia@example.org","startup":"Hafenlogik","consent":true})")
                .status == 201);
    http_reply gone = http_request(port, "DELETE", "/api/v1/admin/events/supply-day", h.admin.headers(),
                                   R"({"message":"Die Referentin ist erkrankt."})");
    CHECK(gone.status == 200);
    CHECK(json_at(gone.body, "/cancelled_bookings") == "1");
    CHECK(json_at(http_get(port, "/api/v1/sessions/supply-day").body, "/status") == "cancelled");
    CHECK(get(port, "/api/v1/admin/events", h.admin).body == R"({"events":[]})");

    // The cancelled session still names the camp's sessions index until it has passed,
    // so the camp stays; the room and (with the expert's camp list cleared) more can go.
    CHECK(del(port, "/api/v1/admin/rooms/do-lab", h.admin).status == 204);
    CHECK(del(port, "/api/v1/admin/rooms/do-lab", h.admin).status == 404);
    CHECK(json_at(http_get(port, "/api/v1/camps").body, "/camps/1/rooms") == "[]");
}

TEST_CASE("statistics count bookings and utilization per week, camp and topic", "[admin][statistics]")
{
    hub h;
    auto port = h.server.port();
    build_dortmund(h);
    REQUIRE(put(port, "/api/v1/admin/events/supply-day", event_body(utc_in_days(5), utc_in_days(5, 17), 4), h.admin)
                .status == 201);
    for (std::string who : {"a", "b", "c"})
        REQUIRE(post(port, "/api/v1/sessions/supply-day/bookings",
                     R"({"name":"F","email":")" + who + R"(@example.org","startup":"S","consent":true})")
                    .status == 201);

    http_reply st = get(port, "/api/v1/admin/statistics", h.admin);
    REQUIRE(st.status == 200);
    CHECK(schema_problems("http/api-v1.schema.json", "statistics", st.body) == "");
    CHECK(json_at(st.body, "/rows/0/camp_id") == "dortmund");
    CHECK(json_at(st.body, "/rows/0/topic") == "Logistik-IT");
    CHECK(json_at(st.body, "/rows/0/seats") == "4");
    CHECK(json_at(st.body, "/rows/0/bookings") == "3");
    CHECK(json_at(st.body, "/rows/0/utilization") == "0.75");
    CHECK(json_at(st.body, "/rows/0/no_show_rate") == "null");
    CHECK(json_at(st.body, "/totals/bookings") == "3");

    // A range that ends before the event leaves it out.
    http_reply past = get(port, "/api/v1/admin/statistics?from=2026-01-01&to=2026-02-01", h.admin);
    CHECK(past.status == 200);
    CHECK(json_at(past.body, "/totals/sessions") == "0");
    http_reply bad = get(port, "/api/v1/admin/statistics?from=2026-13-01", h.admin);
    CHECK(bad.status == 422);
    CHECK(json_at(bad.body, "/field") == "from");
}

TEST_CASE("the audit log lists who changed what, newest first, in pages", "[admin][audit]")
{
    hub h;
    auto port = h.server.port();
    build_dortmund(h);
    browser anna = invited_expert(h.server, h.admin, "anna@example.org", "anna");
    REQUIRE(put(port, "/api/v1/expert/rules/anna-mon",
                R"({"camp_id":"bochum","online_url":"https://meet.example.org/a","zone":"Europe/Berlin",
                    "windows":[{"day":"mon","start":"10:00","end":"11:00"}],"slot_minutes":30,"buffer_minutes":0,
                    "seats":1,"valid_from":"2026-01-01","exceptions":[]})",
                anna)
                .status == 201);
    // A founder's booking is not an admin or expert change: it is not in the audit log.
    http_reply audit = get(port, "/api/v1/admin/audit?limit=3", h.admin);
    REQUIRE(audit.status == 200);
    CHECK(schema_problems("http/api-v1.schema.json", "audit", audit.body) == "");
    CHECK(json_at(audit.body, "/entries/0/type") == "rule.put");
    CHECK(json_at(audit.body, "/entries/0/by") == "anna@example.org");
    CHECK(json_at(audit.body, "/entries/0/subject") == "anna-mon");
    std::string next = json_at(audit.body, "/next_before");
    REQUIRE(next.size() > 2);
    http_reply older = get(port, "/api/v1/admin/audit?limit=200&before=" + next, h.admin);
    CHECK_THAT(older.body, Catch::Contains(R"("type":"camp.put","by":"manager@hub.example.org","subject":"dortmund")"));
    CHECK_THAT(older.body, Catch::Contains(R"("by":"seed")"));
    CHECK(json_at(older.body, "/next_before") == "null");
    CHECK(get(port, "/api/v1/admin/audit?limit=0", h.admin).status == 422);
    CHECK(get(port, "/api/v1/admin/audit?before=x%0d", h.admin).status == 422);
}
