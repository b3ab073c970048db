#include "support/test_env.hpp"

#include <catch2/catch.hpp>

using namespace sp::test;
using namespace std::chrono_literals;

TEST_CASE("the server refuses a Redis that persists nothing", "[startup][redis]")
{
    redis_server redis({.append_only = false, .extra_args = {}});
    server_process server({"--redis.url=" + redis.url()}, false);
    auto status = server.wait_exit(15s);
    REQUIRE(status.has_value());
    CHECK(exit_code(*status) == 1);
    CHECK_THAT(server.log(), Catch::Contains("persists nothing") && Catch::Contains("redis.accept_data_loss"));
}

TEST_CASE("an unpersisted Redis is accepted when the config says loss is acceptable", "[startup][redis]")
{
    redis_server redis({.append_only = false, .extra_args = {}});
    server_process server({"--redis.url=" + redis.url(), "--redis.accept_data_loss=true"});
    CHECK(eventually([&] { return http_get(server.port(), "/readyz").status == 200; }, 5s));
    CHECK_THAT(server.log(), Catch::Contains("redis_not_persistent"));
}

TEST_CASE("a Redis that may confirm writes before they are in its AOF is named in a warning", "[startup][redis]")
{
    redis_server everysec; // Redis' default appendfsync
    server_process warned({"--redis.url=" + everysec.url()});
    CHECK(eventually([&] { return http_get(warned.port(), "/readyz").status == 200; }, 5s));
    CHECK_THAT(warned.log(), Catch::Contains("event=redis_aof_not_synced appendfsync=everysec"));

    redis_server always({.append_only = true, .extra_args = {"--appendfsync", "always"}});
    server_process quiet({"--redis.url=" + always.url()});
    CHECK(eventually([&] { return http_get(quiet.port(), "/readyz").status == 200; }, 5s));
    CHECK(quiet.log().find("redis_aof_not_synced") == std::string::npos);
}

TEST_CASE("an invalid option stops start-up with a message naming it", "[startup][config]")
{
    server_process server({"--http.max_body_bytes=-5"}, false);
    auto status = server.wait_exit(10s);
    REQUIRE(status.has_value());
    CHECK(exit_code(*status) == 2);
    CHECK_THAT(server.log(), Catch::Contains("http.max_body_bytes") && Catch::Contains("-5"));
}

TEST_CASE("an unusable redis.url stops start-up with a message naming it", "[startup][config]")
{
    server_process server({"--redis.url=http://localhost:6379"}, false);
    auto status = server.wait_exit(10s);
    REQUIRE(status.has_value());
    CHECK(exit_code(*status) == 1);
    CHECK_THAT(server.log(), Catch::Contains("option redis.url"));
}

TEST_CASE("a configured Redis that is down at start-up: alive, not ready, ready once it answers", "[startup][redis]")
{
    std::uint16_t port = free_port();
    server_process server({"--redis.url=redis://127.0.0.1:" + std::to_string(port)}, false);
    // Start-up waits up to 10 s for Redis, then serves with /readyz at 503.
    REQUIRE(eventually([&] { return status_of(server.port(), "/healthz") == 200; }, 20s));
    CHECK(http_get(server.port(), "/readyz").status == 503);
    CHECK_THAT(server.log(), Catch::Contains("redis_unreachable_at_start"));

    redis_server redis({.append_only = true, .extra_args = {}, .port = port});
    CHECK(eventually([&] { return http_get(server.port(), "/readyz").status == 200; }, 3s));
}
