#pragma once
/**
 * Starts a background coroutine (the change-log tailer, the outbox sender, the Redis
 * readiness watch, the maintenance loop) so that its failure is never silent: an exception
 * that leaves the task is logged as `task_failed` with the task's name and the reason, and
 * the task is then restarted after a pause (a task that fails at once does not spin) or
 * the server is stopped, as the caller chose. A task that returns has finished; it is not
 * restarted. Use this instead of a bare `asio::detached` for work that must keep running.
 *
 * Thread-safety: spawn_supervised may be called from any thread; the callbacks run on
 * `ex`. Lifetime: the factory and callbacks must stay valid until the task finishes or
 * its executor's io_context is stopped.
 */
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <string>

namespace sp::task {

enum class on_failure {
    restart,     // the task can start again from its own state (a loop that follows something)
    stop_server, // without the task the server cannot do its job
};

struct supervision {
    explicit supervision(std::string task_name, on_failure on = on_failure::restart)
        : name(std::move(task_name)), policy(on)
    {
    }

    std::string name; // in the log line: task=<name>
    on_failure policy = on_failure::restart;
    std::chrono::milliseconds restart_pause{200};
    /** restart: called before each restart (e.g. to tell clients they missed changes). */
    std::function<void()> before_restart;
    /** stop_server: called once with the reason. */
    std::function<void(std::string)> stop_server;
};

/** Runs `make()` on `ex` under `s`; `make` is called again for each restart. */
void spawn_supervised(const boost::asio::any_io_executor& ex, supervision s,
                      std::function<boost::asio::awaitable<void>()> make);

/** The loop spawn_supervised runs (for tests that await it directly). */
boost::asio::awaitable<void> supervise(supervision s, std::function<boost::asio::awaitable<void>()> make);

} // namespace sp::task
