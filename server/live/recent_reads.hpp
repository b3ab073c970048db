#pragma once
/**
 * What a socket read from Redis to start watching (the changes after a version, or a
 * view's snapshot), for the next sockets that ask the same. After a deploy or a network
 * blip every client of an instance reconnects within seconds, with the same `since` or
 * the same view (the lobby screens of a camp); without this each of them reads the same
 * log entries and sessions again.
 *
 * Exactness: an entry is used only when its `upto` equals the log's last id read by the
 * asking socket after it registered its views, so nothing appended since the cached read
 * can be missing (anything newer reaches the socket through the hub). Entries expire
 * after `ttl` (views that depend on the time of day stay right within it); at most
 * `max_entries` are kept, the oldest goes first. Thread-safe.
 */
#include <algorithm>
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

namespace sp::live {

template <class T>
class recent_reads {
public:
    using clock = std::chrono::steady_clock;
    using value = std::shared_ptr<const T>;

    explicit recent_reads(std::size_t max_entries = 64, std::chrono::milliseconds ttl = std::chrono::seconds(2))
        : max_entries_(std::max<std::size_t>(1, max_entries)), ttl_(ttl)
    {
    }

    /** What was read for `key` when the log ended at `last`, or null. */
    value find(const std::string& key, const std::string& last, clock::time_point now = clock::now())
    {
        std::lock_guard lock(mutex_);
        while (!entries_.empty() && now - entries_.front().stored > ttl_) entries_.pop_front();
        for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
            if (it->key == key && it->upto == last) {
                ++hits_;
                return it->data;
            }
        }
        return nullptr;
    }

    /** Remembers what was read for `key`, covering the log up to `upto` (inclusive). */
    void put(std::string key, std::string upto, value data, clock::time_point now = clock::now())
    {
        std::lock_guard lock(mutex_);
        std::erase_if(entries_, [&](const entry& e) { return e.key == key; });
        if (entries_.size() >= max_entries_) entries_.pop_front();
        entries_.push_back({std::move(key), std::move(upto), std::move(data), now});
    }

    std::uint64_t hits() const
    {
        std::lock_guard lock(mutex_);
        return hits_;
    }

private:
    struct entry {
        std::string key;
        std::string upto;
        value data;
        clock::time_point stored;
    };
    std::size_t max_entries_;
    std::chrono::milliseconds ttl_;
    mutable std::mutex mutex_;
    std::deque<entry> entries_; // oldest first
    std::uint64_t hits_ = 0;
};

} // namespace sp::live
