// The camp's walk-in queue, as founders, experts and the lobby notice it: joining, an
// offer of a seat free now in queue order, its deadline, claims, leaving, across two
// instances on one Redis.
#include "support/accounts.hpp"
#include "support/test_env.hpp"
#include "support/ws_client.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <ctime>
#include <fstream>
#include <memory>

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

/** Bochum with one seat starting in ten minutes ("free", within the walk-in horizon) and
 *  one in three hours ("later", beyond it). */
std::string walkin_hub()
{
    std::string seed = bochum_hub_file();
    std::ofstream out(seed, std::ios::app);
    for (auto [id, offset] : {std::pair{"free", 10min}, std::pair{"later", 180min}})
        out << "\n[[event]]\nid = \"" << id << "\"\ncamp = \"bochum\"\nhost = \"anna\"\ntitle = \"Walk in " << id
            << "\"\nstart = \"" << at(offset) << "\"\nend = \"" << at(offset + 60min) << "\"\nseats = 1\n";
    return seed;
}

std::vector<std::string> flags_for(const redis_server& redis, const std::string& seed)
{
    return {"--redis.url=" + redis.url(), "--hub.seed_file=" + seed, "--booking.min_notice_minutes=0",
            "--booking.walkin_claim_seconds=3", "--booking.walkin_sweep_ms=100"};
}

http_reply join(std::uint16_t port, const std::string& name, const std::string& extra = "")
{
    return post(port, "/api/v1/camps/bochum/walkins", R"({"name":")" + name + "\"" + extra + "}");
}

std::string page(std::uint16_t port, const std::string& token) { return http_get(port, "/api/v1/walkins/" + token).body; }

int count_type(const redis_server& redis, const std::string& type)
{
    int n = 0;
    for (const auto& e : redis.stream("sp:{hub}:changes"))
        if (e.at("type") == type) ++n;
    return n;
}

} // namespace

TEST_CASE("50 founders in a queue and one freed seat: one offer at a time, in queue order, moved on at the deadline "
          "even when the instance that made it is killed",
          "[walkin][race]")
{
    redis_server redis;
    auto flags = flags_for(redis, walkin_hub());
    auto one = std::make_unique<server_process>(flags);
    auto two = std::make_unique<server_process>(flags);

    // The seat is booked; then 50 founders join, through both instances.
    http_reply booked = post(two->port(), "/api/v1/sessions/free/bookings",
                             R"({"name":"Booked","email":"booked@example.org","startup":"S","consent":true})");
    REQUIRE(booked.status == 201);
    std::vector<std::string> tokens;
    for (int i = 0; i < 50; ++i) {
        http_reply r = join(i % 2 ? one->port() : two->port(), "Founder " + std::to_string(i + 1));
        REQUIRE(r.status == 201);
        CHECK(json_at(r.body, "/ticket") == std::to_string(i + 1));
        CHECK(json_at(r.body, "/position") == std::to_string(i + 1));
        CHECK(schema_problems("http/api-v1.schema.json", "walkin_joined", r.body) == "");
        tokens.push_back(json_at(r.body, "/token"));
    }
    auto port = two->port();
    std::string summary = http_get(port, "/api/v1/camps/bochum/walkins").body;
    CHECK(json_at(summary, "/waiting") == "50");
    CHECK(json_at(summary, "/offers") == "[]");
    CHECK(summary.find("Founder") == std::string::npos);
    CHECK(json_at(page(port, tokens[9]), "/ahead") == "9");

    // The founder cancels at short notice: the seat is free now and goes to ticket 1 only.
    REQUIRE(http_request(port, "DELETE", "/api/v1/manage/" + json_at(booked.body, "/manage_token")).status == 200);
    REQUIRE(eventually([&] { return json_at(page(port, tokens[0]), "/state") == "offered"; }, 5s));
    std::string first = page(port, tokens[0]);
    CHECK(schema_problems("http/api-v1.schema.json", "walkin", first) == "");
    CHECK(json_at(first, "/offer/session_id") == "free");
    CHECK(json_at(http_get(port, "/api/v1/sessions/free").body, "/offer/ticket") == "1");
    CHECK(json_at(http_get(port, "/api/v1/camps/bochum/walkins").body, "/offers/0/ticket") == "1");
    CHECK(json_at(page(port, tokens[1]), "/state") == "waiting");
    CHECK(count_type(redis, "walkin.offered") == 1);
    // The offered seat is reserved: the session says it has no free seat, and neither a
    // regular booking nor a waitlist place is taken (nothing to wait for until the offer
    // ends), each refused saying why.
    std::string offered = http_get(port, "/api/v1/sessions/free").body;
    CHECK(json_at(offered, "/seats_free") == "0");
    CHECK(json_at(offered, "/seats_taken") == "0");
    CHECK(json_at(offered, "/bookable") == "false");
    CHECK(json_at(offered, "/not_bookable_reason") == "walkin-offer");
    for (const char* path : {"/api/v1/sessions/free/bookings", "/api/v1/sessions/free/waitlist"}) {
        http_reply taken =
            post(port, path, R"({"name":"Late","email":"late@example.org","startup":"S","consent":true})");
        INFO(path);
        CHECK(taken.status == 409);
        CHECK(json_at(taken.body, "/code") == "walkin-offer");
        CHECK(json_at(taken.body, "/field") == "session_id");
    }
    CHECK(json_at(http_get(port, "/api/v1/sessions/free").body, "/waiting") == "0");

    // Ticket 1 lets it expire: it goes to ticket 2, and a claim after the deadline is
    // refused with nothing written.
    REQUIRE(eventually([&] { return json_at(page(port, tokens[1]), "/state") == "offered"; }, 8s));
    CHECK(json_at(page(port, tokens[0]), "/state") == "expired");
    http_reply late = post(port, "/api/v1/walkins/" + tokens[0] + "/claim", "");
    CHECK(late.status == 409);
    CHECK(json_at(late.body, "/code") == "offer-expired");
    CHECK(json_at(http_get(port, "/api/v1/sessions/free").body, "/seats_taken") == "0");
    CHECK(count_type(redis, "walkin.offered") == 2);

    // The instance that made ticket 2's offer dies; the other moves it on within 2 s of
    // the deadline.
    std::string second_id = json_at(page(port, tokens[1]), "/id");
    bool one_made_it = one->log().find(second_id) != std::string::npos;
    auto& survivor = one_made_it ? *two : *one;
    pid_t victim = one_made_it ? one->pid() : two->pid();
    std::string until = redis.cli({"HGET", "sp:{hub}:walkin:" + second_id, "offer_until"});
    REQUIRE(!until.empty());
    REQUIRE(::kill(victim, SIGKILL) == 0); // gone at once (a zombie until its destructor reaps it)
    REQUIRE(eventually([&] { return json_at(page(survivor.port(), tokens[2]), "/state") == "offered"; }, 10s));
    CHECK(std::time(nullptr) <= std::stol(until) + 2);
    port = survivor.port();

    // Ticket 3 leaves: the offer is withdrawn and goes to ticket 4.
    CHECK(http_request(port, "DELETE", "/api/v1/walkins/" + tokens[2]).status == 204);
    CHECK(json_at(page(port, tokens[2]), "/state") == "left");
    REQUIRE(eventually([&] { return json_at(page(port, tokens[3]), "/state") == "offered"; }, 5s));

    // Ticket 4 takes it: a booking like any other, once.
    http_reply claimed = post(port, "/api/v1/walkins/" + tokens[3] + "/claim", "");
    REQUIRE(claimed.status == 201);
    CHECK(schema_problems("http/api-v1.schema.json", "walkin_booked", claimed.body) == "");
    CHECK(json_at(claimed.body, "/session_id") == "free");
    http_reply again = post(port, "/api/v1/walkins/" + tokens[3] + "/claim", "");
    CHECK(again.status == 409);
    CHECK(json_at(again.body, "/code") == "already-claimed");
    std::string mine = page(port, tokens[3]);
    CHECK(json_at(mine, "/state") == "booked");
    CHECK(json_at(mine, "/booking/token") == json_at(claimed.body, "/token"));
    http_reply manage = http_get(port, "/api/v1/manage/" + json_at(claimed.body, "/token"));
    CHECK(manage.status == 200);
    CHECK(json_at(manage.body, "/status") == "confirmed");
    CHECK(json_at(manage.body, "/name") == "Founder 4");
    CHECK(json_at(http_get(port, "/api/v1/sessions/free").body, "/seats_taken") == "1");
    CHECK(json_at(http_get(port, "/api/v1/sessions/free").body, "/offer") == "null");
    CHECK(count_type(redis, "walkin.offered") == 4); // tickets 1, 2, 3 and 4, each once
    CHECK(json_at(http_get(port, "/api/v1/camps/bochum/walkins").body, "/waiting") == "46");
}

TEST_CASE("bad walk-in input is refused naming the field, unknown camps and links are 404, a full queue is 409, "
          "and a declined offer goes to the next",
          "[walkin]")
{
    redis_server redis;
    auto flags = flags_for(redis, walkin_hub());
    flags.push_back("--booking.walkin_queue_max=2");
    server_process server(flags);
    auto port = server.port();
    struct bad {
        std::string body, field;
    };
    for (const auto& b : {bad{R"({})", "name"}, bad{R"({"name":")" + std::string(81, 'x') + "\"}", "name"},
                          bad{R"({"name":"A","email":"not-mail"})", "email"},
                          bad{R"({"name":"A","topic":")" + std::string(81, 't') + "\"}", "topic"},
                          bad{R"({"name":"A","lang":"fr"})", "lang"}}) {
        http_reply r = post(port, "/api/v1/camps/bochum/walkins", b.body);
        INFO(b.body);
        CHECK(r.status == 422);
        CHECK(json_at(r.body, "/field") == b.field);
        CHECK(schema_problems("http/problem.schema.json", "", r.body) == "");
    }
    CHECK(post(port, "/api/v1/camps/nowhere/walkins", R"({"name":"A"})").status == 404);
    CHECK(http_get(port, "/api/v1/walkins/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").status == 404);
    http_reply a = join(port, "A");
    REQUIRE(a.status == 201);
    http_reply b = join(port, "B");
    REQUIRE(b.status == 201);
    http_reply full = join(port, "C");
    CHECK(full.status == 409);
    CHECK(json_at(full.body, "/code") == "queue-full");
    // "free" has its seat free: A is offered it, so B, who waits, has no offer: declining
    // or claiming says so.
    REQUIRE(eventually([&] { return json_at(page(port, json_at(a.body, "/token")), "/state") == "offered"; }, 5s));
    http_reply d = post(port, "/api/v1/walkins/" + json_at(b.body, "/token") + "/decline", "");
    CHECK(d.status == 409);
    CHECK(json_at(d.body, "/code") == "no-offer");
    http_reply c = post(port, "/api/v1/walkins/" + json_at(b.body, "/token") + "/claim", "");
    CHECK(c.status == 409);
    CHECK(json_at(c.body, "/code") == "no-offer");
    // A declines: A waits again, B is offered the seat, and A is not offered it again.
    http_reply declined = post(port, "/api/v1/walkins/" + json_at(a.body, "/token") + "/decline", "");
    CHECK(declined.status == 200);
    CHECK(json_at(declined.body, "/state") == "waiting");
    REQUIRE(eventually([&] { return json_at(page(port, json_at(b.body, "/token")), "/state") == "offered"; }, 5s));
    CHECK(json_at(page(port, json_at(a.body, "/token")), "/state") == "waiting");
    CHECK(json_at(page(port, json_at(a.body, "/token")), "/position") == "1");
}

TEST_CASE("the lobby's walkins view delivers the queue summary on join, without names, and erasure by e-mail removes "
          "the founder's entries",
          "[walkin][live][privacy]")
{
    redis_server redis;
    server_process server(flags_for(redis, walkin_hub()));
    auto port = server.port();
    browser admin = first_admin(redis, server);
    ws_client lobby(port);
    lobby.send(R"({"op":"subscribe","id":"w","view":{"type":"walkins","camp":"bochum"}})");
    auto snap = lobby.next_op("snapshot");
    REQUIRE(snap);
    CHECK(json_at(*snap, "/walkins/waiting") == "0");
    CHECK(schema_problems("ws/live.schema.json", "snapshot", *snap) == "");

    http_reply joined = join(port, "Erika Muster", R"(,"email":"erika@example.org","topic":"Funding")");
    REQUIRE(joined.status == 201);
    auto update = lobby.next_op("walkins", 2s);
    REQUIRE(update);
    CHECK(json_at(*update, "/summary/waiting") == "1");
    CHECK(schema_problems("ws/live.schema.json", "walkins", *update) == "");
    CHECK(update->find("Erika") == std::string::npos);

    // An expert sees the names; the public summary never does.
    browser anna = invited_expert(server, admin, "anna@example.org", "anna");
    http_reply queue = http_get(port, "/api/v1/camps/bochum/walkins/queue", anna.headers());
    REQUIRE(queue.status == 200);
    CHECK(json_at(queue.body, "/entries/0/name") == "Erika Muster");
    CHECK(schema_problems("http/api-v1.schema.json", "walkin_queue", queue.body) == "");
    CHECK(http_get(port, "/api/v1/camps/bochum/walkins/queue").status == 401);

    // Anna calls Erika in to her own session directly (a booking; the page shows it);
    // Jonas has no session there.
    std::string entry = json_at(joined.body, "/id");
    // "later" starts beyond the walk-in horizon: booked the usual way, not called in.
    http_reply far = post(port, "/api/v1/expert/sessions/later/walkins/" + entry, "", anna.headers());
    CHECK(far.status == 422);
    CHECK(json_at(far.body, "/code") == "beyond-horizon");
    // Erika's topic fits no free session, so nothing was offered to her; Anna calls her in.
    http_reply called = post(port, "/api/v1/expert/sessions/free/walkins/" + entry, "", anna.headers());
    REQUIRE(called.status == 201);
    CHECK(schema_problems("http/api-v1.schema.json", "walkin_booked", called.body) == "");
    CHECK(called.body.find("token") == std::string::npos); // the manage link is the founder's alone
    std::string erika = page(port, json_at(joined.body, "/token"));
    CHECK(json_at(erika, "/state") == "booked");
    CHECK(json_at(http_get(port, "/api/v1/manage/" + json_at(erika, "/booking/token")).body, "/session/id") == "free");
    CHECK(post(port, "/api/v1/expert/sessions/free/walkins/" + entry, "", anna.headers()).status == 409);

    // An admin removes another founder's entry.
    http_reply other = join(port, "Max");
    REQUIRE(other.status == 201);
    CHECK(http_request(port, "DELETE", "/api/v1/admin/walkins/" + json_at(other.body, "/id"), admin.headers()).status ==
          204);
    CHECK(json_at(page(port, json_at(other.body, "/token")), "/state") == "left");
    CHECK(http_request(port, "DELETE", "/api/v1/admin/walkins/" + json_at(other.body, "/id"), anna.headers()).status ==
          403);

    http_reply erased = post(port, "/api/v1/admin/founders/erase", R"({"email":"erika@example.org"})", admin.headers());
    REQUIRE(erased.status == 200);
    CHECK(http_get(port, "/api/v1/walkins/" + json_at(joined.body, "/token")).status == 404);
    CHECK(everything_in(redis).find("Erika") == std::string::npos);
    CHECK(json_at(http_get(port, "/api/v1/camps/bochum/walkins").body, "/waiting") == "0");
}

TEST_CASE("walk-in joins from one address are limited per hour, and an entry's data is erased walkin_keep_hours "
          "after joining",
          "[walkin][limits][privacy]")
{
    redis_server redis;
    auto flags = flags_for(redis, walkin_hub());
    flags.push_back("--booking.walkin_joins_per_hour=2");
    flags.push_back("--booking.walkin_keep_hours=2");
    server_process server(flags);
    auto port = server.port();

    // Joins per hour: the third from this address is refused with a wait and joins nobody.
    http_reply first = join(port, "Erika", R"(,"email":"erika@example.org")");
    REQUIRE(first.status == 201);
    http_reply second = join(port, "Max");
    REQUIRE(second.status == 201);
    http_reply third = join(port, "Lena");
    CHECK(third.status == 429);
    CHECK(json_at(third.body, "/code") == "too-many-joins");
    CHECK(std::stoi(third.header("retry-after")) >= 1);
    CHECK(schema_problems("http/problem.schema.json", "", third.body) == "");
    CHECK(redis.cli({"ZCARD", "sp:{hub}:camp:bochum:walkins"}) == "2"); // Lena is not in the queue

    // Retention: Erika joined three hours ago (her join time moved back in Redis, as if the
    // server had run that long); the retention sweep (at an instance's start, then every
    // minute) erases her entry and its link, Max's stays.
    std::string erika = json_at(first.body, "/id");
    auto three_hours_ago =
        std::chrono::duration_cast<std::chrono::seconds>((std::chrono::system_clock::now() - 3h).time_since_epoch())
            .count();
    REQUIRE(redis.cli({"ZADD", "sp:{hub}:walkins", "XX", "CH", std::to_string(three_hours_ago), erika}) == "1");
    server_process another(flags);
    REQUIRE(eventually(
        [&] { return http_get(port, "/api/v1/walkins/" + json_at(first.body, "/token")).status == 404; }, 10s));
    CHECK(redis.cli({"EXISTS", "sp:{hub}:walkin:" + erika}) == "0");
    CHECK(http_get(port, "/api/v1/walkins/" + json_at(second.body, "/token")).status == 200);
    bool logged = false;
    for (const auto& e : redis.stream("sp:{hub}:changes"))
        if (e.at("type") == "walkin.erased" && e.count("reason") && e.at("reason") == "retention") logged = true;
    CHECK(logged);
}
