#pragma once
/**
 * One live client on /ws, the transport: the opening handshake (with the sign-in of
 * auth::resolve_session), then frames by our own sans-io codec (websocket/) straight on
 * the TCP socket, instead of Beast's websocket::stream (2.5 KiB per socket, and its
 * composed operations per write).
 * Reading: an idle socket waits for readability with nothing else of its own (no
 * coroutine, buffer or timer); what arrives is read into a per-thread buffer and parsed,
 * and protocol messages (rate-limited, size-limited, text only) are handled one at a
 * time, reading paused meanwhile; reading also waits while a write waits for the socket,
 * so a peer that does not read cannot make us queue pongs for it.
 * Writing: whole frames, one write in flight; pongs and pings first, then the close
 * frame (nothing after it), then what the socket's session_mailbox says comes next.
 * Each write is tried at once with a non-blocking send; only what the kernel does not
 * take right away waits for the socket.
 * Closing: the close frame (ours, or the echo of the peer's), then the sending side is
 * shut and the rest read and dropped until the peer closes; a peer that does not within
 * the slow-consumer grace is cut off.
 * Heartbeat: heartbeat() runs every half idle timeout (socket_shards::heartbeat): a
 * socket heard from since the last one is left alone, one silent for a whole interval is
 * pinged, one silent since its ping is dropped.
 * Everything but deliver_*() runs on the strand of the socket's shard (shared with other
 * sockets: see socket_shards.hpp); pending reads and writes keep the session alive.
 */
#include "http/message.hpp"
#include "live/admission_gate.hpp"
#include "live/live_hub.hpp"
#include "live/live_settings.hpp"
#include "live/recent_reads.hpp"
#include "live/session_mailbox.hpp"
#include "store/account_store.hpp"
#include "store/hub_stores.hpp"
#include "websocket/frame_parser.hpp"
#include "websocket/frame_writer.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/steady_timer.hpp>
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
    /** The strand of a shard (socket_shards::strand()): every handler of this session runs on it. */
    using shard_executor = boost::asio::strand<boost::asio::io_context::executor_type>;

    /** `socket` stays registered with the io_context as it was accepted (moving it to
     *  another executor would deregister and register it again: two epoll_ctl calls per
     *  connection); its handlers are bound to `strand`, the strand of `shard`. */
    websocket_session(boost::asio::ip::tcp::socket socket, shard_executor strand, live_service& service,
                      std::string peer, std::size_t shard);
    ~websocket_session() override;

    /** Completes the upgrade of `req` and runs the session. */
    void start(http::request req);

    bool deliver_update(const shared_update& update, bool private_watch) override;
    void start_writer() override { write_next(); }
    std::size_t shard() const override { return shard_; }
    void deliver_message(shared_bytes bytes) override;
    void shutdown() override;
    void sign_out() override;
    void heartbeat() override;

private:
    enum class phase : std::uint8_t {
        opening,  // the handshake: nothing is written or read as frames yet
        open,     // messages both ways
        closing,  // a close frame is queued or on its way: no more data out, data in is dropped
        draining, // both close frames exchanged (or the connection failed): reading until the peer closes
        closed
    };

    boost::asio::awaitable<void> run(std::shared_ptr<websocket_session> self, http::request req);
    /** Registers, identifies and completes the handshake; false when the socket is done. */
    boost::asio::awaitable<bool> open(http::request req);
    /** Answers the upgrade request with an HTTP problem instead, then closes. */
    boost::asio::awaitable<void> refuse(http::bhttp::status status, std::string code, std::string detail,
                                        std::string retry_after, std::string extra_header = {},
                                        std::string extra_value = {});

    /** Waits until the socket is readable (nothing else is held while it waits). */
    void read_next();
    void on_readable(boost::system::error_code ec);
    /** Acts on what the parser has, until it needs more bytes or a message is handled. */
    void take_events();
    boost::asio::awaitable<void> handle_owned(std::string text) { co_await handle(text); }
    boost::asio::awaitable<void> handle(std::string_view text);

    /** On the strand: writes the next frame, and the next, until there is nothing to
     *  write or the kernel takes no more right away. */
    void write_next();
    /** The data message to write next (merged from a run of states), or null. */
    shared_bytes next_message();
    void written(bool data, std::size_t payload_bytes);
    /** Posts write_next() when the mailbox says the writer was idle. */
    void wake(bool wanted);

    /** On the strand: sends a close frame with `code` after what is being written. */
    void begin_close(std::uint16_t code, std::string_view reason);
    /** Queues `frame` (a close frame) and gives the peer the grace to take it and close. */
    void start_closing(std::string frame);
    /** From any thread: begin_close() on the strand. */
    void close_with(std::uint16_t code, std::string reason);
    /** Shuts the sending side and reads until the peer closes. */
    void begin_draining();
    /** Closes the connection now (idempotent); the session ends when its handlers do. */
    void finish();

    /** On the strand: the founders of a changed session for a private subscription. */
    void want_bookings(const std::string& session_id, const std::string& expert_id);
    boost::asio::awaitable<void> subscribe(std::string id, view v, std::string since);
    void enqueue_message(std::string text);
    void check_backlog();
    bool allow_message();
    /** True on this session's strand: every handler must run there (the socket's own
     *  executor is the HTTP connection's, so a handler not bound to strand_ would race). */
    bool on_strand() const { return strand_.running_in_this_thread(); }
    void publish_views();
    /** The signed-in account of the upgrade request's session cookie, if any. */
    boost::asio::awaitable<void> identify(const http::request& req);
    bool may_see_bookings(const view& v) const;
    /** Reads the founders of `session_id` and sends them to the private subscriptions. */
    boost::asio::awaitable<void> send_bookings(std::string session_id);

    // A plain socket: the heartbeat, the close deadline and the handshake's guard are
    // its timeouts.
    boost::asio::ip::tcp::socket socket_;
    shard_executor strand_; // every handler runs here, never on the socket's own executor
    live_service& service_;
    std::string peer_;
    std::size_t shard_;
    // The ordering rules, and the only state shared with the hub's thread (see its header).
    session_mailbox mailbox_;
    websocket::frame_parser parser_;
    phase phase_ = phase::opening; // the rest: on the strand
    bool write_in_flight_ = false; // a write waits for the socket (or a turn on the strand)
    bool waiting_for_socket_ = false; // a write waits for the socket: the peer takes nothing now
    bool read_blocked_ = false;    // reading waits for that write (back-pressure on the peer)
    bool peer_closed_ = false;     // the peer ended its side (or reset): nothing more comes
    bool reading_ = false;         // a wait for readability is pending
    bool handling_ = false;        // a message is being handled: reading is paused
    bool heard_ = true;            // bytes came since the last heartbeat
    bool pinged_ = false;          // a ping went out since then
    websocket::frame_header header_; // of the data frame being written
    shared_bytes payload_;           // and its payload
    std::string control_out_;        // pongs and pings waiting for the writer
    std::string close_out_;          // the close frame waiting for the writer
    std::string control_writing_;    // control or close frame(s) being written
    bool writing_close_ = false;     // control_writing_ ends with the close frame
    std::vector<shared_bytes> unmerged_; // popped, to send before the queue (rare)
    // Made only when closing: idle sockets carry no timer.
    std::unique_ptr<boost::asio::steady_timer> close_deadline_;
    std::vector<subscription> subs_;
    double tokens_;
    update_queue::clock::time_point refilled_;
    store::account account_; // empty id: not signed in
    std::set<std::string> bookings_pending_; // sessions whose founders are being read
    bool registered_ = false;
};

} // namespace sp::live
