#pragma once
/**
 * Releases no-shows automatically: every `every`, each instance looks at the sessions
 * of the camps with auto_release on that have started (within the last day) and not
 * ended, and releases each confirmed founder who has not checked in once the camp's
 * release time has passed (domain/attendance_rules). release.lua decides atomically,
 * so two instances sweeping at once, or a sweep racing the expert's click or a late
 * check-in, release a booking at most once and never a checked-in one. Nothing is kept
 * in memory between rounds: a restarted instance simply sweeps again. Runs on the
 * io_context, started supervised by the application.
 */
#include "redis/readiness_guard.hpp"
#include "store/hub_stores.hpp"

#include <boost/asio/awaitable.hpp>
#include <chrono>

namespace sp::app {

class release_sweep {
public:
    release_sweep(store::hub_stores& store, const redis::readiness_guard& guard, std::chrono::seconds every);

    /** Sweeps every `every` until stopped. */
    boost::asio::awaitable<void> run();
    /** One round at `now`; the number of bookings this instance released. */
    boost::asio::awaitable<int> sweep_once(domain::instant now);

private:
    store::hub_stores& store_;
    const redis::readiness_guard& guard_;
    std::chrono::seconds every_;
};

} // namespace sp::app
