#pragma once
/**
 * One live client on /ws: the WebSocket handshake, a read loop that parses protocol
 * messages (rate-limited, size-limited, text only), and a write loop that drains the
 * socket's bounded update_queue with one write in flight. Snapshots and resumes are
 * read from the store; live changes arrive from the hub. Pings keep the connection
 * alive and drop a dead peer after the idle timeout. Everything runs on the socket's
 * strand; the pending reads and writes keep the session alive.
 */
#include "http/message.hpp"
#include "live/live_hub.hpp"
#include "live/live_settings.hpp"
#include "live/update_queue.hpp"
#include "store/account_store.hpp"
#include "store/hub_store.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <memory>
#include <optional>
#include <set>

namespace sp::live {

struct live_service {
    live_hub& hub;
    store::hub_store& store;
    live_settings settings;
    /** Sockets opened with a session cookie belong to that account (null: none do). */
    store::account_store* accounts = nullptr;
    std::chrono::seconds session_idle{std::chrono::hours(2)};
};

class websocket_session : public live_socket, public std::enable_shared_from_this<websocket_session> {
public:
    websocket_session(boost::asio::ip::tcp::socket socket, live_service& service, std::string peer);
    ~websocket_session() override;

    /** Completes the upgrade of `req` and runs the session. */
    void start(http::request req);

    void deliver_update(const std::string& session_id, const std::string& expert_id, shared_bytes bytes) override;
    void deliver_message(shared_bytes bytes) override;
    void shutdown() override;
    void sign_out() override;

private:
    boost::asio::awaitable<void> run(http::request req);
    boost::asio::awaitable<void> write_loop();
    boost::asio::awaitable<void> handle(std::string_view text);
    boost::asio::awaitable<void> subscribe(std::string id, view v, std::string since);
    void enqueue_message(std::string text);
    void wake_writer();
    void check_backlog();
    bool allow_message();
    void publish_views();
    /** The signed-in account of the upgrade request's session cookie, if any. */
    boost::asio::awaitable<void> identify(const http::request& req);
    bool may_see_bookings(const view& v) const;
    /** Reads the founders of `session_id` and sends them to the private subscriptions. */
    boost::asio::awaitable<void> send_bookings(std::string session_id);
    void close_with(boost::beast::websocket::close_reason reason);

    boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
    live_service& service_;
    std::string peer_;
    update_queue queue_;
    boost::asio::steady_timer wake_;
    boost::asio::steady_timer close_deadline_; // for a close frame waiting behind a write
    std::optional<boost::beast::websocket::close_reason> pending_close_;
    std::vector<std::pair<std::string, view>> subs_;
    double tokens_;
    update_queue::clock::time_point refilled_;
    store::account account_; // empty id: not signed in
    std::set<std::string> bookings_pending_; // sessions whose founders are being read
    bool registered_ = false;
    bool closing_ = false;
    bool writing_ = false;
};

} // namespace sp::live
