#include "http/origin_policy.hpp"

#include <catch2/catch.hpp>

using namespace sp::http;

TEST_CASE("origins: the allow-list and the server's own origin may open live connections", "[live][security]")
{
    auto allowed = split_origins("https://hub.example.org, http://localhost:8080");
    REQUIRE(allowed.size() == 2);
    CHECK(origin_allowed("https://hub.example.org", "x", allowed));
    CHECK(origin_allowed("HTTPS://HUB.EXAMPLE.ORG", "x", allowed));
    CHECK(origin_allowed("http://127.0.0.1:9000", "127.0.0.1:9000", allowed)); // same origin
    CHECK(origin_allowed("", "127.0.0.1:9000", allowed));                      // not a browser
    CHECK_FALSE(origin_allowed("https://evil.example", "127.0.0.1:9000", allowed));
    CHECK_FALSE(origin_allowed("https://hub.example.org.evil.example", "x", allowed));
    CHECK_FALSE(origin_allowed("null", "x", allowed));
}
