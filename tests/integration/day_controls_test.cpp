// The expert's controls during the day, as experts, founders and the lobby notice them:
// "End now" (the rest of the slot goes to walk-ins when long enough) and "Extend"
// (only when the later sessions it reaches are free; they give way).
#include "support/accounts.hpp"
#include "support/test_env.hpp"
#include "support/ws_client.hpp"

#include <catch2/catch.hpp>
#include <ctime>

using namespace sp::test;
using namespace std::chrono_literals;

namespace {

/** `now + offset` as RFC 3339 in UTC. */
std::string at(std::chrono::seconds offset)
{
    auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + offset);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char when[40];
    std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
    return when;
}

/** An RFC 3339 time as epoch seconds (the API writes the camp's offset). */
long epoch_of(const std::string& rfc3339)
{
    std::tm tm{};
    REQUIRE(rfc3339.size() == 25);
    REQUIRE(strptime(rfc3339.substr(0, 19).c_str(), "%Y-%m-%dT%H:%M:%S", &tm) != nullptr);
    long offset = (std::stol(rfc3339.substr(20, 2)) * 60 + std::stol(rfc3339.substr(23, 2))) * 60;
    return static_cast<long>(timegm(&tm)) - (rfc3339[19] == '-' ? -offset : offset);
}

http_reply book(std::uint16_t port, const std::string& session, const std::string& email)
{
    return post(port, "/api/v1/sessions/" + session + "/bookings",
                R"({"name":"Founder )" + email + R"(","email":")" + email + R"(","startup":"S","consent":true})");
}

/** Anna's event `id` from `from` to `to` (offsets from now), through the admin API. */
void anna_event(std::uint16_t port, const browser& admin, const std::string& id, std::chrono::seconds from,
                std::chrono::seconds to, int seats = 2)
{
    http_reply r = http_request(port, "PUT", "/api/v1/admin/events/" + id, admin.headers(),
                                R"({"camp_id":"bochum","expert_id":"anna","title":"Day )" + id +
                                    R"(","topic":"Security","start":")" + at(from) + R"(","end":")" + at(to) +
                                    R"(","seats":)" + std::to_string(seats) + "}");
    REQUIRE((r.status == 201 || r.status == 200));
}

std::string stored(const redis_server& redis, const std::string& session, const std::string& field)
{
    return redis.cli({"HGET", "sp:{hub}:session:" + session, field});
}

/** Waits until the session `id` has started by the server's clock. */
void wait_for_start(const redis_server& redis, const std::string& id)
{
    std::string start = stored(redis, id, "start");
    REQUIRE(!start.empty());
    REQUIRE(eventually([&] { return std::time(nullptr) > std::stol(start); }, 30s));
}

std::string changes_length(const redis_server& redis) { return redis.cli({"XLEN", "sp:{hub}:changes"}); }

/** The next "changes" message that carries session `id` with `field` == `value`, within `timeout`. */
bool sees(ws_client& ws, const std::string& id, const std::string& field, const std::string& value,
          std::chrono::milliseconds timeout)
{
    auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
        auto m = ws.next_op("changes", left);
        if (!m) return false;
        for (int i = 0; !json_at(*m, "/changes/" + std::to_string(i) + "/session/id").empty(); ++i) {
            std::string base = "/changes/" + std::to_string(i) + "/session/";
            if (json_at(*m, base + "id") == id && json_at(*m, base + field) == value) return true;
        }
    }
    return false;
}

struct controls_day {
    redis_server redis;
    server_process server{{"--redis.url=" + redis.url(), "--hub.seed_file=" + bochum_hub_file(R"(
[[expert]]
id = "jonas"
name = "Jonas Becker"
camps = ["bochum"]
)"),
                           "--booking.min_notice_minutes=0", "--booking.min_walkin_minutes=10",
                           "--booking.extend_minutes=10"}};
    browser admin = first_admin(redis, server);
    browser anna = invited_expert(server, admin, "anna@example.org", "anna");
    browser jonas = invited_expert(server, admin, "jonas@example.org", "jonas");
};

} // namespace

TEST_CASE("ending a running session early frees the rest for walk-ins when it is long enough, live, and not when "
          "it is too short",
          "[day][controls]")
{
    controls_day d;
    auto port = d.server.port();
    anna_event(port, d.admin, "long", 3s, 3s + 60min);
    anna_event(port, d.admin, "short", 3s, 3s + 5min);
    http_reply founder = book(port, "long", "inside@example.org");
    REQUIRE(founder.status == 201);
    const std::string original_end = stored(d.redis, "long", "end");

    // Before the start: not running, nothing written.
    std::string before = changes_length(d.redis);
    http_reply early = post(port, "/api/v1/expert/sessions/long/end-early", "", d.anna.headers());
    CHECK(early.status == 409);
    CHECK(json_at(early.body, "/code") == "not-running");
    CHECK(schema_problems("http/problem.schema.json", "", early.body) == "");
    CHECK(changes_length(d.redis) == before);
    CHECK(stored(d.redis, "long", "end") == original_end);

    wait_for_start(d.redis, "long");
    wait_for_start(d.redis, "short");
    // Not Jonas's session: 404, nothing written.
    CHECK(post(port, "/api/v1/expert/sessions/long/end-early", "", d.jonas.headers()).status == 404);
    CHECK(changes_length(d.redis) == before);

    ws_client lobby(port);
    lobby.send(R"({"op":"subscribe","id":"lobby","view":{"type":"lobby","camp":"bochum"}})");
    REQUIRE(lobby.next_op("snapshot"));

    http_reply ended = post(port, "/api/v1/expert/sessions/long/end-early", "", d.anna.headers());
    REQUIRE(ended.status == 200);
    CHECK(schema_problems("http/api-v1.schema.json", "end_early_result", ended.body) == "");
    const std::string rest = json_at(ended.body, "/walkin_session_id");
    REQUIRE(!rest.empty());
    REQUIRE(rest != "null");
    const long new_end = epoch_of(json_at(ended.body, "/end"));
    CHECK(new_end <= std::time(nullptr));
    CHECK(new_end > std::stol(original_end) - 60 * 60);

    // The session ends now; its founder keeps their seat.
    http_reply session = http_get(port, "/api/v1/sessions/long");
    CHECK(epoch_of(json_at(session.body, "/end")) == new_end);
    CHECK(json_at(session.body, "/seats_taken") == "1");
    http_reply manage = http_get(port, "/api/v1/manage/" + json_at(founder.body, "/manage_token"));
    CHECK(json_at(manage.body, "/status") == "confirmed");
    // The founder's upcoming entry ends with it (it no longer blocks an overlapping booking).
    std::string founder_key = d.redis.cli({"HGET", "sp:{hub}:booking:" + json_at(founder.body, "/booking/id"),
                                           "founder_key"});
    CHECK(d.redis.cli({"ZCOUNT", founder_key, std::to_string(new_end), std::to_string(new_end)}) == "1");

    // The rest is an open one-seat walk-in slot of Anna's in the same place until the old end.
    http_reply slot = http_get(port, "/api/v1/sessions/" + rest);
    REQUIRE(slot.status == 200);
    CHECK(schema_problems("http/api-v1.schema.json", "session", slot.body) == "");
    CHECK(json_at(slot.body, "/status") == "open");
    CHECK(json_at(slot.body, "/seats") == "1");
    CHECK(json_at(slot.body, "/seats_free") == "1");
    CHECK(json_at(slot.body, "/walkin_only") == "true");
    CHECK(json_at(slot.body, "/expert_id") == "anna");
    CHECK(json_at(slot.body, "/camp_id") == "bochum");
    CHECK(epoch_of(json_at(slot.body, "/start")) == new_end);
    CHECK(std::to_string(epoch_of(json_at(slot.body, "/end"))) == original_end);
    // Listed with the camp's and the expert's sessions like any other.
    CHECK(d.redis.cli({"ZSCORE", "sp:{hub}:camp:bochum:sessions", rest}) == std::to_string(new_end));
    CHECK(d.redis.cli({"ZSCORE", "sp:{hub}:expert:anna:sessions", rest}) == std::to_string(new_end));
    // It has started: not bookable the ordinary way (the walk-in queue offers it).
    http_reply booked_rest = book(port, rest, "walkin@example.org");
    CHECK(booked_rest.status == 422);
    CHECK(json_at(booked_rest.body, "/code") == "in-past");

    // The lobby sees both: the new end and the free slot.
    CHECK(sees(lobby, rest, "seats_free", "1", 2s));
    lobby.send(R"({"op":"subscribe","id":"lobby2","view":{"type":"lobby","camp":"bochum"}})");
    auto snapshot = lobby.next_op("snapshot");
    REQUIRE(snapshot);
    CHECK_THAT(*snapshot, Catch::Contains(json_at(ended.body, "/end")));

    // Ended is over: a second "End now" is refused and writes nothing.
    before = changes_length(d.redis);
    http_reply again = post(port, "/api/v1/expert/sessions/long/end-early", "", d.anna.headers());
    CHECK(again.status == 409);
    CHECK(json_at(again.body, "/code") == "not-running");
    CHECK(changes_length(d.redis) == before);

    // Less than min_walkin_minutes left: it ends, and no slot is made of the rest.
    const std::string sessions_before = d.redis.cli({"ZCARD", "sp:{hub}:sessions"});
    http_reply brief = post(port, "/api/v1/expert/sessions/short/end-early", "", d.anna.headers());
    REQUIRE(brief.status == 200);
    CHECK(json_at(brief.body, "/walkin_session_id") == "null");
    CHECK(schema_problems("http/api-v1.schema.json", "end_early_result", brief.body) == "");
    CHECK(d.redis.cli({"ZCARD", "sp:{hub}:sessions"}) == sessions_before);
    CHECK(epoch_of(json_at(http_get(port, "/api/v1/sessions/short").body, "/end")) <= std::time(nullptr));
}

TEST_CASE("a cancelled session cannot be ended early: refused with session-not-open, nothing written",
          "[day][controls]")
{
    controls_day d;
    auto port = d.server.port();
    anna_event(port, d.admin, "gone", 4s, 4s + 60min);
    wait_for_start(d.redis, "gone");
    REQUIRE(post(port, "/api/v1/expert/sessions/gone/cancel", R"({"message":"ill"})", d.anna.headers()).status ==
            200);
    const std::string end = stored(d.redis, "gone", "end");
    std::string before = changes_length(d.redis);
    for (const char* control : {"end-early", "extend"}) {
        http_reply r = post(port, "/api/v1/expert/sessions/gone/" + std::string(control), "", d.anna.headers());
        CHECK(r.status == 422); // as for booking a cancelled session
        CHECK(json_at(r.body, "/code") == "session-not-open");
    }
    CHECK(changes_length(d.redis) == before);
    CHECK(stored(d.redis, "gone", "end") == end);
    CHECK(d.redis.cli({"ZCARD", "sp:{hub}:sessions"}) == "1");
}

TEST_CASE("extending makes free later sessions give way, live, and is refused with next-session-booked when the "
          "next is booked or waited for, writing nothing",
          "[day][controls]")
{
    controls_day d;
    auto port = d.server.port();
    // talk [t, t+30m]; brief [t+30m, t+35m] (free, 5 min); after [t+35m, t+95m] (free).
    anna_event(port, d.admin, "talk", 3s, 3s + 30min);
    anna_event(port, d.admin, "brief", 3s + 30min, 3s + 35min);
    anna_event(port, d.admin, "after", 3s + 35min, 3s + 95min, 1);
    http_reply founder = book(port, "talk", "talker@example.org");
    REQUIRE(founder.status == 201);
    const long end = std::stol(stored(d.redis, "talk", "end"));
    const long after_end = std::stol(stored(d.redis, "after", "end"));
    wait_for_start(d.redis, "talk");

    CHECK(post(port, "/api/v1/expert/sessions/talk/extend", "", d.jonas.headers()).status == 404);

    ws_client lobby(port);
    lobby.send(R"({"op":"subscribe","id":"lobby","view":{"type":"lobby","camp":"bochum"}})");
    REQUIRE(lobby.next_op("snapshot"));
    ws_client day(port);
    day.send(R"({"op":"subscribe","id":"w","view":{"type":"expert","expert":"anna"}})");
    REQUIRE(day.next_op("snapshot"));

    http_reply extended = post(port, "/api/v1/expert/sessions/talk/extend", "", d.anna.headers());
    REQUIRE(extended.status == 200);
    CHECK(schema_problems("http/api-v1.schema.json", "extend_result", extended.body) == "");
    const long new_end = end + 10 * 60;
    CHECK(epoch_of(json_at(extended.body, "/end")) == new_end);
    const std::string new_end_text = json_at(extended.body, "/end");
    CHECK(sees(lobby, "talk", "end", new_end_text, 2s));
    CHECK(epoch_of(json_at(http_get(port, "/api/v1/sessions/talk").body, "/end")) == new_end);
    // The founder's entry moved with the end.
    std::string founder_key = d.redis.cli({"HGET", "sp:{hub}:booking:" + json_at(founder.body, "/booking/id"),
                                           "founder_key"});
    CHECK(d.redis.cli({"ZCOUNT", founder_key, std::to_string(new_end), std::to_string(new_end)}) == "1");

    // "brief" had 5 minutes, all inside the extension: closed. "after" had 60: it now
    // starts at the new end (and is listed there).
    http_reply brief = http_get(port, "/api/v1/sessions/brief");
    CHECK(json_at(brief.body, "/status") == "cancelled");
    http_reply after = http_get(port, "/api/v1/sessions/after");
    CHECK(json_at(after.body, "/status") == "open");
    CHECK(epoch_of(json_at(after.body, "/start")) == new_end);
    CHECK(epoch_of(json_at(after.body, "/end")) == after_end);
    CHECK(d.redis.cli({"ZSCORE", "sp:{hub}:expert:anna:sessions", "after"}) == std::to_string(new_end));
    CHECK(d.redis.cli({"ZSCORE", "sp:{hub}:camp:bochum:sessions", "after"}) == std::to_string(new_end));
    CHECK(sees(day, "after", "start", new_end_text, 2s));

    // "after" booked and waited for: the next extension would reach it. Refused, named, nothing written.
    REQUIRE(book(port, "after", "next@example.org").status == 201);
    REQUIRE(post(port, "/api/v1/sessions/after/waitlist",
                 R"({"name":"Wait","email":"wait@example.org","startup":"S","consent":true})")
                .status == 201);
    std::string before = changes_length(d.redis);
    http_reply refused = post(port, "/api/v1/expert/sessions/talk/extend", "", d.anna.headers());
    CHECK(refused.status == 409);
    CHECK(json_at(refused.body, "/code") == "next-session-booked");
    CHECK_THAT(json_at(refused.body, "/detail"), Catch::Contains("(after)"));
    CHECK_THAT(json_at(refused.body, "/detail"), Catch::Contains(new_end_text.substr(11, 5)));
    CHECK(schema_problems("http/problem.schema.json", "", refused.body) == "");
    CHECK(changes_length(d.redis) == before);
    CHECK(std::stol(stored(d.redis, "talk", "end")) == new_end);
    CHECK(std::stol(stored(d.redis, "after", "start")) == new_end);
}

TEST_CASE("a session that is over cannot be extended: refused with session-over, nothing written", "[day][controls]")
{
    controls_day d;
    auto port = d.server.port();
    anna_event(port, d.admin, "blip", 4s, 6s);
    const std::string end = stored(d.redis, "blip", "end");
    REQUIRE(eventually([&] { return std::time(nullptr) > std::stol(end); }, 30s));
    std::string before = changes_length(d.redis);
    http_reply r = post(port, "/api/v1/expert/sessions/blip/extend", "", d.anna.headers());
    CHECK(r.status == 409);
    CHECK(json_at(r.body, "/code") == "session-over");
    CHECK(changes_length(d.redis) == before);
    CHECK(stored(d.redis, "blip", "end") == end);
}
