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

namespace {
/** The incremental AOF file Redis appends to (the manifest's last "type i" entry). */
std::string last_incr_aof(const std::string& redis_dir)
{
    std::ifstream manifest(redis_dir + "/appendonlydir/appendonly.aof.manifest");
    std::string line, file;
    while (std::getline(manifest, line))
        if (line.ends_with(" type i")) file = line.substr(5, line.find(' ', 5) - 5);
    REQUIRE(!file.empty());
    return redis_dir + "/appendonlydir/" + file;
}

/** What a redis-server killed while appending a script's MULTI/EXEC block leaves behind:
 *  MULTI, one whole write of `key`, a second write cut off. Nobody was told it succeeded. */
void append_cut_off_transaction(const std::string& aof, const std::string& key)
{
    std::ofstream out(aof, std::ios::binary | std::ios::app);
    out << "*1\r\n$5\r\nMULTI\r\n"
        << "*3\r\n$3\r\nSET\r\n$" << key.size() << "\r\n" << key << "\r\n$10\r\nnever-sent\r\n"
        << "*3\r\n$3\r\nSET\r\n$1\r\nc";
}

/** Dead, or a zombie its stopped parent has not reaped: either way it writes no more. */
bool finished(pid_t pid)
{
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return true;
    auto state = line.rfind(") ");
    return state != std::string::npos && line.size() > state + 2 && line[state + 2] == 'Z';
}

/** A script with two writes: Redis appends its effects to the AOF as MULTI ... EXEC. */
void write_through_a_script(const std::string& socket)
{
    CHECK(redis_cli_unix(socket, {"EVAL", "redis.call('SET', KEYS[1], '1') redis.call('SET', KEYS[2], '2')", "2",
                                  "sp:test:after1", "sp:test:after2"}) == "(nil)");
}
} // namespace

TEST_CASE("a write cut off inside a transaction by a crash never comes back, over two restarts", "[embedded][aof]")
{
    std::string dir = scratch_dir("embedded") + "/redis";
    std::string socket = dir + "/redis.sock";
    {
        server_process first({"--redis.embedded_dir=" + dir});
        REQUIRE(eventually([&] { return status_of(first.port(), "/readyz") == 200; }, 5s));
        first.terminate(10s);
    }
    std::string aof = last_incr_aof(dir);
    auto whole = std::filesystem::file_size(aof);
    append_cut_off_transaction(aof, "sp:test:unacknowledged");
    {
        server_process second({"--redis.embedded_dir=" + dir});
        REQUIRE(eventually([&] { return status_of(second.port(), "/readyz") == 200; }, 5s));
        CHECK_THAT(second.log(), Catch::Contains("event=embedded_redis_aof_repaired") &&
                                     Catch::Contains("unfinished_transaction=true") &&
                                     Catch::Contains("unacknowledged_writes=1"));
        CHECK(redis_cli_unix(socket, {"GET", "sp:test:unacknowledged"}) == "(nil)");
        // The block is gone, so this script's EXEC cannot close it on the next load.
        write_through_a_script(socket);
        second.terminate(10s);
    }
    CHECK(std::filesystem::file_size(aof) > whole);
    server_process third({"--redis.embedded_dir=" + dir});
    REQUIRE(eventually([&] { return status_of(third.port(), "/readyz") == 200; }, 5s));
    CHECK(redis_cli_unix(socket, {"GET", "sp:test:unacknowledged"}) == "(nil)");
    CHECK(redis_cli_unix(socket, {"GET", "sp:test:after2"}) == "2");
    CHECK(third.log().find("event=embedded_redis_aof_repaired") == std::string::npos);
}

TEST_CASE("an embedded Redis restarted after a crash drops the transaction the crash cut off", "[embedded][aof]")
{
    std::string dir = scratch_dir("embedded") + "/redis";
    std::string socket = dir + "/redis.sock";
    server_process server({"--redis.embedded_dir=" + dir});
    REQUIRE(eventually([&] { return status_of(server.port(), "/readyz") == 200; }, 5s));
    // The server holds still while its Redis dies mid-transaction, so the cut-off block is in
    // the file before the supervisor restarts it.
    ::kill(server.pid(), SIGSTOP);
    pid_t crashed = read_pid(dir + "/redis.pid");
    ::kill(crashed, SIGKILL);
    REQUIRE(eventually([&] { return finished(crashed); }, 2s));
    append_cut_off_transaction(last_incr_aof(dir), "sp:test:unacknowledged");
    ::kill(server.pid(), SIGCONT);
    auto restarted = [&](pid_t before) {
        pid_t now = read_pid(dir + "/redis.pid");
        return now > 0 && now != before && status_of(server.port(), "/readyz") == 200;
    };
    REQUIRE(eventually([&] { return restarted(crashed); }, 5s));
    CHECK_THAT(server.log(), Catch::Contains("event=embedded_redis_aof_repaired"));
    CHECK(redis_cli_unix(socket, {"GET", "sp:test:unacknowledged"}) == "(nil)");
    write_through_a_script(socket);
    // Crash again: the supervisor's restart loads the file with that script's EXEC in it.
    pid_t second = read_pid(dir + "/redis.pid");
    ::kill(second, SIGKILL);
    REQUIRE(eventually([&] { return restarted(second); }, 5s));
    CHECK(redis_cli_unix(socket, {"GET", "sp:test:after2"}) == "2");
    CHECK(redis_cli_unix(socket, {"GET", "sp:test:unacknowledged"}) == "(nil)");
}
