#include "log/logger.hpp"
#include "task/supervised_task.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using sp::task::on_failure;
using sp::task::supervision;

namespace {

/** Sends the log to a file for the duration of a test, then back to stderr. */
struct captured_log {
    std::string path = std::string(SP_SCRATCH_DIR) + "/supervised_task_test.log";
    int fd;
    captured_log() : fd(::open(path.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0600))
    {
        REQUIRE(fd >= 0);
        sp::log::configure(sp::log::level::info, sp::log::format::kv, fd);
    }
    ~captured_log()
    {
        sp::log::configure(sp::log::level::info, sp::log::format::kv, 2);
        ::close(fd);
    }
    std::string text() const
    {
        std::ifstream in(path);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }
};

} // namespace

TEST_CASE("a supervised task that throws is logged by name and restarted until it finishes", "[task]")
{
    captured_log log;
    asio::io_context ioc;
    int runs = 0, restarts = 0;
    supervision s("flaky_loop");
    s.restart_pause = 1ms;
    s.before_restart = [&] { ++restarts; };
    auto task = [&]() -> asio::awaitable<void> {
        if (++runs < 3) throw std::runtime_error("lost the connection on purpose");
        co_return;
    };
    auto done = asio::co_spawn(ioc, sp::task::supervise(s, task), asio::use_future);
    ioc.run();
    done.get();
    CHECK(runs == 3);
    CHECK(restarts == 2);
    std::string text = log.text();
    CHECK(text.find("task_failed") != std::string::npos);
    CHECK(text.find("task=flaky_loop") != std::string::npos);
    CHECK(text.find("lost the connection on purpose") != std::string::npos);
    CHECK(text.find("action=restart") != std::string::npos);
}

TEST_CASE("a supervised task that must not fail stops the server with its name and reason", "[task]")
{
    captured_log log;
    asio::io_context ioc;
    int runs = 0;
    std::string stopped_because;
    supervision s("accept_loop", on_failure::stop_server);
    s.stop_server = [&](std::string reason) { stopped_because = std::move(reason); };
    auto task = [&]() -> asio::awaitable<void> {
        ++runs;
        throw std::runtime_error("no more descriptors");
        co_return;
    };
    sp::task::spawn_supervised(ioc.get_executor(), s, task);
    ioc.run();
    CHECK(runs == 1); // not restarted
    CHECK(stopped_because == "task accept_loop failed: no more descriptors");
    CHECK(log.text().find("action=stop") != std::string::npos);
}

TEST_CASE("a supervised task that returns is not started again", "[task]")
{
    asio::io_context ioc;
    int runs = 0;
    sp::task::spawn_supervised(ioc.get_executor(), supervision("one_shot"), [&]() -> asio::awaitable<void> {
        ++runs;
        co_return;
    });
    ioc.run();
    CHECK(runs == 1);
}
