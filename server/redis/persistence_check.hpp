#pragma once
/**
 * Asks a Redis server whether it keeps data across a restart (AOF or RDB save points).
 * The server refuses to run against one that persists nothing: every booking would be
 * lost on its next restart.
 */
#include "redis/client.hpp"

#include <boost/asio/awaitable.hpp>
#include <string>

namespace sp::redis {

struct persistence_report {
    bool known = false;      // false: CONFIG GET was refused (e.g. renamed on a managed Redis)
    bool append_only = false;
    std::string appendfsync; // always / everysec / no (when append_only)
    std::string save_points; // "" when RDB snapshots are off
    std::string error;       // why it is not known

    bool persists() const { return append_only || !save_points.empty(); }
};

boost::asio::awaitable<persistence_report> inspect_persistence(client& redis);

} // namespace sp::redis
