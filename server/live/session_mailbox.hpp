#pragma once
/**
 * The ordering rules of one live socket, without the socket: what it may write next.
 * A subscribe holds the mailbox while it reads its answer (snapshot or resume); nothing
 * is written before the answer, the changes that arrived meanwhile follow it in order,
 * and those the answer already carries (same or older version) are dropped. A change
 * whose recipients the hub chose with the socket's old views (its `seq` is at most the
 * answer's `chosen`) may still arrive after the answer: it is dropped too when the answer
 * carries it, so every change reaches a subscription once. A closed mailbox writes
 * nothing more, not even an answer that was being read when it closed.
 *
 * No executor and no socket: the transport (websocket_session) asks next() for what to
 * write and starts its writer when a call says `wake`; tests drive it directly.
 *
 * Thread-safety: every member may be called from any thread. The hub hands changes over
 * on its publishing thread (deliver()) while the socket's strand takes them (next()):
 * a short lock around O(1) queue steps lets a change be queued right there and cost a
 * hop to the strand only when the writer is idle, instead of one post per change and
 * socket. The lock is never held across I/O or a call out of this object.
 */
#include "live/update_queue.hpp"
#include "util/stream_id.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace sp::live {

class session_mailbox {
public:
    using clock = update_queue::clock;
    /** Session id -> the newest change-log version an answer carries for it. */
    using carried_versions = std::unordered_map<std::string, util::stream_id>;

    session_mailbox(std::size_t max_bytes, std::chrono::milliseconds grace) : queue_(max_bytes, grace) {}

    struct delivery {
        bool queued = false;      // false: closed, or the answer already carries it
        bool coalesced = false;   // it replaced a pending state of its session
        bool overwhelmed = false; // the backlog has been too big for too long
        bool wake = false;        // the writer was idle: start it
    };
    /** The new state of a session, from the hub. */
    delivery deliver(const shared_update& update, clock::time_point now);
    /** A message that goes out as is (error, pong, bookings, resync). True: start the writer. */
    bool push(shared_bytes message, clock::time_point now);

    /** A subscribe begins to read its answer: nothing is written until answer(). */
    void hold();
    /** Ends the hold. Queues `reply` (null: none, e.g. the read failed) ahead of the
     *  states that arrived meanwhile, dropping those it carries. `chosen` is what the hub's
     *  set_views() returned for the new views and `delivered` its delivered() count read
     *  after it: when some changes chosen with the old views are still on their way, what
     *  the answer carries is kept until they have arrived. True: start the writer. */
    bool answer(shared_bytes reply, carried_versions carried, std::uint64_t chosen, std::uint64_t delivered,
                clock::time_point now);

    /** What to write next: one message, or a run of up to `max_run` session states in a
     *  row (the transport merges them into one `changes` message). Empty: nothing may be
     *  written now (nothing queued, held or closed), and the writer is idle from here on. */
    std::vector<shared_bytes> next(std::size_t max_run, clock::time_point now);
    /** The same into `run` (cleared first), so a writer can keep one buffer for every
     *  write instead of allocating one per write. */
    void next(std::vector<shared_bytes>& run, std::size_t max_run, clock::time_point now);
    /** The writer stopped without asking next() (a failed write, a close frame sent). */
    void writer_stopped();

    /** Closes: nothing more is written. False when it was closed already. */
    bool close();
    bool closed() const { return closed_.load(std::memory_order_acquire); }
    /** Closes and drops everything when the backlog has been too big for too long;
     *  returns the bytes dropped then, nothing when it did not close. */
    std::optional<std::size_t> close_if_overwhelmed(clock::time_point now);
    bool overwhelmed(clock::time_point now) const;

private:
    bool wake_locked();

    mutable std::mutex mutex_;
    update_queue queue_;         // guarded by mutex_
    bool writer_active_ = false; // guarded by mutex_: a write is in flight or about to start
    bool held_ = false;          // guarded by mutex_: a subscribe is reading its answer
    // Guarded by mutex_: what the last answer carried, kept only while a change whose
    // recipients the hub chose before it (seq <= answered_seq_) may still be on its way.
    std::shared_ptr<const carried_versions> answered_;
    std::uint64_t answered_seq_ = 0;
    // Set under mutex_, read without it where a stale `false` only costs a lock.
    std::atomic<bool> closed_{false};
};

} // namespace sp::live
