#include "util/backoff_policy.hpp"

#include <catch2/catch.hpp>
#include <set>

using sp::util::backoff_policy;
using ms = std::chrono::milliseconds;

TEST_CASE("reconnect delays double from the initial delay up to the cap", "[backoff]")
{
    backoff_policy p(ms(50), ms(1000), 42);
    std::vector<long> ceilings;
    for (int i = 0; i < 8; ++i) {
        ceilings.push_back(p.current_ceiling().count());
        p.next();
    }
    CHECK(ceilings == std::vector<long>{50, 100, 200, 400, 800, 1000, 1000, 1000});
}

TEST_CASE("every delay lies between half the ceiling and the ceiling", "[backoff]")
{
    backoff_policy p(ms(100), ms(5000), 7);
    for (int i = 0; i < 200; ++i) {
        auto ceiling = p.current_ceiling();
        auto d = p.next();
        REQUIRE(d >= ceiling / 2);
        REQUIRE(d <= ceiling);
    }
}

TEST_CASE("jitter spreads the delays of a fleet reconnecting at once", "[backoff]")
{
    std::set<long> seen;
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
        backoff_policy p(ms(1000), ms(1000), seed);
        seen.insert(p.next().count());
    }
    CHECK(seen.size() > 10);
}

TEST_CASE("a successful connect resets the delay to the initial one", "[backoff]")
{
    backoff_policy p(ms(10), ms(10'000), 1);
    for (int i = 0; i < 30; ++i) p.next(); // far past the point where doubling would overflow
    CHECK(p.current_ceiling() == ms(10'000));
    p.reset();
    CHECK(p.current_ceiling() == ms(10));
    CHECK(p.next() <= ms(10));
}

TEST_CASE("a cap below the initial delay is raised to it", "[backoff]")
{
    backoff_policy p(ms(500), ms(100), 1);
    CHECK(p.current_ceiling() == ms(500));
    p.next();
    CHECK(p.current_ceiling() == ms(500));
}
