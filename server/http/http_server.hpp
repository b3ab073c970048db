#pragma once
/**
 * Accepts TCP connections and runs one http_session per connection, each on its own
 * strand. Enforces http.max_connections (503 and close above it) and keeps a registry
 * of live sessions so a graceful stop can tell each one to finish its current request
 * and close. Thread-safety: listen()/start() at start-up; the rest from any thread.
 */
#include "http/router.hpp"
#include "http/server_metrics.hpp"
#include "http/server_settings.hpp"

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace sp::http {

class http_session;

/** Where WebSocket upgrade requests for `path` go. `check` may refuse with a response
 *  (e.g. 403 for a foreign Origin); otherwise `accept` takes over the socket. */
struct upgrade_route {
    std::string path;
    std::function<std::optional<response>(const request&)> check;
    std::function<void(boost::asio::ip::tcp::socket, request, std::string peer)> accept;
};


class http_server {
public:
    /** Accepts on every lane, each with a listening socket of its own on the same port
     *  (SO_REUSEPORT: the kernel spreads new connections over them); a connection's session
     *  runs on the lane that accepted it, from the first byte to the close (see
     *  task/io_lanes.hpp). */
    http_server(std::vector<boost::asio::io_context*> lanes, server_settings settings, const router& routes,
                server_metrics& metrics);
    http_server(boost::asio::io_context& ioc, server_settings settings, const router& routes, server_metrics& metrics)
        : http_server(std::vector<boost::asio::io_context*>{&ioc}, std::move(settings), routes, metrics)
    {
    }

    /** Binds and listens; throws std::runtime_error naming the option on failure. */
    boost::asio::ip::tcp::endpoint listen(const std::string& address, std::uint16_t port);
    void start();
    /** Closes the listening socket: no new connections. */
    void stop_accepting();
    /** Asks every session to finish its request in flight and close. */
    void shutdown_sessions();
    std::size_t open_sessions() const;
    /** Blocks the calling thread (not an io thread) until no session is open or
     *  `deadline` passes; true if none is open. */
    bool wait_until_closed(std::chrono::steady_clock::time_point deadline) const;

    const server_settings& settings() const { return settings_; }
    const router& routes() const { return routes_; }
    server_metrics& metrics() { return metrics_; }
    std::string next_request_id();
    void set_upgrade(upgrade_route route) { upgrade_ = std::move(route); }
    const upgrade_route& upgrade() const { return upgrade_; }
    bool stopping() const { return stopping_.load(std::memory_order_acquire); }

private:
    friend class http_session;

    void add(const std::shared_ptr<http_session>& s);
    void remove(http_session* s);
    boost::asio::awaitable<void> accept_loop(std::size_t lane);

    std::vector<boost::asio::io_context*> lanes_;
    server_settings settings_;
    const router& routes_;
    server_metrics& metrics_;
    std::vector<boost::asio::ip::tcp::acceptor> acceptors_; // one per lane, on that lane
    std::atomic<bool> stopping_{false};
    std::string request_id_prefix_;
    std::atomic<std::uint64_t> request_counter_{0};
    mutable std::mutex sessions_mutex_;
    mutable std::condition_variable sessions_closed_; // notified when the last session leaves
    std::unordered_map<http_session*, std::weak_ptr<http_session>> sessions_;
    upgrade_route upgrade_;
};

} // namespace sp::http
