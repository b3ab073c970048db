#include "support/accounts.hpp"
#include "support/test_env.hpp"

#include <catch2/catch.hpp>

using namespace sp::test;
using namespace std::chrono_literals;

namespace {

std::string hub_with_two_events()
{
    return bochum_hub_file("[[expert]]\nid = \"jonas\"\nname = \"Jonas Becker\"\ncamps = [\"bochum\"]\n" +
                           event_toml("talk", "anna", "Security Night", 1) +
                           event_toml("night", "jonas", "Pitch Night", 3, 4));
}

struct booked {
    int status = 0;
    std::string token;
};

booked book(std::uint16_t port, const std::string& session, const std::string& name, const std::string& email,
            bool waitlist = false)
{
    http_reply r = post(port, "/api/v1/sessions/" + session + (waitlist ? "/waitlist" : "/bookings"),
                        R"({"name":")" + name + R"(","email":")" + email +
                            R"(","startup":"Geheimprojekt )" + name + R"(","question":"Frage von )" + name +
                            R"(","consent":true})");
    return {r.status, json_at(r.body, "/manage_token")};
}
} // namespace

TEST_CASE("a founder exports every booking made with their e-mail from one manage link", "[privacy]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + hub_with_two_events()});
    auto port = server.port();
    REQUIRE(eventually([&] { return status_of(port, "/readyz") == 200; }, 5s));
    booked talk = book(port, "talk", "Jana", "Jana@Example.org");
    booked night = book(port, "night", "Jana", "jana@example.org");
    booked other = book(port, "night", "Olaf", "olaf@example.org");
    REQUIRE(talk.status == 201);
    REQUIRE(night.status == 201);
    REQUIRE(other.status == 201);

    http_reply x = http_get(port, "/api/v1/manage/" + talk.token + "/export");
    CHECK(x.status == 200);
    CHECK_THAT(x.header("content-disposition"), Catch::StartsWith("attachment"));
    CHECK(x.header("cache-control") == "no-store");
    CHECK(schema_problems("http/api-v1.schema.json", "founder_export", x.body) == "");
    CHECK(json_at(x.body, "/bookings/0/booking/session/id") == "talk");
    CHECK(json_at(x.body, "/bookings/1/booking/session/id") == "night");
    CHECK(json_at(x.body, "/bookings/1/booking/question") == "Frage von Jana");
    CHECK(json_at(x.body, "/bookings/2") == "");
    CHECK_THAT(x.body, !Catch::Contains("olaf"));
    CHECK(http_get(port, "/api/v1/manage/not-a-real-token-at-all-xxxxxxxxxxxx/export").status == 404);
}

TEST_CASE("after a founder's erasure no key and no change-log entry holds their name or e-mail", "[privacy]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + hub_with_two_events()});
    auto port = server.port();
    REQUIRE(eventually([&] { return status_of(port, "/readyz") == 200; }, 5s));
    const std::string email = "zoe.unverwechselbar@example.org";
    booked talk = book(port, "talk", "Zoë Unverwechselbar", email);
    booked night = book(port, "night", "Zoë Unverwechselbar", email);
    booked waiting = book(port, "talk", "Wim", "wim@example.org", true);
    REQUIRE(talk.status == 201);
    REQUIRE(night.status == 201);
    REQUIRE(waiting.status == 201);
    std::string before = everything_in(redis);
    REQUIRE_THAT(before, Catch::Contains(email));
    REQUIRE_THAT(before, Catch::Contains(sha256_hex(email)));

    CHECK(post(port, "/api/v1/manage/" + talk.token + "/erase", R"({"confirm":false})").status == 422);
    CHECK(post(port, "/api/v1/manage/" + talk.token + "/erase", "{}").status == 422);
    http_reply erased = post(port, "/api/v1/manage/" + talk.token + "/erase", R"({"confirm":true})");
    CHECK(erased.status == 200);
    CHECK(json_at(erased.body, "/erased_bookings") == "2");

    std::string after = everything_in(redis);
    CHECK_THAT(after, !Catch::Contains(email));
    CHECK_THAT(after, !Catch::Contains("Unverwechselbar"));
    CHECK_THAT(after, !Catch::Contains("Geheimprojekt Zoë"));
    CHECK_THAT(after, !Catch::Contains(sha256_hex(email))); // not even the hashed key
    CHECK_THAT(after, Catch::Contains("wim@example.org"));  // nobody else's data went

    // Her links are dead; her seat went to the waitlist; the sessions count right.
    CHECK(http_get(port, "/api/v1/manage/" + talk.token).status == 404);
    CHECK(http_get(port, "/api/v1/manage/" + night.token).status == 404);
    CHECK(json_at(http_get(port, "/api/v1/manage/" + waiting.token).body, "/status") == "confirmed");
    CHECK(json_at(http_get(port, "/api/v1/sessions/night").body, "/seats_taken") == "0");
    CHECK(post(port, "/api/v1/manage/" + talk.token + "/erase", R"({"confirm":true})").status == 404);
}

TEST_CASE("an admin erases a founder by e-mail", "[privacy][admin]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + hub_with_two_events()});
    auto port = server.port();
    browser admin = first_admin(redis, server);
    booked b = book(port, "night", "Paula Privat", "paula@example.org");
    REQUIRE(b.status == 201);

    http_reply bad = post(port, "/api/v1/admin/founders/erase", R"({"email":"not-an-address"})", admin.headers());
    CHECK(bad.status == 422);
    CHECK(json_at(bad.body, "/field") == "email");
    CHECK(post(port, "/api/v1/admin/founders/erase", R"({"email":"paula@example.org"})").status == 403); // no session

    http_reply r = post(port, "/api/v1/admin/founders/erase", R"({"email":" Paula@Example.ORG "})", admin.headers());
    CHECK(r.status == 200);
    CHECK(json_at(r.body, "/erased_bookings") == "1");
    CHECK_THAT(everything_in(redis), !Catch::Contains("Paula"));
    // Erasing someone unknown (or twice) is not an error: there is nothing left.
    CHECK(json_at(post(port, "/api/v1/admin/founders/erase", R"({"email":"paula@example.org"})", admin.headers()).body,
                  "/erased_bookings") == "0");
    http_reply audit = http_get(port, "/api/v1/admin/audit", admin.headers(false));
    CHECK_THAT(audit.body, Catch::Contains(R"("type":"founder.erased","by":"manager@hub.example.org")"));
}

TEST_CASE("personal data is erased automatically once the retention after the session has passed", "[privacy]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + hub_with_two_events(),
                           "--booking.retention_days=30", "--booking.retention_sweep_seconds=1"});
    auto port = server.port();
    REQUIRE(eventually([&] { return status_of(port, "/readyz") == 200; }, 5s));
    booked old = book(port, "talk", "Otto Alt", "otto@example.org");
    booked recent = book(port, "night", "Rita Neu", "rita@example.org");
    REQUIRE(old.status == 201);
    REQUIRE(recent.status == 201);
    std::string old_id = json_at(http_get(port, "/api/v1/manage/" + old.token).body, "/id");
    std::string recent_id = json_at(http_get(port, "/api/v1/manage/" + recent.token).body, "/id");

    // Time passes: the talk ended 31 days ago. The night's entry is made to look due
    // too, but its session has not ended, so the sweep must check and keep it.
    auto t = std::to_string(std::time(nullptr) - 31 * 86400);
    redis.cli({"HSET", "sp:{hub}:session:talk", "start", t, "end", t});
    redis.cli({"ZADD", "sp:{hub}:personal", t, old_id});
    redis.cli({"ZADD", "sp:{hub}:personal", t, recent_id});

    CHECK(eventually([&] { return redis.cli({"HGET", "sp:{hub}:booking:" + old_id, "name"}).empty(); }, 5s));
    CHECK(redis.cli({"HGET", "sp:{hub}:booking:" + old_id, "status"}) == "confirmed"); // statistics keep it
    CHECK(redis.cli({"HGET", "sp:{hub}:booking:" + recent_id, "name"}) == "Rita Neu");
    CHECK(std::stol(redis.cli({"ZSCORE", "sp:{hub}:personal", recent_id})) > std::time(nullptr));
    CHECK_THAT(everything_in(redis), !Catch::Contains("otto@example.org"));
}
