// Fetching an expert's calendar from a calendar server that behaves, and from ones that
// do not: every failure is a sentence for the expert, and none of them names the
// (secret) address.
#include "calendar/feed_fetch.hpp"
#include "support/sinks.hpp"
#include "support/test_env.hpp"

#include <catch2/catch.hpp>

using namespace sp::test;
using namespace sp::calendar;
using namespace std::chrono_literals;

namespace {

const std::string k_calendar = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:a\r\n"
                               "DTSTART:20270301T090000Z\r\nDTEND:20270301T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

fetch_settings loopback_allowed()
{
    fetch_settings s;
    s.allow_private_addresses = true;
    return s;
}

} // namespace

TEST_CASE("a calendar is fetched once and then answered 304 while unchanged", "[calendar][fetch]")
{
    feed_server server;
    server.put("private-4f2a.ics", k_calendar);
    auto first = fetch_feed(server.url("/private-4f2a.ics"), {}, loopback_allowed());
    REQUIRE(first.what == fetch_result::outcome::fetched);
    CHECK(first.body == k_calendar);
    CHECK_FALSE(first.validators.etag.empty());
    CHECK(first.validators.last_modified == "Wed, 03 Mar 2027 10:00:00 GMT");

    auto again = fetch_feed(server.url("/private-4f2a.ics"), first.validators, loopback_allowed());
    CHECK(again.what == fetch_result::outcome::not_modified);
    CHECK(again.body.empty());
    CHECK(server.requests().back() == "/private-4f2a.ics " + first.validators.etag);

    server.put("private-4f2a.ics", k_calendar + "\r\n");
    auto changed = fetch_feed(server.url("/private-4f2a.ics"), first.validators, loopback_allowed());
    CHECK(changed.what == fetch_result::outcome::fetched);
    CHECK(changed.validators.etag != first.validators.etag);

    auto compressed = fetch_feed(server.url("/gzip/private-4f2a.ics"), {}, loopback_allowed());
    CHECK(compressed.what == fetch_result::outcome::fetched);
    CHECK(compressed.body == k_calendar + "\r\n");
}

TEST_CASE("a calendar server that fails is reported in plain words, without the address", "[calendar][fetch]")
{
    feed_server server;
    fetch_settings quick = loopback_allowed();
    quick.timeout = 2s;
    struct expectation {
        std::string path, error, code; // the code is what the expert's page translates
    };
    for (const auto& e :
         {expectation{"/status/500", "the calendar server had a problem (500); it will be tried again", "server-error"},
          expectation{"/status/404", "the calendar server does not know this address (404): it may have been reset",
                      "unknown-address"},
          expectation{"/status/401", "the calendar server refused access (401): is the address still the private one?",
                      "access-refused"},
          expectation{"/status/302", "the calendar server answered 302 instead of the calendar", "http-status"},
          expectation{"/big", "the calendar is larger than 5 MiB", "too-large"},
          expectation{"/big-chunked", "the calendar is larger than 5 MiB", "too-large"},
          expectation{"/redirect?to=ftp://127.0.0.1/x.ics",
                      "the calendar server redirected to an address that is not http or https", "bad-redirect"},
          expectation{"/slow", "the calendar server did not answer within 2 seconds", "timeout"}}) {
        INFO(e.path);
        auto started = std::chrono::steady_clock::now();
        auto r = fetch_feed(server.url(e.path), {}, quick);
        CHECK(r.what == fetch_result::outcome::failed);
        CHECK(r.error == e.error);
        CHECK(code(r.problem) == e.code);
        CHECK(r.body.empty());
        CHECK(r.error.find("127.0.0.1") == std::string::npos);
        CHECK(std::chrono::steady_clock::now() - started < 10s); // the timeout bounds every case
    }
    std::uint16_t closed = free_port();
    auto refused = fetch_feed("http://127.0.0.1:" + std::to_string(closed) + "/secret.ics", {}, quick);
    CHECK(refused.error == "could not connect to the calendar server");
    CHECK(refused.problem == feed_problem::no_connection);
}

TEST_CASE("by default a calendar address on loopback or a private network is refused before connecting",
          "[calendar][fetch][security]")
{
    feed_server server;
    server.put("cal.ics", k_calendar);
    auto before = server.requests().size();
    for (const std::string& url : {server.url("/cal.ics"),
                                   "http://localhost:" + std::to_string(server.port()) + "/cal.ics",
                                   "http://[::1]:" + std::to_string(server.port()) + "/cal.ics",
                                   std::string("http://169.254.169.254/latest/meta-data/")}) {
        INFO(url);
        fetch_settings strict;
        strict.timeout = 3s;
        auto r = fetch_feed(url, {}, strict);
        CHECK(r.what == fetch_result::outcome::failed);
        CHECK(r.error == "the address points into a private network, which this hub does not fetch calendars from");
        CHECK(r.problem == feed_problem::private_network);
    }
    CHECK(server.requests().size() == before); // nothing reached the server
}
