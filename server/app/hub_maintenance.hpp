#pragma once
/**
 * Background upkeep of the hub's data: applies the configured seed file once (the demo
 * hub of tools/run; re-applied only when the file changes), and extends the rolling
 * horizon by re-expanding every office-hour rule periodically. Expansion is idempotent,
 * so several instances doing it at once write nothing twice. Runs on the io_context.
 */
#include "app/redis_guard.hpp"
#include "store/hub_store.hpp"

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>

namespace sp::app {

class hub_maintenance {
public:
    hub_maintenance(store::hub_store& store, const redis_guard& guard, std::string seed_file,
                    std::chrono::minutes interval);

    /** "" on success (or nothing to do), else why the seed could not be applied. */
    boost::asio::awaitable<std::string> apply_seed_once();
    /** Expands every `interval` (and applies the seed if it was not yet) until stopped. */
    boost::asio::awaitable<void> run();

private:
    store::hub_store& store_;
    const redis_guard& guard_;
    std::string seed_file_;
    std::chrono::minutes interval_;
    bool seeded_ = false;
};

} // namespace sp::app
