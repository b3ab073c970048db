#pragma once
/**
 * Moves each camp's walk-in queue along: every `every`, each instance expires the offers
 * whose deadline has passed, then, for each camp with founders in its queue, looks at the
 * camp's sessions around now and offers every seat free for walk-ins
 * (domain::walkin_slot) to the next founder in line (domain::next_in_line). The scripts
 * decide atomically (walkin_settle.lua, walkin_offer.lua), so several instances sweeping
 * at once never offer a seat twice or out of queue order, and a restarted or killed
 * instance loses nothing: deadlines live in Redis. Runs on the io_context, started
 * supervised by the application. Once a minute it also erases the entries older than
 * `walkin_keep` (their personal data with them).
 */
#include "redis/readiness_guard.hpp"
#include "store/hub_stores.hpp"

#include <boost/asio/awaitable.hpp>
#include <chrono>

namespace sp::app {

class walkin_sweep {
public:
    walkin_sweep(store::hub_stores& store, const redis::readiness_guard& guard, std::chrono::milliseconds every);

    /** Sweeps every `every` until stopped. */
    boost::asio::awaitable<void> run();
    struct counts {
        int expired = 0, offered = 0;
    };
    /** One round at `now`: what this instance expired and offered. */
    boost::asio::awaitable<counts> sweep_once(domain::instant now);
    /** Erases the entries that joined more than walkin_keep before `now`; how many. */
    boost::asio::awaitable<int> erase_old(domain::instant now);

private:
    /** Offers `s`'s free seat to the next in `queue` (rereading it when another instance
     *  moved it); true when this instance made the offer. */
    boost::asio::awaitable<bool> offer_seat(const domain::session& s, std::vector<store::walkin_entry> queue,
                                            const domain::day_settings& day, domain::instant now);

    store::hub_stores& store_;
    const redis::readiness_guard& guard_;
    std::chrono::milliseconds every_;
};

} // namespace sp::app
