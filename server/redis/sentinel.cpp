#include "redis/sentinel.hpp"

#include "log/logger.hpp"
#include "task/supervised_task.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <charconv>
#include <hiredis/hiredis.h>
#include <memory>
#include <sstream>
#include <vector>

namespace asio = boost::asio;
using boost::system::error_code;
using asio::ip::tcp;

namespace sp::redis {
namespace {

// The socket, resolver and deadline of one exchange. The deadline's handler may run after
// the coroutine has finished, so it holds only a weak reference.
struct exchange {
    explicit exchange(const asio::any_io_executor& ex) : socket(ex), resolver(ex), deadline(ex) {}
    tcp::socket socket;
    tcp::resolver resolver;
    asio::steady_timer deadline;
    bool timed_out = false;
};

struct reader_deleter {
    void operator()(redisReader* r) const { redisReaderFree(r); }
};
struct reply_deleter {
    void operator()(redisReply* r) const { freeReplyObject(r); }
};
using owned_reply = std::unique_ptr<redisReply, reply_deleter>;

void append_command(std::string& out, const std::vector<std::string>& args)
{
    std::vector<const char*> argv;
    std::vector<std::size_t> lens;
    for (const auto& a : args) {
        argv.push_back(a.data());
        lens.push_back(a.size());
    }
    char* formatted = nullptr;
    int n = redisFormatCommandArgv(&formatted, static_cast<int>(argv.size()), argv.data(), lens.data());
    if (n > 0) out.append(formatted, static_cast<std::size_t>(n));
    redisFreeCommand(formatted);
}

std::string text_of(const redisReply* r) { return r->str ? std::string(r->str, r->len) : std::string{}; }

asio::awaitable<std::variant<host_port, std::string>> ask_one(host_port sentinel, endpoint where,
                                                              std::chrono::milliseconds timeout)
{
    auto ex = co_await asio::this_coro::executor;
    auto st = std::make_shared<exchange>(ex);
    st->deadline.expires_after(timeout);
    st->deadline.async_wait([weak = std::weak_ptr<exchange>(st)](error_code ec) {
        if (ec) return;
        if (auto s = weak.lock()) {
            s->timed_out = true;
            s->resolver.cancel();
            error_code ignored;
            s->socket.close(ignored);
        }
    });
    struct cancel_deadline {
        exchange& e;
        ~cancel_deadline() { e.deadline.cancel(); }
    } guard{*st};
    auto failed = [&](const std::string& what, const error_code& ec) {
        return std::string(what + ": " + (st->timed_out ? std::string("timed out") : ec.message()));
    };

    std::string service = std::to_string(sentinel.port); // a named local: GCC 12 and temporaries in co_await
    auto [rec, endpoints] =
        co_await st->resolver.async_resolve(sentinel.host, service, asio::as_tuple(asio::use_awaitable));
    if (rec || st->timed_out) co_return failed("resolve", rec);
    auto [cec, connected] = co_await asio::async_connect(st->socket, endpoints, asio::as_tuple(asio::use_awaitable));
    (void)connected;
    if (cec || st->timed_out) co_return failed("connect", cec);

    std::string out;
    std::size_t expected = 1;
    if (!where.sentinel_password.empty()) {
        std::vector<std::string> auth{"AUTH"};
        if (!where.sentinel_user.empty()) auth.push_back(where.sentinel_user);
        auth.push_back(where.sentinel_password);
        append_command(out, auth);
        ++expected;
    }
    std::vector<std::string> ask{"SENTINEL", "GET-MASTER-ADDR-BY-NAME", where.master_name};
    append_command(out, ask);
    auto [wec, written] = co_await asio::async_write(st->socket, asio::buffer(out), asio::as_tuple(asio::use_awaitable));
    (void)written;
    if (wec || st->timed_out) co_return failed("write", wec);

    std::unique_ptr<redisReader, reader_deleter> reader(redisReaderCreate());
    std::vector<owned_reply> replies;
    char buf[1024];
    while (replies.size() < expected) {
        auto [ec, n] = co_await st->socket.async_read_some(asio::buffer(buf), asio::as_tuple(asio::use_awaitable));
        if (ec || st->timed_out) co_return failed("read", ec);
        if (redisReaderFeed(reader.get(), buf, n) != REDIS_OK) co_return std::string("unreadable reply");
        for (;;) {
            void* r = nullptr;
            if (redisReaderGetReply(reader.get(), &r) != REDIS_OK) co_return std::string("unreadable reply");
            if (!r) break;
            replies.emplace_back(static_cast<redisReply*>(r));
        }
    }
    if (expected == 2 && replies[0]->type == REDIS_REPLY_ERROR)
        co_return "AUTH failed: " + text_of(replies[0].get());
    const redisReply* addr = replies.back().get();
    if (addr->type == REDIS_REPLY_ERROR) co_return text_of(addr);
    if (addr->type == REDIS_REPLY_NIL) co_return "does not know a primary named " + where.master_name;
    if (addr->type != REDIS_REPLY_ARRAY || addr->elements != 2) co_return std::string("unexpected reply");
    host_port primary{text_of(addr->element[0]), 0};
    std::string port = text_of(addr->element[1]);
    int p = 0;
    auto [end, pec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (pec != std::errc{} || end != port.data() + port.size() || p < 1 || p > 65535 || primary.host.empty())
        co_return std::string("unexpected reply");
    primary.port = static_cast<std::uint16_t>(p);
    co_return primary;
}

} // namespace

asio::awaitable<std::variant<host_port, std::string>> ask_sentinels(endpoint where, std::chrono::milliseconds timeout)
{
    std::string reasons;
    for (const host_port& s : where.sentinels) {
        auto answer = co_await ask_one(s, where, timeout);
        if (auto* primary = std::get_if<host_port>(&answer)) co_return *primary;
        if (!reasons.empty()) reasons += "; ";
        reasons += "sentinel " + s.host + ":" + std::to_string(s.port) + ": " + std::get<std::string>(answer);
    }
    co_return reasons;
}

switch_watcher::switch_watcher(asio::any_io_executor strand, endpoint where, std::chrono::milliseconds timeout,
                               std::function<void(host_port)> on_switch)
    : strand_(std::move(strand)),
      where_(std::move(where)),
      timeout_(timeout),
      on_switch_(std::move(on_switch)),
      socket_(strand_),
      resolver_(strand_),
      timer_(strand_)
{
}

void switch_watcher::start()
{
    // Supervised: a watcher that throws is logged and restarted; until stop() it must
    // keep following the sentinels, or a failover would go unnoticed.
    task::spawn_supervised(strand_, task::supervision("sentinel_watcher"),
                           [self = shared_from_this()] { return self->run(); });
}

void switch_watcher::stop()
{
    asio::post(strand_, [self = shared_from_this()] {
        self->stopped_ = true;
        self->resolver_.cancel();
        self->timer_.cancel();
        error_code ignored;
        self->socket_.close(ignored);
    });
}

asio::awaitable<void> switch_watcher::run()
{
    std::size_t next = 0;
    while (!stopped_) {
        const host_port& s = where_.sentinels[next++ % where_.sentinels.size()];
        std::string why = co_await listen(s);
        if (stopped_) break;
        log::debug("sentinel_watch_lost", {{"sentinel", s.host + ":" + std::to_string(s.port)}, {"reason", why}});
        timer_.expires_after(std::chrono::milliseconds(500));
        co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

asio::awaitable<std::string> switch_watcher::listen(const host_port& sentinel)
{
    error_code ignored;
    socket_.close(ignored);
    // The connect must finish within the timeout; after that the subscription may be
    // silent for hours, and TCP keepalive notices a sentinel that vanished.
    std::uint64_t attempt = ++attempt_;
    timed_out_ = false;
    timer_.expires_after(timeout_);
    timer_.async_wait([self = shared_from_this(), attempt](error_code ec) {
        if (ec || attempt != self->attempt_ || self->connected_) return;
        self->timed_out_ = true;
        self->resolver_.cancel();
        error_code e;
        self->socket_.close(e);
    });
    connected_ = false;
    std::string service = std::to_string(sentinel.port);
    auto [rec, endpoints] = co_await resolver_.async_resolve(sentinel.host, service, asio::as_tuple(asio::use_awaitable));
    if (rec || stopped_) co_return "resolve: " + rec.message();
    auto [cec, connected] = co_await asio::async_connect(socket_, endpoints, asio::as_tuple(asio::use_awaitable));
    (void)connected;
    if (cec || timed_out_ || stopped_) {
        std::string why = timed_out_ ? std::string("timed out") : cec.message();
        co_return "connect: " + why;
    }
    connected_ = true;
    timer_.cancel();
    socket_.set_option(asio::socket_base::keep_alive(true), ignored);

    std::string out;
    if (!where_.sentinel_password.empty()) {
        std::vector<std::string> auth{"AUTH"};
        if (!where_.sentinel_user.empty()) auth.push_back(where_.sentinel_user);
        auth.push_back(where_.sentinel_password);
        append_command(out, auth);
    }
    std::vector<std::string> subscribe{"SUBSCRIBE", "+switch-master"};
    append_command(out, subscribe);
    auto [wec, written] = co_await asio::async_write(socket_, asio::buffer(out), asio::as_tuple(asio::use_awaitable));
    (void)written;
    if (wec || stopped_) co_return "write: " + wec.message();

    std::unique_ptr<redisReader, reader_deleter> reader(redisReaderCreate());
    char buf[1024];
    for (;;) {
        auto [ec, n] = co_await socket_.async_read_some(asio::buffer(buf), asio::as_tuple(asio::use_awaitable));
        if (ec || stopped_) co_return "read: " + ec.message();
        if (redisReaderFeed(reader.get(), buf, n) != REDIS_OK) co_return std::string("unreadable reply");
        for (;;) {
            void* raw = nullptr;
            if (redisReaderGetReply(reader.get(), &raw) != REDIS_OK) co_return std::string("unreadable reply");
            if (!raw) break;
            owned_reply r(static_cast<redisReply*>(raw));
            if (r->type == REDIS_REPLY_ERROR) co_return text_of(r.get());
            // ["message", "+switch-master", "<name> <old ip> <old port> <new ip> <new port>"]
            if (r->type != REDIS_REPLY_ARRAY || r->elements != 3 || text_of(r->element[0]) != "message") continue;
            std::istringstream words(text_of(r->element[2]));
            std::string name, old_ip, old_port, new_ip;
            int new_port = 0;
            if (!(words >> name >> old_ip >> old_port >> new_ip >> new_port) || name != where_.master_name ||
                new_port < 1 || new_port > 65535)
                continue;
            log::info("sentinel_switch_master", {{"master", name}, {"primary", new_ip + ":" + std::to_string(new_port)}});
            on_switch_(host_port{new_ip, static_cast<std::uint16_t>(new_port)});
        }
    }
}

} // namespace sp::redis
