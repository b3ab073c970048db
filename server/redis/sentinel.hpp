#pragma once
/**
 * Asks Redis Sentinel where the primary is. One short TCP exchange per sentinel
 * (AUTH if configured, then SENTINEL GET-MASTER-ADDR-BY-NAME), tried in the order
 * the URL lists them, each within `timeout`; the first sentinel that names a primary
 * wins. The caller still checks the node with ROLE: a sentinel may not have noticed
 * a failover yet.
 * Internal to the redis folder.
 */
#include "redis/redis_url.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <variant>

namespace sp::redis {

/** The primary's address, or why no sentinel could name it (every sentinel's reason). */
boost::asio::awaitable<std::variant<host_port, std::string>> ask_sentinels(endpoint where,
                                                                            std::chrono::milliseconds timeout);

/**
 * Listens on one sentinel at a time (SUBSCRIBE +switch-master; the next sentinel when the
 * connection fails) and calls on_switch with the new primary whenever the sentinels move
 * `master_name`. A switchover (SENTINEL FAILOVER) leaves the old primary up and writable
 * for seconds before the sentinels demote it; without this message a client would keep
 * writing there, and those writes would be lost.
 * Runs on the given strand; on_switch is called there. stop() before dropping it.
 */
class switch_watcher : public std::enable_shared_from_this<switch_watcher> {
public:
    switch_watcher(boost::asio::any_io_executor strand, endpoint where, std::chrono::milliseconds timeout,
                   std::function<void(host_port)> on_switch);
    void start();
    void stop();

private:
    boost::asio::awaitable<void> run();
    boost::asio::awaitable<std::string> listen(const host_port& sentinel);

    boost::asio::any_io_executor strand_;
    endpoint where_;
    std::chrono::milliseconds timeout_;
    std::function<void(host_port)> on_switch_;
    boost::asio::ip::tcp::socket socket_;
    boost::asio::ip::tcp::resolver resolver_;
    boost::asio::steady_timer timer_;
    bool stopped_ = false;
    std::uint64_t attempt_ = 0; // the connect deadline of an older attempt does nothing
    bool timed_out_ = false;
    bool connected_ = false;
};

} // namespace sp::redis
