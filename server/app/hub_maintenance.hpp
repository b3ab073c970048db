#pragma once
/**
 * Background upkeep of the hub's data: applies the configured seed file once (the demo
 * hub of tools/run; re-applied only when the file changes), and extends the rolling
 * horizon by re-expanding every office-hour rule periodically. Expansion is idempotent,
 * so several instances doing it at once write nothing twice. Erases founders' personal
 * data once the retention period after their session has passed (idempotent too).
 * Runs on the io_context.
 */
#include "redis/readiness_guard.hpp"
#include "store/hub_stores.hpp"

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>

namespace sp::app {

struct retention_policy {
    std::chrono::seconds keep{std::chrono::days(180)}; // after the session ended
    std::chrono::seconds sweep_every{3600};
};

class hub_maintenance {
public:
    hub_maintenance(store::hub_stores& store, const redis::readiness_guard& guard, std::string seed_file,
                    std::chrono::minutes interval, retention_policy retention);

    /** "" on success (or nothing to do), else why the seed could not be applied. */
    boost::asio::awaitable<std::string> apply_seed_once();
    /** Expands every `interval` (and applies the seed if it was not yet) until stopped. */
    boost::asio::awaitable<void> run();

private:
    store::hub_stores& store_;
    const redis::readiness_guard& guard_;
    std::string seed_file_;
    std::chrono::minutes interval_;
    retention_policy retention_;
    bool seeded_ = false;
};

} // namespace sp::app
