// The day at the camp, as founders, experts and the lobby notice it: checking in.
#include "support/accounts.hpp"
#include "support/test_env.hpp"
#include "support/ws_client.hpp"

#include <catch2/catch.hpp>
#include <ctime>
#include <fstream>

using namespace sp::test;
using namespace std::chrono_literals;

namespace {

/** `now + offset` as RFC 3339 in UTC, for a seed file's event. */
std::string at(std::chrono::seconds offset)
{
    auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + offset);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char when[40];
    std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
    return when;
}

/** Anna's two events, created relative to now: "soon" starts in 30 minutes, "later" in
 *  three hours; both last long. With check-in opening 60 minutes ahead, "soon" is in its
 *  window and "later" is not, however slow the machine is. */
std::string day_hub()
{
    std::string seed = bochum_hub_file(R"(
[[expert]]
id = "jonas"
name = "Jonas Becker"
camps = ["bochum"]
)");
    std::ofstream out(seed, std::ios::app);
    for (auto [id, offset] : {std::pair{"soon", 30min}, std::pair{"later", 180min}}) {
        out << "\n[[event]]\nid = \"" << id << "\"\ncamp = \"bochum\"\nhost = \"anna\"\ntitle = \"Day "
            << id << "\"\nstart = \"" << at(offset) << "\"\nend = \"" << at(offset + 120min) << "\"\nseats = 5\n";
    }
    return seed;
}

http_reply book(std::uint16_t port, const std::string& session, const std::string& email)
{
    return post(port, "/api/v1/sessions/" + session + "/bookings",
                R"({"name":"Founder )" + email + R"(","email":")" + email + R"(","startup":"S","consent":true})");
}

std::string cookie_of(const browser& b) { return "sp_session=" + b.session; }

struct day {
    redis_server redis;
    server_process server{{"--redis.url=" + redis.url(), "--hub.seed_file=" + day_hub(),
                           "--booking.min_notice_minutes=0", "--booking.checkin_open_minutes=60"}};
    browser admin = first_admin(redis, server);
    browser anna = invited_expert(server, admin, "anna@example.org", "anna");
    browser jonas = invited_expert(server, admin, "jonas@example.org", "jonas");
};

} // namespace

TEST_CASE("a founder checks in from the manage link only inside the window, and the expert sees it live",
          "[day][checkin]")
{
    day d;
    auto port = d.server.port();

    // Three hours ahead, check-in (60 minutes ahead here) is not open: refused, nothing written.
    http_reply later = book(port, "later", "early@example.org");
    REQUIRE(later.status == 201);
    std::string later_manage = "/api/v1/manage/" + json_at(later.body, "/manage_token");
    CHECK(json_at(http_get(port, later_manage).body, "/can_check_in") == "false");
    http_reply early = post(port, later_manage + "/checkin", "");
    CHECK(early.status == 409);
    CHECK(json_at(early.body, "/code") == "too-early");
    CHECK(schema_problems("http/problem.schema.json", "", early.body) == "");
    CHECK(json_at(http_get(port, later_manage).body, "/checked_in") == "false");
    CHECK(json_at(http_get(port, "/api/v1/sessions/later").body, "/checked_in") == "0");
    // The expert cannot either.
    CHECK(post(port, "/api/v1/expert/bookings/" + json_at(later.body, "/booking/id") + "/checkin", "", d.anna.headers())
              .status == 409);

    // Thirty minutes ahead it is open; the page may offer it.
    http_reply soon = book(port, "soon", "here@example.org");
    REQUIRE(soon.status == 201);
    std::string manage = "/api/v1/manage/" + json_at(soon.body, "/manage_token");
    http_reply view = http_get(port, manage);
    CHECK(json_at(view.body, "/can_check_in") == "true");
    CHECK(schema_problems("http/api-v1.schema.json", "booking", view.body) == "");

    // Anna watches her founders; the lobby watches the camp.
    ws_client anna(port, {}, true, 0, cookie_of(d.anna));
    anna.send(R"({"op":"subscribe","id":"mine","view":{"type":"expert","expert":"anna","private":true}})");
    REQUIRE(anna.next_op("snapshot"));
    while (anna.next_op("bookings", 500ms)) {
    } // the initial rosters
    ws_client lobby(port);
    lobby.send(R"({"op":"subscribe","id":"lobby","view":{"type":"lobby","camp":"bochum"}})");
    REQUIRE(lobby.next_op("snapshot"));

    http_reply checked = post(port, manage + "/checkin", "");
    REQUIRE(checked.status == 200);
    CHECK(json_at(checked.body, "/checked_in") == "true");
    CHECK(json_at(checked.body, "/can_check_in") == "false");
    CHECK(json_at(checked.body, "/status") == "confirmed");
    CHECK(schema_problems("http/api-v1.schema.json", "booking", checked.body) == "");

    auto roster = anna.next_op("bookings", 1s);
    REQUIRE(roster);
    CHECK(json_at(*roster, "/session") == "soon");
    CHECK(json_at(*roster, "/bookings/0/checked_in") == "true");
    CHECK(schema_problems("ws/live.schema.json", "bookings", *roster) == "");
    auto tick = lobby.next_op("changes", 1s);
    REQUIRE(tick);
    CHECK(json_at(*tick, "/changes/0/session/checked_in") == "1");
    CHECK(tick->find("here@example.org") == std::string::npos);
    CHECK(tick->find("Founder") == std::string::npos);

    // Once only.
    http_reply again = post(port, manage + "/checkin", "");
    CHECK(again.status == 409);
    CHECK(json_at(again.body, "/code") == "already-checked-in");

    // The expert's dashboard lists it.
    http_reply schedule = http_get(port, "/api/v1/expert/sessions", d.anna.headers());
    CHECK(schema_problems("http/api-v1.schema.json", "expert_schedule", schedule.body) == "");
    CHECK_THAT(schedule.body, Catch::Contains(R"("checked_in":true)"));
}

TEST_CASE("the expert checks a founder in, only their own",
          "[day][checkin]")
{
    day d;
    auto port = d.server.port();
    http_reply soon = book(port, "soon", "walked@example.org");
    REQUIRE(soon.status == 201);
    std::string booking = json_at(soon.body, "/booking/id");
    std::string manage = "/api/v1/manage/" + json_at(soon.body, "/manage_token");

    CHECK(post(port, "/api/v1/expert/bookings/" + booking + "/checkin", "", d.jonas.headers()).status == 404);
    CHECK(json_at(http_get(port, manage).body, "/checked_in") == "false");
    CHECK(post(port, "/api/v1/expert/bookings/" + booking + "/checkin", "", d.anna.headers()).status == 204);
    CHECK(json_at(http_get(port, manage).body, "/checked_in") == "true");
    CHECK(json_at(http_get(port, "/api/v1/sessions/soon").body, "/checked_in") == "1");
    // Cancelled after checking in (before the start): the tick goes with the founder.
    REQUIRE(post(port, manage + "/cancel", "").status == 200);
    CHECK(json_at(http_get(port, "/api/v1/sessions/soon").body, "/checked_in") == "0");
    CHECK(json_at(http_get(port, manage).body, "/checked_in") == "false");

    // A cancelled booking cannot check in.
    http_reply gone = book(port, "soon", "gone@example.org");
    REQUIRE(gone.status == 201);
    std::string gone_manage = "/api/v1/manage/" + json_at(gone.body, "/manage_token");
    REQUIRE(post(port, gone_manage + "/cancel", "").status == 200);
    CHECK(json_at(http_get(port, gone_manage).body, "/can_check_in") == "false");
    http_reply refused = post(port, gone_manage + "/checkin", "");
    CHECK(refused.status == 409);
    CHECK(json_at(refused.body, "/code") == "not-confirmed");
}
