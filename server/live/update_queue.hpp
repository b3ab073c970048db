#pragma once
/**
 * What one WebSocket still has to send, bounded whatever the update rate: at most one
 * pending update per session (a newer state replaces the older one where it stands in
 * line, so a slow screen gets the latest state, not a backlog), plus a FIFO of other
 * messages (snapshots, errors, pongs). Message bytes are shared between all sockets
 * that send them (serialised once).
 *
 * The queue also decides when a consumer is hopeless: when its backlog has stayed over
 * `max_bytes` for longer than `grace`, overwhelmed() says so and the socket closes with
 * 1013 (the client reconnects with `since`). A plain object without I/O: the socket's
 * session_mailbox owns it (under its lock); tests drive it directly.
 */
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace sp::live {

using shared_bytes = std::shared_ptr<const std::string>;

/** The new state of one session as every socket watching it sends it: built once per
 *  change and shared, so a socket queues a pointer, not a copy. */
struct session_update {
    session_update(std::string session, std::string expert, std::string version, shared_bytes message,
                   std::uint64_t seq = 0);
    std::string session_id;
    std::string expert_id;
    std::string version; // the change-log id of this state
    std::uint64_t seq;   // the hub's count of changes fanned out when this one's recipients were chosen
    std::size_t key; // hash of session_id, computed once for every queue
    shared_bytes bytes;
};
using shared_update = std::shared_ptr<const session_update>;

class update_queue {
public:
    using clock = std::chrono::steady_clock;

    update_queue(std::size_t max_bytes, std::chrono::milliseconds grace) : max_bytes_(max_bytes), grace_(grace) {}

    /** Queues the state of one session; replaces a pending state of the same session. */
    void push_update(shared_update update, clock::time_point now);
    void push_update(const std::string& session_id, shared_bytes bytes, clock::time_point now);
    /** Queues a message that must not be merged (snapshot, error, pong). */
    void push_message(shared_bytes bytes, clock::time_point now);
    /** The next message to write, or null when there is none. */
    shared_bytes pop(clock::time_point now);

    /** True when the next message to write is a session's state (a `changes` message). */
    bool front_is_update() const { return !empty() && order_[head_].update != nullptr; }

    /** Removes the pending session states `pick` selects and returns them in queue order
     *  (a socket answering a subscribe drops those its answer already carries and queues
     *  the newer ones again, behind the answer). */
    std::vector<shared_update> take_updates(const std::function<bool(const session_update&)>& pick,
                                            clock::time_point now);

    /** Drops everything pending (e.g. before a resync). */
    void clear();

    bool empty() const { return head_ == order_.size(); }
    std::size_t pending_bytes() const { return bytes_; }
    std::size_t pending_messages() const { return order_.size() - head_; }
    std::uint64_t coalesced() const { return coalesced_; }
    /** True when the backlog has been over max_bytes for longer than the grace. */
    bool overwhelmed(clock::time_point now) const;

private:
    struct entry {
        shared_update update; // null for plain messages
        shared_bytes message;
        const shared_bytes& bytes() const { return update ? update->bytes : message; }
    };
    void account(clock::time_point now);

    std::size_t max_bytes_;
    std::chrono::milliseconds grace_;
    // The line: entries from head_ on. A vector, not a deque: an empty one allocates
    // nothing (a deque allocates 576 bytes up front), and most sockets are idle.
    std::vector<entry> order_;
    std::size_t head_ = 0;
    /** The pending state of u's session, if one is in line. */
    entry* pending_of(const session_update& u);
    void index_all();
    std::unordered_map<std::size_t, std::uint64_t> position_; // session key -> sequence number (see cpp)
    bool indexed_ = false; // position_ is in use (a long line); else the line is scanned
    std::uint64_t popped_ = 0;                               // entries popped so far: index base
    std::size_t bytes_ = 0;
    std::uint64_t coalesced_ = 0;
    bool over_ = false;
    clock::time_point over_since_{};
};

} // namespace sp::live
