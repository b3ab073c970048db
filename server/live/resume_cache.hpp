#pragma once
/**
 * The changes after a version, as a socket resuming from it last read them, for the
 * next sockets resuming from the same version. After a deploy or a network blip every
 * client of an instance reconnects with the same `since` within seconds; without this,
 * each of them reads the same log entries and sessions from Redis again.
 *
 * Exactness: an entry is used only when its `upto` equals the log's last id read by the
 * asking socket after it registered its views, so nothing appended since the cached read
 * can be missing (anything newer reaches the socket through the hub). Entries expire
 * after `ttl`; at most `max_entries` are kept (the oldest goes first). Thread-safe.
 */
#include "live/protocol.hpp"

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sp::live {

class resume_cache {
public:
    using clock = std::chrono::steady_clock;
    using changes = std::shared_ptr<const std::vector<change>>;

    explicit resume_cache(std::size_t max_entries = 64, std::chrono::milliseconds ttl = std::chrono::seconds(10));

    /** Every change after `since` when the log ends at `last`, or null. */
    changes find(const std::string& since, const std::string& last, clock::time_point now = clock::now());
    /** Remembers that the changes after `since` up to `upto` (inclusive) are `all`. */
    void put(std::string since, std::string upto, changes all, clock::time_point now = clock::now());

    std::uint64_t hits() const;

private:
    struct entry {
        std::string since;
        std::string upto;
        changes all;
        clock::time_point stored;
    };
    std::size_t max_entries_;
    std::chrono::milliseconds ttl_;
    mutable std::mutex mutex_;
    std::deque<entry> entries_; // oldest first
    std::uint64_t hits_ = 0;
};

} // namespace sp::live
