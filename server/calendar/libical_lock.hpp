#pragma once
/**
 * libical keeps process-wide state (the cache of built-in time zones it loads from the
 * system tz database, its error flags), so every use of it in the server holds this one
 * lock. The work under it is short: building one file or reading one feed.
 */
#include <mutex>

namespace sp::calendar {

inline std::mutex& libical_mutex()
{
    static std::mutex m;
    return m;
}

} // namespace sp::calendar
