#include "calendar/ics.hpp"
#include "notify/delivery.hpp"
#include "support/accounts.hpp"
#include "support/sinks.hpp"
#include "support/test_env.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <ctime>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

using namespace sp::test;
using namespace std::chrono_literals;

namespace {

std::string hub_with_talk(int seats = 20)
{
    return bochum_hub_file(event_toml("talk", "anna", "Security Night", seats));
}

std::vector<std::string> mail_flags(const redis_server& redis, const std::string& smtp_url)
{
    return {"--redis.url=" + redis.url(),       "--mail.smtp_url=" + smtp_url, "--mail.poll_ms=100",
            "--mail.retry_base_seconds=1",      "--mail.retry_max_seconds=2",  "--mail.starttls=off",
            "--hub.public_url=http://hub.example.org", "--mail.reminder_minutes="};
}

http_reply book(std::uint16_t port, const std::string& email, const std::string& lang = "de",
                const std::string& session = "talk")
{
    return post(port, "/api/v1/sessions/" + session + "/bookings",
                R"({"name":"Founder )" + email + R"(","email":")" + email + R"(","startup":"S","consent":true,"lang":")" +
                    lang + R"("})");
}

/** Messages whose envelope recipient is `email`. */
std::vector<std::string> to(const smtp_sink& sink, const std::string& email)
{
    std::vector<std::string> out;
    for (auto& m : sink.messages())
        if (m.rfind("X-Envelope-To: " + email + "\r\n", 0) == 0) out.push_back(m);
    return out;
}

std::set<std::string> message_ids(const smtp_sink& sink)
{
    std::set<std::string> ids;
    for (const auto& m : sink.messages()) ids.insert(header_of(m, "Message-ID"));
    return ids;
}

/** DTSTART of the first VEVENT in UTC as Python's icalendar reads it. */
std::string python_dtstart_utc(const std::string& ics)
{
    std::string path = scratch_dir("ics") + "/event.ics";
    std::ofstream(path, std::ios::binary) << ics;
    std::string out_path = path + ".out";
    std::string cmd = "/usr/bin/python3 -c \"import icalendar,sys,datetime; "
                      "c=icalendar.Calendar.from_ical(open(sys.argv[1],'rb').read()); "
                      "e=[x for x in c.walk('VEVENT')][0]; "
                      "print(e.decoded('dtstart').astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'))\" " +
                      path + " > " + out_path + " 2>&1";
    int rc = std::system(cmd.c_str());
    std::ifstream in(out_path);
    std::string line;
    std::getline(in, line);
    return rc == 0 ? line : "python failed: " + line;
}

} // namespace

TEST_CASE("the .ics parses with a second parser, and 14:00 Berlin on 26 October 2026 is 13:00Z", "[mail][ics]")
{
    sp::calendar::ics_event e;
    e.uid = "b1@sprechstunde";
    e.start = *sp::domain::parse_rfc3339("2026-10-26T14:00:00+01:00");
    e.end = e.start + std::chrono::minutes(30);
    e.summary = "Sprechstunde";
    e.stamp = e.start;
    CHECK(python_dtstart_utc(sp::calendar::make_calendar(sp::calendar::ics_method::request, {e})) ==
          "2026-10-26T13:00:00Z");
}

TEST_CASE("a booking sends exactly one confirmation with the manage link and a calendar file", "[mail]")
{
    smtp_sink sink;
    redis_server redis;
    auto flags = mail_flags(redis, sink.url());
    flags.push_back("--hub.seed_file=" + hub_with_talk());
    server_process server(flags);
    REQUIRE(eventually([&] { return status_of(server.port(), "/readyz") == 200; }, 5s));

    http_reply booked = book(server.port(), "jana@example.org", "en");
    REQUIRE(booked.status == 201);
    std::string manage_url = json_at(booked.body, "/manage_url");
    REQUIRE_THAT(manage_url, Catch::StartsWith("http://hub.example.org/b/"));
    CHECK(json_at(booked.body, "/confirmation_mail") == "true"); // the page may say an e-mail is on its way
    REQUIRE(eventually([&] { return !to(sink, "jana@example.org").empty(); }, 5s));
    std::this_thread::sleep_for(1s);
    auto mails = to(sink, "jana@example.org");
    REQUIRE(mails.size() == 1);
    const std::string& m = mails[0];
    CHECK_THAT(header_of(m, "Subject"), Catch::StartsWith("Confirmed: Security Night"));
    CHECK_THAT(header_of(m, "To"), Catch::Contains("<jana@example.org>"));
    auto parts = mime_parts(m);
    REQUIRE(parts.size() == 3);
    CHECK_THAT(parts[0].content_type, Catch::StartsWith("text/plain"));
    CHECK_THAT(parts[0].body, Catch::Contains(manage_url));
    CHECK_THAT(parts[1].content_type, Catch::StartsWith("text/html"));
    CHECK_THAT(parts[1].body, Catch::Contains("href=\"" + manage_url + "\""));
    CHECK_THAT(parts[2].content_type, Catch::Contains("text/calendar") && Catch::Contains("method=REQUEST"));
    std::string booking_id = json_at(booked.body, "/booking/id");
    CHECK_THAT(parts[2].body, Catch::Contains("UID:" + booking_id + "@sprechstunde"));
    CHECK_THAT(parts[2].body, Catch::Contains("DTSTART;TZID=Europe/Berlin:"));
    // The second parser places it where the API says the session starts.
    std::string start = json_at(http_get(server.port(), "/api/v1/sessions/talk").body, "/start");
    std::time_t t = sp::domain::parse_rfc3339(start)->time_since_epoch().count();
    std::tm tm{};
    gmtime_r(&t, &tm);
    char utc[32];
    std::strftime(utc, sizeof utc, "%Y-%m-%dT%H:%M:%SZ", &tm);
    CHECK(python_dtstart_utc(parts[2].body) == utc);

    // The same booking as a download, with revalidation.
    std::string token = json_at(booked.body, "/manage_token");
    http_reply ics = http_get(server.port(), "/api/v1/manage/" + token + "/booking.ics");
    CHECK(ics.status == 200);
    CHECK(ics.header("content-type") == "text/calendar; charset=utf-8");
    CHECK_THAT(ics.body, Catch::Contains("UID:" + booking_id + "@sprechstunde"));
    CHECK(http_get(server.port(), "/api/v1/manage/" + token + "/booking.ics", {{"If-None-Match", ics.header("etag")}})
              .status == 304);

    // Cancelling sends one cancellation whose calendar file cancels the same event, one
    // sequence later; the download says so too.
    REQUIRE(post(server.port(), "/api/v1/manage/" + token + "/cancel", "").status == 200);
    REQUIRE(eventually([&] { return to(sink, "jana@example.org").size() == 2; }, 5s));
    auto cancel_parts = mime_parts(to(sink, "jana@example.org")[1]);
    REQUIRE(cancel_parts.size() == 3);
    CHECK_THAT(cancel_parts[2].content_type, Catch::Contains("method=CANCEL"));
    CHECK_THAT(cancel_parts[2].body, Catch::Contains("STATUS:CANCELLED") && Catch::Contains("SEQUENCE:1"));
    http_reply after = http_get(server.port(), "/api/v1/manage/" + token + "/booking.ics",
                                {{"If-None-Match", ics.header("etag")}});
    CHECK(after.status == 200);
    CHECK_THAT(after.body, Catch::Contains("METHOD:CANCEL"));
}

TEST_CASE("a burst of bookings gets its confirmations at the speed of delivery, not a few per poll", "[mail]")
{
    // Registration opens for a popular event: 120 founders book within a second. Each
    // gets a confirmation within seconds, although the sender polls only every 500 ms
    // and keeps at most four deliveries in flight.
    smtp_sink sink;
    redis_server redis;
    auto flags = mail_flags(redis, sink.url());
    flags.push_back("--hub.seed_file=" + hub_with_talk(150));
    flags.push_back("--mail.poll_ms=500");
    flags.push_back("--mail.sender_threads=2");
    server_process server(flags);
    REQUIRE(eventually([&] { return status_of(server.port(), "/readyz") == 200; }, 5s));

    const int founders = 120;
    std::vector<http_call> calls;
    for (int i = 0; i < founders; ++i) {
        std::string email = "burst" + std::to_string(i) + "@example.org";
        calls.push_back({"POST", "/api/v1/sessions/talk/bookings", {{"Content-Type", "application/json"}},
                         R"({"name":"Founder","email":")" + email + R"(","startup":"S","consent":true})"});
    }
    auto replies = parallel_requests(server.port(), calls);
    int booked = 0;
    for (const auto& r : replies) booked += r.status == 201;
    REQUIRE(booked == founders);
    auto started = std::chrono::steady_clock::now();
    bool all = eventually([&] { return sink.messages().size() >= static_cast<std::size_t>(founders); }, 10s);
    auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    INFO("confirmations after " << took.count() << " ms: " << sink.messages().size());
    REQUIRE(all);
    // Each founder got exactly one.
    std::set<std::string> recipients;
    for (const auto& m : sink.messages()) recipients.insert(m.substr(0, m.find("\r\n")));
    CHECK(recipients.size() == static_cast<std::size_t>(founders));
    // /metrics counts them as sent once settled (the sink has them a moment before).
    CHECK(eventually([&] {
        return http_get(server.port(), "/metrics").body.find("sp_outbox_sent_total " + std::to_string(founders) + "\n") !=
               std::string::npos;
    }, 5s));
}

TEST_CASE("with no mail server and no webhooks, a burst of confirmations is dropped unread and the outbox empties",
          "[mail]")
{
    // A hub run without a mail server (a trial, the benchmark): every confirmation is
    // logged and dropped. More than one claim's worth (128) must all go, not stay due.
    redis_server redis;
    auto flags = mail_flags(redis, "");
    flags.push_back("--hub.seed_file=" + hub_with_talk(400));
    flags.push_back("--mail.poll_ms=500");
    server_process server(flags);
    REQUIRE(eventually([&] { return status_of(server.port(), "/readyz") == 200; }, 5s));

    const int founders = 300;
    std::vector<http_call> calls;
    for (int i = 0; i < founders; ++i) {
        std::string email = "quiet" + std::to_string(i) + "@example.org";
        calls.push_back({"POST", "/api/v1/sessions/talk/bookings", {{"Content-Type", "application/json"}},
                         R"({"name":"Founder","email":")" + email + R"(","startup":"S","consent":true})"});
    }
    int booked = 0;
    for (const auto& r : parallel_requests(server.port(), calls)) booked += r.status == 201;
    REQUIRE(booked == founders);
    REQUIRE(eventually([&] { return redis.cli({"ZCARD", "sp:{hub}:outbox"}) == "0"; }, 20s));
    // Each was dropped once, without being rendered, and logged with its batch: the lines
    // add up to the bookings (Redis counts what it removed, so nothing twice), and a
    // burst is not one line per message. The line for the last batch is written just
    // after Redis removed it: wait for it as an operator tailing the log would.
    long logged = 0;
    int lines = 0;
    auto count_log = [&] {
        logged = 0;
        lines = 0;
        std::istringstream log(server.log());
        for (std::string line; std::getline(log, line);) {
            if (line.find("event=mail_not_configured") == std::string::npos) continue;
            ++lines;
            auto at = line.find("dropped=");
            REQUIRE(at != std::string::npos);
            logged += std::stol(line.substr(at + 8));
            CHECK_THAT(line, Catch::Contains("templates=\"mail:confirmation="));
        }
        return logged >= founders;
    };
    CHECK(eventually(count_log, 5s));
    CHECK(logged == founders);
    CHECK(lines >= 3); // at most 128 per claim
    CHECK(lines < founders / 4);
    // Operators see the same on /metrics, and an empty outbox once the sender has
    // counted it again (every 5 s: a scrape never waits for Redis).
    std::string metrics;
    CHECK(eventually([&] {
        metrics = http_get(server.port(), "/metrics").body;
        return metrics.find("sp_outbox_waiting 0\n") != std::string::npos;
    }, 15s));
    CHECK_THAT(metrics, Catch::Contains("sp_outbox_dropped_total " + std::to_string(founders) + "\n"));
    CHECK_THAT(metrics, Catch::Contains("sp_outbox_sent_total 0\n"));
    CHECK_THAT(metrics, Catch::Contains("sp_outbox_dead_letters 0\n"));
    CHECK(status_of(server.port(), "/readyz") == 200);
}

TEST_CASE("with the mail server down for 30 s, the message arrives once after a retry and the server keeps serving",
          "[mail][faults]")
{
    smtp_sink sink;
    sink.stop();
    redis_server redis;
    auto flags = mail_flags(redis, sink.url());
    flags.push_back("--hub.seed_file=" + hub_with_talk());
    flags.push_back("--mail.max_attempts=100"); // retries every 1-2 s here: 30 s is ~20 attempts
    server_process server(flags);
    REQUIRE(eventually([&] { return status_of(server.port(), "/readyz") == 200; }, 5s));
    REQUIRE(book(server.port(), "first@example.org").status == 201);

    auto outage_end = std::chrono::steady_clock::now() + 30s;
    double worst_ms = 0;
    bool booked_second = false;
    while (std::chrono::steady_clock::now() < outage_end) {
        auto t0 = std::chrono::steady_clock::now();
        CHECK(status_of(server.port(), "/healthz") == 200);
        worst_ms = std::max(worst_ms, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        if (!booked_second) booked_second = book(server.port(), "second@example.org").status == 201;
        std::this_thread::sleep_for(250ms);
    }
    CHECK(booked_second);
    CHECK(worst_ms < 500); // never blocked by the dead mail server
    sink.start();
    CHECK(eventually([&] { return sink.messages().size() == 2; }, 10s));
    std::this_thread::sleep_for(3s);
    CHECK(sink.messages().size() == 2);
    CHECK(to(sink, "first@example.org").size() == 1);
    CHECK(message_ids(sink).size() == 2);
}

TEST_CASE("messages queued when the server is killed are each sent exactly once after the restart", "[mail][faults]")
{
    smtp_sink sink;
    sink.stop();
    redis_server redis;
    auto flags = mail_flags(redis, sink.url());
    flags.push_back("--hub.seed_file=" + hub_with_talk());
    {
        server_process server(flags);
        REQUIRE(eventually([&] { return status_of(server.port(), "/readyz") == 200; }, 5s));
        for (std::string who : {"a", "b", "c"}) REQUIRE(book(server.port(), who + "@example.org").status == 201);
        std::this_thread::sleep_for(1500ms); // each has failed at least once
        ::kill(server.pid(), SIGKILL);
        server.wait_exit(5s);
    }
    CHECK(redis.cli({"ZCARD", "sp:{hub}:outbox"}) == "3");
    sink.start();
    server_process again(flags);
    CHECK(eventually([&] { return sink.messages().size() == 3; }, 15s));
    std::this_thread::sleep_for(3s);
    CHECK(sink.messages().size() == 3);
    CHECK(message_ids(sink).size() == 3);
    CHECK(redis.cli({"ZCARD", "sp:{hub}:outbox"}) == "0");
}

TEST_CASE("two instances on one Redis send each message once", "[mail][tsan]")
{
    smtp_sink sink;
    redis_server redis;
    auto flags = mail_flags(redis, sink.url());
    flags.push_back("--hub.seed_file=" + hub_with_talk(40));
    server_process one(flags);
    server_process two(flags);
    for (auto* s : {&one, &two}) REQUIRE(eventually([&] { return status_of(s->port(), "/readyz") == 200; }, 5s));
    for (int i = 0; i < 20; ++i)
        REQUIRE(book(i % 2 ? one.port() : two.port(), "f" + std::to_string(i) + "@example.org").status == 201);
    CHECK(eventually([&] { return sink.messages().size() >= 20; }, 15s));
    std::this_thread::sleep_for(3s);
    CHECK(sink.messages().size() == 20);
    CHECK(message_ids(sink).size() == 20);
}

TEST_CASE("a reminder goes to confirmed founders only: a booking cancelled before it was due gets none",
          "[mail][reminders]")
{
    smtp_sink sink;
    redis_server redis;
    auto flags = mail_flags(redis, sink.url());
    flags.back() = "--mail.reminder_minutes=1";
    flags.push_back("--hub.seed_file=" + bochum_hub_file());
    flags.push_back("--booking.min_notice_minutes=0");
    server_process server(flags);
    browser admin = first_admin(redis, server);
    // An event 75 s from now: its one-minute reminder is due in about 15 s.
    std::time_t start = std::time(nullptr) + 75;
    char buf[32], end_buf[32];
    std::tm tm{};
    gmtime_r(&start, &tm);
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    std::time_t end = start + 1800;
    gmtime_r(&end, &tm);
    std::strftime(end_buf, sizeof end_buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    REQUIRE(http_request(server.port(), "PUT", "/api/v1/admin/events/soon", admin.headers(),
                         std::string(R"({"camp_id":"bochum","title":"Quick Demo","topic":"Demo","start":")") + buf +
                             R"(","end":")" + end_buf + R"(","seats":5})")
                .status == 201);
    http_reply stays = book(server.port(), "stays@example.org", "en", "soon");
    http_reply leaves = book(server.port(), "leaves@example.org", "en", "soon");
    REQUIRE(stays.status == 201);
    REQUIRE(leaves.status == 201);
    REQUIRE(post(server.port(), "/api/v1/manage/" + json_at(leaves.body, "/manage_token") + "/cancel", "").status == 200);

    auto reminders_to = [&](const std::string& email) {
        int n = 0;
        for (const auto& m : to(sink, email)) n += header_of(m, "Subject").rfind("Reminder: Quick Demo", 0) == 0;
        return n;
    };
    CHECK(eventually([&] { return reminders_to("stays@example.org") == 1; }, 40s));
    std::this_thread::sleep_for(6s); // one more sweep
    CHECK(reminders_to("stays@example.org") == 1);
    CHECK(reminders_to("leaves@example.org") == 0);
}

TEST_CASE("a message that keeps failing ends in the dead letters admins see", "[mail][faults]")
{
    smtp_sink sink;
    sink.stop();
    redis_server redis;
    auto flags = mail_flags(redis, sink.url());
    flags.push_back("--mail.max_attempts=2");
    flags.push_back("--hub.seed_file=" + hub_with_talk());
    server_process server(flags);
    browser admin = first_admin(redis, server);
    REQUIRE(book(server.port(), "nobody-home@example.org").status == 201);
    // The confirmation fails for good. (The admin's own invitation, made by first_admin,
    // may die too, or be dropped because it was accepted before its first attempt.)
    http_reply outbox;
    CHECK(eventually(
        [&] {
            outbox = http_get(server.port(), "/api/v1/admin/outbox", admin.headers(false));
            return outbox.body.find(R"("template":"confirmation")") != std::string::npos &&
                   json_at(outbox.body, "/waiting") == "0";
        },
        20s));
    CHECK_THAT(outbox.body, Catch::Contains(R"("kind":"mail","template":"confirmation")"));
    CHECK(json_at(outbox.body, "/dead_letters/0/attempts") == "2"); // every dead letter had both tries
    CHECK_THAT(json_at(outbox.body, "/dead_letters/0/reason"), !Catch::Equals(""));
    CHECK(http_get(server.port(), "/api/v1/admin/outbox").status == 401);
}

TEST_CASE("webhooks are signed: the signature verifies, and a tampered body does not", "[mail][webhook]")
{
    webhook_sink hooks;
    redis_server redis;
    const std::string secret = "correct horse battery staple";
    auto flags = mail_flags(redis, "");
    flags.push_back("--webhook.url=" + hooks.url());
    flags.push_back("--webhook.secret=" + secret);
    flags.push_back("--hub.seed_file=" + hub_with_talk());
    server_process server(flags);
    REQUIRE(eventually([&] { return status_of(server.port(), "/readyz") == 200; }, 5s));
    http_reply booked = book(server.port(), "hook@example.org");
    REQUIRE(booked.status == 201);
    REQUIRE(eventually([&] { return hooks.bodies().size() == 1; }, 5s));
    std::string body = hooks.bodies()[0];
    std::string signature = hooks.signatures()[0];
    CHECK(json_at(body, "/event") == "booking.created");
    CHECK(json_at(body, "/booking/id") == json_at(booked.body, "/booking/id"));
    CHECK(body.find("hook@example.org") == std::string::npos); // no personal data leaves
    CHECK(sp::notify::webhook_signature_valid(secret, signature, body));
    std::string tampered = body;
    tampered[tampered.find("booking.created")] = 'B';
    CHECK_FALSE(sp::notify::webhook_signature_valid(secret, signature, tampered));
    CHECK_FALSE(sp::notify::webhook_signature_valid("another secret", signature, body));
    // The timestamp is part of what is signed: it cannot be swapped either.
    std::string other_time = "t=1" + signature.substr(signature.find(','));
    CHECK_FALSE(sp::notify::webhook_signature_valid(secret, other_time, body));
}

TEST_CASE("calendar feeds: the expert's with founders, the camp's without, the founder's own, and new links revoke old ones",
          "[calendar][feeds]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + hub_with_talk(),
                           "--hub.public_url=https://hub.example.org"});
    auto port = server.port();
    browser admin = first_admin(redis, server);
    browser anna = invited_expert(server, admin, "anna@example.org", "anna");
    http_reply booked = book(port, "feed.founder@example.org");
    REQUIRE(booked.status == 201);
    std::string token = json_at(booked.body, "/manage_token");
    auto path_of = [](const std::string& url) { return url.substr(url.find("/feeds/")); };

    // The expert's feed: her sessions, with who is coming.
    http_reply expert_feed = post(port, "/api/v1/expert/feed", "", anna.headers());
    REQUIRE(expert_feed.status == 201);
    CHECK(json_at(expert_feed.body, "/replaced") == "false"); // her first link
    CHECK_THAT(json_at(expert_feed.body, "/webcal"), Catch::StartsWith("webcal://hub.example.org/feeds/"));
    http_reply ef = http_get(port, path_of(json_at(expert_feed.body, "/url")));
    CHECK(ef.status == 200);
    CHECK(ef.header("content-type") == "text/calendar; charset=utf-8");
    CHECK_THAT(ef.body, Catch::Contains("UID:talk@sprechstunde") && Catch::Contains("Founder feed.founder@example.org"));
    CHECK(http_get(port, path_of(json_at(expert_feed.body, "/url")), {{"If-None-Match", ef.header("etag")}}).status == 304);

    // The camp's public feed never names a founder.
    http_reply camp_feed = post(port, "/api/v1/admin/camps/bochum/feed", "", admin.headers());
    REQUIRE(camp_feed.status == 201);
    http_reply cf = http_get(port, path_of(json_at(camp_feed.body, "/url")));
    CHECK_THAT(cf.body, Catch::Contains("SUMMARY:Security Night") && Catch::Contains("19 / 20 Pl"));
    CHECK(cf.body.find("feed.founder") == std::string::npos);
    CHECK(post(port, "/api/v1/admin/camps/bochum/feed", "", anna.headers()).status == 403);

    // The founder's feed, from the manage link.
    http_reply founder_feed = post(port, "/api/v1/manage/" + token + "/feed", "");
    REQUIRE(founder_feed.status == 201);
    http_reply ff = http_get(port, path_of(json_at(founder_feed.body, "/url")));
    CHECK_THAT(ff.body, Catch::Contains("UID:" + json_at(booked.body, "/booking/id") + "@sprechstunde"));

    // A new link revokes the old one; revoking leaves none.
    http_reply again = post(port, "/api/v1/expert/feed", "", anna.headers());
    CHECK(json_at(again.body, "/replaced") == "true"); // the page can say the old one stopped working
    CHECK(http_get(port, path_of(json_at(expert_feed.body, "/url"))).status == 404);
    CHECK(http_get(port, path_of(json_at(again.body, "/url"))).status == 200);
    CHECK(http_request(port, "DELETE", "/api/v1/expert/feed", anna.headers(), "").status == 204);
    CHECK(http_get(port, path_of(json_at(again.body, "/url"))).status == 404);
    CHECK(http_get(port, "/feeds/not-a-token.ics").status == 404);
    CHECK(json_at(post(port, "/api/v1/expert/feed", "", anna.headers()).body, "/replaced") == "false"); // none after the revoke

    // Erasing the founder takes their feed with it.
    REQUIRE(post(port, "/api/v1/manage/" + token + "/erase", R"({"confirm":true})").status == 200);
    CHECK(http_get(port, path_of(json_at(founder_feed.body, "/url"))).status == 404);
    CHECK(redis_keys_with(redis, sha256_hex("feed.founder@example.org")) == "");
}
