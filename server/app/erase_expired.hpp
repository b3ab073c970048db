#pragma once
/**
 * The retention sweeps' loop (founders' bookings, walk-in entries): erases what has
 * expired one batch per round trip until nothing is left, so a backlog clears at once.
 */
#include "domain/zoned_time.hpp"
#include "log/logger.hpp"

#include <boost/asio/awaitable.hpp>
#include <string_view>

namespace sp::app {

/** Runs `records.erase_expired(cutoff, now)` (a store's batch, answering how many it
 *  erased) until a batch erases nothing, or fails: logged as `failed_event`. The total,
 *  when any, is logged as `erased_event` with the field `count_key`; it is returned. */
template <class Records>
boost::asio::awaitable<int> erase_expired(Records& records, domain::instant cutoff, domain::instant now,
                                          std::string_view failed_event, std::string_view erased_event,
                                          std::string_view count_key)
{
    int total = 0;
    for (;;) {
        auto r = co_await records.erase_expired(cutoff, now);
        if (!r.ok()) {
            log::warn(failed_event, {{"reason", r.reason()}});
            break;
        }
        total += r.value;
        if (r.value == 0) break;
    }
    if (total > 0) log::info(erased_event, {{count_key, total}});
    co_return total;
}

} // namespace sp::app
