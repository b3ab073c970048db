#pragma once
/** What the hub's stores are configured with (from [redis], [hub] and [booking]). */
#include "domain/booking_policy.hpp"
#include "domain/day_settings.hpp"

#include <chrono>
#include <string>

namespace sp::store {

struct store_settings {
    std::string prefix = "sp:{hub}:";
    std::int64_t change_log_max = 100'000;
    std::chrono::seconds idempotency_ttl{std::chrono::hours(24)};
    int waitlist_max = 20;
    std::chrono::minutes checkin_open{15}; // check-in opens this long before the effective start
    domain::booking_limits limits;
    domain::day_settings day; // the hub's defaults for the day at a camp (a camp may set release_after, auto_release)
    std::chrono::seconds release_sweep_every{30};
    int walkin_queue_max = 50;                      // founders in one camp's walk-in queue
    std::chrono::hours walkin_keep{12};             // a walk-in entry's data is erased this long after joining
    std::chrono::milliseconds walkin_sweep_every{500};
    std::chrono::days expansion_horizon{56};
    bool webhooks = false; // queue a webhook call next to each booking message
};

} // namespace sp::store
