#include "support/test_env.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

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

/** The parent of `pid`, from /proc/<pid>/stat (0 if unknown). */
pid_t parent_of(pid_t pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto close = stat.rfind(')'); // the command name may contain spaces
    if (close == std::string::npos) return 0;
    std::istringstream rest(stat.substr(close + 2));
    char state = 0;
    pid_t ppid = 0;
    rest >> state >> ppid;
    return ppid;
}

/** Every process working in `dir` (its current directory): redis-server chdirs to its
 *  --dir, so this finds an embedded Redis whatever its pid file says. */
std::vector<pid_t> processes_in(const std::string& dir)
{
    std::error_code ec;
    auto wanted = std::filesystem::weakly_canonical(dir, ec);
    std::vector<pid_t> found;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        auto cwd = std::filesystem::read_symlink(entry.path() / "cwd", ec);
        if (!ec && cwd == wanted) found.push_back(static_cast<pid_t>(std::stol(name)));
    }
    return found;
}

std::string read_file(const std::string& path)
{
    std::ifstream in(path);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
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
        // Its own child, and the only process working on this data folder.
        CHECK(parent_of(redis_pid) == server.pid());
        CHECK(processes_in(dir) == std::vector<pid_t>{redis_pid});
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
        // Stopped cleanly, before the server exited: SIGTERM, not SIGKILL after a timeout,
        // and Redis went through its own shutdown (which fsyncs the AOF).
        CHECK_THAT(server.log(), Catch::Contains("event=embedded_redis_stopped pid=" + std::to_string(redis_pid) +
                                                 " status=\"exited with 0\""));
        CHECK_THAT(read_file(dir + "/redis.log"), Catch::Contains("ready to exit"));
    }
    // The server waited for it: nothing is left once the server has exited.
    CHECK_FALSE(process_alive(redis_pid));
    CHECK(processes_in(dir).empty());
}

TEST_CASE("SIGINT stops the server like SIGTERM: exit 0 and its embedded Redis stopped", "[embedded][shutdown]")
{
    std::string dir = scratch_dir("embedded") + "/redis";
    server_process server({"--redis.embedded_dir=" + dir});
    REQUIRE(eventually([&] { return status_of(server.port(), "/readyz") == 200; }, 5s));
    pid_t redis_pid = read_pid(dir + "/redis.pid");
    REQUIRE(redis_pid > 0);
    ::kill(server.pid(), SIGINT);
    auto status = server.wait_exit(10s);
    REQUIRE(status.has_value());
    CHECK(exit_code(*status) == 0);
    CHECK_THAT(server.log(), Catch::Contains("event=shutdown_started signal=" + std::to_string(SIGINT)));
    CHECK_THAT(server.log(), Catch::Contains("event=embedded_redis_stopped pid=" + std::to_string(redis_pid) +
                                             " status=\"exited with 0\""));
    CHECK(eventually([&] { return !process_alive(redis_pid); }, 2s));
    CHECK(processes_in(dir).empty());
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
    CHECK(eventually([&] { return processes_in(dir).empty(); }, 2s));
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
