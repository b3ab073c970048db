// An expert's own calendars: their private addresses are secrets (stored, shown masked,
// never logged, gone with the expert), with limits an operator configures.
#include "support/accounts.hpp"
#include "support/sinks.hpp"
#include "support/test_env.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <ctime>
#include <map>
#include <thread>

using namespace sp::test;
using namespace std::chrono_literals;

namespace {

std::string hub_with_jonas()
{
    return bochum_hub_file(R"(
[[expert]]
id = "jonas"
name = "Jonas Becker"
camps = ["bochum"]
)");
}

std::string body_with(const std::string& url) { return R"({"url":")" + url + R"("})"; }

/** A calendar with one meeting the day after tomorrow, 10:00-11:00 UTC; `details` go
 *  into the VEVENT (a title, a place: what must never be stored). */
std::string meeting_after_tomorrow(const std::string& prodid, const std::string& details = "")
{
    std::time_t t = std::time(nullptr) + 2 * 86400;
    std::tm day{};
    gmtime_r(&t, &day);
    char date[16];
    std::strftime(date, sizeof date, "%Y%m%d", &day);
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:" + prodid +
           "\r\nBEGIN:VEVENT\r\nUID:meeting-1@example.org\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:" + date +
           "T100000Z\r\nDTEND:" + date + "T110000Z\r\n" + details + "END:VEVENT\r\nEND:VCALENDAR\r\n";
}

} // namespace

TEST_CASE("an expert connects calendars by their secret address, sees them only masked, and removes them",
          "[calendar][busy]")
{
    redis_server redis;
    server_process server{{"--redis.url=" + redis.url(), "--hub.seed_file=" + hub_with_jonas(),
                           "--calendar.max_per_expert=2", "--calendar.fetch_timeout_seconds=2", "--log.level=debug"}};
    auto port = server.port();
    browser admin = first_admin(redis, server);
    browser anna = invited_expert(server, admin, "anna@example.org", "anna");
    browser jonas = invited_expert(server, admin, "jonas@example.org", "jonas");

    const std::string secret = "private-3f9a7c1e5b2d4086a1c0e9f8d7b6a5c4";
    const std::string google = "https://calendar.google.com/calendar/ical/anna%40example.org/" + secret + "/basic.ics";
    http_reply added = post(port, "/api/v1/expert/calendars", body_with(google), anna.headers());
    INFO(added.body);
    REQUIRE(added.status == 201);
    std::string first_id = json_at(added.body, "/id");
    CHECK(json_at(added.body, "/url") == "https://calendar.google.com/….ics");
    CHECK(added.body.find(secret.substr(0, 12)) == std::string::npos);

    // webcal:// is read as https://; the same address twice is refused.
    const std::string outlook_secret = "b7e1d0c94f2a4e3c8d6a5b4c3d2e1f00";
    http_reply webcal = post(port, "/api/v1/expert/calendars",
                             body_with("webcal://outlook.office365.com/owa/calendar/" + outlook_secret + "/calendar.ics"),
                             anna.headers());
    REQUIRE(webcal.status == 201);
    CHECK(json_at(webcal.body, "/url") == "https://outlook.office365.com/….ics");
    http_reply again = post(port, "/api/v1/expert/calendars", body_with(google), anna.headers());
    CHECK(again.status == 409);
    CHECK(json_at(again.body, "/code") == "calendar-exists");

    // The configured limit (2 here), then bad addresses, each naming the field.
    http_reply third = post(port, "/api/v1/expert/calendars", body_with("https://cloud.example.org/remote.php/dav/x.ics"),
                            anna.headers());
    CHECK(third.status == 409);
    CHECK(json_at(third.body, "/code") == "too-many-calendars");
    CHECK(json_at(third.body, "/field") == "url");
    for (const std::string bad : {"ftp://example.org/cal.ics", "https://user:pw@example.org/cal.ics", "not a url",
                                  "https:///nohost.ics"}) {
        http_reply r = post(port, "/api/v1/expert/calendars", body_with(bad), jonas.headers());
        INFO(bad << " -> " << r.body);
        CHECK(r.status == 400);
        CHECK(json_at(r.body, "/field") == "url");
    }
    CHECK(post(port, "/api/v1/expert/calendars", "{}", jonas.headers()).status / 100 == 4);

    // The list: masked, with no fetch yet.
    http_reply list = http_get(port, "/api/v1/expert/calendars", anna.headers(false));
    REQUIRE(list.status == 200);
    CHECK(json_at(list.body, "/max") == "2");
    CHECK(json_at(list.body, "/calendars/0/id") == first_id);
    CHECK(json_at(list.body, "/calendars/0/url") == "https://calendar.google.com/….ics");
    CHECK(json_at(list.body, "/calendars/0/imported_at") == "null");
    CHECK(list.body.find(secret.substr(0, 12)) == std::string::npos);
    CHECK(list.body.find(outlook_secret.substr(0, 12)) == std::string::npos);
    // Another expert sees none of them and cannot remove them; an admin sees them masked.
    CHECK(json_at(http_get(port, "/api/v1/expert/calendars", jonas.headers(false)).body, "/calendars") == "[]");
    http_reply foreign = http_request(port, "DELETE", "/api/v1/expert/calendars/" + first_id, jonas.headers(), "");
    CHECK(foreign.status == 404);
    CHECK(json_at(foreign.body, "/code") == "unknown-calendar");
    http_reply by_admin = http_get(port, "/api/v1/admin/experts/anna/calendars", admin.headers(false));
    CHECK(by_admin.status == 200);
    CHECK(json_at(by_admin.body, "/calendars/1/url") == "https://outlook.office365.com/….ics");
    CHECK(by_admin.body.find(outlook_secret.substr(0, 12)) == std::string::npos);
    CHECK(http_get(port, "/api/v1/admin/experts/nobody/calendars", admin.headers(false)).status == 404);
    CHECK(http_get(port, "/api/v1/admin/experts/anna/calendars", anna.headers(false)).status == 403);

    // Stored, but nowhere else than under the calendar keys.
    CHECK_THAT(everything_in(redis), Catch::Contains(secret));
    CHECK(redis_keys_with(redis, "busy:feeds:anna") != "");

    // Removing one frees a place under the limit.
    CHECK(http_request(port, "DELETE", "/api/v1/expert/calendars/" + first_id, anna.headers(), "").status == 204);
    CHECK(http_request(port, "DELETE", "/api/v1/expert/calendars/" + first_id, anna.headers(), "").status == 404);
    CHECK(everything_in(redis).find(secret) == std::string::npos);
    CHECK(post(port, "/api/v1/expert/calendars", body_with("https://cloud.example.org/remote.php/dav/x.ics"),
               anna.headers())
              .status == 201);

    // An admin connects one for Jonas; deleting Jonas deletes it.
    const std::string jonas_secret = "nextcloud-secret-9c8b7a6f5e4d3c2b";
    http_reply for_jonas = post(port, "/api/v1/admin/experts/jonas/calendars",
                                body_with("https://cloud.example.org/remote.php/dav/public-calendars/" + jonas_secret +
                                          "?export"),
                                admin.headers());
    REQUIRE(for_jonas.status == 201);
    CHECK(json_at(http_get(port, "/api/v1/expert/calendars", jonas.headers(false)).body, "/calendars/0/url") ==
          "https://cloud.example.org/…port");
    REQUIRE(http_request(port, "DELETE", "/api/v1/admin/experts/jonas", admin.headers(), "").status == 204);
    CHECK(redis_keys_with(redis, "busy:").find("jonas") == std::string::npos);
    CHECK(redis_keys_with(redis, "busy:feeds:anna") != "");
    CHECK(everything_in(redis).find(jonas_secret) == std::string::npos);

    // No address ever reaches the log.
    auto status = server.terminate(10s);
    REQUIRE(status.has_value());
    std::string log = server.log();
    for (const std::string& s : {secret, outlook_secret, jonas_secret}) {
        INFO(s);
        CHECK(log.find(s.substr(0, 12)) == std::string::npos);
    }
}

TEST_CASE("connected calendars are imported in the background: busy times only, and a failing feed is reported",
          "[calendar][busy]")
{
    redis_server redis;
    feed_server feeds;
    // A client meeting the day after tomorrow, 10:00-11:00 UTC.
    feeds.put("anna.ics", meeting_after_tomorrow("-//Google Inc//Google Calendar 70.9054//EN",
                                                 "SUMMARY:Confidential client meeting\r\nLOCATION:Client HQ\r\n"));
    server_process server{{"--redis.url=" + redis.url(), "--hub.seed_file=" + bochum_hub_file(),
                           "--calendar.allow_private_addresses=true", "--calendar.refresh_minutes=1"}};
    auto port = server.port();
    browser admin = first_admin(redis, server);
    browser anna = invited_expert(server, admin, "anna@example.org", "anna");
    REQUIRE(post(port, "/api/v1/expert/calendars", body_with(feeds.url("/anna.ics")), anna.headers()).status == 201);
    REQUIRE(post(port, "/api/v1/expert/calendars", body_with(feeds.url("/status/500")), anna.headers()).status == 201);

    // The next round (within the refresh interval) imports the good one and records why
    // the other failed, in plain words.
    http_reply list;
    REQUIRE(eventually(
        [&] {
            list = http_get(port, "/api/v1/expert/calendars", anna.headers(false));
            return json_at(list.body, "/calendars/0/imported_at") != "null" &&
                   json_at(list.body, "/calendars/1/fetched_at") != "null";
        },
        90s));
    INFO(list.body);
    CHECK(json_at(list.body, "/calendars/0/busy_count") == "1");
    CHECK(json_at(list.body, "/calendars/0/error") == "");
    CHECK(json_at(list.body, "/calendars/0/error_code") == "null");
    CHECK(json_at(list.body, "/calendars/1/imported_at") == "null");
    CHECK_THAT(json_at(list.body, "/calendars/1/error"), Catch::Contains("500"));
    CHECK(json_at(list.body, "/calendars/1/error_code") == "server-error"); // what the page translates
    CHECK(list.body.find("/status/500") == std::string::npos);
    // Only the interval is kept: no title, no place.
    std::string stored = everything_in(redis);
    CHECK(stored.find("Confidential") == std::string::npos);
    CHECK(stored.find("Client HQ") == std::string::npos);
    CHECK(redis_keys_with(redis, "busy:times:anna") != "");
    // Fetched once per interval, though the loop looks every second: over the one or two
    // rounds this took, at most twice each. (The first round starts as the server gets
    // ready and can fall between the two additions, fetching the first one alone.)
    std::map<std::string, int> fetched;
    for (const auto& r : feeds.requests()) ++fetched[r.substr(0, r.find(' '))];
    INFO(fetched.size() << " feeds fetched");
    CHECK(fetched.size() == 2);
    for (const auto& [path, times] : fetched) {
        INFO(path << " fetched " << times << " times");
        CHECK(times <= 2);
    }

    // A failure recorded by a version before codes (its sentence, no code): answered with
    // the sentence and a null code (the page then says, in its language, that the calendar
    // could not be read). The importer writes the code again each round, so the read
    // counts only if no round came between.
    const std::string failing = json_at(list.body, "/calendars/1/id");
    const std::string state_key = "sp:{hub}:busy:state:anna";
    bool read_between_rounds = false;
    for (int attempt = 0; attempt < 3 && !read_between_rounds; ++attempt) {
        const std::string fetched_before = redis.cli({"HGET", state_key, failing + ":fetched_at"});
        redis.cli({"HDEL", state_key, failing + ":error_code"});
        list = http_get(port, "/api/v1/expert/calendars", anna.headers(false));
        read_between_rounds = redis.cli({"HGET", state_key, failing + ":fetched_at"}) == fetched_before;
    }
    REQUIRE(read_between_rounds);
    INFO(list.body);
    CHECK(json_at(list.body, "/calendars/1/id") == failing);
    CHECK_THAT(json_at(list.body, "/calendars/1/error"), Catch::Contains("500"));
    CHECK(json_at(list.body, "/calendars/1/error_code") == "null");
}

TEST_CASE("with the default settings a connected calendar on loopback is never fetched, and the expert is told why",
          "[calendar][busy][security]")
{
    redis_server redis;
    feed_server feeds;
    feeds.put("anna.ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n");
    server_process server{{"--redis.url=" + redis.url(), "--hub.seed_file=" + bochum_hub_file()}};
    auto port = server.port();
    browser admin = first_admin(redis, server);
    browser anna = invited_expert(server, admin, "anna@example.org", "anna");
    REQUIRE(post(port, "/api/v1/expert/calendars", body_with(feeds.url("/anna.ics")), anna.headers()).status == 201);
    // The dashboard imports a calendar right after adding it ("refresh now"); the
    // background round may have run before the calendar existed and is 15 minutes away.
    http_reply list = post(port, "/api/v1/expert/calendars/refresh", "", anna.headers());
    INFO(list.body);
    REQUIRE(list.status == 200);
    CHECK(json_at(list.body, "/calendars/0/fetched_at") != "null");
    CHECK(json_at(list.body, "/calendars/0/imported_at") == "null");
    CHECK_THAT(json_at(list.body, "/calendars/0/error"), Catch::Contains("private network"));
    CHECK(json_at(list.body, "/calendars/0/error_code") == "private-network");
    // The same answer later, from the list the dashboard reads.
    CHECK(json_at(http_get(port, "/api/v1/expert/calendars", anna.headers(false)).body, "/calendars/0/error") ==
          json_at(list.body, "/calendars/0/error"));
    CHECK(feeds.requests().empty());
}

TEST_CASE("two instances fetch a calendar once per interval, and a calendar that starts failing keeps its last good "
          "busy times in force",
          "[calendar][busy]")
{
    redis_server redis;
    feed_server feeds;
    feeds.put("anna.ics", meeting_after_tomorrow("-//Test//EN"));
    std::vector<std::string> flags{"--redis.url=" + redis.url(), "--hub.seed_file=" + bochum_hub_file(),
                                   "--calendar.allow_private_addresses=true", "--calendar.refresh_minutes=1",
                                   "--calendar.fetch_timeout_seconds=2"};
    server_process a{flags};
    server_process b{flags};
    browser admin = first_admin(redis, a);
    browser anna = invited_expert(a, admin, "anna@example.org", "anna");
    REQUIRE(post(a.port(), "/api/v1/expert/calendars", body_with(feeds.url("/anna.ics")), anna.headers()).status == 201);

    // Imported by one of the two (both look every second), seen from either.
    http_reply list;
    REQUIRE(eventually(
        [&] {
            list = http_get(b.port(), "/api/v1/expert/calendars", anna.headers(false));
            return json_at(list.body, "/calendars/0/imported_at") != "null";
        },
        90s));
    CHECK(json_at(list.body, "/calendars/0/busy_count") == "1");
    const std::string imported_at = json_at(list.body, "/calendars/0/imported_at");
    // Three more rounds of each instance within the interval: still one fetch in all.
    std::this_thread::sleep_for(3s);
    auto fetches = [&] {
        auto all = feeds.requests();
        return std::count_if(all.begin(), all.end(), [](const std::string& r) { return r.rfind("/anna.ics ", 0) == 0; });
    };
    CHECK(fetches() == 1);

    // The calendar server starts failing: "refresh now" on the other instance reports it
    // in plain words, and the busy times of the last good import stay in force.
    feeds.put("anna.ics.status", "500");
    list = post(b.port(), "/api/v1/expert/calendars/refresh", "", anna.headers());
    REQUIRE(list.status == 200);
    INFO(list.body);
    CHECK_THAT(json_at(list.body, "/calendars/0/error"), Catch::Contains("500"));
    CHECK(json_at(list.body, "/calendars/0/imported_at") == imported_at);
    CHECK(json_at(list.body, "/calendars/0/busy_count") == "1");
    CHECK(redis_keys_with(redis, "busy:times:anna") != "");

    // It answers, but not with a calendar: the same.
    feeds.remove("anna.ics.status");
    feeds.put("anna.ics", "<html><body>Sign in to see this calendar</body></html>");
    list = post(a.port(), "/api/v1/expert/calendars/refresh", "", anna.headers());
    REQUIRE(list.status == 200);
    CHECK(json_at(list.body, "/calendars/0/error") != "");
    CHECK(json_at(list.body, "/calendars/0/imported_at") == imported_at);
    CHECK(json_at(list.body, "/calendars/0/busy_count") == "1");
    CHECK(fetches() == 3);
}
