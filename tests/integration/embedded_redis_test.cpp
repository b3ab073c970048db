#include "support/test_env.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>

using namespace sp::test;
using namespace std::chrono_literals;

namespace {
pid_t read_pid(const std::string& file)
{
    std::ifstream in(file);
    pid_t pid = 0;
    in >> pid;
    return pid;
}
} // namespace

TEST_CASE("embedded mode starts its own redis-server and leaves no process behind", "[embedded]")
{
    std::string dir = scratch_dir("embedded") + "/redis";
    pid_t redis_pid = 0;
    {
        server_process server({"--redis.embedded_dir=" + dir});
        REQUIRE(eventually([&] { return status_of(server.port(), "/readyz") == 200; }, 5s));
        redis_pid = read_pid(dir + "/redis.pid");
        REQUIRE(redis_pid > 0);
        CHECK(process_alive(redis_pid));
        // It listens on its unix socket only, with AOF on.
        CHECK(redis_cli_unix(dir + "/redis.sock", {"CONFIG", "GET", "port"}) == "port 0");
        CHECK(redis_cli_unix(dir + "/redis.sock", {"CONFIG", "GET", "appendonly"}) == "appendonly yes");
        CHECK(redis_cli_unix(dir + "/redis.sock", {"CONFIG", "GET", "appendfsync"}) == "appendfsync always");
        CHECK(server.log().find("event=redis_aof_not_synced") == std::string::npos);
        CHECK(redis_cli_unix(dir + "/redis.sock", {"CONFIG", "GET", "unixsocketperm"}) == "unixsocketperm 700");
        CHECK(redis_cli_unix(dir + "/redis.sock", {"PING"}) == "PONG");

        auto status = server.terminate(10s);
        REQUIRE(status.has_value());
        CHECK(exit_code(*status) == 0);
    }
    CHECK(eventually([&] { return !process_alive(redis_pid); }, 2s));
}

TEST_CASE("the embedded Redis keeps the hub's data across server restarts", "[embedded]")
{
    std::string dir = scratch_dir("embedded") + "/redis";
    std::string created;
    {
        server_process server({"--redis.embedded_dir=" + dir});
        REQUIRE(eventually([&] { return status_of(server.port(), "/readyz") == 200; }, 5s));
        created = redis_cli_unix(dir + "/redis.sock", {"HGET", "sp:{hub}:meta", "created_at"});
        REQUIRE(created.size() >= 10);
        server.terminate(10s);
    }
    server_process again({"--redis.embedded_dir=" + dir});
    REQUIRE(eventually([&] { return status_of(again.port(), "/readyz") == 200; }, 5s));
    CHECK(redis_cli_unix(dir + "/redis.sock", {"HGET", "sp:{hub}:meta", "created_at"}) == created);
}

TEST_CASE("a server killed with SIGKILL takes its embedded Redis with it", "[embedded]")
{
    std::string dir = scratch_dir("embedded") + "/redis";
    server_process server({"--redis.embedded_dir=" + dir});
    pid_t redis_pid = read_pid(dir + "/redis.pid");
    REQUIRE(redis_pid > 0);
    ::kill(server.pid(), SIGKILL);
    CHECK(eventually([&] { return !process_alive(redis_pid); }, 5s));
}

TEST_CASE("an embedded Redis that dies is restarted and the server becomes ready again", "[embedded]")
{
    std::string dir = scratch_dir("embedded") + "/redis";
    server_process server({"--redis.embedded_dir=" + dir});
    REQUIRE(eventually([&] { return status_of(server.port(), "/readyz") == 200; }, 5s));
    pid_t first = read_pid(dir + "/redis.pid");
    ::kill(first, SIGKILL);
    CHECK(eventually([&] { return status_of(server.port(), "/readyz") == 503; }, 2s));
    CHECK(eventually([&] { return status_of(server.port(), "/readyz") == 200; }, 5s));
    pid_t second = read_pid(dir + "/redis.pid");
    CHECK(second != first);
    CHECK(process_alive(second));
    CHECK_THAT(server.log(), Catch::Contains("event=embedded_redis_restarted"));
}
