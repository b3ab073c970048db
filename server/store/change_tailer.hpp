#pragma once
/**
 * Follows the hub's change log with XREAD BLOCK on a connection of its own and hands
 * every batch of new entries, in order, to a handler. After a Redis disconnect it
 * resumes from the last entry it handed on; if the log was trimmed past that entry in
 * the meantime (entries may have been lost to it), it reports a gap instead, and the
 * live layer tells its clients to resync. Runs as one coroutine on the io_context.
 */
#include "redis/client.hpp"
#include "store/change_log.hpp"
#include "store/keys.hpp"

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <mutex>

namespace sp::store {

class change_tailer {
public:
    using batch_handler = std::function<boost::asio::awaitable<void>(std::vector<log_entry>)>;
    using gap_handler = std::function<void(std::string reason)>;

    change_tailer(redis::client& redis, keys k, batch_handler on_batch, gap_handler on_gap,
                  std::chrono::milliseconds block = std::chrono::milliseconds(2000));

    /** Sets the starting position to the current end of the log. Call before the
     *  server takes its first subscription, so no change can fall between a client's
     *  snapshot and the tailer's start; "" on success, else why it failed. */
    boost::asio::awaitable<std::string> prime();
    /** Follows the log until stop(), from the primed position (or the end of the log). */
    boost::asio::awaitable<void> run();
    void stop();

    /** The id of the last entry handed on ("" before the first). */
    std::string position() const;
    /** Milliseconds between an entry's creation and its hand-over, for the last batch. */
    std::int64_t lag_ms() const { return lag_ms_.load(std::memory_order_relaxed); }
    bool following() const { return following_.load(std::memory_order_relaxed); }

private:
    boost::asio::awaitable<redis::result> shared(redis::command_args cmd);

    redis::client& redis_;
    keys keys_;
    batch_handler on_batch_;
    gap_handler on_gap_;
    std::chrono::milliseconds block_;
    std::shared_ptr<redis::connection> conn_;
    std::atomic<bool> stopped_{false};
    std::atomic<bool> following_{false};
    std::atomic<std::int64_t> lag_ms_{0};
    mutable std::mutex mutex_;
    std::string position_;
};

} // namespace sp::store
