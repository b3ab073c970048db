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
#include "store/hub_store.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <memory>

namespace sp::live {

struct live_service {
    live_hub& hub;
    store::hub_store& store;
    live_settings settings;
};

class websocket_session : public live_socket, public std::enable_shared_from_this<websocket_session> {
public:
    websocket_session(boost::asio::ip::tcp::socket socket, live_service& service, std::string peer);
    ~websocket_session() override;

    /** Completes the upgrade of `req` and runs the session. */
    void start(http::request req);

    void deliver_update(const std::string& session_id, shared_bytes bytes) override;
    void deliver_message(shared_bytes bytes) override;
    void shutdown() override;

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

    boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
    live_service& service_;
    std::string peer_;
    update_queue queue_;
    boost::asio::steady_timer wake_;
    std::vector<std::pair<std::string, view>> subs_;
    double tokens_;
    update_queue::clock::time_point refilled_;
    bool registered_ = false;
    bool closing_ = false;
    bool writing_ = false;
};

} // namespace sp::live
