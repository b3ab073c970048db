#pragma once
/**
 * Checks every Redis the server connects to (at start-up, after a reconnect or a
 * failover) before it counts as usable: it must persist data (AOF or RDB) unless
 * redis.accept_data_loss is set, and its keyspace layout must not be newer than this
 * server understands. The verdict feeds /readyz. Runs on the io_context.
 */
#include "redis/client.hpp"

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <mutex>
#include <string>

namespace sp::redis {

/** The layout version of the keys this server writes (schema/redis.md). */
inline constexpr int k_layout_version = 1;

class readiness_guard {
public:
    readiness_guard(client& redis, std::string prefix, bool accept_data_loss);

    /** Checks the current connection; "" if fine, else the reason. */
    boost::asio::awaitable<std::string> verify();
    /** Re-verifies after each reconnect until the io_context stops. */
    boost::asio::awaitable<void> watch();

    /** Connected, scripts loaded and verified. */
    bool ready() const;
    std::string not_ready_reason() const;

private:
    client& redis_;
    std::string prefix_;
    bool accept_data_loss_;
    std::atomic<bool> verified_{false};
    mutable std::mutex mutex_;
    std::string problem_;
};

} // namespace sp::redis
