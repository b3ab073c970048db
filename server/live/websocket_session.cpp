#include "live/websocket_session.hpp"

#include "auth/session_resolver.hpp"
#include "http/cookies.hpp"
#include "live/change_builder.hpp"
#include "live/message_buffer.hpp"
#include "live/subscription_reader.hpp"
#include "log/logger.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using asio::as_tuple;
using asio::use_awaitable;

namespace sp::live {

websocket_session::websocket_session(asio::ip::tcp::socket socket, live_service& service, std::string peer,
                                     std::size_t shard)
    : ws_(std::move(socket)),
      service_(service),
      peer_(std::move(peer)),
      shard_(shard),
      mailbox_(service.settings.queue_max_bytes, service.settings.slow_consumer_grace),
      tokens_(service.settings.max_messages_per_second * 2),
      refilled_(update_queue::clock::now())
{
}

websocket_session::~websocket_session()
{
    if (registered_) service_.hub.remove(this);
}

void websocket_session::start(http::request req)
{
    // The coroutine gets the session and the request as parameters, so its first frame
    // holds them (not a lambda around them that would stay alive as long as the socket).
    asio::co_spawn(ws_.get_executor(), run(shared_from_this(), std::move(req)), asio::detached);
}

bool websocket_session::deliver_update(const shared_update& update, bool private_watch)
{
    auto d = mailbox_.deliver(update, update_queue::clock::now());
    if (!d.queued) return false;
    if (d.coalesced) service_.hub.metrics().coalesced.fetch_add(1, std::memory_order_relaxed);
    if (d.overwhelmed || private_watch) {
        bool overwhelmed = d.overwhelmed;
        asio::post(ws_.get_executor(), [self = shared_from_this(), update, overwhelmed, private_watch] {
            if (overwhelmed) self->check_backlog();
            if (private_watch && !self->mailbox_.closed()) self->want_bookings(update->session_id, update->expert_id);
        });
    }
    return d.wake; // the hub starts the writer, with the others of this shard
}

void websocket_session::want_bookings(const std::string& session_id, const std::string& expert_id)
{
    bool wanted = std::any_of(subs_.begin(), subs_.end(), [&](const subscription& s) {
        return s.what.with_bookings && s.what.expert == expert_id;
    });
    // One read per session at a time; a change during the read is covered by it or
    // by the next. Bounded like the queue: a flood makes the client resubscribe.
    if (!wanted || bookings_pending_.count(session_id)) return;
    if (bookings_pending_.size() >= 64) {
        enqueue_message(resync_message("too many changes at once; resubscribe"));
        return;
    }
    bookings_pending_.insert(session_id);
    asio::co_spawn(ws_.get_executor(), send_bookings(session_id), asio::detached);
}

void websocket_session::wake(bool wanted)
{
    if (wanted) asio::post(ws_.get_executor(), [self = shared_from_this()] { self->write_next(); });
}

void websocket_session::write_next()
{
    // A socket that fell behind (a burst of changes, a slow link) has several session
    // states waiting in a row: they go out as one `changes` message, one frame and one
    // system call, instead of one each.
    constexpr std::size_t k_max_merged = 32;
    shared_bytes next;
    if (!unmerged_.empty() && mailbox_.closed()) unmerged_.clear();
    if (!unmerged_.empty()) { // see below
        next = std::move(unmerged_.front());
        unmerged_.erase(unmerged_.begin());
    } else {
        // One buffer per thread for every socket's writes: no allocation per write.
        thread_local std::vector<shared_bytes> run;
        mailbox_.next(run, k_max_merged, update_queue::clock::now());
        if (run.empty()) return;
        if (run.size() == 1) {
            next = std::move(run.front());
        } else if (std::string merged = merge_changes_messages(run); !merged.empty()) {
            next = std::make_shared<const std::string>(std::move(merged));
        } else {
            // Not only changes messages (a walk-in summary is among them): send them
            // one by one, in order.
            next = std::move(run.front());
            unmerged_.assign(std::make_move_iterator(run.begin() + 1), std::make_move_iterator(run.end()));
        }
        run.clear();
    }
    write_in_flight_ = true;
    ws_.text(true);
    ws_.async_write(asio::buffer(*next), [self = shared_from_this(), next](beast::error_code ec, std::size_t n) {
        self->write_in_flight_ = false;
        if (ec) {
            self->mailbox_.close();
            if (self->close_deadline_) self->close_deadline_->cancel();
            self->mailbox_.writer_stopped();
            return;
        }
        auto& m = self->service_.hub.metrics();
        m.messages_sent.fetch_add(1, std::memory_order_relaxed);
        m.bytes_sent.fetch_add(n, std::memory_order_relaxed);
        if (self->pending_close_) { // the close frame that waited for this write
            websocket::close_reason reason = *self->pending_close_;
            self->pending_close_.reset();
            if (self->close_deadline_) self->close_deadline_->cancel();
            asio::co_spawn(self->ws_.get_executor(), [self, reason]() -> asio::awaitable<void> {
                co_await self->ws_.async_close(reason, as_tuple(use_awaitable));
            }, asio::detached);
            self->mailbox_.writer_stopped();
            return;
        }
        self->write_next();
    });
}

asio::awaitable<void> websocket_session::send_bookings(std::string session_id)
{
    auto self = shared_from_this();
    auto held = co_await service_.store.reader.session_bookings(session_id);
    bookings_pending_.erase(session_id);
    if (mailbox_.closed()) co_return;
    if (!held.ok()) {
        enqueue_message(resync_message("the server could not read a session's bookings; resubscribe"));
        co_return;
    }
    auto s = co_await service_.store.reader.session(session_id);
    if (!s.ok() || mailbox_.closed()) co_return;
    for (const auto& sub : subs_)
        if (sub.what.with_bookings && sub.what.expert == s.value.expert_id)
            enqueue_message(bookings_message(sub.id, session_id, held.value));
}

bool websocket_session::may_see_bookings(const view& v) const
{
    if (account_.id.empty()) return false;
    return account_.role == "admin" || (account_.role == "expert" && account_.expert_id == v.expert);
}

asio::awaitable<void> websocket_session::identify(const http::request& req)
{
    if (!service_.accounts) co_return;
    auto cookies = req.find(http::bhttp::field::cookie);
    if (cookies == req.end()) co_return;
    auto found = co_await auth::resolve_session(*service_.accounts, cookies->value(), service_.session_idle);
    if (!found.who) co_return;
    account_ = std::move(found.who->account);
    account_.password_hash.clear(); // not needed here
    service_.hub.set_account(this, account_.id);
}

void websocket_session::deliver_message(shared_bytes bytes)
{
    auto now = update_queue::clock::now();
    wake(mailbox_.push(std::move(bytes), now));
    if (mailbox_.overwhelmed(now)) asio::post(ws_.get_executor(), [self = shared_from_this()] { self->check_backlog(); });
}

void websocket_session::shutdown() { close_with(websocket::close_code::going_away); }

void websocket_session::sign_out() { close_with({websocket::close_code::policy_error, "signed out"}); }

void websocket_session::close_with(websocket::close_reason reason)
{
    asio::post(ws_.get_executor(), [self = shared_from_this(), reason] {
        if (!self->mailbox_.close()) return;
        if (!self->write_in_flight_) {
            asio::co_spawn(self->ws_.get_executor(), [self, reason]() -> asio::awaitable<void> {
                co_await self->ws_.async_close(reason, as_tuple(use_awaitable));
            }, asio::detached);
            return;
        }
        // A message is on its way (a close frame must not overlap it): the writer sends
        // the close frame when it is done. Only a peer that has not taken it within the
        // slow-consumer grace loses the connection without one.
        self->pending_close_ = reason;
        self->close_deadline_ =
            std::make_unique<asio::steady_timer>(self->ws_.get_executor(), self->service_.settings.slow_consumer_grace);
        self->close_deadline_->async_wait([self](boost::system::error_code ec) {
            beast::error_code ignored;
            if (!ec && self->write_in_flight_) beast::get_lowest_layer(self->ws_).close(ignored);
        });
    });
}

void websocket_session::enqueue_message(std::string text)
{
    wake(mailbox_.push(std::make_shared<const std::string>(std::move(text)), update_queue::clock::now()));
    check_backlog();
}

void websocket_session::check_backlog()
{
    // A consumer this far behind for this long will not catch up: let it reconnect
    // with `since` instead of holding memory for it.
    auto dropped = mailbox_.close_if_overwhelmed(update_queue::clock::now());
    if (!dropped) return;
    log::info("live_slow_consumer_closed", {{"peer", peer_}, {"pending_bytes", *dropped}});
    service_.hub.metrics().slow_closes.fetch_add(1, std::memory_order_relaxed);
    if (!write_in_flight_) {
        asio::co_spawn(ws_.get_executor(), [self = shared_from_this()]() -> asio::awaitable<void> {
            co_await self->ws_.async_close(websocket::close_code::try_again_later, as_tuple(use_awaitable));
        }, asio::detached);
    } else {
        beast::error_code ignored;
        beast::get_lowest_layer(ws_).close(ignored);
    }
}

bool websocket_session::allow_message()
{
    double rate = service_.settings.max_messages_per_second;
    auto now = update_queue::clock::now();
    tokens_ = std::min(rate * 2, tokens_ + rate * std::chrono::duration<double>(now - refilled_).count());
    refilled_ = now;
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
}

void websocket_session::publish_views() { service_.hub.set_views(this, subs_); }

asio::awaitable<void> websocket_session::refuse(http::bhttp::status status, std::string code, std::string detail,
                                               std::string retry_after)
{
    auto self = shared_from_this();
    http::response res = http::make_problem(status, code, detail);
    res.set(http::bhttp::field::retry_after, retry_after);
    res.keep_alive(false);
    res.prepare_payload();
    // A client that does not read its refusal is cut off after 5 s.
    asio::steady_timer guard(ws_.get_executor(), std::chrono::seconds(5));
    guard.async_wait([self](beast::error_code ec) {
        beast::error_code ignored;
        if (!ec) beast::get_lowest_layer(self->ws_).close(ignored);
    });
    co_await http::bhttp::async_write(beast::get_lowest_layer(ws_), res, as_tuple(use_awaitable));
    guard.cancel();
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).close(ignored);
}

asio::awaitable<bool> websocket_session::open(http::request req)
{
    auto self = shared_from_this();
    if (!service_.hub.add(self, peer_, service_.settings.max_sockets_per_address)) {
        co_await refuse(http::bhttp::status::too_many_requests, "too-many-sockets",
                        "this address has too many open live connections", "5");
        co_return false;
    }
    registered_ = true;
    // A turn for the handshake: in a storm of reconnects the others wait here, not in
    // the io threads' queues (see admission_gate.hpp).
    auto turn = co_await service_.gate->enter();
    if (!turn) {
        co_await refuse(http::bhttp::status::service_unavailable, "busy",
                        "too many live connections are opening at once; retry in a moment", "1");
        co_return false;
    }
    if (mailbox_.closed()) co_return false; // the server began to stop while this one waited
    co_await identify(req);

    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = std::chrono::seconds(10);
    timeouts.idle_timeout = service_.settings.idle_timeout;
    timeouts.keep_alive_pings = true;
    ws_.set_option(timeouts);
    ws_.read_message_max(service_.settings.max_message_bytes);
    ws_.auto_fragment(false);
    // permessage-deflate stays off: compression costs CPU per socket and opens
    // compression side channels; our messages are small.
    websocket::permessage_deflate pmd;
    pmd.server_enable = false;
    ws_.set_option(pmd);

    auto [aec] = co_await ws_.async_accept(req, as_tuple(use_awaitable));
    co_return !aec;
}

// `self` keeps the session alive while it runs.
asio::awaitable<void> websocket_session::run([[maybe_unused]] std::shared_ptr<websocket_session> self, http::request req)
{
    // The upgrade request is moved into open() and freed when it returns: an idle
    // socket keeps no request headers.
    if (!co_await open(std::move(req))) co_return;

    message_buffer buffer(service_.settings.max_message_bytes + 1024);
    for (;;) {
        auto [ec, n] = co_await ws_.async_read(buffer, as_tuple(use_awaitable));
        if (ec) break; // closed, timed out, too big (1009), invalid UTF-8 (1007), bad frame (1002)
        if (!ws_.got_text()) {
            co_await ws_.async_close({websocket::close_code::unknown_data, "text frames only"}, as_tuple(use_awaitable));
            break;
        }
        if (!allow_message()) {
            co_await ws_.async_close({websocket::close_code::policy_error, "too many messages"}, as_tuple(use_awaitable));
            break;
        }
        std::string text = beast::buffers_to_string(buffer.data());
        buffer.clear();
        co_await handle(text);
        if (mailbox_.closed()) break;
    }
    mailbox_.close();
    service_.hub.set_views(this, {});
}

asio::awaitable<void> websocket_session::handle(std::string_view text)
{
    client_message msg = parse_client_message(text);
    if (auto* e = std::get_if<protocol_error>(&msg)) {
        enqueue_message(error_message(e->code, e->detail, e->id));
    } else if (auto* p = std::get_if<ping_msg>(&msg)) {
        enqueue_message(pong_message(p->id));
    } else if (auto* u = std::get_if<unsubscribe_msg>(&msg)) {
        std::erase_if(subs_, [&](const subscription& s) { return s.id == u->id; });
        publish_views();
    } else if (auto* s = std::get_if<subscribe_msg>(&msg)) {
        co_await subscribe(s->id, s->what, s->since);
    }
}

asio::awaitable<void> websocket_session::subscribe(std::string id, view v, std::string since)
{
    bool replacing = std::any_of(subs_.begin(), subs_.end(), [&](const subscription& s) { return s.id == id; });
    if (!replacing && subs_.size() >= service_.settings.max_subscriptions) {
        enqueue_message(error_message("too-many-subscriptions",
                                      "at most " + std::to_string(service_.settings.max_subscriptions) +
                                          " subscriptions per connection",
                                      id));
        co_return;
    }
    if (v.with_bookings && !may_see_bookings(v)) {
        // As for HTTP: another expert's data is "not found", never "forbidden".
        enqueue_message(error_message("not-found", "there is no such expert of yours; sign in as them", id));
        co_return;
    }
    // A turn, like a handshake's: a storm of resubscribes waits here (see admission_gate.hpp).
    auto turn = co_await service_.gate->enter();
    if (!turn) {
        enqueue_message(error_message("unavailable", "the server is busy; retry in a moment", id));
        co_return;
    }
    if (mailbox_.closed()) co_return; // the server began to stop while this one waited
    std::erase_if(subs_, [&](const subscription& s) { return s.id == id; });
    // A resuming client already has every change up to `since`.
    subs_.push_back({id, v, order_of(since)});

    // Watch first, then read, and write nothing meanwhile: a change that arrives while
    // the answer is read waits behind it, and is dropped if the answer carries it (see
    // session_mailbox.hpp). The guard ends the hold on every way out.
    struct hold_guard {
        websocket_session& s;
        bool answered = false;
        ~hold_guard()
        {
            if (!answered) s.wake(s.mailbox_.answer(nullptr, {}, 0, 0, update_queue::clock::now()));
        }
    } hold{*this};
    mailbox_.hold();
    publish_views();

    auto& store = service_.store;
    subscription_sources from{store, store.changes, store.reader, *service_.recent_changes, *service_.recent_snapshots,
                              service_.settings.resume_max_entries};
    subscription_answer a = co_await read_subscription(from, id, v, since);
    if (!a.reply) {
        enqueue_message(std::move(a.error));
        co_return;
    }
    // The hub first: a change up to `upto` that this instance publishes late (its tailer
    // lags behind the log the answer was read from) is not sent for this view again.
    for (auto& sub : subs_)
        if (sub.id == id && sub.covered < a.upto) sub.covered = a.upto;
    std::uint64_t chosen = service_.hub.set_views(this, subs_);
    hold.answered = true;
    wake(mailbox_.answer(std::move(a.reply), std::move(a.carried), chosen, service_.hub.delivered(),
                         update_queue::clock::now()));
    if (!v.with_bookings) co_return;
    for (const auto& sid : a.sessions) {
        auto held = co_await store.reader.session_bookings(sid);
        if (held.ok()) {
            enqueue_message(bookings_message(id, sid, held.value));
        } else if (!a.resumed) {
            enqueue_message(error_message("unavailable", "the server cannot read the bookings right now; retry", id));
            co_return;
        }
    }
}

} // namespace sp::live
