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
    CHECK(r.header("content-type") == "application/json");
    CHECK(json_at(r.body, "/status") == "unavailable");
    CHECK_THAT(json_at(r.body, "/reason"), Catch::StartsWith("redis"));
    CHECK(r.header("retry-after") == "1");
    CHECK(std::chrono::steady_clock::now() - stopped < 2s);

    // Health and static files do not depend on Redis.
    CHECK(http_get(server.port(), "/healthz").status == 200);
    CHECK(http_get(server.port(), "/").status == 200);

    redis.start();
    auto back = std::chrono::steady_clock::now();
    CHECK(eventually([&] { return status_of(server.port(), "/readyz") == 200; }, 2s));
    CHECK(std::chrono::steady_clock::now() - back < 2s);
    CHECK(json_at(http_get(server.port(), "/readyz").body, "/status") == "ready");
}

TEST_CASE("/readyz is 503 with the reason while the scripts cannot be loaded, 200 once they can", "[readiness]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url()});
    REQUIRE(eventually([&] { return status_of(server.port(), "/readyz") == 200; }, 5s));

    // Reachable, answering PING, but SCRIPT LOAD is refused after the next reconnect.
    REQUIRE(redis.cli({"ACL", "SETUSER", "default", "-script"}) == "OK");
    redis.cli({"CLIENT", "KILL", "TYPE", "normal"});
    std::string reason;
    CHECK(eventually([&] {
        http_reply r = http_get(server.port(), "/readyz");
        reason = json_at(r.body, "/reason");
        return r.status == 503 && reason.find("failed to load") != std::string::npos;
    }, 3s));
    CHECK_THAT(reason, Catch::Contains("script") && Catch::Contains("NOPERM"));
    CHECK(http_get(server.port(), "/healthz").status == 200);

    REQUIRE(redis.cli({"ACL", "SETUSER", "default", "+script"}) == "OK");
    redis.cli({"CLIENT", "KILL", "TYPE", "normal"});
    CHECK(eventually([&] { return status_of(server.port(), "/readyz") == 200; }, 3s));
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

TEST_CASE("the management listener serves health checks and metrics on its own port, and nothing else", "[ready][management]")
{
    redis_server redis;
    std::uint16_t management = free_port();
    server_process server({"--redis.url=" + redis.url(), "--http.management_port=" + std::to_string(management)});
    REQUIRE(eventually([&] { return http_get(management, "/healthz").status == 200; }, 5s));
    CHECK(http_get(management, "/readyz").status == 200);
    http_reply m = http_get(management, "/metrics");
    CHECK(m.status == 200);
    // It reports the public listener's state, not its own.
    CHECK(metric(management, "sp_live_sockets") == 0);
    CHECK(metric(management, "sp_http_connections_open") >= 0);
    CHECK(http_get(management, "/").status == 404);
    CHECK(http_get(management, "/api/v1/camps").status == 404);
    CHECK(http_get(server.port(), "/api/v1/camps").status == 200);
    // /readyz there follows Redis like the public one.
    redis.stop();
    CHECK(eventually([&] { return http_get(management, "/readyz").status == 503; }, 3s));
    // A graceful stop closes it too.
    CHECK(server.terminate() == std::optional<int>(0));
    CHECK_THROWS(raw_exchange(management, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
}

TEST_CASE("a port in use stops start-up with a message naming the option, public or management", "[ready][management]")
{
    redis_server redis;
    // Two io lanes each: their listening sockets share the port (SO_REUSEPORT), which must
    // not let a second server join the first one's port.
    server_process holder({"--redis.url=" + redis.url(), "--server.threads=2"});
    server_process public_clash({"--redis.url=" + redis.url(), "--server.threads=2",
                                 "--http.port=" + std::to_string(holder.port())},
                                false);
    auto public_status = public_clash.wait_exit(10s);
    REQUIRE(public_status);
    CHECK(exit_code(*public_status) == 1);
    CHECK_THAT(public_clash.log(), Catch::Contains("http.port") && Catch::Contains("in use"));
    server_process management_clash(
        {"--redis.url=" + redis.url(), "--http.management_port=" + std::to_string(holder.port())}, false);
    auto management_status = management_clash.wait_exit(10s);
    REQUIRE(management_status);
    CHECK(exit_code(*management_status) == 1);
    CHECK_THAT(management_clash.log(), Catch::Contains("http.management_port") && Catch::Contains("in use"));
    CHECK(http_get(holder.port(), "/healthz").status == 200);
}
