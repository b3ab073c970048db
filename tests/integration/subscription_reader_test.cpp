/**
 * live::read_subscription against a real redis-server, with no socket: the answer a
 * subscription gets (snapshot or resume) from a hub the real server seeded and booked.
 */
#include "live/subscription_reader.hpp"
#include "redis/client.hpp"
#include "store/hub_stores.hpp"
#include "support/test_env.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>
#include <thread>

using namespace sp::test;
using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace live = sp::live;

namespace {

/** The hub's stores and the live caches on an in-process client of `redis`. */
struct reader_fixture {
    asio::io_context ioc{2};
    asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(ioc);
    std::optional<sp::redis::client> redis;
    std::optional<sp::store::hub_stores> stores;
    live::recent_reads<std::vector<live::change>> recent_changes;
    live::recent_reads<std::vector<sp::domain::session>> recent_snapshots;
    std::vector<std::thread> threads;

    explicit reader_fixture(const redis_server& server)
    {
        sp::redis::connection_options o;
        o.where.host = "127.0.0.1";
        o.where.port = server.port();
        o.command_timeout = 2000ms;
        redis.emplace(ioc.get_executor(), o);
        stores.emplace(*redis, sp::store::store_settings{}); // the default prefix, as the server's
        for (int i = 0; i < 2; ++i) threads.emplace_back([this] { ioc.run(); });
        redis->start();
        REQUIRE(eventually([&] { return redis->ready(); }, 10s));
    }
    ~reader_fixture()
    {
        redis->stop_and_wait(2s);
        work.reset();
        ioc.stop();
        for (auto& t : threads) t.join();
    }
    live::subscription_answer read(const std::string& since, std::size_t resume_max = 100)
    {
        live::subscription_sources from{*stores, stores->changes, stores->reader, recent_changes, recent_snapshots, resume_max};
        live::view v;
        v.type = live::view::kind::event;
        v.event = "talk";
        return asio::co_spawn(ioc, live::read_subscription(from, "s1", v, since), asio::use_future).get();
    }
};

int book(std::uint16_t port, const std::string& email)
{
    return http_request(port, "POST", "/api/v1/sessions/talk/bookings", {{"Content-Type", "application/json"}},
                        R"({"name":"N","email":")" + email + R"(","startup":"S","consent":true})")
        .status;
}

std::size_t array_size(const std::string& json, const std::string& pointer)
{
    std::size_t n = 0;
    while (json_at(json, pointer + "/" + std::to_string(n) + "/version") != "") ++n;
    return n;
}

} // namespace

TEST_CASE("a subscription without since is answered with a snapshot at the log's newest version", "[live][reader]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(),
                           "--hub.seed_file=" + bochum_hub_file(event_toml("talk", "anna", "Security Night", 20))});
    REQUIRE(book(server.port(), "a@example.org") == 201);
    reader_fixture f(redis);

    auto a = f.read("");
    REQUIRE(a.reply);
    CHECK_FALSE(a.resumed);
    CHECK(json_at(*a.reply, "/op") == "snapshot");
    std::string version = json_at(*a.reply, "/version");
    CHECK(sp::live::order_of(version) == a.upto);
    CHECK(json_at(*a.reply, "/sessions/0/seats_taken") == "1");
    REQUIRE(a.carried.contains("talk"));
    CHECK(a.carried.at("talk") == a.upto);
    CHECK(a.sessions == std::vector<std::string>{"talk"});
}

TEST_CASE("a subscription with a since in the log is answered with exactly the changes after it", "[live][reader]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(),
                           "--hub.seed_file=" + bochum_hub_file(event_toml("talk", "anna", "Security Night", 20))});
    reader_fixture f(redis);
    std::string since = json_at(*f.read("").reply, "/version");
    for (int i = 0; i < 3; ++i) REQUIRE(book(server.port(), "f" + std::to_string(i) + "@example.org") == 201);

    auto a = f.read(since);
    REQUIRE(a.reply);
    CHECK(a.resumed);
    CHECK(json_at(*a.reply, "/op") == "resume");
    REQUIRE(array_size(*a.reply, "/changes") == 3);
    CHECK(json_at(*a.reply, "/changes/2/session/seats_taken") == "3");
    std::string last = json_at(*a.reply, "/changes/2/version");
    CHECK(json_at(*a.reply, "/version") == last);
    CHECK(a.upto == sp::live::order_of(last));
    CHECK(a.carried.at("talk") == a.upto);

    // The same resume again comes from the cache, and says the same.
    auto again = f.read(since);
    REQUIRE(again.reply);
    CHECK(*again.reply == *a.reply);
}

TEST_CASE("a since the log cannot vouch for, or one too far back, is answered with a snapshot", "[live][reader]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(),
                           "--hub.seed_file=" + bochum_hub_file(event_toml("talk", "anna", "Security Night", 20))});
    reader_fixture f(redis);
    std::string since = json_at(*f.read("").reply, "/version");
    for (int i = 0; i < 3; ++i) REQUIRE(book(server.port(), "g" + std::to_string(i) + "@example.org") == 201);

    auto unknown = f.read("1-0");
    REQUIRE(unknown.reply);
    CHECK_FALSE(unknown.resumed);
    CHECK(json_at(*unknown.reply, "/op") == "snapshot");
    CHECK(json_at(*unknown.reply, "/version") != "1-0");

    auto too_far = f.read(since, /*resume_max=*/3); // three missed: not fewer than the limit
    REQUIRE(too_far.reply);
    CHECK_FALSE(too_far.resumed);
    CHECK(json_at(*too_far.reply, "/sessions/0/seats_taken") == "3");
}

TEST_CASE("a subscription read while Redis is gone is answered with the error unavailable", "[live][reader]")
{
    redis_server redis;
    reader_fixture f(redis);
    redis.stop();
    auto a = f.read("");
    CHECK_FALSE(a.reply);
    CHECK(json_at(a.error, "/op") == "error");
    CHECK(json_at(a.error, "/code") == "unavailable");
}
