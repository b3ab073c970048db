#pragma once
/**
 * The settings of a day at a camp (check-in, releasing no-shows, walk-ins, the expert's
 * controls during the day, the no-show limit), with the hub's defaults. The hub-wide
 * values come from [booking] of the config; release_after and auto_release may differ
 * per camp. Plain values.
 */
#include <chrono>

namespace sp::domain {

struct day_settings {
    std::chrono::minutes checkin_open{15};     // a founder may check in this long before the start
    std::chrono::minutes late_notice{24 * 60}; // the expert may say they run late this long before the start
    std::chrono::minutes release_after{10};    // a confirmed founder not checked in this long after the start is a no-show
    bool auto_release = true;                  // ... and is released without the expert's click
    std::chrono::minutes walkin_horizon{30};   // a free slot starting within this is offered to walk-ins
    std::chrono::seconds claim{300};           // a walk-in has this long to take an offer (5 minutes)
    std::chrono::minutes min_walkin{10};       // a slot (or the rest of one) shorter than this is not offered
    std::chrono::minutes extend_by{10};        // "extend" adds this much
    int no_show_limit = 2;                     // no-shows within the window that limit a founder
    int limited_upcoming = 1;                  // ... to this many upcoming bookings
    std::chrono::days no_show_window{60};      // calendar days in the camp's zone
};

} // namespace sp::domain
