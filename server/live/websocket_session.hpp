#pragma once
/**
 * One live client on /ws, the transport: the WebSocket handshake (with the sign-in of
 * auth::resolve_session), a read loop that parses protocol messages (rate-limited,
 * size-limited, text only), and a write loop that writes what the socket's
 * session_mailbox says comes next, with one write in flight. What a subscription's
 * answer says is read by read_subscription(); the order of answers and live changes is
 * the mailbox's. Pings keep the connection alive and drop a dead peer after the idle
 * timeout. Everything but deliver_*() runs on the strand of the socket's shard (shared
 * with other sockets: see socket_shards.hpp); the pending reads and writes keep the
 * session alive.
 */
#include "http/message.hpp"
#include "live/admission_gate.hpp"
#include "live/live_hub.hpp"
#include "live/live_settings.hpp"
#include "live/recent_reads.hpp"
#include "live/session_mailbox.hpp"
#include "store/account_store.hpp"
#include "store/hub_stores.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <memory>
#include <optional>
#include <set>

namespace sp::live {

struct live_service {
    live_hub& hub;
    store::hub_stores& store;
    live_settings settings;
    /** Sockets opened with a session cookie belong to that account (null: none do). */
    store::account_store* accounts = nullptr;
    std::chrono::seconds session_idle{std::chrono::hours(2)};
    /** What the last sockets resuming from a version, or opening a view, read (shared). */
    std::shared_ptr<recent_reads<std::vector<change>>> recent_changes =
        std::make_shared<recent_reads<std::vector<change>>>();
    std::shared_ptr<recent_reads<std::vector<domain::session>>> recent_snapshots =
        std::make_shared<recent_reads<std::vector<domain::session>>>();
    /** Turns for handshakes and subscribes (shared by every socket of this instance). */
    std::shared_ptr<admission_gate> gate =
        std::make_shared<admission_gate>(settings.max_concurrent_opens, settings.max_waiting_opens);
};

class websocket_session : public live_socket, public std::enable_shared_from_this<websocket_session> {
public:
    /** `socket` runs on `shard`'s strand (socket_shards::adopt()). */
    websocket_session(boost::asio::ip::tcp::socket socket, live_service& service, std::string peer,
                      std::size_t shard = 0);
    ~websocket_session() override;

    /** Completes the upgrade of `req` and runs the session. */
    void start(http::request req);

    bool deliver_update(const shared_update& update, bool private_watch) override;
    void start_writer() override { write_next(); }
    std::size_t shard() const override { return shard_; }
    void deliver_message(shared_bytes bytes) override;
    void shutdown() override;
    void sign_out() override;

private:
    boost::asio::awaitable<void> run(std::shared_ptr<websocket_session> self, http::request req);
    /** Registers, identifies and completes the handshake; false when the socket is done. */
    boost::asio::awaitable<bool> open(http::request req);
    /** Answers the upgrade request with an HTTP problem instead, then closes. */
    boost::asio::awaitable<void> refuse(http::bhttp::status status, std::string code, std::string detail,
                                        std::string retry_after);
    /** On the strand: writes what the mailbox says comes next, then the next, until it says nothing. */
    void write_next();
    /** Posts write_next() when the mailbox says the writer was idle. */
    void wake(bool wanted);
    /** On the strand: the founders of a changed session for a private subscription. */
    void want_bookings(const std::string& session_id, const std::string& expert_id);
    boost::asio::awaitable<void> handle(std::string_view text);
    boost::asio::awaitable<void> subscribe(std::string id, view v, std::string since);
    void enqueue_message(std::string text);
    void check_backlog();
    bool allow_message();
    void publish_views();
    /** The signed-in account of the upgrade request's session cookie, if any. */
    boost::asio::awaitable<void> identify(const http::request& req);
    bool may_see_bookings(const view& v) const;
    /** Reads the founders of `session_id` and sends them to the private subscriptions. */
    boost::asio::awaitable<void> send_bookings(std::string session_id);
    void close_with(boost::beast::websocket::close_reason reason);

    // A plain socket under the WebSocket: its own timeouts (handshake, idle pings) cover
    // it, and tcp_stream's timers would cost every idle socket another 0.5 KiB.
    boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_;
    live_service& service_;
    std::string peer_;
    std::size_t shard_;
    // The ordering rules, and the only state shared with the hub's thread (see its header).
    session_mailbox mailbox_;
    bool write_in_flight_ = false; // on the strand: ws_ is writing a message now
    std::vector<shared_bytes> unmerged_; // on the strand: popped, to send before the queue (rare)
    // A close frame waiting behind a write (graceful stop, sign-out), and how long the
    // peer has to take that write (made only when needed: idle sockets carry no timer).
    std::optional<boost::beast::websocket::close_reason> pending_close_;
    std::unique_ptr<boost::asio::steady_timer> close_deadline_;
    std::vector<subscription> subs_;
    double tokens_;
    update_queue::clock::time_point refilled_;
    store::account account_; // empty id: not signed in
    std::set<std::string> bookings_pending_; // sessions whose founders are being read
    bool registered_ = false;
};

} // namespace sp::live
