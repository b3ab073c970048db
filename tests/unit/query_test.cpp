// The query string of a request, as every API filter reads it (?camp=&topic=&date=…).
#include "http/query.hpp"

#include <catch2/catch.hpp>

using sp::http::parse_query;

TEST_CASE("a query string is decoded as a browser sends it: escapes, '+' as space, the last of a name twice",
          "[query]")
{
    auto q = parse_query("/api/v1/sessions?topic=Gesundheits%C3%B6konomie&name=Anna+Schmidt&x=1&x=2#frag");
    REQUIRE(q);
    CHECK(q->at("topic") == "Gesundheitsökonomie");
    CHECK(q->at("name") == "Anna Schmidt");
    CHECK(q->at("x") == "2");
    CHECK(q->size() == 3);

    auto flags = parse_query("/api/v1/sessions?free_only&&camp=");
    REQUIRE(flags);
    CHECK(flags->at("free_only").empty());
    CHECK(flags->at("camp").empty());
    CHECK(flags->size() == 2); // the empty pair between "&&" is no parameter

    auto none = parse_query("/api/v1/sessions");
    REQUIRE(none);
    CHECK(none->empty());
}

TEST_CASE("a malformed query string is refused as a whole", "[query]")
{
    CHECK_FALSE(parse_query("/s?camp=%zz"));
    CHECK_FALSE(parse_query("/s?camp=bochum%"));
    CHECK_FALSE(parse_query("/s?camp=bochum%4"));
    CHECK_FALSE(parse_query("/s?camp=\"x\""));
    CHECK_FALSE(parse_query(std::string_view("/s?camp=a\0b", 11)));
}

TEST_CASE("the query is read only up to the end of the target it was given", "[query]")
{
    // The target is often a view into a larger buffer (the request line): nothing beyond it
    // may be read (Boost 1.81's parse_query would measure a bare pointer with strlen).
    std::string buffer = "/s?camp=bochum HTTP/1.1\r\nHost: x";
    std::string_view target(buffer.data(), buffer.find(' '));
    auto q = parse_query(target);
    REQUIRE(q);
    CHECK(q->at("camp") == "bochum");
}
