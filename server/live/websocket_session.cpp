#include "live/websocket_session.hpp"

#include "api/auth_guard.hpp"
#include "http/cookies.hpp"
#include "live/change_builder.hpp"
#include "log/logger.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
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
namespace {

domain::instant now_instant()
{
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

} // namespace

websocket_session::websocket_session(asio::ip::tcp::socket socket, live_service& service, std::string peer)
    : ws_(std::move(socket)),
      service_(service),
      peer_(std::move(peer)),
      queue_(service.settings.queue_max_bytes, service.settings.slow_consumer_grace),
      wake_(ws_.get_executor()),
      close_deadline_(ws_.get_executor()),
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
    asio::co_spawn(ws_.get_executor(), [self = shared_from_this(), req = std::move(req)]() mutable {
        return self->run(std::move(req));
    }, asio::detached);
}

void websocket_session::deliver_update(const std::string& session_id, const std::string& expert_id,
                                       shared_bytes bytes)
{
    asio::post(ws_.get_executor(), [self = shared_from_this(), session_id, expert_id, bytes = std::move(bytes)]() mutable {
        if (self->closing_) return;
        auto before = self->queue_.coalesced();
        self->queue_.push_update(session_id, std::move(bytes), update_queue::clock::now());
        if (self->queue_.coalesced() != before)
            self->service_.hub.metrics().coalesced.fetch_add(1, std::memory_order_relaxed);
        self->check_backlog();
        self->wake_writer();
        bool wanted = std::any_of(self->subs_.begin(), self->subs_.end(), [&](const auto& s) {
            return s.second.with_bookings && s.second.expert == expert_id;
        });
        // One read per session at a time; a change during the read is covered by it or
        // by the next. Bounded like the queue: a flood makes the client resubscribe.
        if (wanted && !self->bookings_pending_.count(session_id)) {
            if (self->bookings_pending_.size() >= 64) {
                self->enqueue_message(resync_message("too many changes at once; resubscribe"));
                return;
            }
            self->bookings_pending_.insert(session_id);
            asio::co_spawn(self->ws_.get_executor(), self->send_bookings(session_id), asio::detached);
        }
    });
}

asio::awaitable<void> websocket_session::send_bookings(std::string session_id)
{
    auto self = shared_from_this();
    auto held = co_await service_.store.session_bookings(session_id);
    bookings_pending_.erase(session_id);
    if (closing_) co_return;
    if (!held.ok()) {
        enqueue_message(resync_message("the server could not read a session's bookings; resubscribe"));
        co_return;
    }
    auto s = co_await service_.store.session(session_id);
    if (!s.ok() || closing_) co_return;
    for (const auto& [id, v] : subs_)
        if (v.with_bookings && v.expert == s.value.expert_id)
            enqueue_message(bookings_message(id, session_id, held.value));
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
    auto sid = http::cookie_value(cookies->value(), api::k_session_cookie);
    if (!sid) co_return;
    auto s = co_await service_.accounts->session(*sid, now_instant(), service_.session_idle);
    if (!s.ok()) co_return;
    auto a = co_await service_.accounts->by_id(s.value.account_id);
    if (!a.ok()) co_return;
    account_ = std::move(a.value);
    account_.password_hash.clear(); // not needed here
    service_.hub.set_account(this, account_.id);
}

void websocket_session::deliver_message(shared_bytes bytes)
{
    asio::post(ws_.get_executor(), [self = shared_from_this(), bytes = std::move(bytes)]() mutable {
        if (self->closing_) return;
        self->queue_.push_message(std::move(bytes), update_queue::clock::now());
        self->check_backlog();
        self->wake_writer();
    });
}

void websocket_session::shutdown() { close_with(websocket::close_code::going_away); }

void websocket_session::sign_out() { close_with({websocket::close_code::policy_error, "signed out"}); }

void websocket_session::close_with(websocket::close_reason reason)
{
    asio::post(ws_.get_executor(), [self = shared_from_this(), reason] {
        if (self->closing_) return;
        self->closing_ = true;
        self->wake_writer();
        if (!self->writing_) {
            asio::co_spawn(self->ws_.get_executor(), [self, reason]() -> asio::awaitable<void> {
                co_await self->ws_.async_close(reason, as_tuple(use_awaitable));
            }, asio::detached);
            return;
        }
        // A message is on its way (a close frame must not overlap it): the write loop sends
        // the close frame when it is done. Only a peer that has not taken it within the
        // slow-consumer grace loses the connection without one.
        self->pending_close_ = reason;
        self->close_deadline_.expires_after(self->service_.settings.slow_consumer_grace);
        self->close_deadline_.async_wait([self](boost::system::error_code ec) {
            if (!ec && self->writing_) beast::get_lowest_layer(self->ws_).close();
        });
    });
}

void websocket_session::enqueue_message(std::string text)
{
    queue_.push_message(std::make_shared<const std::string>(std::move(text)), update_queue::clock::now());
    wake_writer();
}

void websocket_session::wake_writer() { wake_.cancel(); }

void websocket_session::check_backlog()
{
    if (!queue_.overwhelmed(update_queue::clock::now())) return;
    // A consumer this far behind for this long will not catch up: let it reconnect
    // with `since` instead of holding memory for it.
    service_.hub.metrics().slow_closes.fetch_add(1, std::memory_order_relaxed);
    log::info("live_slow_consumer_closed", {{"peer", peer_}, {"pending_bytes", queue_.pending_bytes()}});
    closing_ = true;
    queue_.clear();
    if (!writing_) {
        asio::co_spawn(ws_.get_executor(), [self = shared_from_this()]() -> asio::awaitable<void> {
            co_await self->ws_.async_close(websocket::close_code::try_again_later, as_tuple(use_awaitable));
        }, asio::detached);
    } else {
        beast::get_lowest_layer(ws_).close();
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

asio::awaitable<void> websocket_session::run(http::request req)
{
    auto self = shared_from_this();
    if (!service_.hub.add(self, peer_, service_.settings.max_sockets_per_address)) {
        http::response res = http::make_problem(http::bhttp::status::too_many_requests, "too-many-sockets",
                                                "this address has too many open live connections");
        res.set(http::bhttp::field::retry_after, "5");
        res.keep_alive(false);
        res.prepare_payload();
        beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(5));
        co_await http::bhttp::async_write(beast::get_lowest_layer(ws_), res, as_tuple(use_awaitable));
        beast::get_lowest_layer(ws_).close();
        co_return;
    }
    registered_ = true;
    co_await identify(req);

    beast::get_lowest_layer(ws_).expires_never(); // the websocket's own timeouts take over
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
    if (aec) co_return;
    asio::co_spawn(ws_.get_executor(), write_loop(), asio::detached);

    beast::flat_buffer buffer;
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
        buffer.consume(buffer.size());
        co_await handle(text);
        if (closing_) break;
    }
    closing_ = true;
    wake_writer();
    service_.hub.set_views(this, {});
}

asio::awaitable<void> websocket_session::write_loop()
{
    auto self = shared_from_this();
    for (;;) {
        while (!closing_) {
            shared_bytes next = queue_.pop(update_queue::clock::now());
            if (!next) break;
            writing_ = true;
            ws_.text(true);
            auto [ec, n] = co_await ws_.async_write(asio::buffer(*next), as_tuple(use_awaitable));
            writing_ = false;
            if (ec) {
                closing_ = true;
                close_deadline_.cancel();
                co_return;
            }
            auto& m = service_.hub.metrics();
            m.messages_sent.fetch_add(1, std::memory_order_relaxed);
            m.bytes_sent.fetch_add(n, std::memory_order_relaxed);
        }
        if (closing_) {
            if (pending_close_) {
                websocket::close_reason reason = *pending_close_;
                pending_close_.reset();
                close_deadline_.cancel();
                co_await ws_.async_close(reason, as_tuple(use_awaitable));
            }
            co_return;
        }
        wake_.expires_at(asio::steady_timer::time_point::max());
        co_await wake_.async_wait(as_tuple(use_awaitable));
    }
}

asio::awaitable<void> websocket_session::handle(std::string_view text)
{
    client_message msg = parse_client_message(text);
    if (auto* e = std::get_if<protocol_error>(&msg)) {
        enqueue_message(error_message(e->code, e->detail, e->id));
    } else if (auto* p = std::get_if<ping_msg>(&msg)) {
        enqueue_message(pong_message(p->id));
    } else if (auto* u = std::get_if<unsubscribe_msg>(&msg)) {
        std::erase_if(subs_, [&](const auto& s) { return s.first == u->id; });
        publish_views();
    } else if (auto* s = std::get_if<subscribe_msg>(&msg)) {
        co_await subscribe(s->id, s->what, s->since);
    }
}

asio::awaitable<void> websocket_session::subscribe(std::string id, view v, std::string since)
{
    bool replacing = std::any_of(subs_.begin(), subs_.end(), [&](const auto& s) { return s.first == id; });
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
    std::erase_if(subs_, [&](const auto& s) { return s.first == id; });
    subs_.emplace_back(id, v);
    // Watch first, then read: a change between the two arrives twice at worst, and
    // every session carries its version, so the client keeps the newest.
    publish_views();

    auto& store = service_.store;
    auto bounds = co_await store.log_bounds();
    if (!bounds.ok()) {
        enqueue_message(error_message("unavailable", "the server cannot read the schedule right now; retry", id));
        co_return;
    }
    domain::instant now = now_instant();
    if (!since.empty() && !bounds.value.first.empty() && compare_versions(bounds.value.first, since) <= 0) {
        auto entries = co_await store.log_after(since, service_.settings.resume_max_entries);
        if (entries.ok() && entries.value.size() < service_.settings.resume_max_entries) {
            auto changes = co_await build_changes(store, entries.value);
            if (changes.ok()) {
                std::vector<change> mine;
                for (auto& c : changes.value)
                    if (v.matches(c.session, now)) mine.push_back(std::move(c));
                // The resume: exactly what this view missed, in log order, up to the
                // newest entry read (live changes after it follow through the hub).
                std::string upto = entries.value.empty() ? since : entries.value.back().id;
                enqueue_message(resume_message(id, v, upto, mine));
                if (v.with_bookings) {
                    std::set<std::string> changed;
                    for (const auto& c : mine) changed.insert(c.session.id);
                    for (const auto& sid : changed) {
                        auto held = co_await store.session_bookings(sid);
                        if (held.ok()) enqueue_message(bookings_message(id, sid, held.value));
                    }
                }
                co_return;
            }
        }
        // Too much missed or unreadable: a snapshot is the honest answer.
    }

    std::vector<domain::session> sessions;
    if (v.type == view::kind::event) {
        auto s = co_await store.session(v.event);
        if (s.ok()) sessions.push_back(std::move(s.value));
        else if (s.unavailable) {
            enqueue_message(error_message("unavailable", "the server cannot read the schedule right now; retry", id));
            co_return;
        }
    } else {
        auto list = co_await store.sessions(v.query(now));
        if (!list.ok()) {
            enqueue_message(error_message("unavailable", "the server cannot read the schedule right now; retry", id));
            co_return;
        }
        for (auto& s : list.value)
            if (v.matches(s, now)) sessions.push_back(std::move(s));
    }
    std::string version = bounds.value.second.empty() ? "0-0" : bounds.value.second;
    enqueue_message(snapshot_message(id, v, version, sessions));
    if (v.with_bookings) {
        for (const auto& s : sessions) {
            auto held = co_await store.session_bookings(s.id);
            if (!held.ok()) {
                enqueue_message(error_message("unavailable", "the server cannot read the bookings right now; retry", id));
                co_return;
            }
            enqueue_message(bookings_message(id, s.id, held.value));
        }
    }
}

} // namespace sp::live
