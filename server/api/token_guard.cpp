#include "api/token_guard.hpp"

#include "log/logger.hpp"

namespace asio = boost::asio;

namespace sp::api {
namespace {

http::response too_many_guesses(std::chrono::milliseconds wait)
{
    http::response res = http::make_problem(http::bhttp::status::too_many_requests, "too-many-guesses",
                                            "too many links from this address were unknown; wait and try again");
    res.set(http::bhttp::field::retry_after, std::to_string(std::max<std::int64_t>(1, (wait.count() + 999) / 1000)));
    res.set(http::bhttp::field::cache_control, "no-store");
    return res;
}

} // namespace

http::handler token_guard::wrap(http::handler inner)
{
    return [this, inner = std::move(inner)](http::request_context& rc) -> asio::awaitable<http::response> {
        std::string address(rc.peer);
        auto wait = co_await store_.wait_for(address, settings_.misses_per_address, settings_.window);
        if (wait.ok() && wait.value.count() > 0) co_return too_many_guesses(wait.value);
        http::response res = co_await inner(rc);
        if (res.result() == http::bhttp::status::not_found) {
            auto after = co_await store_.count_miss(address, settings_.misses_per_address, settings_.window);
            if (after.ok() && after.value.count() > 0)
                log::info("token_guessing_blocked", {{"rid", rc.request_id}, {"peer", rc.peer}});
        }
        co_return res;
    };
}

} // namespace sp::api
