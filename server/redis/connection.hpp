#pragma once
/**
 * One Redis connection that keeps itself connected: connects (TCP or unix socket),
 * logs in (AUTH, SELECT, CLIENT SETNAME), pipelines any number of commands up to a
 * bound, gives every command a deadline, pings to detect a stalled server, and
 * reconnects with capped exponential backoff after any failure.
 *
 * With a Sentinel endpoint every (re)connect first asks the sentinels for the primary,
 * then checks with ROLE that the node really is the primary (a sentinel may lag behind
 * a failover). A -READONLY reply (the node was demoted) fails that command with
 * errc::not_primary and drops the connection, so the next connect finds the new primary.
 * A +switch-master message from the sentinels does the same (a switchover leaves the old
 * primary writable for seconds before the sentinels demote it).
 *
 * Thread-safety: async_command() and the accessors may be called from any thread;
 * everything else happens on the connection's own strand. Lifetime: owned through
 * shared_ptr; pending timers keep it alive; call stop() before dropping it.
 *
 * A command that fails with timeout or connection_lost may or may not have run:
 * callers that change data make their scripts idempotent.
 */
#include "redis/error.hpp"
#include "redis/redis_url.hpp"
#include "redis/reply.hpp"

#include <atomic>
#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

struct redisAsyncContext;

namespace sp::util {
class backoff_policy;
}

namespace sp::redis {

class switch_watcher;
using command_args = std::vector<std::string>;
using command_signature = void(boost::system::error_code, reply);

struct connection_options {
    endpoint where;
    std::chrono::milliseconds command_timeout{1000};
    std::chrono::milliseconds connect_timeout{1000};
    std::chrono::milliseconds health_interval{500}; // zero: no health ping
    std::chrono::milliseconds reconnect_initial{50};
    std::chrono::milliseconds reconnect_max{1000};
    std::size_t max_pending = 10'000;
    std::string client_name = "sprechstunde";
};

/** One command of a pipeline, with its own deadline (zero: the command_timeout). */
struct timed_command {
    command_args args;
    std::chrono::milliseconds timeout{0};
};

struct connection_stats {
    std::uint64_t commands = 0;
    std::uint64_t timeouts = 0;
    std::uint64_t reconnects = 0;
};

class connection : public std::enable_shared_from_this<connection> {
public:
    static std::shared_ptr<connection> create(boost::asio::any_io_executor ex, connection_options opts);
    ~connection();
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;

    void start();
    /** Stops reconnecting and fails pending commands with errc::shut_down. The future
     *  is ready once the stop has run on the connection's strand (a shutdown awaits it
     *  before it stops the io threads). */
    std::future<void> stop();

    /** Sends one command. `timeout` zero means the connection's command_timeout.
     *  Completes with (error_code, reply) on the caller's associated executor. */
    template <boost::asio::completion_token_for<command_signature> Token>
    auto async_command(command_args args, std::chrono::milliseconds timeout, Token&& token)
    {
        return boost::asio::async_initiate<Token, command_signature>(
            [this](auto handler, command_args a, std::chrono::milliseconds t) {
                // The executor is taken here, from the concrete handler: Asio 1.81 cannot post
                // through the type-erased executor of an any_completion_handler.
                boost::asio::any_io_executor ex = boost::asio::get_associated_executor(handler, strand_);
                submit(std::move(a), t,
                       completion{std::move(ex),
                                  boost::asio::any_completion_handler<command_signature>(std::move(handler))});
            },
            token, std::move(args), timeout);
    }

    /** Sends `commands` back to back, with nothing of this connection's in between and on
     *  the same server connection (so WAIT after a write covers that write). Completes
     *  with one array reply holding each command's reply, or with the first error. */
    template <boost::asio::completion_token_for<command_signature> Token>
    auto async_pipeline(std::vector<timed_command> commands, Token&& token)
    {
        return boost::asio::async_initiate<Token, command_signature>(
            [this](auto handler, std::vector<timed_command> c) {
                boost::asio::any_io_executor ex = boost::asio::get_associated_executor(handler, strand_);
                submit_pipeline(std::move(c),
                                completion{std::move(ex),
                                           boost::asio::any_completion_handler<command_signature>(std::move(handler))});
            },
            token, std::move(commands));
    }

    /** Called on the strand after every successful (re)connect and login, with the
     *  new generation number. Set before start(). */
    void on_connected(std::function<void(std::uint64_t generation)> fn) { on_connected_ = std::move(fn); }

    bool is_connected() const { return connected_.load(std::memory_order_acquire); }
    std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
    std::string last_error() const;
    /** host:port (or socket path) of the current or last connection: with Sentinel, the primary. */
    std::string address() const;
    connection_stats stats() const;

private:
    struct completion {
        boost::asio::any_io_executor executor;
        boost::asio::any_completion_handler<command_signature> handler;
    };
    struct pending;
    enum class state { idle, resolving, connecting, handshaking, connected, stopped };

    connection(boost::asio::any_io_executor ex, connection_options opts);

    void submit(command_args args, std::chrono::milliseconds timeout, completion done);
    void submit_pipeline(std::vector<timed_command> commands, completion done);
    void send(command_args args, std::chrono::milliseconds timeout, completion done);
    template <class Fn>
    void send_internal(command_args args, std::chrono::milliseconds timeout, Fn fn)
    {
        send(std::move(args), timeout,
             completion{strand_, boost::asio::any_completion_handler<command_signature>(std::move(fn))});
    }
    void complete(pending& p, boost::system::error_code ec, reply r);

    void do_connect();
    void connect_host(const std::string& host, std::uint16_t port);
    void connect_to(const std::string& host, std::uint16_t port);
    void on_connect(int status);
    void on_disconnect();
    void handshake();
    void force_disconnect(std::string reason);
    void schedule_reconnect();
    void arm_deadline_timer(std::chrono::steady_clock::time_point deadline);
    void on_deadline();
    /** Reads the replies already in the socket's receive buffer (on the strand). */
    void read_arrived_replies();
    void arm_health_timer();
    void set_error(std::string msg);

    static void on_connect_cb(const redisAsyncContext* ac, int status);
    static void on_disconnect_cb(const redisAsyncContext* ac, int status);
    static void on_reply_cb(redisAsyncContext* ac, void* reply, void* privdata);

    boost::asio::any_io_executor strand_;
    connection_options opts_;
    boost::asio::ip::tcp::resolver resolver_;
    boost::asio::steady_timer reconnect_timer_;
    boost::asio::steady_timer connect_timer_;
    boost::asio::steady_timer deadline_timer_;
    boost::asio::steady_timer health_timer_;
    std::chrono::steady_clock::time_point deadline_armed_for_ = std::chrono::steady_clock::time_point::max();
    std::unique_ptr<util::backoff_policy> backoff_;
    std::shared_ptr<switch_watcher> switches_; // Sentinel only: follows +switch-master

    redisAsyncContext* ctx_ = nullptr;
    std::uint64_t attempt_ = 0; // connect attempts; stale timers and replies compare against it
    state state_ = state::idle;
    std::deque<std::unique_ptr<pending>> pending_; // in send order: hiredis answers FIFO
    bool ping_in_flight_ = false;
    std::function<void(std::uint64_t)> on_connected_;

    std::atomic<bool> connected_{false};
    std::atomic<std::uint64_t> generation_{0};
    std::atomic<std::uint64_t> commands_{0};
    std::atomic<std::uint64_t> timeouts_{0};
    std::atomic<std::uint64_t> reconnects_{0};
    mutable std::mutex error_mutex_;
    std::string last_error_;
    std::string address_; // where the current connection goes (the primary, with Sentinel)
};

} // namespace sp::redis
