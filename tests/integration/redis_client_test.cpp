#include "redis/client.hpp"
#include "task/io_lanes.hpp"
#include "support/test_env.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>
#include <future>
#include <thread>

using namespace sp::test;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using sp::redis::client;
using sp::redis::errc;

namespace {

sp::redis::connection_options options_for(const redis_server& redis)
{
    sp::redis::connection_options o;
    o.where.host = "127.0.0.1";
    o.where.port = redis.port();
    o.command_timeout = 1000ms;
    o.health_interval = 200ms;
    o.reconnect_initial = 20ms;
    o.reconnect_max = 200ms;
    return o;
}

/** An io_context on two threads (like the server) with a started client. */
struct running_client {
    asio::io_context ioc{2};
    std::optional<client> redis;
    std::vector<std::thread> threads;
    asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(ioc);

    explicit running_client(sp::redis::connection_options o)
    {
        redis.emplace(ioc.get_executor(), std::move(o));
        for (int i = 0; i < 2; ++i) threads.emplace_back([this] { ioc.run(); });
        redis->start();
        REQUIRE(eventually([&] { return redis->ready(); }, 5s));
    }
    ~running_client()
    {
        redis->stop();
        std::this_thread::sleep_for(20ms);
        work.reset();
        ioc.stop();
        for (auto& t : threads) t.join();
    }
    template <class F>
    auto run(F f)
    {
        return asio::co_spawn(ioc, std::move(f), asio::use_future).get();
    }
};

/** The number after `field` (e.g. "total_reads_processed:" or "cmdstat_eval:calls=") in
 *  an INFO reply; -1 when absent. */
long long info_number(const std::string& info, const std::string& field)
{
    auto at = info.find("\n" + field);
    if (at == std::string::npos) at = info.rfind(field, 0) == 0 ? 0 : std::string::npos;
    else ++at;
    if (at == std::string::npos) return -1;
    return std::stoll(info.substr(at + field.size()));
}

} // namespace

TEST_CASE("10,000 pipelined commands all complete, each with its own reply", "[redis]")
{
    redis_server server;
    auto o = options_for(server);
    o.max_pending = 20'000;
    running_client rc(o);

    constexpr int n = 10'000;
    long long reads_before = info_number(server.cli({"INFO", "stats"}), "total_reads_processed:");
    REQUIRE(reads_before >= 0);
    std::vector<std::string> replies(n);
    std::atomic<int> done{0};
    std::atomic<int> failed{0};
    for (int i = 0; i < n; ++i) {
        asio::co_spawn(
            rc.ioc,
            [&, i]() -> asio::awaitable<void> {
                sp::redis::command_args cmd{"ECHO", "value-" + std::to_string(i)};
                auto r = co_await rc.redis->command(std::move(cmd));
                if (r && r->type == sp::redis::reply::kind::string) replies[i] = r->str;
                else failed.fetch_add(1);
                done.fetch_add(1);
            },
            asio::detached);
    }
    REQUIRE(eventually([&] { return done.load() == n; }, 20s));
    CHECK(failed.load() == 0);
    int mismatched = 0;
    for (int i = 0; i < n; ++i)
        if (replies[i] != "value-" + std::to_string(i)) ++mismatched;
    CHECK(mismatched == 0);
    CHECK(rc.redis->stats().commands >= n);
    // Pipelined, not one at a time: a client that waited for each reply would make Redis
    // read at least once per command; many in flight arrive many to a read.
    long long reads = info_number(server.cli({"INFO", "stats"}), "total_reads_processed:") - reads_before;
    INFO(reads << " reads for " << n << " commands");
    CHECK(reads < n / 4);
}

TEST_CASE("commands beyond max_pending fail fast with overloaded, none is lost", "[redis][limits]")
{
    redis_server server;
    auto o = options_for(server);
    o.max_pending = 50;
    running_client rc(o);
    server.pause(); // nothing completes: the queue fills up
    constexpr int n = 200;
    std::atomic<int> overloaded{0}, other{0};
    for (int i = 0; i < n; ++i) {
        asio::co_spawn(
            rc.ioc,
            [&]() -> asio::awaitable<void> {
                sp::redis::command_args cmd{"PING"};
                auto r = co_await rc.redis->command(std::move(cmd));
                if (!r && r.error() == errc::overloaded) overloaded.fetch_add(1);
                else other.fetch_add(1);
            },
            asio::detached);
    }
    CHECK(eventually([&] { return overloaded.load() >= n - 50; }, 2s));
    server.resume();
    CHECK(eventually([&] { return overloaded.load() + other.load() == n; }, 5s));
}

TEST_CASE("a built-in script still runs after SCRIPT FLUSH", "[redis][scripts]")
{
    redis_server server;
    running_client rc(options_for(server));
    auto eval_meta = [&]() {
        return rc.run([&]() -> asio::awaitable<sp::redis::result> {
            sp::redis::script_call call{"meta_init", sp::redis::script_effect::housekeeping, {"sp:{t}:meta"},
                                        {"1", "1700000000"}};
            co_return co_await rc.redis->eval(std::move(call));
        });
    };
    auto calls = [&](const std::string& command) {
        return info_number(server.cli({"INFO", "commandstats"}), "cmdstat_" + command + ":calls=");
    };
    CHECK(server.cli({"CONFIG", "RESETSTAT"}) == "OK");
    auto first = eval_meta();
    REQUIRE(first.has_value());
    CHECK(first->integer == 0); // a new hub
    // By SHA: the source was loaded at connect, not sent with the call.
    CHECK(calls("evalsha") == 1);
    CHECK(calls("eval") == -1);
    CHECK(server.cli({"SCRIPT", "FLUSH"}) == "OK");
    auto second = eval_meta();
    REQUIRE(second.has_value());
    CHECK_FALSE(second->is_error());
    CHECK(second->integer == 1); // the script ran and saw the first call's write
    CHECK(server.cli({"HGET", "sp:{t}:meta", "layout_version"}) == "1");
    // EVALSHA met NOSCRIPT, and one EVAL with the source ran it and cached it again...
    CHECK(calls("evalsha") == 2);
    CHECK(calls("eval") == 1);
    // ... so the next call goes by SHA once more.
    auto third = eval_meta();
    REQUIRE(third.has_value());
    CHECK(third->integer == 1);
    CHECK(calls("evalsha") == 3);
    CHECK(calls("eval") == 1);
}

TEST_CASE("a stalled Redis fails commands with timeout at their deadline, then recovers", "[redis][faults]")
{
    redis_server server;
    auto o = options_for(server);
    o.command_timeout = 300ms;
    running_client rc(o);
    server.pause();
    auto start = std::chrono::steady_clock::now();
    auto r = rc.run([&]() -> asio::awaitable<sp::redis::result> {
        sp::redis::command_args cmd{"PING"};
        co_return co_await rc.redis->command(std::move(cmd));
    });
    auto took = std::chrono::steady_clock::now() - start;
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == errc::timeout);
    CHECK(took >= 250ms);
    CHECK(took < 1000ms);
    // The health ping notices the stall and drops the connection: callers fail fast.
    CHECK(eventually([&] { return !rc.redis->ready(); }, 2s));
    server.resume();
    CHECK(eventually([&] { return rc.redis->ready(); }, 3s));
    CHECK(rc.redis->stats().timeouts >= 1);
}

TEST_CASE("a reply that arrived while the io thread was busy is not a missed deadline", "[redis][faults]")
{
    // One io thread, kept busy past the command's deadline; the reply comes in before
    // the deadline's handler runs, but after it was queued (as in a storm of WebSocket
    // reconnects). Judged by the clock alone, the command failed and the health ping cut
    // off a Redis that was answering.
    redis_server server;
    auto o = options_for(server);
    o.command_timeout = 100ms;
    o.health_interval = 0ms;
    asio::io_context ioc;
    client c(ioc.get_executor(), o);
    c.start();
    for (int i = 0; i < 50 && !c.ready(); ++i) ioc.run_for(20ms);
    REQUIRE(c.ready());

    server.pause();
    std::optional<sp::redis::result> answer;
    asio::co_spawn(ioc, [&]() -> asio::awaitable<void> {
        sp::redis::command_args cmd{"PING"};
        answer = co_await c.command(std::move(cmd));
    }, asio::detached);
    ioc.poll(); // the PING is sent (Redis is stopped: it stays in the socket)
    asio::post(ioc, [&] {
        std::this_thread::sleep_for(250ms); // the deadline passes while the thread is busy
        // Queued behind the deadline's handler, which the io loop picks up first:
        asio::post(ioc, [&] {
            server.resume();
            std::this_thread::sleep_for(150ms); // Redis answers; nobody has read it yet
        });
    });
    for (int i = 0; i < 50 && !answer; ++i) ioc.run_for(20ms);
    REQUIRE(answer);
    REQUIRE(answer->has_value());
    CHECK(answer->value().str == "PONG");
    CHECK(c.stats().timeouts == 0);
    c.stop();
    ioc.restart();
    ioc.run_for(100ms);
}

TEST_CASE("the client reconnects by itself after Redis is killed and restarted", "[redis][faults]")
{
    redis_server server;
    running_client rc(options_for(server));
    auto generation = rc.redis->generation();
    server.kill9();
    CHECK(eventually([&] { return !rc.redis->ready(); }, 2s));
    auto r = rc.run([&]() -> asio::awaitable<sp::redis::result> {
        sp::redis::command_args cmd{"PING"};
        co_return co_await rc.redis->command(std::move(cmd));
    });
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == errc::not_connected);
    server.start();
    CHECK(eventually([&] { return rc.redis->ready(); }, 3s));
    CHECK(rc.redis->generation() > generation);
}

TEST_CASE("AUTH with a wrong password keeps the client not ready and says why", "[redis]")
{
    redis_server server({.append_only = true, .extra_args = {"--requirepass", "right-password"}});
    auto o = options_for(server);
    o.where.password = "wrong-password";
    asio::io_context ioc;
    client c(ioc.get_executor(), o);
    c.start();
    std::thread t([&] { ioc.run_for(1500ms); });
    t.join();
    CHECK_FALSE(c.ready());
    CHECK_THAT(c.not_ready_reason(), Catch::Contains("AUTH"));
    CHECK(c.not_ready_reason().find("wrong-password") == std::string::npos);
    c.stop();
    ioc.restart();
    ioc.run_for(100ms);
}

TEST_CASE("a blocking read waits on its own connection while the shared one keeps answering", "[redis]")
{
    redis_server server;
    running_client rc(options_for(server));
    auto blocking = rc.redis->open_blocking_connection("test-blocking");
    blocking->start();
    REQUIRE(eventually([&] { return blocking->is_connected(); }, 3s));

    std::promise<std::string> popped;
    sp::redis::command_args blpop{"BLPOP", "queue", "5"};
    blocking->async_command(std::move(blpop), 6000ms, [&](boost::system::error_code ec, sp::redis::reply r) {
        popped.set_value(ec ? "error: " + ec.message() : (r.elements.size() == 2 ? r.elements[1].str : "nil"));
    });
    auto result = popped.get_future();

    // While BLPOP blocks its connection, the shared one answers at once.
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 20; ++i) {
        auto r = rc.run([&]() -> asio::awaitable<sp::redis::result> {
            sp::redis::command_args cmd{"PING"};
            co_return co_await rc.redis->command(std::move(cmd));
        });
        REQUIRE(r.has_value());
    }
    CHECK(std::chrono::steady_clock::now() - start < 1s);
    CHECK(result.wait_for(0ms) == std::future_status::timeout);

    CHECK(server.cli({"LPUSH", "queue", "hello"}) == "1");
    REQUIRE(result.wait_for(3s) == std::future_status::ready);
    CHECK(result.get() == "hello");
    blocking->stop();
}

TEST_CASE("each io lane sends on a connection of its own, and the client is ready only with all of them",
          "[redis][lanes][tsan]")
{
    redis_server server;
    sp::task::io_lanes lanes(2);
    std::vector<asio::any_io_executor> executors;
    for (const auto& ex : lanes.executors()) executors.emplace_back(ex);
    client redis(std::move(executors), options_for(server));
    lanes.run();
    redis.start();
    REQUIRE(eventually([&] { return redis.ready(); }, 5s));
    // The connection a command goes out on is the one of the lane that sends it: the
    // reply comes back to the thread that waits for it.
    auto name_from = [&](std::size_t lane) {
        return asio::co_spawn(
                   lanes.executor(lane),
                   [&]() -> asio::awaitable<std::string> {
                       sp::redis::command_args cmd{"CLIENT", "GETNAME"};
                       auto r = co_await redis.command(std::move(cmd));
                       co_return r ? r->str : "failed: " + r.error().message();
                   },
                   asio::use_future)
            .get();
    };
    CHECK(name_from(0) == "sprechstunde-0");
    CHECK(name_from(1) == "sprechstunde-1");
    // Both connections lost (a Redis restart would do the same): ready again once each one
    // is back, and then a script runs from the second lane.
    auto generation = redis.generation();
    server.cli({"CLIENT", "KILL", "SKIPME", "yes", "TYPE", "normal"}); // the cli's own connection survives
    REQUIRE(eventually([&] { return redis.generation() >= generation + 2 && redis.ready(); }, 5s));
    auto r = asio::co_spawn(
                 lanes.executor(1),
                 [&]() -> asio::awaitable<sp::redis::result> {
                     sp::redis::script_call call{"meta_init", sp::redis::script_effect::housekeeping, {"sp:{t}:meta"},
                                                 {"1", "1700000000"}};
                     co_return co_await redis.eval(std::move(call));
                 },
                 asio::use_future)
                 .get();
    REQUIRE(r.has_value());
    CHECK(r->integer == 0);
    CHECK(redis.stop_and_wait(2s));
    lanes.stop_and_join();
}
