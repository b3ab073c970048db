#include "support/accounts.hpp"
#include "support/test_env.hpp"
#include "support/ws_client.hpp"

#include <catch2/catch.hpp>
#include <ctime>
#include <fstream>
#include <thread>

using namespace sp::test;
using namespace std::chrono_literals;

namespace {

std::string hub_with_two_experts()
{
    return bochum_hub_file(R"(
[[expert]]
id = "jonas"
name = "Jonas Becker"
camps = ["bochum"]

[[event]]
id = "annas-workshop"
camp = "bochum"
host = "anna"
title = "Workshop"
in_days = 4
at = "17:00"
minutes = 90
seats = 2
)");
}

const std::string k_rule = R"({"camp_id":"bochum","online_url":"https://meet.example.org/anna","zone":"Europe/Berlin",
  "windows":[{"day":"mon","start":"10:00","end":"12:00"},{"day":"thu","start":"14:00","end":"15:00"}],
  "slot_minutes":30,"buffer_minutes":0,"seats":1,"valid_from":"2026-01-01","exceptions":[]})";

struct hub {
    explicit hub(std::vector<std::string> extra = {})
        : server([&] {
              std::vector<std::string> flags{"--redis.url=" + redis.url(), "--hub.seed_file=" + hub_with_two_experts()};
              flags.insert(flags.end(), extra.begin(), extra.end());
              return flags;
          }())
    {
    }
    redis_server redis;
    server_process server;
    browser admin = first_admin(redis, server);
    browser anna = invited_expert(server, admin, "anna@example.org", "anna");
    browser jonas = invited_expert(server, admin, "jonas@example.org", "jonas");
};

http_reply put(std::uint16_t port, const std::string& target, const std::string& body, const browser& who)
{
    return http_request(port, "PUT", target, who.headers(), body);
}

http_reply book(std::uint16_t port, const std::string& session, const std::string& email, bool waitlist = false)
{
    return post(port, "/api/v1/sessions/" + session + (waitlist ? "/waitlist" : "/bookings"),
                R"({"name":"Founder )" + email + R"(","email":")" + email + R"(","startup":"S","consent":true})");
}

} // namespace

TEST_CASE("an expert previews, saves and deletes weekly office hours, and the sessions follow", "[expert]")
{
    hub h;
    auto port = h.server.port();
    http_reply preview = post(port, "/api/v1/expert/rules/preview", k_rule, h.anna.headers(false));
    REQUIRE(preview.status == 200);
    std::size_t previewed = 0;
    for (std::size_t p = preview.body.find("\"start\""); p != std::string::npos; p = preview.body.find("\"start\"", p + 1))
        ++previewed;
    CHECK(previewed >= 16); // four weeks of 2 + 4 slots a week, minus what lies inside today
    CHECK(redis_keys_with(h.redis, "rule:").empty());

    http_reply saved = put(port, "/api/v1/expert/rules/anna-weekly", k_rule, h.anna);
    REQUIRE(saved.status == 201);
    CHECK(std::stoi(json_at(saved.body, "/sessions/created")) > 0);
    http_reply rules = http_get(port, "/api/v1/expert/rules", h.anna.headers(false));
    CHECK_THAT(rules.body, Catch::Contains("\"id\":\"anna-weekly\"") && Catch::Contains("\"expert_id\":\"anna\""));
    http_reply public_list = http_get(port, "/api/v1/sessions?expert=anna&free_only=true");
    CHECK_THAT(public_list.body, Catch::Contains("anna-weekly-"));

    // Changing it: the Thursday window goes away.
    std::string monday_only = k_rule;
    monday_only.replace(monday_only.find(",{\"day\":\"thu\""), std::string(R"(,{"day":"thu","start":"14:00","end":"15:00"})").size(), "");
    http_reply changed = put(port, "/api/v1/expert/rules/anna-weekly", monday_only, h.anna);
    CHECK(changed.status == 200);
    CHECK(std::stoi(json_at(changed.body, "/sessions/removed")) > 0);

    http_reply bad = put(port, "/api/v1/expert/rules/anna-weekly",
                         R"({"camp_id":"bochum","online_url":"x","valid_from":"2026-01-01","windows":[{"day":"mon","start":"12:00","end":"10:00"}]})",
                         h.anna);
    INFO(bad.body);
    CHECK(bad.status == 422);
    CHECK(json_at(bad.body, "/field") == "windows[0].end");

    // A key twice, deep inside: refused as a whole, the rule stays as it was.
    std::string before = http_request(port, "GET", "/api/v1/expert/rules", h.anna.headers(), "").body;
    http_reply twice = put(port, "/api/v1/expert/rules/anna-weekly",
                           R"({"camp_id":"bochum","online_url":"x","valid_from":"2026-01-01",
                               "windows":[{"day":"mon","start":"10:00","start":"11:00","end":"12:00"}]})",
                           h.anna);
    CHECK(twice.status == 400);
    CHECK(json_at(twice.body, "/code") == "duplicate-key");
    CHECK(json_at(twice.body, "/field") == "windows[0].start");
    CHECK(http_request(port, "GET", "/api/v1/expert/rules", h.anna.headers(), "").body == before);

    http_reply deleted = http_request(port, "DELETE", "/api/v1/expert/rules/anna-weekly", h.anna.headers(), "");
    CHECK(deleted.status == 200);
    CHECK(http_get(port, "/api/v1/sessions?expert=anna&free_only=true").body.find("anna-weekly-") == std::string::npos);
}

TEST_CASE("expert A can neither see nor change expert B's rules, sessions or bookings", "[expert][authorization]")
{
    hub h;
    auto port = h.server.port();
    REQUIRE(put(port, "/api/v1/expert/rules/anna-weekly", k_rule, h.anna).status == 201);
    REQUIRE(book(port, "annas-workshop", "founder.one@example.org").status == 201);
    // The confirmation is sent (here: logged and dropped) before the count is taken, so
    // that nothing but a request could change it.
    REQUIRE(eventually([&] { return h.redis.cli({"EXISTS", "sp:{hub}:outbox"}) == "0"; }, 10s));
    std::string keys_before = h.redis.cli({"DBSIZE"});
    std::string log_before = h.redis.cli({"XLEN", "sp:{hub}:changes"});

    // Jonas tries Anna's things: each answers 404, as if they did not exist.
    CHECK(put(port, "/api/v1/expert/rules/anna-weekly", k_rule, h.jonas).status == 404);
    CHECK(http_request(port, "DELETE", "/api/v1/expert/rules/anna-weekly", h.jonas.headers(), "").status == 404);
    CHECK(post(port, "/api/v1/expert/sessions/annas-workshop/cancel", R"({"message":"no"})", h.jonas.headers())
              .status == 404);
    http_reply mine = http_get(port, "/api/v1/expert/sessions", h.jonas.headers(false));
    CHECK(mine.status == 200);
    CHECK(mine.body.find("founder.one@example.org") == std::string::npos);
    CHECK(mine.body.find("annas-workshop") == std::string::npos);
    CHECK(http_get(port, "/api/v1/expert/rules", h.jonas.headers(false)).body.find("anna-weekly") == std::string::npos);
    CHECK(h.redis.cli({"DBSIZE"}) == keys_before);
    CHECK(h.redis.cli({"XLEN", "sp:{hub}:changes"}) == log_before);

    // Anna sees her founder; signed-out and admin-only callers get nothing.
    CHECK_THAT(http_get(port, "/api/v1/expert/sessions", h.anna.headers(false)).body,
               Catch::Contains("founder.one@example.org"));
    CHECK(http_get(port, "/api/v1/expert/sessions").status == 401);
    CHECK(http_get(port, "/api/v1/expert/sessions", h.admin.headers(false)).status == 403);
}

TEST_CASE("cancelling a session with two bookings and a waitlist cancels them all, live", "[expert][live][tsan]")
{
    hub h;
    auto port = h.server.port();
    http_reply a = book(port, "annas-workshop", "a@example.org");
    http_reply b = book(port, "annas-workshop", "b@example.org");
    http_reply w = book(port, "annas-workshop", "w@example.org", true);
    REQUIRE(a.status == 201);
    REQUIRE(b.status == 201);
    REQUIRE(w.status == 201);
    ws_client lobby(port);
    lobby.send(R"({"op":"subscribe","id":"l","view":{"type":"event","event":"annas-workshop"}})");
    REQUIRE(lobby.next_op("snapshot"));

    // Founders booked and waiting are told why: without a message (none, or empty) the
    // cancel is refused and nothing changes.
    auto log_before = h.redis.cli({"XLEN", "sp:{hub}:changes"});
    for (const char* body : {"{}", R"({"message":""})"}) {
        http_reply silent = post(port, "/api/v1/expert/sessions/annas-workshop/cancel", body, h.anna.headers());
        CHECK(silent.status == 422);
        CHECK(json_at(silent.body, "/code") == "message-required");
        CHECK(json_at(silent.body, "/field") == "message");
    }
    CHECK(h.redis.cli({"XLEN", "sp:{hub}:changes"}) == log_before);
    CHECK(json_at(http_get(port, "/api/v1/manage/" + json_at(a.body, "/manage_token")).body, "/status") ==
          "confirmed");

    http_reply cancelled = post(port, "/api/v1/expert/sessions/annas-workshop/cancel",
                                R"({"message":"Ich bin leider krank."})", h.anna.headers());
    REQUIRE(cancelled.status == 200);
    CHECK(json_at(cancelled.body, "/cancelled_bookings") == "3");
    for (const auto& r : {a, b, w})
        CHECK(json_at(http_get(port, "/api/v1/manage/" + json_at(r.body, "/manage_token")).body, "/status") ==
              "cancelled");
    http_reply session = http_get(port, "/api/v1/sessions/annas-workshop");
    CHECK(json_at(session.body, "/status") == "cancelled");
    CHECK(json_at(session.body, "/seats_taken") == "0");
    CHECK(json_at(session.body, "/waiting") == "0");
    auto change = lobby.next_op("changes", 3s);
    REQUIRE(change);
    CHECK(json_at(*change, "/changes/0/type") == "session.cancelled");
    CHECK(json_at(*change, "/changes/0/session/status") == "cancelled");
    // The founders are free again: their limits no longer count the cancelled places.
    CHECK(h.redis.cli({"ZCARD", "sp:{hub}:founder:" + sha256_hex("a@example.org")}) == "0");
    // A second cancel changes nothing.
    auto log_len = h.redis.cli({"XLEN", "sp:{hub}:changes"});
    CHECK(post(port, "/api/v1/expert/sessions/annas-workshop/cancel", R"({"message":"again"})", h.anna.headers())
              .status == 200);
    CHECK(h.redis.cli({"XLEN", "sp:{hub}:changes"}) == log_len);
}

TEST_CASE("a session nobody booked is cancelled without a message", "[expert]")
{
    hub h;
    auto port = h.server.port();
    http_reply cancelled = post(port, "/api/v1/expert/sessions/annas-workshop/cancel", "{}", h.anna.headers());
    CHECK(cancelled.status == 200);
    CHECK(json_at(cancelled.body, "/cancelled_bookings") == "0");
    CHECK(json_at(http_get(port, "/api/v1/sessions/annas-workshop").body, "/status") == "cancelled");
}

TEST_CASE("an expert running late is shown live on the session and to its founders", "[expert][live]")
{
    hub h({"--booking.late_notice_minutes=10080"}); // the workshop is four days ahead
    auto port = h.server.port();
    http_reply booked = book(port, "annas-workshop", "late@example.org");
    REQUIRE(booked.status == 201);
    ws_client lobby(port);
    lobby.send(R"({"op":"subscribe","id":"l","view":{"type":"event","event":"annas-workshop"}})");
    REQUIRE(lobby.next_op("snapshot"));

    CHECK(post(port, "/api/v1/expert/sessions/annas-workshop/late", R"({"minutes":999})", h.anna.headers()).status ==
          422);
    http_reply twice = post(port, "/api/v1/expert/sessions/annas-workshop/late", R"({"minutes":0,"minutes":10})",
                            h.anna.headers());
    CHECK(twice.status == 400);
    CHECK(json_at(twice.body, "/code") == "duplicate-key");
    CHECK(json_at(twice.body, "/field") == "minutes");
    CHECK(post(port, "/api/v1/expert/sessions/annas-workshop/late", R"({"minutes":10})", h.jonas.headers()).status ==
          404);
    CHECK(post(port, "/api/v1/expert/sessions/annas-workshop/late", R"({"minutes":10})", h.anna.headers()).status ==
          204);
    auto change = lobby.next_op("changes", 3s);
    REQUIRE(change);
    CHECK(json_at(*change, "/changes/0/session/late_minutes") == "10");
    CHECK(json_at(http_get(port, "/api/v1/sessions/annas-workshop").body, "/late_minutes") == "10");
    http_reply founder_view = http_get(port, "/api/v1/manage/" + json_at(booked.body, "/manage_token"));
    CHECK(json_at(founder_view.body, "/session/late_minutes") == "10");
}

TEST_CASE("attendance is recorded once a session has started, by its own expert only", "[expert]")
{
    // Far enough ahead that setting up three accounts (Argon2id, under sanitizers) ends before it.
    auto start = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) + 15s;
    std::time_t t = std::chrono::system_clock::to_time_t(start);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char when[40];
    std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
    std::string seed = hub_with_two_experts();
    std::ofstream(seed, std::ios::app) << "\n[[event]]\nid = \"soon\"\ncamp = \"bochum\"\nhost = \"anna\"\ntitle = \"Soon\"\n"
                                       << "start = \"" << when << "\"\nend = \"2099-01-01T00:00:00+00:00\"\nseats = 5\n";
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + seed, "--booking.min_notice_minutes=0"});
    browser admin = first_admin(redis, server);
    browser anna = invited_expert(server, admin, "anna@example.org", "anna");
    browser jonas = invited_expert(server, admin, "jonas@example.org", "jonas");
    http_reply booked = book(server.port(), "soon", "came@example.org");
    REQUIRE(booked.status == 201);
    std::string booking = json_at(booked.body, "/booking/id");
    std::string target = "/api/v1/expert/bookings/" + booking + "/attendance";

    http_reply early = post(server.port(), target, R"({"status":"attended"})", anna.headers());
    CHECK(early.status == 409);
    CHECK(json_at(early.body, "/code") == "not-started");
    std::this_thread::sleep_until(std::chrono::system_clock::time_point(start) + 200ms);
    CHECK(post(server.port(), target, R"({"status":"attended"})", jonas.headers()).status == 404);
    CHECK(post(server.port(), target, R"({"status":"maybe"})", anna.headers()).status == 422);
    CHECK(post(server.port(), target, R"({"status":"attended"})", anna.headers()).status == 204);
    CHECK(json_at(http_get(server.port(), "/api/v1/manage/" + json_at(booked.body, "/manage_token")).body, "/status") ==
          "attended");
    // A correction is allowed.
    CHECK(post(server.port(), target, R"({"status":"no_show"})", anna.headers()).status == 204);
    CHECK(json_at(http_get(server.port(), "/api/v1/manage/" + json_at(booked.body, "/manage_token")).body, "/status") ==
          "no_show");
}

namespace {
std::string cookie_of(const browser& b) { return "sp_session=" + b.session; }
const std::string subscribe_private_anna =
    R"({"op":"subscribe","id":"mine","view":{"type":"expert","expert":"anna","private":true}})";
} // namespace

TEST_CASE("over the WebSocket, an expert sees their own founders live and never another expert's", "[expert][live][authorization]")
{
    hub h;
    auto port = h.server.port();
    REQUIRE(book(port, "annas-workshop", "first@example.org").status == 201);

    // Jonas (and anyone not signed in) asking for Anna's founders: "not found".
    ws_client jonas(port, {}, true, 0, cookie_of(h.jonas));
    jonas.send(subscribe_private_anna);
    auto refused = jonas.next_op("error");
    REQUIRE(refused);
    CHECK(json_at(*refused, "/code") == "not-found");
    ws_client stranger(port);
    stranger.send(subscribe_private_anna);
    auto refused_too = stranger.next_op("error");
    REQUIRE(refused_too);
    CHECK(json_at(*refused_too, "/code") == "not-found");
    // The public view of Anna carries no founder at all.
    jonas.send(R"({"op":"subscribe","id":"pub","view":{"type":"expert","expert":"anna"}})");
    auto pub = jonas.next_op("snapshot");
    REQUIRE(pub);
    CHECK(pub->find("first@example.org") == std::string::npos);

    // Anna gets the snapshot, then the founders of each session.
    ws_client anna(port, {}, true, 0, cookie_of(h.anna));
    anna.send(subscribe_private_anna);
    REQUIRE(anna.next_op("snapshot"));
    auto initial = anna.next_op("bookings");
    REQUIRE(initial);
    CHECK(json_at(*initial, "/session") == "annas-workshop");
    CHECK(json_at(*initial, "/bookings/0/email") == "first@example.org");
    CHECK(schema_problems("ws/live.schema.json", "bookings", *initial) == "");

    // A new booking reaches her with the founder's details; Jonas hears nothing of it.
    REQUIRE(book(port, "annas-workshop", "second@example.org").status == 201);
    auto live = anna.next_op("bookings", 3s);
    REQUIRE(live);
    CHECK_THAT(*live, Catch::Contains("second@example.org"));
    auto leaked = jonas.next(1s);
    while (leaked) {
        CHECK(leaked->find("second@example.org") == std::string::npos);
        leaked = jonas.next(300ms);
    }

    // An admin may watch any expert's founders.
    ws_client admin(port, {}, true, 0, cookie_of(h.admin));
    admin.send(subscribe_private_anna);
    REQUIRE(admin.next_op("snapshot"));
    CHECK(admin.next_op("bookings"));
}

TEST_CASE("signing out closes the account's WebSockets on every instance", "[expert][live][auth][tsan]")
{
    hub h;
    server_process second({"--redis.url=" + h.redis.url()});
    REQUIRE(eventually([&] { return status_of(second.port(), "/readyz") == 200; }, 5s));
    ws_client here(h.server.port(), {}, true, 0, cookie_of(h.anna));
    ws_client there(second.port(), {}, true, 0, cookie_of(h.anna));
    ws_client someone_else(h.server.port(), {}, true, 0, cookie_of(h.jonas));
    for (ws_client* c : {&here, &there, &someone_else}) {
        c->send(R"({"op":"ping","id":"p"})");
        REQUIRE(c->next_op("pong"));
    }
    REQUIRE(post(h.server.port(), "/api/v1/auth/logout", "", h.anna.headers()).status == 204);
    CHECK(here.wait_closed(3s) == 1008);
    CHECK(there.wait_closed(3s) == 1008);
    someone_else.send(R"({"op":"ping","id":"q"})");
    CHECK(someone_else.next_op("pong"));
    // The old cookie opens nothing private any more.
    ws_client again(h.server.port(), {}, true, 0, cookie_of(h.anna));
    again.send(subscribe_private_anna);
    auto refused = again.next_op("error");
    REQUIRE(refused);
    CHECK(json_at(*refused, "/code") == "not-found");
}
