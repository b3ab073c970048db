#include "live/protocol.hpp"
#include "live/recent_reads.hpp"

#include <catch2/catch.hpp>

using sp::live::change;
using resume_cache = sp::live::recent_reads<std::vector<change>>;
using namespace std::chrono_literals;

namespace {
resume_cache::value some(std::initializer_list<const char*> versions)
{
    std::vector<change> out;
    for (const char* v : versions) out.push_back({v, "booking.created", {}});
    return std::make_shared<const std::vector<change>>(std::move(out));
}
const auto t0 = resume_cache::clock::time_point{} + 1h;
} // namespace

TEST_CASE("a resume read is reused only while the log still ends where it ended", "[live][resume]")
{
    resume_cache cache;
    cache.put("5-0", "7-0", some({"6-0", "7-0"}), t0);
    auto hit = cache.find("5-0", "7-0", t0 + 1s);
    REQUIRE(hit);
    CHECK(hit->size() == 2);
    CHECK(hit->back().version == "7-0");
    // A change was appended since: the cached read would miss it.
    CHECK_FALSE(cache.find("5-0", "8-0", t0 + 1s));
    // Another starting point is another read.
    CHECK_FALSE(cache.find("6-0", "7-0", t0 + 1s));
    CHECK(cache.hits() == 1);
}

TEST_CASE("resume reads expire and the cache keeps a bounded number of them", "[live][resume]")
{
    resume_cache cache(2, 5s);
    cache.put("1-0", "9-0", some({"2-0"}), t0);
    CHECK(cache.find("1-0", "9-0", t0 + 4s));
    CHECK_FALSE(cache.find("1-0", "9-0", t0 + 6s));

    cache.put("a", "9-0", some({}), t0 + 10s);
    cache.put("b", "9-0", some({}), t0 + 10s);
    cache.put("c", "9-0", some({}), t0 + 10s);
    CHECK_FALSE(cache.find("a", "9-0", t0 + 10s)); // the oldest went first
    CHECK(cache.find("b", "9-0", t0 + 10s));
    CHECK(cache.find("c", "9-0", t0 + 10s));
}

TEST_CASE("a newer read from the same version replaces the older one", "[live][resume]")
{
    resume_cache cache;
    cache.put("5-0", "7-0", some({"6-0", "7-0"}), t0);
    cache.put("5-0", "8-0", some({"6-0", "7-0", "8-0"}), t0);
    CHECK_FALSE(cache.find("5-0", "7-0", t0));
    auto hit = cache.find("5-0", "8-0", t0);
    REQUIRE(hit);
    CHECK(hit->size() == 3);
}
