#pragma once
/**
 * Reading the hub's change log (a Redis stream every script appends to): what live
 * clients resume from, and the audit trail admins read.
 * Thread-safety: all members may be called concurrently from any strand.
 */
#include "store/change_log.hpp"
#include "store/outcome.hpp"
#include "store/script_runner.hpp"

#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

namespace sp::store {

/** The change log's first and last entry ids ('' when empty), and whether a resuming
 *  client's `since` is an entry of this log (only then can it be resumed from). */
struct log_position {
    std::string first;
    std::string last;
    bool since_in_log = false;
};

class change_log_store {
public:
    explicit change_log_store(script_runner& runner) : runner_(runner), keys_(runner.key()) {}

    /** Up to `count` entries after `version` (exclusive), oldest first. */
    boost::asio::awaitable<result<std::vector<log_entry>>> log_after(std::string version, std::size_t count);
    /** The change log's ends, and whether `since` is one of its entries. */
    boost::asio::awaitable<result<log_position>> log_bounds(std::string since);
    /** Change-log entries made by someone (those with a `by`), newest first, older than
     *  `before` (a version; "" = from the newest). */
    boost::asio::awaitable<result<std::vector<log_entry>>> audit(std::string before, std::size_t limit);

private:
    script_runner& runner_;
    const keys& keys_;
};

} // namespace sp::store
