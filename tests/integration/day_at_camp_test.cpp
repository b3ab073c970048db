// The day at the camp, as founders, experts and the lobby notice it: checking in.
#include "support/accounts.hpp"
#include "support/sinks.hpp"
#include "support/test_env.hpp"
#include "support/ws_client.hpp"

#include <catch2/catch.hpp>
#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <thread>

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
                           "--booking.min_notice_minutes=0", "--booking.checkin_open_minutes=60",
                           "--booking.late_notice_minutes=60"}};
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

TEST_CASE("a booked session outside the expert's changed hours still takes place, closed to new bookings",
          "[day][checkin][rules]")
{
    day d;
    auto port = d.server.port();
    http_reply here = book(port, "soon", "stays@example.org");
    REQUIRE(here.status == 201);
    http_reply away = book(port, "soon", "away@example.org");
    REQUIRE(away.status == 201);
    // What sessions_upsert.lua does to a booked session its rule no longer plans.
    d.redis.cli({"HSET", "sp:{hub}:session:soon", "status", "orphaned"});
    std::string manage = "/api/v1/manage/" + json_at(here.body, "/manage_token");
    http_reply view = http_get(port, manage);
    CHECK(json_at(view.body, "/session/status") == "orphaned");
    CHECK(json_at(view.body, "/can_check_in") == "true");

    http_reply checked = post(port, manage + "/checkin", "");
    CHECK(checked.status == 200);
    CHECK(json_at(checked.body, "/checked_in") == "true");
    // The expert can say they run late; the founders see it.
    CHECK(post(port, "/api/v1/expert/sessions/soon/late", R"({"minutes":10})", d.anna.headers()).status == 204);
    CHECK(json_at(http_get(port, manage).body, "/session/late_minutes") == "10");
    // Releasing the other founder is judged by the time (too early), not refused as "not open".
    http_reply release = post(port, "/api/v1/expert/bookings/" + json_at(away.body, "/booking/id") + "/release", "",
                              d.anna.headers());
    CHECK(release.status == 409);
    CHECK(json_at(release.body, "/code") == "not-due");
    // Nobody new books into it.
    http_reply late_comer = book(port, "soon", "new@example.org");
    CHECK(late_comer.status == 422);
    CHECK(json_at(late_comer.body, "/code") == "session-not-open");
}

TEST_CASE("the expert says they run late from late_notice_minutes before the start, not days ahead", "[day][late]")
{
    day d;
    auto port = d.server.port();
    // "later" starts in three hours: an hour's notice (here) is not reached yet.
    http_reply early = post(port, "/api/v1/expert/sessions/later/late", R"({"minutes":10})", d.anna.headers());
    CHECK(early.status == 409);
    CHECK(json_at(early.body, "/code") == "late-too-early");
    CHECK(schema_problems("http/problem.schema.json", "", early.body) == "");
    CHECK(json_at(http_get(port, "/api/v1/sessions/later").body, "/late_minutes") == "0");
    // "soon" starts in 30 minutes: inside it.
    CHECK(post(port, "/api/v1/expert/sessions/soon/late", R"({"minutes":10})", d.anna.headers()).status == 204);
    // The dashboard knows from when it may offer it.
    http_reply schedule = http_get(port, "/api/v1/expert/sessions", d.anna.headers());
    CHECK(schema_problems("http/api-v1.schema.json", "expert_schedule", schedule.body) == "");
    CHECK_THAT(schedule.body, Catch::Contains(R"("late_from":")"));
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

TEST_CASE("a checked-in founder's booking stays in its session: moving it is refused and nothing changes",
          "[day][checkin][reschedule]")
{
    day d;
    auto port = d.server.port();
    http_reply soon = book(port, "soon", "inroom@example.org");
    REQUIRE(soon.status == 201);
    std::string manage = "/api/v1/manage/" + json_at(soon.body, "/manage_token");
    REQUIRE(post(port, manage + "/checkin", "").status == 200);
    std::string before = d.redis.cli({"XLEN", "sp:{hub}:changes"});

    http_reply moved = post(port, manage + "/reschedule", R"({"session_id":"later"})");
    CHECK(moved.status == 409);
    CHECK(json_at(moved.body, "/code") == "checked-in");
    CHECK(schema_problems("http/problem.schema.json", "", moved.body) == "");

    // Still in its seat, still checked in; the other session did not gain a seat.
    http_reply view = http_get(port, manage);
    CHECK(json_at(view.body, "/session/id") == "soon");
    CHECK(json_at(view.body, "/checked_in") == "true");
    CHECK(json_at(http_get(port, "/api/v1/sessions/soon").body, "/seats_taken") == "1");
    CHECK(json_at(http_get(port, "/api/v1/sessions/soon").body, "/checked_in") == "1");
    CHECK(json_at(http_get(port, "/api/v1/sessions/later").body, "/seats_taken") == "0");
    CHECK(d.redis.cli({"XLEN", "sp:{hub}:changes"}) == before);
}

namespace {

/** Puts Anna's event `id` (Bochum, `seats`) starting `in` from now, for an hour, through
 *  the admin API: a session that starts while the test runs. */
void event_starting_in(std::uint16_t port, const browser& admin, const std::string& id, std::chrono::seconds in,
                       int seats)
{
    http_reply r = http_request(port, "PUT", "/api/v1/admin/events/" + id, admin.headers(),
                                R"({"camp_id":"bochum","expert_id":"anna","title":"Now )" + id + R"(","topic":"Security",)"
                                R"("start":")" + at(in) + R"(","end":")" + at(in + 60min) + R"(","seats":)" +
                                    std::to_string(seats) + "}");
    REQUIRE((r.status == 201 || r.status == 200));
}

/** Waits until the session `id` has started (its start is in the past by the server's clock). */
void wait_for_start(const redis_server& redis, const std::string& id)
{
    std::string start = redis.cli({"HGET", "sp:{hub}:session:" + id, "start"});
    REQUIRE(!start.empty());
    REQUIRE(eventually([&] { return std::time(nullptr) > std::stol(start); }, 30s));
}

std::string manage_of(const http_reply& booked) { return "/api/v1/manage/" + json_at(booked.body, "/manage_token"); }

/** How often each booking was released, by the change log. */
std::map<std::string, int> releases_by_booking(const redis_server& redis)
{
    std::map<std::string, int> out;
    for (const auto& e : redis.stream("sp:{hub}:changes"))
        if (e.at("type") == "booking.released") ++out[e.at("booking")];
    return out;
}

int count_of(const redis_server& redis, const std::string& type, const std::string& session)
{
    int n = 0;
    for (const auto& e : redis.stream("sp:{hub}:changes"))
        if (e.at("type") == type && e.count("session") && e.at("session") == session) ++n;
    return n;
}

/** A camp day whose no-shows are released at the start itself, by the expert only. */
struct release_day {
    redis_server redis;
    smtp_sink smtp;
    server_process server{{"--redis.url=" + redis.url(), "--hub.seed_file=" + day_hub(),
                           "--booking.min_notice_minutes=0", "--booking.checkin_open_minutes=60",
                           "--booking.release_after_minutes=0", "--booking.auto_release=false",
                           "--mail.smtp_url=" + smtp.url(), "--mail.poll_ms=100", "--mail.starttls=off",
                           "--mail.reminder_minutes="}};
    browser admin = first_admin(redis, server);
    browser anna = invited_expert(server, admin, "anna@example.org", "anna");
    browser jonas = invited_expert(server, admin, "jonas@example.org", "jonas");
};

/** A camp day for the no-show record: Anna releases her no-shows herself, at the start
 *  (over HTTP; no sweep), and `extra` flags set the limits a test needs. */
struct no_show_day {
    explicit no_show_day(const std::vector<std::string>& extra = {}) : server(flags(redis, extra)) {}
    redis_server redis;
    server_process server;
    browser admin = first_admin(redis, server);
    browser anna = invited_expert(server, admin, "anna@example.org", "anna");

    std::uint16_t port() const { return server.port(); }
    /** Anna releases `booking` as a no-show: the status of her request. */
    int release(const std::string& booking) const
    {
        return post(port(), "/api/v1/expert/bookings/" + booking + "/release", "", anna.headers()).status;
    }
    /** The founder's no-show record (named by their hashed e-mail). */
    static std::string record_of(const std::string& email)
    {
        return "sp:{hub}:founder:" + sha256_hex(email) + ":no_shows";
    }

private:
    static std::vector<std::string> flags(const redis_server& redis, const std::vector<std::string>& extra)
    {
        std::vector<std::string> f{"--redis.url=" + redis.url(), "--hub.seed_file=" + day_hub(),
                                   "--booking.min_notice_minutes=0", "--booking.release_after_minutes=0",
                                   "--booking.auto_release=false"};
        f.insert(f.end(), extra.begin(), extra.end());
        return f;
    }
};

bool mailed(const smtp_sink& smtp, const std::string& email, const std::string& subject_part)
{
    for (const auto& m : smtp.messages())
        if (m.rfind("X-Envelope-To: " + email + "\r\n", 0) == 0 &&
            header_of(m, "Subject").find(subject_part) != std::string::npos)
            return true;
    return false;
}

} // namespace

TEST_CASE("the expert releases a no-show: marked no_show, told by e-mail, the seat goes to the waitlist head",
          "[day][release]")
{
    release_day d;
    auto port = d.server.port();
    event_starting_in(port, d.admin, "now", 5s, 1);
    http_reply missing = book(port, "now", "missing@example.org");
    REQUIRE(missing.status == 201);
    std::string booking = json_at(missing.body, "/booking/id");
    http_reply waiting = post(port, "/api/v1/sessions/now/waitlist",
                              R"({"name":"Next","email":"next@example.org","startup":"S","consent":true,"lang":"en"})");
    REQUIRE(waiting.status == 201);
    std::string release = "/api/v1/expert/bookings/" + booking + "/release";

    // Before its release time: refused, nothing written.
    std::string before = d.redis.cli({"XLEN", "sp:{hub}:changes"});
    http_reply early = post(port, release, "", d.anna.headers());
    CHECK(early.status == 409);
    CHECK(json_at(early.body, "/code") == "not-due");
    CHECK(schema_problems("http/problem.schema.json", "", early.body) == "");
    CHECK(d.redis.cli({"XLEN", "sp:{hub}:changes"}) == before);
    http_reply schedule = http_get(port, "/api/v1/expert/sessions", d.anna.headers());
    CHECK(schema_problems("http/api-v1.schema.json", "expert_schedule", schedule.body) == "");
    CHECK_THAT(schedule.body, Catch::Contains(R"("release_from")"));

    wait_for_start(d.redis, "now");
    // Another expert's founder: not theirs to release.
    CHECK(post(port, release, "", d.jonas.headers()).status == 404);
    http_reply released = post(port, release, "", d.anna.headers());
    REQUIRE(released.status == 204);

    CHECK(json_at(http_get(port, manage_of(missing)).body, "/status") == "no_show");
    CHECK(json_at(http_get(port, manage_of(waiting)).body, "/status") == "confirmed");
    http_reply session = http_get(port, "/api/v1/sessions/now");
    CHECK(json_at(session.body, "/seats_taken") == "1");
    CHECK(json_at(session.body, "/waiting") == "0");
    CHECK(count_of(d.redis, "booking.released", "now") == 1);
    CHECK(eventually([&] { return mailed(d.smtp, "missing@example.org", "Nicht erschienen – freigegeben: "); }, 10s));
    CHECK(eventually([&] { return mailed(d.smtp, "next@example.org", "A seat opened – confirmed: "); }, 10s));

    // Once only; the promoted founder is confirmed but may be released in turn.
    http_reply again = post(port, release, "", d.anna.headers());
    CHECK(again.status == 409);
    CHECK(json_at(again.body, "/code") == "already-released");
    CHECK(count_of(d.redis, "booking.released", "now") == 1);
}

TEST_CASE("a checked-in founder is never released, and with nobody waiting the seat becomes bookable",
          "[day][release]")
{
    release_day d;
    auto port = d.server.port();
    event_starting_in(port, d.admin, "now", 5s, 2);
    http_reply here = book(port, "now", "here@example.org");
    http_reply gone = book(port, "now", "gone@example.org");
    REQUIRE(here.status == 201);
    REQUIRE(gone.status == 201);
    REQUIRE(post(port, manage_of(here) + "/checkin", "").status == 200);
    wait_for_start(d.redis, "now");

    http_reply refused = post(port, "/api/v1/expert/bookings/" + json_at(here.body, "/booking/id") + "/release", "",
                              d.anna.headers());
    CHECK(refused.status == 409);
    CHECK(json_at(refused.body, "/code") == "checked-in");
    CHECK(json_at(http_get(port, manage_of(here)).body, "/status") == "confirmed");

    REQUIRE(post(port, "/api/v1/expert/bookings/" + json_at(gone.body, "/booking/id") + "/release", "",
                 d.anna.headers())
                .status == 204);
    http_reply session = http_get(port, "/api/v1/sessions/now");
    CHECK(json_at(session.body, "/seats_taken") == "1");
    CHECK(json_at(session.body, "/seats_free") == "1");
    auto entries = d.redis.stream("sp:{hub}:changes");
    bool free_entry = false;
    for (const auto& e : entries)
        if (e.at("type") == "booking.released") free_entry = e.at("free") == "1" && e.at("promoted").empty();
    CHECK(free_entry);
}

TEST_CASE("a release racing a late check-in across two instances: each founder either keeps the seat or is released, "
          "never both",
          "[day][release][race]")
{
    redis_server redis;
    std::vector<std::string> flags{"--redis.url=" + redis.url(),        "--hub.seed_file=" + day_hub(),
                                   "--booking.min_notice_minutes=0",    "--booking.checkin_open_minutes=60",
                                   "--booking.release_after_minutes=0", "--booking.auto_release=false"};
    server_process one{flags};
    server_process two{flags};
    browser admin = first_admin(redis, one);
    browser anna = invited_expert(one, admin, "anna@example.org", "anna");
    event_starting_in(one.port(), admin, "race", 5s, 12);
    std::vector<http_reply> booked;
    for (int i = 0; i < 12; ++i) {
        booked.push_back(book(i % 2 ? one.port() : two.port(), "race", "racer" + std::to_string(i) + "@example.org"));
        REQUIRE(booked.back().status == 201);
    }
    wait_for_start(redis, "race");

    std::vector<int> released(booked.size()), checked(booked.size());
    std::vector<std::thread> racers;
    for (std::size_t i = 0; i < booked.size(); ++i) {
        racers.emplace_back([&, i] {
            released[i] = post(one.port(), "/api/v1/expert/bookings/" + json_at(booked[i].body, "/booking/id") + "/release",
                               "", anna.headers())
                              .status;
        });
        racers.emplace_back(
            [&, i] { checked[i] = post(two.port(), manage_of(booked[i]) + "/checkin", "").status; });
    }
    for (auto& t : racers) t.join();

    int kept = 0;
    for (std::size_t i = 0; i < booked.size(); ++i) {
        INFO("founder " << i << ": release " << released[i] << ", check-in " << checked[i]);
        CHECK((released[i] == 204) != (checked[i] == 200)); // exactly one wins
        CHECK((released[i] == 204 || released[i] == 409));
        CHECK((checked[i] == 200 || checked[i] == 409));
        http_reply view = http_get(one.port(), manage_of(booked[i]));
        if (checked[i] == 200) {
            ++kept;
            CHECK(json_at(view.body, "/status") == "confirmed");
            CHECK(json_at(view.body, "/checked_in") == "true");
        } else {
            CHECK(json_at(view.body, "/status") == "no_show");
            CHECK(json_at(view.body, "/checked_in") == "false");
        }
    }
    http_reply session = http_get(two.port(), "/api/v1/sessions/race");
    CHECK(json_at(session.body, "/seats_taken") == std::to_string(kept));
    CHECK(json_at(session.body, "/checked_in") == std::to_string(kept));
    CHECK(count_of(redis, "booking.released", "race") == 12 - kept);
    CHECK(count_of(redis, "booking.checkin", "race") == kept);
}

TEST_CASE("the automatic release sweeps on every instance but releases each no-show once, also after a restart",
          "[day][release][sweep]")
{
    redis_server redis;
    std::vector<std::string> flags{"--redis.url=" + redis.url(),        "--hub.seed_file=" + day_hub(),
                                   "--booking.min_notice_minutes=0",    "--booking.checkin_open_minutes=60",
                                   "--booking.release_after_minutes=0", "--booking.release_sweep_seconds=1"};
    auto one = std::make_unique<server_process>(flags);
    auto two = std::make_unique<server_process>(flags);
    auto port = two->port();
    browser admin = first_admin(redis, *one);
    event_starting_in(port, admin, "swept", 4s, 1);
    event_starting_in(port, admin, "after-restart", 20s, 3);
    http_reply first = book(port, "swept", "first@example.org");
    http_reply queued = post(port, "/api/v1/sessions/swept/waitlist",
                             R"({"name":"Queued","email":"queued@example.org","startup":"S","consent":true})");
    http_reply here = book(port, "after-restart", "here@example.org");
    http_reply away1 = book(port, "after-restart", "away1@example.org");
    http_reply away2 = book(port, "after-restart", "away2@example.org");
    for (auto* r : {&first, &queued, &here, &away1, &away2}) REQUIRE(r->status == 201);
    REQUIRE(post(port, manage_of(here) + "/checkin", "").status == 200);

    // Both instances sweep "swept"; its founder is released once and the waitlist moves up
    // (the founder who moved up has release_after_minutes from then: 0 here, so they go too).
    REQUIRE(eventually([&] { return json_at(http_get(port, manage_of(first)).body, "/status") == "no_show"; }, 20s));
    std::string queued_key = "sp:{hub}:booking:" + json_at(queued.body, "/booking/id");
    CHECK(!redis.cli({"HGET", queued_key, "promoted_at"}).empty());

    // Every instance is down when "after-restart" becomes due; the first one back releases it.
    two.reset();
    one.reset();
    CHECK(redis.cli({"HGET", "sp:{hub}:booking:" + json_at(away1.body, "/booking/id"), "status"}) == "confirmed");
    wait_for_start(redis, "after-restart");
    one = std::make_unique<server_process>(flags);
    two = std::make_unique<server_process>(flags);
    REQUIRE(eventually(
        [&] {
            return json_at(http_get(one->port(), manage_of(away1)).body, "/status") == "no_show" &&
                   json_at(http_get(one->port(), manage_of(away2)).body, "/status") == "no_show";
        },
        20s));
    CHECK(json_at(http_get(two->port(), manage_of(here)).body, "/status") == "confirmed");
    CHECK(json_at(http_get(two->port(), "/api/v1/sessions/after-restart").body, "/seats_taken") == "1");
    CHECK(count_of(redis, "booking.released", "after-restart") == 2);
    auto releases = releases_by_booking(redis);
    CHECK(releases.size() == 4); // first, queued, away1, away2
    for (const auto& [booking, times] : releases) {
        INFO("booking " << booking);
        CHECK(times == 1);
    }
}

TEST_CASE("a walk-in who takes a no-show's seat after the start is not released as a no-show the moment they "
          "take it, even where no-shows go at the start",
          "[day][release][walkin]")
{
    // Offers only for what starts within 5 minutes: the day's other events are later.
    no_show_day day({"--booking.walkin_horizon_minutes=5"});
    auto port = day.port();
    event_starting_in(port, day.admin, "running", 5s, 1);
    http_reply gone = book(port, "running", "gone@example.org");
    REQUIRE(gone.status == 201);
    http_reply joined = post(port, "/api/v1/camps/bochum/walkins", R"({"name":"Walter Walkin"})");
    REQUIRE(joined.status == 201);
    std::string ticket = "/api/v1/walkins/" + json_at(joined.body, "/token");

    // The booked founder does not come: released at the start, the seat offered to the queue.
    wait_for_start(day.redis, "running");
    REQUIRE(day.release(json_at(gone.body, "/booking/id")) == 204);
    REQUIRE(eventually([&] { return json_at(http_get(port, ticket).body, "/state") == "offered"; }, 5s));
    REQUIRE(json_at(http_get(port, ticket).body, "/offer/session_id") == "running");
    http_reply took = post(port, ticket + "/claim", "");
    REQUIRE(took.status == 201);
    std::string walkin = json_at(took.body, "/booking_id");
    REQUIRE(!walkin.empty());

    // On the way to the room: not yet a no-show (it was, at once, before), and the seat stays theirs.
    http_reply early = post(port, "/api/v1/expert/bookings/" + walkin + "/release", "", day.anna.headers());
    CHECK(early.status == 409);
    CHECK(json_at(early.body, "/code") == "not-due");
    http_reply mine = http_get(port, "/api/v1/manage/" + json_at(took.body, "/token"));
    CHECK(json_at(mine.body, "/status") == "confirmed");
    CHECK(json_at(http_get(port, "/api/v1/sessions/running").body, "/seats_taken") == "1");
}

TEST_CASE("a founder with two no-shows holds only one upcoming booking until the window passes, and is told why",
          "[day][release][limit]")
{
    no_show_day day({"--booking.forbid_overlap=false", "--booking.max_per_expert_per_week=10",
                     "--booking.max_upcoming_per_founder=5"});
    auto port = day.port();
    event_starting_in(port, day.admin, "missed-a", 5s, 2);
    event_starting_in(port, day.admin, "missed-b", 5s, 2);
    std::vector<std::string> missed;
    for (std::string s : {"missed-a", "missed-b"}) {
        http_reply r = book(port, s, "often@example.org");
        REQUIRE(r.status == 201);
        missed.push_back(json_at(r.body, "/booking/id"));
    }
    // One no-show is not yet a limit: two upcoming bookings are fine.
    wait_for_start(day.redis, "missed-b");
    REQUIRE(day.release(missed[0]) == 204);
    REQUIRE(book(port, "soon", "often@example.org").status == 201);
    REQUIRE(day.release(missed[1]) == 204);

    // Two: the one upcoming booking stays, a second is refused with a sentence naming why.
    http_reply refused = book(port, "later", "often@example.org");
    CHECK(refused.status == 409);
    CHECK(json_at(refused.body, "/code") == "no-show-limit");
    CHECK(json_at(refused.body, "/field") == "email");
    CHECK_THAT(json_at(refused.body, "/detail"), Catch::Contains("missed"));
    CHECK(schema_problems("http/problem.schema.json", "", refused.body) == "");
    CHECK(book(port, "later", "reliable@example.org").status == 201);

    // The window passes for them (each no-show counts until its score): lifted.
    std::string key = no_show_day::record_of("often@example.org");
    CHECK(day.redis.cli({"ZCARD", key}) == "2");
    for (const auto& id : missed) day.redis.cli({"ZADD", key, "XX", std::to_string(std::time(nullptr) - 1), id});
    CHECK(book(port, "later", "often@example.org").status == 201);
}

TEST_CASE("a released founder the expert marks as attended after all is not held back by the no-show limit",
          "[day][release][limit]")
{
    no_show_day day({"--booking.forbid_overlap=false", "--booking.max_per_expert_per_week=10",
                     "--booking.max_upcoming_per_founder=5", "--booking.no_show_limit=1"});
    auto port = day.port();
    auto& redis = day.redis;
    event_starting_in(port, day.admin, "missed", 5s, 2);
    http_reply first = book(port, "missed", "late@example.org");
    REQUIRE(first.status == 201);
    std::string booking = json_at(first.body, "/booking/id");
    REQUIRE(book(port, "soon", "late@example.org").status == 201);
    wait_for_start(redis, "missed");
    REQUIRE(day.release(booking) == 204);
    // Released: one no-show reaches the limit of one, so a second upcoming booking is refused.
    CHECK(json_at(book(port, "later", "late@example.org").body, "/code") == "no-show-limit");
    std::string key = no_show_day::record_of("late@example.org");
    std::string booking_key = "sp:{hub}:booking:" + booking;
    const std::string counts_until = redis.cli({"ZSCORE", key, booking});
    CHECK(redis.cli({"HGET", booking_key, "no_show_counts_until"}) == counts_until);
    CHECK(redis.cli({"EXPIRETIME", key}) == counts_until);
    // As if released by a version that did not keep the date on the booking.
    redis.cli({"HDEL", booking_key, "no_show_counts_until"});

    // The founder turns up late after all; the expert corrects the mark. The seat stays
    // given away, and the founder's record is clean: they may book again.
    std::string attendance = "/api/v1/expert/bookings/" + booking + "/attendance";
    REQUIRE(post(port, attendance, R"({"status":"attended"})", day.anna.headers()).status == 204);
    CHECK(json_at(http_get(port, manage_of(first)).body, "/status") == "attended");
    CHECK(json_at(http_get(port, "/api/v1/sessions/missed").body, "/seats_taken") == "0");
    http_reply after = book(port, "later", "late@example.org");
    CHECK(after.status == 201);
    REQUIRE(post(port, manage_of(after) + "/cancel", "").status == 200);

    CHECK(redis.cli({"EXISTS", key}) == "0");

    // Marked a no-show again, it counts again, until the date the release gave it (kept
    // from the record when the booking had not), and the record expires with it.
    REQUIRE(post(port, attendance, R"({"status":"no_show"})", day.anna.headers()).status == 204);
    CHECK(redis.cli({"ZSCORE", key, booking}) == counts_until);
    CHECK(redis.cli({"EXPIRETIME", key}) == counts_until);
    CHECK(json_at(book(port, "later", "late@example.org").body, "/code") == "no-show-limit");
}

TEST_CASE("a founder released as a no-show who erases their data leaves no record named by their e-mail",
          "[day][release][privacy]")
{
    no_show_day day;
    auto port = day.port();
    event_starting_in(port, day.admin, "missed", 5s, 2);
    http_reply missed = book(port, "missed", "gone@example.org");
    REQUIRE(missed.status == 201);
    wait_for_start(day.redis, "missed");
    REQUIRE(day.release(json_at(missed.body, "/booking/id")) == 204);
    REQUIRE(day.redis.cli({"EXISTS", no_show_day::record_of("gone@example.org")}) == "1");

    REQUIRE(post(port, manage_of(missed) + "/erase", R"({"confirm":true})").status == 200);
    // Not even the no-show record, whose name is the hashed e-mail.
    CHECK(day.redis.cli({"KEYS", "*" + sha256_hex("gone@example.org") + "*"}) == "");
}
