#include "support/test_env.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <set>

using namespace sp::test;
using namespace std::chrono_literals;

namespace {
/** Sets environment variables for the processes a test starts; unsets them at the end. */
struct scoped_env {
    std::vector<std::string> names;
    scoped_env(std::initializer_list<std::pair<std::string, std::string>> vars)
    {
        for (const auto& [name, value] : vars) {
            ::setenv(name.c_str(), value.c_str(), 1);
            names.push_back(name);
        }
    }
    scoped_env(const scoped_env&) = delete;
    scoped_env& operator=(const scoped_env&) = delete;
    ~scoped_env()
    {
        for (const auto& name : names) ::unsetenv(name.c_str());
    }
};

/** The status line of a POST with a body of `size` bytes. */
std::string post_status(std::uint16_t port, std::size_t size)
{
    std::string raw = raw_exchange(port, "POST /api/v1/anything HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                         "Content-Type: application/json\r\nContent-Length: " +
                                             std::to_string(size) + "\r\n\r\n" + std::string(size, 'x'));
    return raw.substr(0, raw.find("\r\n"));
}

std::string write_config(const std::string& name, const std::string& text)
{
    std::string path = scratch_dir("config") + "/" + name;
    std::ofstream(path) << text;
    return path;
}
} // namespace

TEST_CASE("the server refuses a Redis that persists nothing", "[startup][redis]")
{
    redis_server redis({.append_only = false, .extra_args = {}});
    server_process server({"--redis.url=" + redis.url()}, false);
    auto status = server.wait_exit(15s);
    REQUIRE(status.has_value());
    CHECK(exit_code(*status) == 1);
    CHECK_THAT(server.log(), Catch::Contains("persists nothing") && Catch::Contains("redis.accept_data_loss"));
    CHECK(server.log().find("event=listening") == std::string::npos);

    // RDB save points without AOF do persist: such a Redis is accepted.
    redis_server snapshots({.append_only = false, .extra_args = {"--save", "3600 1"}});
    server_process accepted({"--redis.url=" + snapshots.url()});
    CHECK(eventually([&] { return http_get(accepted.port(), "/readyz").status == 200; }, 5s));
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

TEST_CASE("the binary layers the config file under the environment under the flags", "[startup][config]")
{
    redis_server redis;
    std::string file = write_config("layers.toml", "[server]\nthreads = 3\n[http]\nmax_body_bytes = 512\n");
    const std::string too_large = "HTTP/1.1 413 Payload Too Large";
    {
        INFO("the file alone");
        server_process server({"--config=" + file, "--redis.url=" + redis.url()});
        CHECK(post_status(server.port(), 513) == too_large);
        CHECK(post_status(server.port(), 512) != too_large);
        CHECK_THAT(server.log(), Catch::Contains("event=listening") && Catch::Contains("threads=3"));
    }
    {
        INFO("the file named by SPRECHSTUNDE_CONFIG, one option overridden by the environment");
        scoped_env env({{"SPRECHSTUNDE_CONFIG", file}, {"SPRECHSTUNDE_HTTP_MAX_BODY_BYTES", "1024"}});
        server_process server({"--redis.url=" + redis.url()});
        CHECK(post_status(server.port(), 1024) != too_large);
        CHECK(post_status(server.port(), 1025) == too_large);
        CHECK_THAT(server.log(), Catch::Contains("threads=3")); // still from the file
    }
    {
        INFO("a flag over both");
        scoped_env env({{"SPRECHSTUNDE_CONFIG", file}, {"SPRECHSTUNDE_HTTP_MAX_BODY_BYTES", "1024"},
                        {"SPRECHSTUNDE_SERVER_THREADS", "2"}});
        server_process server({"--redis.url=" + redis.url(), "--http.max_body_bytes=4096"});
        CHECK(post_status(server.port(), 4096) != too_large);
        CHECK(post_status(server.port(), 4097) == too_large);
        CHECK_THAT(server.log(), Catch::Contains("threads=2"));
    }
}

TEST_CASE("an invalid value in the environment or the file stops start-up naming the option", "[startup][config]")
{
    {
        scoped_env env({{"SPRECHSTUNDE_HTTP_MAX_BODY_BYTES", "64k"}});
        server_process server({}, false);
        auto status = server.wait_exit(10s);
        REQUIRE(status.has_value());
        CHECK(exit_code(*status) == 2);
        CHECK_THAT(server.log(), Catch::Contains("environment SPRECHSTUNDE_HTTP_MAX_BODY_BYTES") &&
                                     Catch::Contains("option http.max_body_bytes"));
    }
    std::string file = write_config("bad.toml", "[http]\n# a comment\nidle_timeout_ms = 5\n");
    server_process server({"--config=" + file}, false);
    auto status = server.wait_exit(10s);
    REQUIRE(status.has_value());
    CHECK(exit_code(*status) == 2);
    CHECK_THAT(server.log(), Catch::Contains(file) && Catch::Contains("option http.idle_timeout_ms") &&
                                 Catch::Contains("from 100 to 3600000") && Catch::Contains("got 5"));
    CHECK(server.log().find("event=listening") == std::string::npos);
}

TEST_CASE("redis.url reaches Redis by redis://user:password@host:port/db and by unix:///path?db=N", "[startup][redis]")
{
    {
        redis_server redis({.append_only = true, .extra_args = {"--requirepass", "s3cret"}});
        server_process server({"--redis.url=redis://default:s3cret@127.0.0.1:" + std::to_string(redis.port()) + "/3"});
        CHECK(eventually([&] { return http_get(server.port(), "/readyz").status == 200; }, 5s));
        auto r = redis.replies({{"AUTH", "s3cret"}, {"INFO", "keyspace"}});
        REQUIRE(r.size() == 2);
        CHECK_THAT(r[1], Catch::Contains("db3:keys=") && !Catch::Contains("db0:"));
        CHECK(server.log().find("s3cret") == std::string::npos);
    }
    std::string sock = scratch_dir("unix") + "/redis.sock";
    redis_server redis({.append_only = true, .extra_args = {"--unixsocket", sock, "--unixsocketperm", "700"}});
    server_process server({"--redis.url=unix://" + sock + "?db=5"});
    CHECK(eventually([&] { return http_get(server.port(), "/readyz").status == 200; }, 5s));
    std::string keyspace = redis.cli({"INFO", "keyspace"});
    CHECK_THAT(keyspace, Catch::Contains("db5:keys=") && !Catch::Contains("db0:"));
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

TEST_CASE("the run command's demo hub loads on first start, once: six Ruhr cities, the hub in Essen, a dozen experts",
          "[startup][demo]")
{
    const std::string demo = std::string(SP_SOURCE_DIR) + "/config/demo-hub.toml";
    redis_server redis;
    std::pair<std::string, std::string> after_first;
    {
        server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + demo});
        auto port = server.port();
        http_reply camps = http_get(port, "/api/v1/camps");
        REQUIRE(camps.status == 200);
        std::map<std::string, std::string> focus_of, city_of;
        for (int i = 0; !json_at(camps.body, "/camps/" + std::to_string(i) + "/id").empty(); ++i) {
            std::string at = "/camps/" + std::to_string(i);
            focus_of[json_at(camps.body, at + "/id")] = json_at(camps.body, at + "/focus");
            city_of[json_at(camps.body, at + "/id")] = json_at(camps.body, at + "/city");
        }
        std::set<std::string> cities;
        for (const auto& [id, city] : city_of) cities.insert(city);
        CHECK(cities == std::set<std::string>{"Bochum", "Dortmund", "Duisburg", "Essen", "Gelsenkirchen",
                                              "Mülheim an der Ruhr"});
        CHECK(focus_of["muelheim"] == "E-Commerce");
        CHECK(focus_of["bochum"] == "IT-Sicherheit");
        CHECK(focus_of["gelsenkirchen"] == "Gesundheitswirtschaft");
        CHECK(focus_of["dortmund"] == "Logistik-IT");
        CHECK(focus_of["essen"] == "Design");
        CHECK(city_of["essen"] == "Essen");
        CHECK(city_of["hub-essen"] == "Essen"); // the central hub location
        CHECK(camps.body.find("Zentrale") != std::string::npos);
        // Dortmund's second focus, smart home, is offered there too.
        CHECK(http_get(port, "/api/v1/sessions?camp=dortmund&topic=Smart%20Home").body.find("\"id\":\"emre-demir-") !=
              std::string::npos);

        // A dozen experts, each with weekly office hours in the coming week.
        http_reply experts = http_get(port, "/api/v1/experts");
        std::vector<std::string> ids;
        for (int i = 0; !json_at(experts.body, "/experts/" + std::to_string(i) + "/id").empty(); ++i)
            ids.push_back(json_at(experts.body, "/experts/" + std::to_string(i) + "/id"));
        CHECK(ids.size() == 12);
        for (const auto& id : ids) {
            INFO(id);
            http_reply hours = http_get(port, "/api/v1/sessions?expert=" + id);
            CHECK(hours.body.find("\"kind\":\"office_hour\"") != std::string::npos);
        }
        // A few events.
        for (const std::string event : {"pitch-night", "security-basics", "logistics-meetup"}) {
            INFO(event);
            http_reply e = http_get(port, "/api/v1/sessions/" + event);
            CHECK(e.status == 200);
            CHECK(json_at(e.body, "/kind") == "event");
        }
        CHECK(server.terminate().has_value());
        after_first = {redis.footprint(), redis.cli({"XLEN", "sp:{hub}:changes"})};
    }
    // The next start finds the hub in place and writes nothing.
    server_process again({"--redis.url=" + redis.url(), "--hub.seed_file=" + demo});
    CHECK(http_get(again.port(), "/api/v1/sessions/pitch-night").status == 200);
    CHECK(again.terminate().has_value());
    CHECK(std::make_pair(redis.footprint(), redis.cli({"XLEN", "sp:{hub}:changes"})) == after_first);
}
