#include "task/supervised_task.hpp"

#include "log/logger.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>

namespace asio = boost::asio;

namespace sp::task {
namespace {

std::string describe(std::exception_ptr e)
{
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& x) {
        return x.what();
    } catch (...) {
        return "an exception that is not a std::exception";
    }
}

} // namespace

asio::awaitable<void> supervise(supervision s, std::function<asio::awaitable<void>()> make)
{
    asio::steady_timer pause(co_await asio::this_coro::executor);
    for (;;) {
        std::exception_ptr failure;
        try {
            co_await make();
            co_return; // finished (stopped on purpose)
        } catch (...) {
            failure = std::current_exception();
        }
        std::string reason = describe(failure);
        bool restart = s.policy == on_failure::restart;
        log::error("task_failed", {{"task", s.name}, {"reason", reason}, {"action", restart ? "restart" : "stop"}});
        if (!restart) {
            if (s.stop_server) s.stop_server("task " + s.name + " failed: " + reason);
            co_return;
        }
        pause.expires_after(s.restart_pause);
        boost::system::error_code ec;
        co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        if (ec) co_return; // the io_context is going away
        if (s.before_restart) s.before_restart();
        log::info("task_restarted", {{"task", s.name}});
    }
}

void spawn_supervised(const asio::any_io_executor& ex, supervision s, std::function<asio::awaitable<void>()> make)
{
    asio::co_spawn(ex, supervise(std::move(s), std::move(make)), asio::detached);
}

} // namespace sp::task
