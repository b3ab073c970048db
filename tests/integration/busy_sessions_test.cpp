// An expert's busy time shapes what is offered: a session that clashes with the
// expert's own calendar cannot be booked (expert-busy), open pages see it go within a
// second of the import, it comes back when the clash goes, and a session already booked
// stays, shown as a conflict with one e-mail to the expert.
#include "support/accounts.hpp"
#include "support/sinks.hpp"
#include "support/test_env.hpp"
#include "support/ws_client.hpp"

#include <catch2/catch.hpp>
#include <ctime>
#include <fstream>

using namespace sp::test;
using namespace std::chrono_literals;

namespace {

std::time_t in(std::chrono::seconds offset)
{
    return std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + offset);
}

std::string utc(std::time_t t, const char* format)
{
    std::tm tm{};
    gmtime_r(&t, &tm);
    char out[40];
    std::strftime(out, sizeof out, format, &tm);
    return out;
}

/** Anna hosts three events two days ahead, on the hour: "clash", "booked" and "free". */
struct plan {
    std::time_t base = in(48h) / 3600 * 3600;
    std::time_t clash = base, booked = base + 3 * 3600, free = base + 6 * 3600;
};

std::string busy_hub(const plan& p)
{
    std::string seed = bochum_hub_file();
    std::ofstream out(seed, std::ios::app);
    for (auto [id, start] : {std::pair{"clash", p.clash}, std::pair{"booked", p.booked}, std::pair{"free", p.free}})
        out << "\n[[event]]\nid = \"" << id << "\"\ncamp = \"bochum\"\nhost = \"anna\"\ntitle = \"Workshop " << id
            << "\"\nstart = \"" << utc(start, "%Y-%m-%dT%H:%M:%S+00:00") << "\"\nend = \""
            << utc(start + 3600, "%Y-%m-%dT%H:%M:%S+00:00") << "\"\nseats = 5\n";
    return seed;
}

/** A Google-style feed with one opaque event per start (an hour each). */
std::string feed_of(const std::vector<std::time_t>& starts)
{
    std::string ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\n";
    int n = 0;
    for (auto s : starts)
        ics += "BEGIN:VEVENT\r\nUID:client-" + std::to_string(++n) + "@google.com\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:" +
               utc(s, "%Y%m%dT%H%M%SZ") + "\r\nDTEND:" + utc(s + 3600, "%Y%m%dT%H%M%SZ") +
               "\r\nSUMMARY:Client meeting\r\nEND:VEVENT\r\n";
    return ics + "END:VCALENDAR\r\n";
}

http_reply book(std::uint16_t port, const std::string& session, const std::string& email)
{
    return post(port, "/api/v1/sessions/" + session + "/bookings",
                R"({"name":"Founder","email":")" + email + R"(","startup":"S","consent":true})");
}

/** Waits for a live change of `session` saying busy is `busy`; when it arrived. */
std::optional<std::chrono::system_clock::time_point> change_seen(ws_client& ws, const std::string& session, bool busy,
                                                                 std::chrono::milliseconds timeout)
{
    auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        auto m = ws.next_timed(std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now()));
        if (!m) break;
        if (json_at(m->first, "/op") != "changes") continue;
        for (int i = 0; i < 50; ++i) {
            std::string base = "/changes/" + std::to_string(i) + "/session";
            std::string id = json_at(m->first, base + "/id");
            if (id.empty()) break;
            if (id == session && json_at(m->first, base + "/busy") == (busy ? "true" : "false")) return m->second;
        }
    }
    return std::nullopt;
}

/** Mails to `address` about `session_title` (Anna's invitation went to her address too). */
std::size_t mails_to(const smtp_sink& smtp, const std::string& address, const std::string& session_title)
{
    std::size_t n = 0;
    for (const auto& m : smtp.messages())
        if (m.rfind("X-Envelope-To: " + address, 0) == 0 &&
            header_of(m, "Subject").find(session_title) != std::string::npos)
            ++n;
    return n;
}

} // namespace

TEST_CASE("sessions clashing with the expert's own calendar are refused, seen going live, come back when the clash "
          "goes, and a booked one is one conflict with one e-mail",
          "[calendar][busy][live]")
{
    plan p;
    redis_server redis;
    feed_server feeds;
    smtp_sink smtp;
    server_process server{{"--redis.url=" + redis.url(), "--hub.seed_file=" + busy_hub(p),
                           "--calendar.allow_private_addresses=true", "--calendar.refresh_minutes=60",
                           "--mail.smtp_url=" + smtp.url(), "--mail.poll_ms=100"}};
    auto port = server.port();
    browser admin = first_admin(redis, server);
    browser anna = invited_expert(server, admin, "anna@example.org", "anna");

    // Before any calendar: every session is bookable; one founder books "booked".
    CHECK(json_at(http_get(port, "/api/v1/sessions/clash").body, "/bookable") == "true");
    REQUIRE(book(port, "booked", "first@example.org").status == 201);
    http_reply moving = book(port, "free", "mover@example.org");
    REQUIRE(moving.status == 201);

    // A page watches Anna's sessions.
    ws_client page(port);
    page.send(R"({"op":"subscribe","id":"anna","view":{"type":"expert","expert":"anna"}})");
    REQUIRE(page.next_op("snapshot"));

    // Her calendar has client meetings over "clash" and "booked"; she presses "refresh now".
    feeds.put("anna.ics", feed_of({p.clash, p.booked}));
    REQUIRE(post(port, "/api/v1/expert/calendars", R"({"url":")" + feeds.url("/anna.ics") + R"("})", anna.headers())
                .status == 201);
    http_reply refreshed = post(port, "/api/v1/expert/calendars/refresh", "", anna.headers());
    auto imported = std::chrono::system_clock::now();
    INFO(refreshed.body);
    REQUIRE(refreshed.status == 200);
    CHECK(json_at(refreshed.body, "/calendars/0/busy_count") == "2");
    CHECK(json_at(refreshed.body, "/calendars/0/error") == "");
    CHECK(schema_problems("http/api-v1.schema.json", "busy_calendar_list", refreshed.body) == "");

    // The page sees "clash" go within a second of the import.
    auto seen = change_seen(page, "clash", true, 10s);
    REQUIRE(seen);
    CHECK(*seen - imported < 1s);

    // The API says why; free_only leaves it out; booking it (or the waitlist) is refused.
    http_reply clash = http_get(port, "/api/v1/sessions/clash");
    CHECK(json_at(clash.body, "/bookable") == "false");
    CHECK(json_at(clash.body, "/not_bookable_reason") == "expert-busy");
    CHECK(json_at(clash.body, "/busy") == "true");
    CHECK(schema_problems("http/api-v1.schema.json", "public_session", clash.body) == "");
    std::string offered = http_get(port, "/api/v1/sessions?expert=anna&free_only=true").body;
    CHECK(offered.find("\"clash\"") == std::string::npos);
    CHECK(offered.find("\"free\"") != std::string::npos);
    http_reply refused = book(port, "clash", "late@example.org");
    CHECK(refused.status == 409);
    CHECK(json_at(refused.body, "/code") == "expert-busy");
    CHECK(json_at(refused.body, "/field") == "session_id");
    CHECK(schema_problems("http/problem.schema.json", "", refused.body) == "");
    // Nor can a founder move into it.
    http_reply move = post(port, "/api/v1/manage/" + json_at(moving.body, "/manage_token") + "/reschedule",
                                R"({"session_id":"clash"})");
    CHECK(move.status == 409);
    CHECK(json_at(move.body, "/code") == "expert-busy");
    CHECK(json_at(http_get(port, "/api/v1/sessions/clash").body, "/seats_taken") == "0");

    // "booked" stays with its founder: a conflict, and exactly one e-mail to Anna about it.
    http_reply booked = http_get(port, "/api/v1/sessions/booked");
    CHECK(json_at(booked.body, "/status") == "open");
    CHECK(json_at(booked.body, "/busy") == "true");
    CHECK(json_at(booked.body, "/seats_taken") == "1");
    REQUIRE(eventually([&] { return mails_to(smtp, "anna@example.org", "Workshop booked") == 1; }, 20s));
    std::string mail;
    for (const auto& m : smtp.messages())
        if (m.rfind("X-Envelope-To: anna@example.org", 0) == 0 &&
            header_of(m, "Subject").find("Workshop booked") != std::string::npos)
            mail = m;
    auto parts = mime_parts(mail);
    REQUIRE(!parts.empty());
    CHECK_THAT(parts[0].body, Catch::Contains("Workshop booked") && Catch::Contains("/expert"));

    // Another meeting appears elsewhere: the busy times change, "booked" stays busy, no second e-mail.
    feeds.put("anna.ics", feed_of({p.clash, p.booked, p.base + 30 * 3600}));
    REQUIRE(post(port, "/api/v1/expert/calendars/refresh", "", anna.headers()).status == 200);
    REQUIRE(eventually([&] { return redis.cli({"ZCARD", "sp:{hub}:outbox"}) == "0"; }, 20s));
    CHECK(mails_to(smtp, "anna@example.org", "Workshop") == 1);
    CHECK(redis.cli({"HGET", "sp:{hub}:session:free", "busy"}) == "0");

    // The meeting over "clash" is moved away: bookable again, seen live, and booked.
    feeds.put("anna.ics", feed_of({p.booked}));
    REQUIRE(post(port, "/api/v1/expert/calendars/refresh", "", anna.headers()).status == 200);
    auto freed_at = std::chrono::system_clock::now();
    auto freed = change_seen(page, "clash", false, 10s);
    REQUIRE(freed);
    CHECK(*freed - freed_at < 1s);
    CHECK(json_at(http_get(port, "/api/v1/sessions/clash").body, "/bookable") == "true");
    CHECK(book(port, "clash", "late@example.org").status == 201);

    // Removing the calendar frees "booked" too.
    std::string cal = json_at(http_get(port, "/api/v1/expert/calendars", anna.headers(false)).body, "/calendars/0/id");
    REQUIRE(http_request(port, "DELETE", "/api/v1/expert/calendars/" + cal, anna.headers(), "").status == 204);
    CHECK(change_seen(page, "booked", false, 10s));
    CHECK(json_at(http_get(port, "/api/v1/sessions/booked").body, "/busy") == "false");
}
