#include "redis/connection.hpp"

#include "redis/connection_rules.hpp"

#include "log/logger.hpp"
#include "redis/hiredis_asio_adapter.hpp"
#include "redis/sentinel.hpp"
#include "util/backoff_policy.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/strand.hpp>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <sys/ioctl.h>

namespace asio = boost::asio;
using boost::system::error_code;
using clock_type = std::chrono::steady_clock;

namespace sp::redis {

struct connection::pending {
    completion done; // handler empty once completed (e.g. timed out)
    clock_type::time_point deadline;
};

namespace {

reply convert(const redisReply* r)
{
    reply out;
    switch (r->type) {
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR: // the replies that are text
        out.type = r->type == REDIS_REPLY_STRING   ? reply::kind::string
                   : r->type == REDIS_REPLY_STATUS ? reply::kind::status
                                                   : reply::kind::error;
        out.str.assign(r->str, r->len);
        break;
    case REDIS_REPLY_INTEGER:
        out.type = reply::kind::integer;
        out.integer = r->integer;
        break;
    case REDIS_REPLY_ARRAY:
        out.type = reply::kind::array;
        out.elements.reserve(r->elements);
        for (std::size_t i = 0; i < r->elements; ++i) out.elements.push_back(convert(r->element[i]));
        break;
    default: out.type = reply::kind::nil; break;
    }
    return out;
}

} // namespace

std::shared_ptr<connection> connection::create(asio::any_io_executor ex, connection_options opts)
{
    return std::shared_ptr<connection>(new connection(std::move(ex), std::move(opts)));
}

connection::connection(asio::any_io_executor ex, connection_options opts)
    : strand_(asio::make_strand(ex)),
      opts_(std::move(opts)),
      resolver_(strand_),
      reconnect_timer_(strand_),
      connect_timer_(strand_),
      deadline_timer_(strand_),
      health_timer_(strand_),
      backoff_(std::make_unique<util::backoff_policy>(opts_.reconnect_initial, opts_.reconnect_max))
{
}

connection::~connection()
{
    if (switches_) switches_->stop();
    if (ctx_) {
        state_ = state::stopped;
        redisAsyncContext* ac = ctx_;
        ctx_ = nullptr;
        ac->onDisconnect = nullptr;
        redisAsyncFree(ac);
    }
}

void connection::start()
{
    asio::post(strand_, [self = shared_from_this()] {
        if (self->state_ != state::idle) return;
        if (self->opts_.where.kind == endpoint::transport::sentinel && !self->switches_) {
            std::weak_ptr<connection> weak = self;
            self->switches_ = std::make_shared<switch_watcher>(
                self->strand_, self->opts_.where, self->opts_.connect_timeout, [weak](host_port primary) {
                    auto me = weak.lock();
                    if (!me || me->state_ == state::stopped || me->state_ == state::idle ||
                        me->state_ == state::resolving)
                        return;
                    if (me->address() == primary.host + ":" + std::to_string(primary.port)) return;
                    me->force_disconnect("the sentinels moved the primary to " + primary.host + ":" +
                                         std::to_string(primary.port));
                });
            self->switches_->start();
        }
        self->do_connect();
        self->arm_health_timer();
    });
}

std::future<void> connection::stop()
{
    auto done = std::make_shared<std::promise<void>>();
    auto stopped = done->get_future();
    asio::post(strand_, [self = shared_from_this(), done] {
        self->state_ = state::stopped;
        self->connected_.store(false, std::memory_order_release);
        self->resolver_.cancel();
        self->reconnect_timer_.cancel();
        self->connect_timer_.cancel();
        self->deadline_timer_.cancel();
        self->health_timer_.cancel();
        if (self->switches_) self->switches_->stop();
        if (redisAsyncContext* ac = self->ctx_) {
            self->ctx_ = nullptr;
            redisAsyncFree(ac); // fails every pending command with shut_down
        }
        done->set_value();
    });
    return stopped;
}

std::string connection::address() const
{
    std::lock_guard lock(error_mutex_);
    return address_;
}

std::string connection::last_error() const
{
    std::lock_guard lock(error_mutex_);
    return last_error_;
}

connection_stats connection::stats() const
{
    return {commands_.load(std::memory_order_relaxed), timeouts_.load(std::memory_order_relaxed),
            reconnects_.load(std::memory_order_relaxed)};
}

void connection::set_error(std::string msg)
{
    log::warn("redis_error", {{"endpoint", opts_.where.describe()}, {"reason", msg}});
    std::lock_guard lock(error_mutex_);
    last_error_ = std::move(msg);
}

void connection::submit(command_args args, std::chrono::milliseconds timeout, completion done)
{
    asio::post(strand_, [self = shared_from_this(), args = std::move(args), timeout, done = std::move(done)]() mutable {
        pending p{std::move(done), {}};
        if (self->state_ != state::connected) {
            self->complete(p, self->state_ == state::stopped ? errc::shut_down : errc::not_connected, {});
            return;
        }
        if (self->pending_.size() >= self->opts_.max_pending) {
            self->complete(p, errc::overloaded, {});
            return;
        }
        self->send(std::move(args), timeout, std::move(p.done));
    });
}

void connection::submit_pipeline(std::vector<timed_command> commands, completion done)
{
    asio::post(strand_, [self = shared_from_this(), commands = std::move(commands), done = std::move(done)]() mutable {
        pending p{std::move(done), {}};
        if (self->state_ != state::connected) {
            self->complete(p, self->state_ == state::stopped ? errc::shut_down : errc::not_connected, {});
            return;
        }
        if (self->pending_.size() + commands.size() > self->opts_.max_pending || commands.empty()) {
            self->complete(p, commands.empty() ? errc::unexpected_reply : errc::overloaded, {});
            return;
        }
        // All sent in this one strand step: hiredis writes them in order on the current
        // context, and nothing else of ours can come between them.
        struct batch {
            std::unique_ptr<pending> done;
            reply replies;
            error_code first_error;
            std::size_t remaining = 0;
        };
        auto b = std::make_shared<batch>();
        b->done = std::make_unique<pending>(std::move(p));
        b->replies.type = reply::kind::array;
        b->replies.elements.resize(commands.size());
        b->remaining = commands.size();
        for (std::size_t i = 0; i < commands.size(); ++i) {
            self->send_internal(std::move(commands[i].args), commands[i].timeout,
                                [self, b, i](error_code ec, reply r) {
                                    if (ec && !b->first_error) b->first_error = ec;
                                    b->replies.elements[i] = std::move(r);
                                    if (--b->remaining > 0) return;
                                    if (b->first_error) self->complete(*b->done, b->first_error, {});
                                    else self->complete(*b->done, {}, std::move(b->replies));
                                });
        }
    });
}

void connection::send(command_args args, std::chrono::milliseconds timeout, completion done)
{
    // Constructed, never assigned: Asio 1.81's any_completion_handler move-assignment
    // recurses without end.
    auto p = std::make_unique<pending>(pending{std::move(done), {}});
    if (!ctx_) {
        complete(*p, errc::not_connected, {});
        return;
    }
    std::vector<const char*> argv;
    std::vector<std::size_t> argvlen;
    argv.reserve(args.size());
    argvlen.reserve(args.size());
    for (const std::string& a : args) {
        argv.push_back(a.data());
        argvlen.push_back(a.size());
    }
    if (redisAsyncCommandArgv(ctx_, &on_reply_cb, p.get(), static_cast<int>(argv.size()), argv.data(),
                              argvlen.data()) != REDIS_OK) {
        complete(*p, errc::connection_lost, {});
        return;
    }
    commands_.fetch_add(1, std::memory_order_relaxed);
    p->deadline = clock_type::now() + (timeout.count() > 0 ? timeout : opts_.command_timeout);
    auto deadline = p->deadline;
    pending_.push_back(std::move(p));
    arm_deadline_timer(deadline);
}

void connection::complete(pending& p, error_code ec, reply r)
{
    if (!p.done.handler) return;
    // Posted to the caller's executor: the caller never runs inside a hiredis callback.
    asio::post(p.done.executor, [h = std::move(p.done.handler), ec, r = std::move(r)]() mutable {
        std::move(h)(ec, std::move(r));
    });
}

void connection::on_reply_cb(redisAsyncContext* ac, void* r, void* privdata)
{
    auto* self = static_cast<connection*>(ac->data);
    if (!self || self->pending_.empty()) return;
    std::unique_ptr<pending> p = std::move(self->pending_.front());
    self->pending_.pop_front();
    if (p.get() != privdata) {
        // Cannot happen while hiredis answers in order; fail loudly in the log rather than
        // hand a reply to the wrong caller.
        log::error("redis_reply_order_broken", {});
        self->complete(*p, errc::unexpected_reply, {});
        return;
    }
    if (!r) {
        self->complete(*p, self->state_ == state::stopped ? errc::shut_down : errc::connection_lost, {});
        return;
    }
    reply out = convert(static_cast<redisReply*>(r));
    if (out.is_error_code("READONLY")) {
        // The node was demoted (failover): the command did not run. Find the primary again.
        self->complete(*p, errc::not_primary, {});
        self->force_disconnect("the node is a replica now (READONLY)");
        return;
    }
    self->complete(*p, {}, std::move(out));
}

void connection::arm_deadline_timer(clock_type::time_point deadline)
{
    if (deadline >= deadline_armed_for_) return;
    deadline_armed_for_ = deadline;
    deadline_timer_.expires_at(deadline);
    deadline_timer_.async_wait([self = shared_from_this()](error_code ec) {
        if (ec == asio::error::operation_aborted) return;
        self->deadline_armed_for_ = clock_type::time_point::max();
        self->on_deadline();
    });
}

void connection::read_arrived_replies()
{
    // Bounded: a reply stream that never ends must not hold the strand.
    for (int round = 0; round < 64 && ctx_ && state_ == state::connected; ++round) {
        int available = 0;
        if (::ioctl(ctx_->c.fd, FIONREAD, &available) != 0 || available <= 0) return;
        redisAsyncHandleRead(ctx_); // may free the context (end of stream): ctx_ is cleared then
    }
}

void connection::on_deadline()
{
    // Replies that have arrived but wait behind other work on busy io threads are not
    // missed deadlines: read them before judging (a storm of WebSocket reconnects once
    // cut a healthy Redis off this way, and every live client had to resync).
    read_arrived_replies();
    std::vector<std::optional<clock_type::time_point>> deadlines;
    deadlines.reserve(pending_.size());
    for (auto& p : pending_) deadlines.push_back(p->done.handler ? std::optional(p->deadline) : std::nullopt);
    deadline_sweep sweep = sweep_deadlines(deadlines, clock_type::now());
    for (std::size_t i : sweep.expired) {
        timeouts_.fetch_add(1, std::memory_order_relaxed);
        complete(*pending_[i], errc::timeout, {});
    }
    if (sweep.next != clock_type::time_point::max()) arm_deadline_timer(sweep.next);
}

void connection::do_connect()
{
    if (state_ == state::stopped) return;
    ++attempt_;
    if (opts_.where.kind == endpoint::transport::unix_socket) {
        connect_to(opts_.where.path, 0);
        return;
    }
    if (opts_.where.kind == endpoint::transport::tcp) {
        connect_host(opts_.where.host, opts_.where.port);
        return;
    }
    // Sentinel: ask where the primary is now, on every (re)connect.
    state_ = state::resolving;
    asio::co_spawn(strand_, ask_sentinels(opts_.where, opts_.connect_timeout),
                   asio::bind_executor(strand_, [self = shared_from_this(), attempt = attempt_](
                                                    std::exception_ptr e, std::variant<host_port, std::string> answer) {
                       if (attempt != self->attempt_ || self->state_ != state::resolving) return;
                       if (e) answer = std::string("sentinel query failed");
                       if (auto* why = std::get_if<std::string>(&answer)) {
                           self->set_error("no primary from the sentinels: " + *why);
                           self->state_ = state::idle;
                           self->schedule_reconnect();
                           return;
                       }
                       const host_port& primary = std::get<host_port>(answer);
                       self->connect_host(primary.host, primary.port);
                   }));
}

void connection::connect_host(const std::string& host, std::uint16_t port)
{
    error_code ec;
    asio::ip::make_address(host, ec);
    if (!ec) {
        connect_to(host, port);
        return;
    }
    // hiredis would resolve with a blocking getaddrinfo: resolve here instead.
    state_ = state::resolving;
    resolver_.async_resolve(host, std::to_string(port),
                            [self = shared_from_this(), host, port, attempt = attempt_](
                                error_code ec, asio::ip::tcp::resolver::results_type results) {
                                if (attempt != self->attempt_ || self->state_ != state::resolving) return;
                                if (ec || results.empty()) {
                                    self->set_error("cannot resolve " + host + ": " + ec.message());
                                    self->state_ = state::idle;
                                    self->schedule_reconnect();
                                    return;
                                }
                                self->connect_to(results.begin()->endpoint().address().to_string(), port);
                            });
}

void connection::connect_to(const std::string& host, std::uint16_t port)
{
    redisAsyncContext* ac = opts_.where.kind == endpoint::transport::unix_socket ? redisAsyncConnectUnix(host.c_str())
                                                                                 : redisAsyncConnect(host.c_str(), port);
    if (!ac || ac->err) {
        set_error(ac ? std::string("connect: ") + ac->errstr : "connect: out of memory");
        if (ac) redisAsyncFree(ac);
        state_ = state::idle;
        schedule_reconnect();
        return;
    }
    {
        std::lock_guard lock(error_mutex_);
        address_ = opts_.where.kind == endpoint::transport::unix_socket ? host : host + ":" + std::to_string(port);
    }
    ac->data = this;
    // Hooks first: setting the connect callback already asks for a write wait.
    hiredis_asio_adapter::attach(ac, strand_);
    redisAsyncSetConnectCallback(ac, &on_connect_cb);
    redisAsyncSetDisconnectCallback(ac, &on_disconnect_cb);
    ctx_ = ac;
    state_ = state::connecting;

    connect_timer_.expires_after(opts_.connect_timeout);
    connect_timer_.async_wait([self = shared_from_this(), attempt = attempt_](error_code ec) {
        if (ec == asio::error::operation_aborted || attempt != self->attempt_) return;
        if (self->state_ == state::connecting || self->state_ == state::handshaking)
            self->force_disconnect("connect timed out");
    });
}

void connection::on_connect_cb(const redisAsyncContext* ac, int status)
{
    auto* self = static_cast<connection*>(ac->data);
    if (!self) return;
    if (status != REDIS_OK) {
        // hiredis frees the context right after this callback, without a disconnect callback.
        self->ctx_ = nullptr;
        self->connect_timer_.cancel();
        self->set_error(std::string("connect: ") + ac->errstr);
        if (self->state_ == state::stopped) return;
        self->state_ = state::idle;
        self->schedule_reconnect();
        return;
    }
    self->state_ = state::handshaking;
    self->handshake();
}

void connection::handshake()
{
    std::vector<command_args> steps = compose_setup(opts_.where, opts_.client_name);

    auto failed = std::make_shared<bool>(false);
    for (std::size_t i = 0; i < steps.size(); ++i) {
        bool last = i + 1 == steps.size();
        std::string what = steps[i][0];
        send_internal(std::move(steps[i]), opts_.connect_timeout,
             [self = shared_from_this(), attempt = attempt_, failed, last, what](error_code ec, reply r) {
                 if (attempt != self->attempt_ || self->state_ != state::handshaking || *failed) return;
                 if (auto why = judge_setup_reply(what, ec, r)) {
                     *failed = true;
                     self->force_disconnect(std::move(*why));
                     return;
                 }
                 if (!last) return;
                 self->connect_timer_.cancel();
                 self->state_ = state::connected;
                 self->backoff_->reset();
                 auto gen = self->generation_.fetch_add(1, std::memory_order_acq_rel) + 1;
                 self->connected_.store(true, std::memory_order_release);
                 log::info("redis_connected", {{"endpoint", self->opts_.where.describe()},
                                               {"address", self->address()},
                                               {"name", self->opts_.client_name},
                                               {"generation", gen}});
                 if (self->on_connected_) self->on_connected_(gen);
             });
    }
}

void connection::on_disconnect_cb(const redisAsyncContext* ac, int status)
{
    auto* self = static_cast<connection*>(ac->data);
    if (!self) return;
    if (status != REDIS_OK && ac->errstr[0]) self->set_error(std::string("disconnected: ") + ac->errstr);
    self->ctx_ = nullptr;
    self->on_disconnect();
}

void connection::on_disconnect()
{
    bool was_connected = connected_.exchange(false, std::memory_order_acq_rel);
    if (was_connected) log::warn("redis_disconnected", {{"endpoint", opts_.where.describe()}});
    connect_timer_.cancel();
    if (state_ == state::stopped) return;
    state_ = state::idle;
    schedule_reconnect();
}

void connection::force_disconnect(std::string reason)
{
    // Posted so it never runs inside a hiredis callback, where redisAsyncFree would be
    // deferred and the context still alive on return.
    asio::post(strand_, [self = shared_from_this(), attempt = attempt_, reason = std::move(reason)] {
        if (attempt != self->attempt_ || !self->ctx_) return;
        self->set_error(reason);
        redisAsyncContext* ac = self->ctx_;
        redisAsyncFree(ac); // runs every pending callback with no reply
        if (self->ctx_ == ac) {
            // Not yet connected at the TCP level: hiredis calls no disconnect callback.
            self->ctx_ = nullptr;
            self->on_disconnect();
        }
    });
}

void connection::schedule_reconnect()
{
    if (state_ == state::stopped) return;
    auto delay = backoff_->next();
    reconnects_.fetch_add(1, std::memory_order_relaxed);
    reconnect_timer_.expires_after(delay);
    reconnect_timer_.async_wait([self = shared_from_this()](error_code ec) {
        if (ec == asio::error::operation_aborted) return;
        if (self->state_ == state::idle) self->do_connect();
    });
}

void connection::arm_health_timer()
{
    if (opts_.health_interval.count() <= 0 || state_ == state::stopped) return;
    health_timer_.expires_after(opts_.health_interval);
    health_timer_.async_wait([self = shared_from_this()](error_code ec) {
        if (ec == asio::error::operation_aborted) return;
        if (self->state_ == state::connected && !self->ping_in_flight_) {
            self->ping_in_flight_ = true;
            self->send_internal({"PING"}, self->opts_.command_timeout, [self](error_code ec, reply r) {
                           self->ping_in_flight_ = false;
                           // A stalled server answers nothing: drop the connection so
                           // callers fail fast instead of queueing behind it.
                           if (auto why = judge_health_ping(ec, r)) self->force_disconnect(std::move(*why));
                       });
        }
        self->arm_health_timer();
    });
}

} // namespace sp::redis
