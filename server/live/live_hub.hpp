#pragma once
/**
 * Who watches what on this instance, and the fan-out of changes to them. Every socket
 * registers its subscriptions (views); publish() serialises each change once and hands
 * the same bytes to every socket with a matching view. Also counts sockets per client
 * address (for the limit) and keeps the live metrics.
 * Thread-safety: all members from any thread; the lock is held only to copy who gets
 * what, sockets are called outside it (they queue under their own short lock).
 */
#include "live/protocol.hpp"
#include "live/update_queue.hpp"

#include <atomic>
#include <functional>
#include <memory>
#include <condition_variable>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace sp::live {

/** What the hub needs from a socket; implemented by websocket_session. */
class live_socket {
public:
    virtual ~live_socket() = default;
    /** The new state of one session (coalesced with a pending one). Called on the
     *  publishing thread: it must not block beyond a short lock. `private_watch`: a
     *  private expert subscription of this socket watches the session's expert, so its
     *  founders are sent too. True: the socket's writer was idle and must be started
     *  (the hub has start_writer() called for it, with the others of its shard). */
    virtual bool deliver_update(const shared_update& update, bool private_watch) = 0;
    /** On the socket's shard: writes what deliver_update() queued. */
    virtual void start_writer() = 0;
    /** The shard (see socket_shards) the socket's handlers run on. */
    virtual std::size_t shard() const = 0;
    /** A message that must arrive as is (resync). */
    virtual void deliver_message(shared_bytes bytes) = 0;
    /** Closes with 1001: the server is going away. */
    virtual void shutdown() = 0;
    /** Closes with 1008: the account it was opened with signed out. */
    virtual void sign_out() = 0;
    /** On the socket's shard, every half idle timeout: pings a silent peer, drops one
     *  that stayed silent since its ping. */
    virtual void heartbeat() = 0;
};

/** One subscription of a socket: the client's id for it, what it watches, and the
 *  change-log version its answer (snapshot or resume) already carries. Changes up to
 *  that version are not sent to it again: a client resuming while this instance still
 *  follows the log gets each missed change once. */
struct subscription {
    std::string id;
    view what;
    version_order covered{0, 0}; // {0,0}: send every change
};

struct live_metrics {
    std::atomic<std::uint64_t> messages_sent{0};
    std::atomic<std::uint64_t> bytes_sent{0};
    std::atomic<std::uint64_t> coalesced{0};
    std::atomic<std::uint64_t> slow_closes{0};
    std::atomic<std::uint64_t> changes_published{0};
};

class live_hub {
public:
    using clock_fn = std::function<domain::instant()>;
    /** Has start_writer() called, on `shard`, for each of `sockets` (one handler for
     *  all of them: see socket_shards). Called on the publishing thread. */
    using wake_fn = std::function<void(std::size_t shard, std::vector<std::shared_ptr<live_socket>> sockets)>;
    /** Without `wake`, writers are started right away on the publishing thread (tests). */
    explicit live_hub(clock_fn now, wake_fn wake = {});
    /** Every socket must be gone first (they call remove() on their way out): a hub that
     *  still has sockets logs `live_hub_outlived` (the shutdown order is wrong). */
    ~live_hub();
    live_hub(const live_hub&) = delete;
    live_hub& operator=(const live_hub&) = delete;

    /** Registers a socket from `peer`; false when that address already has `max_per_peer`. */
    bool add(const std::shared_ptr<live_socket>& s, const std::string& peer, std::size_t max_per_peer);
    void remove(live_socket* s);
    /** The account a socket was opened with (its session cookie). */
    void set_account(live_socket* s, std::string account_id);
    /** Closes every socket of an account (it signed out, on any instance). */
    void close_account(std::string_view account_id);
    /** Replaces the socket's subscriptions. Returns how many changes had their
     *  recipients chosen before (with the old views): those may still be on their way. */
    std::uint64_t set_views(live_socket* s, std::vector<subscription> views);
    /** How many changes have been handed to all their recipients (in order). */
    std::uint64_t delivered() const { return delivered_.load(std::memory_order_acquire); }

    /** Sends each change to every socket watching its session. */
    void publish(const std::vector<change>& changes);
    /** Sends a camp's new walk-in summary (`message`: walkins_message()) to every socket
     *  watching walkins:<camp>; one message for all of them, coalesced per camp in each
     *  socket's queue like a session's state. */
    void publish_walkins(std::string_view camp, std::string_view version, shared_bytes message);
    /** Tells every socket to resubscribe (the change log could not be followed). */
    void resync_all(std::string_view reason);

    /** Closes every socket with 1001 (graceful stop). */
    void close_all();
    /** Every open socket, by shard (index: live_socket::shard(); `shards` of them). */
    std::vector<std::vector<std::shared_ptr<live_socket>>> sockets_by_shard(std::size_t shards) const;

    std::size_t sockets() const;
    /** Blocks the calling thread (not an io thread) until no socket is left or
     *  `deadline` passes; true if none is left. */
    bool wait_until_empty(std::chrono::steady_clock::time_point deadline) const;
    std::size_t subscriptions() const;
    live_metrics& metrics() { return metrics_; }

private:
    struct entry {
        std::weak_ptr<live_socket> socket;
        std::string peer;
        std::string account;
        std::vector<subscription> views;
    };
    /** Under publish_mutex_: a writer to start once the change is queued everywhere. */
    void wake_later(std::shared_ptr<live_socket> s);
    /** Wakes the writers deliver_update() asked for, one call per shard. */
    void wake_targets();

    clock_fn now_;
    wake_fn wake_;
    mutable std::mutex mutex_;
    mutable std::condition_variable emptied_; // notified when the last socket leaves
    std::unordered_map<live_socket*, entry> sockets_;
    std::unordered_map<std::string, std::size_t> per_peer_;
    std::uint64_t chosen_ = 0; // guarded by mutex_: changes whose recipients were chosen
    std::atomic<std::uint64_t> delivered_{0};
    live_metrics metrics_;
    std::mutex publish_mutex_; // one publish() at a time: it owns targets_
    std::vector<std::pair<std::shared_ptr<live_socket>, bool>> targets_; // kept between publishes
    std::vector<std::vector<std::shared_ptr<live_socket>>> to_wake_;     // by shard, guarded by publish_mutex_
};

} // namespace sp::live
