#include "http/http_server.hpp"

#include "task/supervised_task.hpp"

#include "http/http_session.hpp"
#include "log/logger.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <array>
#include <cstdio>
#include <random>
#include <stdexcept>

namespace asio = boost::asio;
using asio::as_tuple;
using asio::use_awaitable;

namespace sp::http {
namespace {

// Sent without parsing anything when the server is full: no per-connection state.
const std::string& full_response()
{
    static const std::string text = [] {
        std::string body = "{\"type\":\"urn:sprechstunde:problem:server-full\",\"code\":\"server-full\","
                           "\"title\":\"Service Unavailable\",\"status\":503,"
                           "\"detail\":\"too many open connections\"}";
        return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\n"
               "Retry-After: 1\r\nConnection: close\r\nContent-Length: " +
               std::to_string(body.size()) + "\r\n\r\n" + body;
    }();
    return text;
}

asio::awaitable<void> refuse(asio::ip::tcp::socket socket)
{
    asio::steady_timer deadline(socket.get_executor(), std::chrono::seconds(1));
    deadline.async_wait([&socket](boost::system::error_code ec) {
        if (!ec) socket.close(ec);
    });
    co_await asio::async_write(socket, asio::buffer(full_response()), as_tuple(use_awaitable));
    // Read and drop what the client sent until it closes (or the deadline): closing with
    // its request unread would reset the connection before it read our answer.
    boost::system::error_code ec;
    socket.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    std::array<char, 1024> sink;
    for (;;) {
        auto [rec, n] = co_await socket.async_read_some(asio::buffer(sink), as_tuple(use_awaitable));
        if (rec) break;
    }
    deadline.cancel();
    socket.close(ec);
}

} // namespace

http_server::http_server(std::vector<asio::io_context*> lanes, server_settings settings, const router& routes,
                         server_metrics& metrics)
    : lanes_(std::move(lanes)), settings_(settings), routes_(routes), metrics_(metrics)
{
    if (lanes_.empty()) throw std::invalid_argument("http_server needs at least one lane");
    for (auto* lane : lanes_) acceptors_.emplace_back(*lane);
    std::random_device rd;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08x", rd());
    request_id_prefix_ = buf;
}

asio::ip::tcp::endpoint http_server::listen(const std::string& address, std::uint16_t port)
{
    boost::system::error_code ec;
    auto addr = asio::ip::make_address(address, ec);
    if (ec) throw std::runtime_error("option http.listen: \"" + address + "\" is not an IP address");
    asio::ip::tcp::endpoint ep(addr, port);
    auto in_use = [&](const boost::system::error_code& why) {
        return std::runtime_error("option http.port: cannot listen on " + address + ":" + std::to_string(ep.port()) +
                                  ": " + why.message());
    };
    using reuse_port = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;
    if (acceptors_.size() > 1) {
        // The lanes' sockets share the port with SO_REUSEPORT, which would as well let them
        // share it with another server (of the same user) already listening there. A socket
        // without it finds out first, and picks the port when the option says 0.
        asio::ip::tcp::acceptor probe(acceptors_.front().get_executor());
        probe.open(ep.protocol());
        probe.set_option(asio::socket_base::reuse_address(true));
        probe.bind(ep, ec);
        if (ec) throw in_use(ec);
        ep = probe.local_endpoint();
        probe.close();
    }
    for (auto& acceptor : acceptors_) {
        acceptor.open(ep.protocol());
        acceptor.set_option(asio::socket_base::reuse_address(true));
        if (acceptors_.size() > 1) acceptor.set_option(reuse_port(true));
        acceptor.bind(ep, ec);
        if (ec) throw in_use(ec);
        acceptor.listen(asio::socket_base::max_listen_connections);
        ep = acceptor.local_endpoint();
    }
    return ep;
}

void http_server::start()
{
    for (std::size_t lane = 0; lane < acceptors_.size(); ++lane)
        task::spawn_supervised(acceptors_[lane].get_executor(), task::supervision("http_accept"),
                               [this, lane] { return accept_loop(lane); });
}

asio::awaitable<void> http_server::accept_loop(std::size_t lane)
{
    auto& acceptor = acceptors_[lane];
    asio::steady_timer backoff(acceptor.get_executor());
    std::uint64_t failures = 0; // in a row
    for (;;) {
        // The peer's address comes with the accept (no getpeername per connection).
        asio::ip::tcp::endpoint peer;
        auto [ec, socket] =
            co_await acceptor.async_accept(asio::make_strand(*lanes_[lane]), peer, as_tuple(use_awaitable));
        if (ec) {
            if (ec == asio::error::operation_aborted || stopping()) co_return;
            // Out of descriptors (EMFILE/ENFILE) or a transient error: pause instead of
            // spinning on an accept that keeps failing. Logged when it starts and every
            // 100 failures (5 s), not 20 lines a second for as long as it lasts.
            if (failures++ % 100 == 0) log::warn("accept_failed", {{"reason", ec.message()}, {"failures", failures}});
            backoff.expires_after(std::chrono::milliseconds(50));
            co_await backoff.async_wait(as_tuple(use_awaitable));
            continue;
        }
        if (failures > 0) {
            log::info("accept_recovered", {{"failures", failures}});
            failures = 0;
        }
        metrics_.connections_accepted.fetch_add(1, std::memory_order_relaxed);
        if (open_sessions() >= settings_.max_connections) {
            metrics_.connections_rejected.fetch_add(1, std::memory_order_relaxed);
            auto ex = socket.get_executor();
            asio::co_spawn(ex, refuse(std::move(socket)), asio::detached);
            continue;
        }
        boost::system::error_code ignored;
        socket.set_option(asio::ip::tcp::no_delay(true), ignored);
        // Non-blocking from the start, in one ioctl: Asio would otherwise make the socket
        // non-blocking for its first asynchronous operation and the live socket again for
        // its synchronous writes. Every operation of an HTTP session is asynchronous, so
        // this changes nothing for it.
        socket.non_blocking(true, ignored);
        auto session = std::make_shared<http_session>(std::move(socket), peer.address().to_string(), *this);
        add(session);
        session->start();
    }
}

void http_server::stop_accepting()
{
    stopping_.store(true, std::memory_order_release);
    for (auto& acceptor : acceptors_)
        asio::post(acceptor.get_executor(), [&acceptor] {
            boost::system::error_code ec;
            acceptor.close(ec);
        });
}

void http_server::shutdown_sessions()
{
    std::vector<std::shared_ptr<http_session>> live;
    {
        std::lock_guard lock(sessions_mutex_);
        for (auto& [ptr, weak] : sessions_)
            if (auto s = weak.lock()) live.push_back(std::move(s));
    }
    for (auto& s : live) s->shutdown();
}

std::size_t http_server::open_sessions() const
{
    std::lock_guard lock(sessions_mutex_);
    return sessions_.size();
}

std::string http_server::next_request_id()
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s-%llx", request_id_prefix_.c_str(),
                  static_cast<unsigned long long>(request_counter_.fetch_add(1, std::memory_order_relaxed)));
    return buf;
}

void http_server::add(const std::shared_ptr<http_session>& s)
{
    std::lock_guard lock(sessions_mutex_);
    sessions_.emplace(s.get(), s);
}

void http_server::remove(http_session* s)
{
    std::lock_guard lock(sessions_mutex_);
    sessions_.erase(s);
    if (sessions_.empty()) sessions_closed_.notify_all();
}

bool http_server::wait_until_closed(std::chrono::steady_clock::time_point deadline) const
{
    std::unique_lock lock(sessions_mutex_);
    return sessions_closed_.wait_until(lock, deadline, [this] { return sessions_.empty(); });
}

} // namespace sp::http
