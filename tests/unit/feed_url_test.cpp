#include "calendar/feed_fetch.hpp"

#include <catch2/catch.hpp>

using namespace sp::calendar;

TEST_CASE("a pasted calendar address: webcal becomes https, only http(s) with a host and no password", "[calendar][feed]")
{
    std::string problem;
    CHECK(feed_url("  webcal://p42-caldav.icloud.com/published/2/MTIz  ", problem) ==
          "https://p42-caldav.icloud.com/published/2/MTIz");
    CHECK(feed_url("https://calendar.google.com/calendar/ical/x%40gmail.com/private-abc/basic.ics", problem) ==
          "https://calendar.google.com/calendar/ical/x%40gmail.com/private-abc/basic.ics");
    CHECK(feed_url("HTTP://cloud.example.org/remote.php/dav/public-calendars/k?export", problem) ==
          "http://cloud.example.org/remote.php/dav/public-calendars/k?export");
    struct bad {
        std::string url, problem;
    };
    for (const auto& b : {bad{"ftp://example.org/cal.ics", "the address must start with https://, http:// or webcal://"},
                          bad{"file:///etc/passwd", "the address must start with https://, http:// or webcal://"},
                          bad{"calendar.google.com/basic.ics", "the address must start with https://, http:// or webcal://"},
                          bad{"https://user:secret@example.org/cal.ics", "the address must not contain a user name or password"},
                          bad{"https:///cal.ics", "the address has no host name"},
                          bad{"https://exa mple.org/cal.ics", "the address must not contain spaces or control characters"},
                          bad{"https://example.org/" + std::string(2000, 'a'), "the address is longer than 2,000 characters"}}) {
        INFO(b.url);
        problem.clear();
        CHECK_FALSE(feed_url(b.url, problem));
        CHECK(problem == b.problem);
    }
}

TEST_CASE("a saved calendar address is shown masked: host and the last four characters", "[calendar][feed]")
{
    CHECK(masked_feed_url("https://calendar.google.com/calendar/ical/x%40gmail.com/private-0123456789abcdef/basic.ics") ==
          "https://calendar.google.com/….ics");
    CHECK(masked_feed_url("https://outlook.office365.com") == "https://outlook.office365.com");
    CHECK(masked_feed_url("https://h.example/ab") == "https://h.example/…");
}

TEST_CASE("addresses a feed may not be fetched from: loopback, private, link-local, shared, multicast", "[calendar][feed]")
{
    for (auto ip : {"127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.178.1",
                    "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::",
                    "fe80::1", "fd00::1", "fc12::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
                    "64:ff9b::a9fe:a9fe", "2001:db8::1", "not an address"}) {
        INFO(ip);
        CHECK_FALSE(public_address(ip));
    }
    for (auto ip : {"142.250.185.78", "172.32.0.1", "100.128.0.1", "9.9.9.9", "2a00:1450:4001:82b::200e",
                    "::ffff:142.250.185.78"}) {
        INFO(ip);
        CHECK(public_address(ip));
    }
}
