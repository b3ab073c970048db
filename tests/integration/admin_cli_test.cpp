#include "domain/zoned_time.hpp"
#include "support/test_env.hpp"

#include <catch2/catch.hpp>
#include <fstream>

using namespace sp::test;
using namespace std::chrono_literals;

namespace {
struct run_result {
    int code;
    std::string output;
};
run_result admin(const std::vector<std::string>& args)
{
    std::string log = scratch_dir("admin") + "/out.log";
    std::vector<std::string> argv{SP_ADMIN_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    auto child = sp::util::child_process::spawn(argv, log);
    auto status = child.wait_for(30s);
    std::ifstream in(log);
    std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return {status ? exit_code(*status) : -1, out};
}
std::string write(const std::string& name, const std::string& text)
{
    std::string path = scratch_dir("admin-files") + "/" + name;
    std::ofstream(path) << text;
    return path;
}
} // namespace

TEST_CASE("the admin command applies a hub file and the sessions appear in the API", "[admin]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url()});
    std::string file = write("hub.toml", camp_and_expert_toml("dortmund", "Dortmund", "Logistik-IT", "Emil-Figge-Straße 42", "katrin", "Katrin Vogel", "de") + R"(
[[rule]]
id = "katrin-weekly"
expert = "katrin"
camp = "dortmund"
online_url = "https://meet.example.org/katrin"
windows = [ { day = "mon", start = "10:00", end = "12:00" } ]
slot_minutes = 60
)");
    auto r = admin({"--redis.url=" + redis.url(), "apply", file});
    INFO(r.output);
    CHECK(r.code == 0);
    CHECK_THAT(r.output, Catch::Contains("1 camps") && Catch::Contains("1 rules"));
    http_reply sessions = http_get(server.port(), "/api/v1/sessions?expert=katrin&free_only=true");
    CHECK(sessions.status == 200);
    CHECK_THAT(sessions.body, Catch::Contains("katrin-weekly-"));

    // Applying the same file again changes nothing.
    auto again = admin({"--redis.url=" + redis.url(), "apply", file});
    CHECK(again.code == 0);
    CHECK_THAT(again.output, Catch::Contains("0 new sessions"));
}

TEST_CASE("the admin command refuses a broken rule and names the field", "[admin]")
{
    redis_server redis;
    std::string rule = write("rule.json", R"({"expert_id":"x","camp_id":"c","room_id":"r","valid_from":"2026-01-01",
        "windows":[{"day":"mon","start":"14:00","end":"13:00"}],"slot_minutes":30})");
    auto r = admin({"--redis.url=" + redis.url(), "rule", rule});
    CHECK(r.code == 1);
    CHECK_THAT(r.output, Catch::Contains("windows[0].end"));
    CHECK(redis.cli({"DBSIZE"}) == "0");
    auto bad = admin({"--redis.url=" + redis.url(), "frobnicate"});
    CHECK(bad.code == 2);
}

TEST_CASE("changing or deleting a rule never drops a booked session: it stays, orphaned", "[admin][rules]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url()});
    auto hub = [](const std::string& windows) {
        return std::string(camp_and_expert_toml("essen", "Essen", "Design", "Gelsenkirchener Straße 209", "mira", "Mira Okafor", "en") + R"(
[[rule]]
id = "mira-weekly"
expert = "mira"
camp = "essen"
online_url = "https://meet.example.org/mira"
slot_minutes = 60
windows = )") + windows + "\n";
    };
    std::string all_days = R"([ { day = "mon", start = "10:00", end = "12:00" }, { day = "tue", start = "10:00", end = "12:00" },
  { day = "wed", start = "10:00", end = "12:00" }, { day = "thu", start = "10:00", end = "12:00" },
  { day = "fri", start = "10:00", end = "12:00" }, { day = "sat", start = "10:00", end = "12:00" },
  { day = "sun", start = "10:00", end = "12:00" } ])";
    REQUIRE(admin({"--redis.url=" + redis.url(), "apply", write("v1.toml", hub(all_days))}).code == 0);

    http_reply list = http_get(server.port(), "/api/v1/sessions?expert=mira&free_only=true");
    std::vector<std::string> ids;
    for (std::size_t p = list.body.find("\"id\":\""); p != std::string::npos; p = list.body.find("\"id\":\"", p + 1))
        ids.push_back(list.body.substr(p + 6, list.body.find('"', p + 6) - p - 6));
    REQUIRE(ids.size() >= 4);
    // The first slots may be inside the minimum notice: book the third.
    std::string booked = ids[2], unbooked = ids[3];
    http_reply b = http_request(server.port(), "POST", "/api/v1/sessions/" + booked + "/bookings",
                                {{"Content-Type", "application/json"}},
                                R"({"name":"N","email":"n@example.org","startup":"S","consent":true})");
    REQUIRE(b.status == 201);

    // The expert moves the office hour to the evening.
    REQUIRE(admin({"--redis.url=" + redis.url(), "apply",
                   write("v2.toml", hub(R"([ { day = "wed", start = "18:00", end = "19:00" } ])"))})
                .code == 0);
    http_reply kept = http_get(server.port(), "/api/v1/sessions/" + booked);
    CHECK(kept.status == 200);
    CHECK_THAT(kept.body, Catch::Contains("\"status\":\"orphaned\"") && Catch::Contains("\"seats_taken\":1"));
    CHECK(http_get(server.port(), "/api/v1/sessions/" + unbooked).status == 404);
    CHECK_THAT(redis.cli({"HGET", "sp:{hub}:session:" + booked, "status"}), Catch::Equals("orphaned"));
    // It is still listed for its expert, marked orphaned, but no longer offered as free.
    http_reply listed = http_get(server.port(), "/api/v1/sessions?expert=mira");
    CHECK_THAT(listed.body, Catch::Contains("\"id\":\"" + booked + "\""));
    CHECK(listed.body.find("\"status\":\"orphaned\"") != std::string::npos);
    CHECK(http_get(server.port(), "/api/v1/sessions?expert=mira&free_only=true").body.find(booked) == std::string::npos);
    // The founder's booking is intact and still reachable through the manage link.
    http_reply mine = http_get(server.port(), "/api/v1/manage/" + json_at(b.body, "/manage_token"));
    CHECK(json_at(mine.body, "/status") == "confirmed");
    CHECK(json_at(mine.body, "/session/status") == "orphaned");

    // Deleting the rule removes its unbooked sessions; the booked one stays orphaned.
    auto deleted = admin({"--redis.url=" + redis.url(), "rule-delete", "mira-weekly"});
    CHECK(deleted.code == 0);
    CHECK_THAT(deleted.output, Catch::Contains("0 orphaned")); // already orphaned before
    CHECK(redis.cli({"ZCARD", "sp:{hub}:owner:mira-weekly:sessions"}) == "1");
    CHECK(http_get(server.port(), "/api/v1/sessions/" + booked).status == 200);
    CHECK(admin({"--redis.url=" + redis.url(), "rule-delete", "mira-weekly"}).code == 1);
}

TEST_CASE("the admin command saves a rule with a day off and an extra window, and the sessions follow", "[admin][rules]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url()});
    REQUIRE(admin({"--redis.url=" + redis.url(), "apply", write("hub.toml", camp_and_expert_toml("dortmund", "Dortmund", "Logistik-IT", "Emil-Figge-Straße 42", "katrin", "Katrin Vogel", "de"))}).code == 0);

    // The first Monday at least two days ahead is taken off; the Wednesday after it gets
    // an extra hour at 15:00.
    const auto* berlin = sp::domain::find_zone("Europe/Berlin");
    auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    date::sys_days day = date::sys_days(sp::domain::local_date(now, berlin)) + date::days(2);
    while (date::weekday(day) != date::Monday) day += date::days(1);
    std::string off = sp::domain::format_date(day), extra = sp::domain::format_date(day + date::days(2)),
                next = sp::domain::format_date(day + date::days(7));
    std::string rule = write("rule.json", R"({"id":"katrin-mondays","expert_id":"katrin","camp_id":"dortmund",
        "online_url":"https://meet.example.org/katrin","zone":"Europe/Berlin","slot_minutes":60,"valid_from":"2026-01-01",
        "windows":[{"day":"mon","start":"10:00","end":"12:00"}],
        "exceptions":[{"type":"day_off","date":")" + off + R"("},
                      {"type":"extra","date":")" + extra + R"(","start":"15:00","end":"16:00"}]})");
    auto r = admin({"--redis.url=" + redis.url(), "rule", rule});
    INFO(r.output);
    REQUIRE(r.code == 0);
    CHECK_THAT(r.output, Catch::Contains("rule katrin-mondays:"));

    http_reply list = http_get(server.port(), "/api/v1/sessions?expert=katrin&from=" + off + "&to=" +
                                                  sp::domain::format_date(day + date::days(8)));
    REQUIRE(list.status == 200);
    auto starts_on = [&](const std::string& date, const std::string& time) {
        return list.body.find("\"start\":\"" + date + "T" + time) != std::string::npos;
    };
    CHECK_FALSE(starts_on(off, "10:00"));
    CHECK_FALSE(starts_on(off, "11:00"));
    CHECK(starts_on(extra, "15:00"));
    CHECK(starts_on(next, "10:00"));
    CHECK(starts_on(next, "11:00"));
}
