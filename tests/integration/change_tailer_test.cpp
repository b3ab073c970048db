/**
 * The change-log tailer under supervision, against a real redis-server: a tailer whose
 * batch handler throws is logged by name and restarted, the live layer is told to
 * resubscribe, and changes written afterwards still arrive.
 */
#include "log/logger.hpp"
#include "redis/client.hpp"
#include "store/change_tailer.hpp"
#include "support/test_env.hpp"
#include "task/supervised_task.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>
#include <algorithm>
#include <atomic>
#include <fcntl.h>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <unistd.h>

using namespace sp::test;
using namespace std::chrono_literals;
namespace asio = boost::asio;

TEST_CASE("a tailer that throws is logged by name, restarted, and live changes recover", "[live][redis]")
{
    redis_server redis;
    std::string log_path = scratch_dir("tailer-supervised") + "/server.log";
    int log_fd = ::open(log_path.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0600);
    REQUIRE(log_fd >= 0);
    sp::log::configure(sp::log::level::info, sp::log::format::kv, log_fd);

    asio::io_context ioc{2};
    auto work = asio::make_work_guard(ioc);
    sp::redis::connection_options o;
    o.where.host = "127.0.0.1";
    o.where.port = redis.port();
    o.command_timeout = 1000ms;
    o.reconnect_initial = 20ms;
    o.reconnect_max = 200ms;
    sp::redis::client client(ioc.get_executor(), o);
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i) threads.emplace_back([&] { ioc.run(); });
    client.start();
    REQUIRE(eventually([&] { return client.ready(); }, 10s));

    sp::store::keys keys("tailer-test:");
    std::mutex m;
    int batches = 0;
    std::vector<std::string> seen;
    std::atomic<int> resyncs{0};
    sp::store::change_tailer tailer(
        client, keys,
        [&](std::vector<sp::store::log_entry> entries) -> asio::awaitable<void> {
            std::lock_guard lock(m);
            if (batches++ == 0) throw std::runtime_error("the first batch fails on purpose");
            for (const auto& e : entries) seen.push_back(e.field("n"));
            co_return;
        },
        [](std::string) {}, 200ms);
    REQUIRE(asio::co_spawn(ioc, tailer.prime(), asio::use_future).get().empty());
    sp::task::supervision tailing("change_tailer");
    tailing.restart_pause = 20ms;
    tailing.before_restart = [&] { ++resyncs; };
    sp::task::spawn_supervised(ioc.get_executor(), std::move(tailing), [&] { return tailer.run(); });

    REQUIRE(redis.pipeline({{"XADD", keys.changes(), "*", "n", "1"}}) == 0);
    REQUIRE(eventually([&] { return resyncs.load() >= 1; }, 10s));
    REQUIRE(redis.pipeline({{"XADD", keys.changes(), "*", "n", "2"}}) == 0);
    bool recovered = eventually([&] {
        std::lock_guard lock(m);
        return std::find(seen.begin(), seen.end(), "2") != seen.end();
    }, 10s);

    tailer.stop();
    client.stop();
    REQUIRE(eventually([&] { return !tailer.following(); }, 10s));
    work.reset();
    ioc.stop();
    for (auto& t : threads) t.join();
    sp::log::configure(sp::log::level::info, sp::log::format::kv, 2);
    ::close(log_fd);

    CHECK(recovered);
    std::ifstream in(log_path);
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str().find("event=task_failed") != std::string::npos);
    CHECK(text.str().find("task=change_tailer") != std::string::npos);
    CHECK(text.str().find("the first batch fails on purpose") != std::string::npos);
}
