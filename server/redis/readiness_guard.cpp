#include "redis/readiness_guard.hpp"

#include "log/logger.hpp"
#include "redis/persistence_check.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

namespace asio = boost::asio;

namespace sp::redis {

readiness_guard::readiness_guard(client& redis, std::string prefix, bool accept_data_loss)
    : redis_(redis), prefix_(std::move(prefix)), accept_data_loss_(accept_data_loss)
{
}

asio::awaitable<std::string> readiness_guard::verify()
{
    redis::persistence_report p = co_await redis::inspect_persistence(redis_);
    if (!p.known) {
        log::warn("redis_persistence_unknown", {{"reason", p.error}});
    } else if (!p.persists()) {
        if (!accept_data_loss_)
            co_return std::string("redis persists nothing (appendonly no, no save points): every booking would be "
                                  "lost on its restart; enable AOF (appendonly yes) or set redis.accept_data_loss = true");
        log::warn("redis_not_persistent", {{"accepted", "redis.accept_data_loss"}});
    } else if (p.append_only && p.appendfsync != "always") {
        // Redis may confirm a write before it is in the AOF: a crash can lose confirmed bookings.
        log::warn("redis_aof_not_synced", {{"appendfsync", p.appendfsync},
                                           {"advice", "set appendfsync always so no confirmed booking is lost"}});
    }
    auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    // Named vectors, not braced lists: GCC 12 miscompiles initializer lists inside co_await.
    // meta_init.lua: KEYS[1] the hub's meta hash; ARGV[1] this server's layout version,
    // ARGV[2] now. Returns the layout version the hub's keys have.
    script_call init{"meta_init", script_effect::housekeeping, {prefix_ + "meta"},
                     {std::to_string(k_layout_version), std::to_string(now.count())}};
    redis::result r = co_await redis_.eval(std::move(init));
    if (!r) co_return "redis: " + r.error().message();
    if (r->is_error()) co_return "redis: meta_init: " + r->str;
    if (r->integer > k_layout_version)
        co_return "the hub's keys use layout version " + std::to_string(r->integer) + ", newer than this server's " +
            std::to_string(k_layout_version) + ": upgrade the server";
    co_return std::string{};
}

asio::awaitable<void> readiness_guard::watch()
{
    asio::steady_timer timer(co_await asio::this_coro::executor);
    std::uint64_t verified_generation = 0;
    for (;;) {
        if (!redis_.ready()) {
            verified_.store(false, std::memory_order_release);
        } else {
            auto generation = redis_.generation();
            if (!verified_.load(std::memory_order_acquire) || generation != verified_generation) {
                std::string problem = co_await verify();
                {
                    std::lock_guard lock(mutex_);
                    if (problem != problem_ && !problem.empty()) log::error("redis_refused", {{"reason", problem}});
                    problem_ = problem;
                }
                verified_generation = generation;
                verified_.store(problem.empty(), std::memory_order_release);
            }
        }
        timer.expires_after(std::chrono::milliseconds(100));
        co_await timer.async_wait(asio::use_awaitable);
    }
}

bool readiness_guard::ready() const { return redis_.ready() && verified_.load(std::memory_order_acquire); }

std::string readiness_guard::not_ready_reason() const
{
    if (!redis_.ready()) return redis_.not_ready_reason();
    std::lock_guard lock(mutex_);
    return problem_.empty() ? "redis: verifying" : problem_;
}

} // namespace sp::redis
