#include "support/test_env.hpp"

#include <catch2/catch.hpp>

using namespace sp::test;
using namespace std::chrono_literals;

TEST_CASE("/readyz turns 503 within 2 s when Redis stops and 200 within 2 s after it returns", "[readiness]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url()});
    REQUIRE(eventually([&] { return status_of(server.port(), "/readyz") == 200; }, 5s));

    redis.stop();
    auto stopped = std::chrono::steady_clock::now();
    REQUIRE(eventually([&] { return status_of(server.port(), "/readyz") == 503; }, 2s));
    http_reply r = http_get(server.port(), "/readyz");
    CHECK_THAT(r.body, Catch::Contains("\"status\":\"unavailable\"") && Catch::Contains("redis"));
    CHECK(r.header("retry-after") == "1");
    CHECK(std::chrono::steady_clock::now() - stopped < 2s);

    // Health and static files do not depend on Redis.
    CHECK(http_get(server.port(), "/healthz").status == 200);
    CHECK(http_get(server.port(), "/").status == 200);

    redis.start();
    auto back = std::chrono::steady_clock::now();
    CHECK(eventually([&] { return status_of(server.port(), "/readyz") == 200; }, 2s));
    CHECK(std::chrono::steady_clock::now() - back < 2s);
}

TEST_CASE("a stalled Redis (SIGSTOP) makes /readyz 503 within 2 s, and it recovers by itself", "[readiness]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url()});
    REQUIRE(eventually([&] { return status_of(server.port(), "/readyz") == 200; }, 5s));

    redis.pause();
    CHECK(eventually([&] { return status_of(server.port(), "/readyz") == 503; }, 2s));
    CHECK(http_get(server.port(), "/healthz").status == 200);
    redis.resume();
    CHECK(eventually([&] { return status_of(server.port(), "/readyz") == 200; }, 3s));
}

TEST_CASE("/metrics reports Redis readiness and HTTP counters in Prometheus format", "[readiness][metrics]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url()});
    REQUIRE(eventually([&] { return status_of(server.port(), "/readyz") == 200; }, 5s));
    http_get(server.port(), "/no-such-file");
    http_reply m = http_get(server.port(), "/metrics");
    CHECK(m.status == 200);
    CHECK_THAT(m.header("content-type"), Catch::StartsWith("text/plain"));
    CHECK_THAT(m.body, Catch::Contains("sp_redis_ready 1"));
    CHECK_THAT(m.body, Catch::Contains("# TYPE sp_http_responses_total counter"));
    CHECK_THAT(m.body, Catch::Contains("sp_http_responses_total{code=\"4xx\"} 1"));
}
