#pragma once
/**
 * The server's handle on Redis: one pipelined command connection per io lane (see
 * task/io_lanes.hpp) plus the Lua scripts. A command goes out on the connection of the
 * lane that sends it, so its reply wakes no other thread; a thread that is not a lane's
 * uses the first. After every (re)connect a connection loads all built-in scripts
 * (SCRIPT LOAD); eval() calls
 * them by SHA and, should Redis have lost its script cache (restart, SCRIPT FLUSH,
 * failover), transparently falls back to EVAL with the source, which caches it again.
 *
 * Durability: with durability.replicas > 0 ("replicated"), every script call whose
 * effect is script_effect::tells_users runs on a second connection, followed in the same pipeline by
 * WAIT replicas timeout; if fewer replicas confirm, eval() fails with
 * errc::not_replicated although the change is on the primary. WAIT blocks its
 * connection, hence the separate one: reads and health pings never queue behind it.
 *
 * ready() is what /readyz reports: connected, logged in, scripts loaded.
 * Thread-safety: every member may be called from any thread once start() ran.
 * Blocking reads (XREAD BLOCK) must use open_blocking_connection(), never this one.
 */
#include "redis/connection.hpp"
#include "redis/script_call.hpp"
#include "redis/script_sources.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

namespace sp::redis {

using result = boost::system::result<reply>;

struct durability_options {
    int replicas = 0; // 0: a write counts once the primary has it ("local")
    std::chrono::milliseconds timeout{500};
};

class client {
public:
    /** One command connection on each of `lanes` (at least one): lane i's on lanes[i]. */
    client(std::vector<boost::asio::any_io_executor> lanes, connection_options opts,
           durability_options durability = {});
    client(boost::asio::any_io_executor ex, connection_options opts, durability_options durability = {})
        : client(std::vector<boost::asio::any_io_executor>{std::move(ex)}, std::move(opts), durability)
    {
    }
    ~client();

    void start();
    void stop();
    /** stop(), then blocks the calling thread (never an io thread) until every connection
     *  have stopped on their strands or `timeout` passes; true if they have. */
    bool stop_and_wait(std::chrono::milliseconds timeout);

    boost::asio::awaitable<result> command(command_args args,
                                           std::chrono::milliseconds timeout = std::chrono::milliseconds{0});

    /** Runs the built-in script `call.name` (see script_sources.hpp). An error the script
     *  raised (a Lua runtime error, a command on a key of the wrong type) is logged as
     *  `redis_script_failed` with the script's name, counted, and returned as
     *  errc::script_failed; error replies that mean Redis cannot serve now (OOM, BUSY,
     *  LOADING, ...) stay replies, as they are not the script's fault. */
    boost::asio::awaitable<result> eval(script_call call);

    bool ready() const;
    /** Why ready() is false, for /readyz; empty when ready. */
    std::string not_ready_reason() const;

    /** A separate connection with the same endpoint, for commands that block the
     *  connection (XREAD BLOCK); give each command its own deadline. */
    std::shared_ptr<connection> open_blocking_connection(std::string client_name) const;

    /** Summed over the command connections. */
    connection_stats stats() const;
    /** Writes that ran on the primary but were not confirmed by enough replicas. */
    std::uint64_t not_replicated() const { return not_replicated_.load(std::memory_order_relaxed); }
    /** Scripts that failed with an error of their own (errc::script_failed). */
    std::uint64_t script_failures() const { return script_failures_.load(std::memory_order_relaxed); }
    /** The address the command connections use (with Sentinel: the current primary). */
    std::string address() const;
    /** Increments with every successful (re)connect of any command connection. */
    std::uint64_t generation() const;
    const connection_options& options() const { return opts_; }

private:
    struct script_slot;

    struct lane;
    void on_connected(lane& l, std::uint64_t generation);
    /** The calling thread's lane's command connection. */
    connection& conn();
    const script_source* find(std::string_view name, std::size_t& index) const;
    /** `cmd` and then WAIT on the writes connection. */
    boost::asio::awaitable<result> replicated(command_args cmd);
    /** EVALSHA, or EVAL with the source when Redis lost its script cache. */
    boost::asio::awaitable<result> run_script(std::string_view name, command_args cmd, bool wait_for_replicas);

    connection_options opts_;
    std::vector<lane> lanes_;
    durability_options durability_;
    std::shared_ptr<connection> writes_; // only with durability_.replicas > 0
    std::atomic<std::uint64_t> not_replicated_{0};
    std::atomic<std::uint64_t> script_failures_{0};
    std::unique_ptr<script_slot[]> scripts_;
    mutable std::mutex script_error_mutex_;
    std::string script_error_;
};

} // namespace sp::redis
