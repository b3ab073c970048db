#include "app/hub_maintenance.hpp"

#include "app/erase_expired.hpp"
#include "app/seed_apply.hpp"
#include "app/seed_file.hpp"
#include "log/logger.hpp"
#include "util/secrets.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fstream>
#include <sstream>

namespace asio = boost::asio;

namespace sp::app {
namespace {
domain::instant now() { return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()); }
} // namespace

hub_maintenance::hub_maintenance(store::hub_stores& store, const redis::readiness_guard& guard, std::string seed_file,
                                 std::chrono::minutes interval, retention_policy retention)
    : store_(store), guard_(guard), seed_file_(std::move(seed_file)), interval_(interval), retention_(retention)
{
}

asio::awaitable<std::string> hub_maintenance::apply_seed_once()
{
    if (seed_file_ == "none" || seeded_) co_return std::string{};
    std::ifstream in(seed_file_, std::ios::binary);
    if (!in) co_return "option hub.seed_file: " + seed_file_ + " cannot be opened";
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    std::string marker = "seed:" + util::sha256_hex(text);
    auto applied = co_await store_.catalog.meta_get(marker);
    if (!applied.ok()) co_return "redis: " + applied.detail;
    if (!applied.value.empty()) {
        seeded_ = true;
        co_return std::string{};
    }
    try {
        hub_seed seed = parse_seed(text, seed_file_, now());
        seed_counts n = co_await apply_seed(store_.catalog, store_.schedule, seed, now());
        auto done = co_await store_.catalog.meta_set(marker, std::to_string(now().time_since_epoch().count()));
        if (!done.ok()) co_return "redis: " + done.detail;
        log::info("seed_applied", {{"file", seed_file_},
                                   {"camps", n.camps},
                                   {"experts", n.experts},
                                   {"rules", n.rules},
                                   {"events", n.events},
                                   {"sessions_created", n.sessions_created}});
    } catch (const seed_error& e) {
        co_return "option hub.seed_file: " + std::string(e.what());
    }
    seeded_ = true;
    co_return std::string{};
}

asio::awaitable<void> hub_maintenance::run()
{
    asio::steady_timer timer(co_await asio::this_coro::executor);
    auto next_expansion = std::chrono::steady_clock::now() + interval_;
    auto next_sweep = std::chrono::steady_clock::now();
    for (;;) {
        timer.expires_after(std::chrono::seconds(1));
        co_await timer.async_wait(asio::use_awaitable);
        if (!guard_.ready()) continue;
        if (!seeded_) {
            std::string problem = co_await apply_seed_once();
            if (!problem.empty()) log::error("seed_failed", {{"reason", problem}});
            // A broken file is reported once, not every second; Redis trouble is retried.
            if (!problem.starts_with("redis:")) seeded_ = true;
        }
        if (std::chrono::steady_clock::now() >= next_sweep) {
            next_sweep = std::chrono::steady_clock::now() + retention_.sweep_every;
            domain::instant at = now();
            co_await erase_expired(store_.founders, at - retention_.keep, at, "retention_failed", "retention_erased",
                                   "bookings");
        }
        if (std::chrono::steady_clock::now() < next_expansion) continue;
        next_expansion = std::chrono::steady_clock::now() + interval_;
        auto r = co_await store_.schedule.expand_all(now());
        if (!r.ok()) log::warn("expansion_failed", {{"reason", r.reason()}});
        else if (r.value.created || r.value.removed || r.value.orphaned)
            log::info("expansion", {{"created", r.value.created},
                                    {"updated", r.value.updated},
                                    {"removed", r.value.removed},
                                    {"orphaned", r.value.orphaned}});
    }
}

} // namespace sp::app
