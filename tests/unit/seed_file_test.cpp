#include "app/seed_file.hpp"

#include <catch2/catch.hpp>

using sp::app::parse_seed;
using sp::app::seed_error;

namespace {
const auto now = *sp::domain::parse_rfc3339("2026-11-29T08:00:00Z");
std::string event_with_days(const std::string& in_days)
{
    return "[[event]]\nid = \"late\"\ncamp = \"bochum\"\ntitle = \"DST\"\nin_days = " + in_days +
           "\nat = \"02:30\"\nminutes = 95\n";
}
} // namespace

TEST_CASE("a seed file's numbers must be integers: a float is refused by name, never cast", "[seed]")
{
    // 1E19 does not fit an int64: a cast would be undefined (the fuzzer found it).
    CHECK_THROWS_WITH(parse_seed(event_with_days("1E19"), "hub.toml", now),
                      Catch::Contains("in_days") && Catch::Contains("must be an integer"));
    CHECK_THROWS_AS(parse_seed(event_with_days("1.0"), "hub.toml", now), seed_error);
    CHECK_THROWS_WITH(parse_seed(event_with_days("100000"), "hub.toml", now), Catch::Contains("in_days"));
}
