#pragma once
/**
 * Counts, per client address, the secret-token lookups that found nothing (manage
 * links, calendar feeds, invitations), so an address that guesses is stopped for the
 * rest of a window. The address is stored only as a SHA-256 in the key name.
 * Thread-safety: all members from any strand.
 */
#include "redis/client.hpp"
#include "domain/zoned_time.hpp"
#include "store/outcome.hpp"
#include "store/script_runner.hpp"
#include "store/keys.hpp"

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>

namespace sp::store {

class guess_store {
public:
    explicit guess_store(script_runner& runner);

    /** How long `address` must wait before its next lookup (0: it may look up now),
     *  given `limit` misses per window. */
    boost::asio::awaitable<result<std::chrono::milliseconds>> wait_for(std::string address, int limit,
                                                                       std::chrono::seconds window);
    /** Counts one miss of `address`; the wait that follows from it, as for wait_for. */
    boost::asio::awaitable<result<std::chrono::milliseconds>> count_miss(std::string address, int limit,
                                                                         std::chrono::seconds window);

private:
    boost::asio::awaitable<result<std::chrono::milliseconds>> step(std::string mode, std::string address, int limit,
                                                                   std::chrono::seconds window);

    script_runner& runner_;
    redis::client& redis_;
    keys keys_;
};

/** The unit an address is counted in: an IPv4 address as it is, an IPv6 address by its
 *  /64 (one subscriber usually holds a whole /64). */
std::string guessing_unit(std::string_view address);

} // namespace sp::store
