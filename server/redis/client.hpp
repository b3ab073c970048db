#pragma once
/**
 * The server's handle on Redis: one pipelined command connection plus the Lua scripts.
 * After every (re)connect it loads all built-in scripts (SCRIPT LOAD); eval() calls
 * them by SHA and, should Redis have lost its script cache (restart, SCRIPT FLUSH,
 * failover), transparently falls back to EVAL with the source, which caches it again.
 *
 * ready() is what /readyz reports: connected, logged in, scripts loaded.
 * Thread-safety: every member may be called from any thread once start() ran.
 * Blocking reads (XREAD BLOCK) must use open_blocking_connection(), never this one.
 */
#include "redis/connection.hpp"
#include "redis/script_sources.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>
#include <memory>
#include <mutex>
#include <string_view>

namespace sp::redis {

using result = boost::system::result<reply>;

class client {
public:
    client(boost::asio::any_io_executor ex, connection_options opts);
    ~client();

    void start();
    void stop();

    boost::asio::awaitable<result> command(command_args args,
                                           std::chrono::milliseconds timeout = std::chrono::milliseconds{0});

    /** Runs the built-in script `name` (see script_sources.hpp). */
    boost::asio::awaitable<result> eval(std::string_view name, std::vector<std::string> keys,
                                        std::vector<std::string> args);

    bool ready() const;
    /** Why ready() is false, for /readyz; empty when ready. */
    std::string not_ready_reason() const;

    /** A separate connection with the same endpoint, for commands that block the
     *  connection (XREAD BLOCK); give each command its own deadline. */
    std::shared_ptr<connection> open_blocking_connection(std::string client_name) const;

    connection_stats stats() const { return conn_->stats(); }
    /** Increments with every successful (re)connect. */
    std::uint64_t generation() const { return conn_->generation(); }
    const connection_options& options() const { return opts_; }

private:
    struct script_slot;

    void on_connected(std::uint64_t generation);
    const script_source* find(std::string_view name, std::size_t& index) const;

    boost::asio::any_io_executor executor_;
    connection_options opts_;
    std::shared_ptr<connection> conn_;
    std::unique_ptr<script_slot[]> scripts_;
    std::atomic<std::uint64_t> scripts_generation_{0};
    mutable std::mutex script_error_mutex_;
    std::string script_error_;
};

} // namespace sp::redis
