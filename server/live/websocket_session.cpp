#include "live/websocket_session.hpp"

#include "auth/session_resolver.hpp"
#include "http/cookies.hpp"
#include "live/change_builder.hpp"
#include "live/message_buffer.hpp"
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

void websocket_session::deliver_update(const shared_update& update, bool private_watch)
{
    if (closing_) return;
    bool coalesced = false, overwhelmed = false;
    {
        std::lock_guard lock(mailbox_);
        if (answered_) {
            if (update->seq > answered_seq_) {
                answered_.reset(); // every change chosen before the answer has arrived
            } else if (auto it = answered_->find(update->session_id);
                       it != answered_->end() && order_of(update->version) <= it->second) {
                return; // chosen before the answer, which already carries it
            }
        }
        auto before = queue_.coalesced();
        auto now = update_queue::clock::now();
        queue_.push_update(update, now);
        coalesced = queue_.coalesced() != before;
        overwhelmed = queue_.overwhelmed(now);
        start_writer_locked();
    }
    if (coalesced) service_.hub.metrics().coalesced.fetch_add(1, std::memory_order_relaxed);
    if (overwhelmed || private_watch) {
        asio::post(ws_.get_executor(), [self = shared_from_this(), update, overwhelmed, private_watch] {
            if (overwhelmed) self->check_backlog();
            if (private_watch && !self->closing_) self->want_bookings(update->session_id, update->expert_id);
        });
    }
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

void websocket_session::start_writer_locked()
{
    if (writer_active_) return;
    writer_active_ = true;
    asio::post(ws_.get_executor(), [self = shared_from_this()] { self->write_next(); });
}

void websocket_session::push(shared_bytes message)
{
    std::lock_guard lock(mailbox_);
    queue_.push_message(std::move(message), update_queue::clock::now());
    start_writer_locked();
}

void websocket_session::write_next()
{
    // A socket that fell behind (a burst of changes, a slow link) has several session
    // states waiting in a row: they go out as one `changes` message, one frame and one
    // system call, instead of one each.
    constexpr std::size_t k_max_merged = 32;
    shared_bytes next;
    std::vector<shared_bytes> run;
    if (!unmerged_.empty() && closing_) unmerged_.clear();
    if (!unmerged_.empty()) { // see below
        next = std::move(unmerged_.front());
        unmerged_.erase(unmerged_.begin());
    } else {
        std::lock_guard lock(mailbox_);
        auto now = update_queue::clock::now();
        if (!closing_ && !held_) {
            bool update = queue_.front_is_update();
            next = queue_.pop(now);
            if (next && update)
                while (run.size() + 1 < k_max_merged && queue_.front_is_update()) run.push_back(queue_.pop(now));
        }
        if (!next) {
            writer_active_ = false;
            return;
        }
    }
    if (!run.empty()) {
        run.insert(run.begin(), std::move(next));
        std::string merged = merge_changes_messages(run);
        if (!merged.empty()) {
            next = std::make_shared<const std::string>(std::move(merged));
        } else {
            // Not a changes message after all (cannot happen: the hub builds them all
            // with changes_message()): send them one by one, in order.
            next = std::move(run.front());
            unmerged_.assign(std::make_move_iterator(run.begin() + 1), std::make_move_iterator(run.end()));
        }
    }
    write_in_flight_ = true;
    ws_.text(true);
    ws_.async_write(asio::buffer(*next), [self = shared_from_this(), next](beast::error_code ec, std::size_t n) {
        self->write_in_flight_ = false;
        if (ec) {
            self->closing_ = true;
            if (self->close_deadline_) self->close_deadline_->cancel();
            std::lock_guard lock(self->mailbox_);
            self->writer_active_ = false;
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
            std::lock_guard lock(self->mailbox_);
            self->writer_active_ = false;
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
    if (closing_) co_return;
    if (!held.ok()) {
        enqueue_message(resync_message("the server could not read a session's bookings; resubscribe"));
        co_return;
    }
    auto s = co_await service_.store.reader.session(session_id);
    if (!s.ok() || closing_) co_return;
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
    if (closing_) return;
    push(std::move(bytes));
    bool overwhelmed;
    {
        std::lock_guard lock(mailbox_);
        overwhelmed = queue_.overwhelmed(update_queue::clock::now());
    }
    if (overwhelmed) asio::post(ws_.get_executor(), [self = shared_from_this()] { self->check_backlog(); });
}

void websocket_session::shutdown() { close_with(websocket::close_code::going_away); }

void websocket_session::sign_out() { close_with({websocket::close_code::policy_error, "signed out"}); }

void websocket_session::close_with(websocket::close_reason reason)
{
    asio::post(ws_.get_executor(), [self = shared_from_this(), reason] {
        if (self->closing_.exchange(true)) return;
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
    push(std::make_shared<const std::string>(std::move(text)));
    check_backlog();
}

void websocket_session::check_backlog()
{
    {
        std::lock_guard lock(mailbox_);
        if (closing_ || !queue_.overwhelmed(update_queue::clock::now())) return;
        // A consumer this far behind for this long will not catch up: let it reconnect
        // with `since` instead of holding memory for it.
        closing_ = true;
        log::info("live_slow_consumer_closed", {{"peer", peer_}, {"pending_bytes", queue_.pending_bytes()}});
        queue_.clear();
    }
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
    if (closing_) co_return false; // the server began to stop while this one waited
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
        if (closing_) break;
    }
    closing_ = true;
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

void websocket_session::hold_writes()
{
    std::lock_guard lock(mailbox_);
    held_ = true;
}

void websocket_session::answer(shared_bytes reply, std::unordered_map<std::string, version_order> carried,
                               const std::string& id, version_order upto)
{
    // The hub first: a change up to `upto` that this instance publishes late (its tailer
    // lags behind the log the answer was read from) is not sent for this view again.
    for (auto& sub : subs_)
        if (sub.id == id && sub.covered < upto) sub.covered = upto;
    std::uint64_t chosen = service_.hub.set_views(this, subs_);
    // A change whose recipients were chosen with the old views may still be on its way
    // to this socket: deliver_update() drops it if the answer carries it.
    bool in_flight = reply && service_.hub.delivered() < chosen;

    std::lock_guard lock(mailbox_);
    held_ = false;
    auto now = update_queue::clock::now();
    if (in_flight) {
        if (answered_) // a previous answer's changes may be in flight too: keep both
            for (const auto& [session, version] : *answered_) {
                auto& v = carried[session];
                v = std::max(v, version);
            }
        answered_seq_ = chosen;
        answered_ = std::make_shared<const std::unordered_map<std::string, version_order>>(carried);
    }
    if (reply) {
        // Nothing has been written since the hold began: states that arrived meanwhile
        // go behind the answer, or nowhere when it already carries them.
        auto arrived = queue_.take_updates(
            [&](const session_update& u) { return carried.contains(u.session_id); }, now);
        queue_.push_message(std::move(reply), now);
        for (auto& u : arrived)
            if (order_of(u->version) > carried.at(u->session_id)) queue_.push_update(std::move(u), now);
    }
    if (!queue_.empty()) start_writer_locked();
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
    if (closing_) co_return;
    std::erase_if(subs_, [&](const subscription& s) { return s.id == id; });
    // A resuming client already has every change up to `since`.
    subs_.push_back({id, v, order_of(since)});

    // Watch first, then read, and write nothing meanwhile: a change that arrives while
    // the answer is read waits behind it, and is dropped if the answer carries it. So
    // the client sees the answer, then each later change once, in order. (The guard
    // ends the hold on every way out; answer() ends it with the answer.)
    struct hold_guard {
        websocket_session& s;
        bool answered = false;
        ~hold_guard()
        {
            if (!answered) s.answer(nullptr, {}, {}, {});
        }
    } hold{*this};
    hold_writes();
    publish_views();

    auto& store = service_.store;
    auto bounds = co_await store.changes.log_bounds(since);
    if (!bounds.ok()) {
        enqueue_message(error_message("unavailable", "the server cannot read the schedule right now; retry", id));
        co_return;
    }
    domain::instant now = now_instant();
    // Only a `since` that is an entry of this log can be resumed from: one older than its
    // tail, ahead of its head (never sent), or from a log that was wiped gets a snapshot
    // with the real version, never an answer that echoes it back as current.
    if (!since.empty() && bounds.value.since_in_log) {
        // The resume: exactly what this view missed, in log order, up to the newest
        // entry read (live changes after it follow through the hub).
        auto all = service_.recent_changes->find(since, bounds.value.last);
        std::string upto = bounds.value.last;
        if (!all) {
            auto entries = co_await store.changes.log_after(since, service_.settings.resume_max_entries);
            if (entries.ok() && entries.value.size() < service_.settings.resume_max_entries) {
                auto changes = co_await build_changes(store.reader, entries.value);
                if (changes.ok()) {
                    upto = entries.value.empty() ? since : entries.value.back().id;
                    auto shared = std::make_shared<const std::vector<change>>(std::move(changes.value));
                    service_.recent_changes->put(since, upto, shared);
                    all = std::move(shared);
                }
            }
        }
        if (all) {
            std::vector<change> mine;
            std::unordered_map<std::string, version_order> carried;
            for (const auto& c : *all) {
                if (!v.matches(c.session, now)) continue;
                mine.push_back(c);
                auto& newest = carried[c.session.id];
                newest = std::max(newest, order_of(c.version));
            }
            auto reply = std::make_shared<const std::string>(resume_message(id, v, upto, mine));
            hold.answered = true;
            answer(std::move(reply), carried, id, order_of(upto));
            if (v.with_bookings) {
                std::set<std::string> changed;
                for (const auto& c : mine) changed.insert(c.session.id);
                for (const auto& sid : changed) {
                    auto held = co_await store.reader.session_bookings(sid);
                    if (held.ok()) enqueue_message(bookings_message(id, sid, held.value));
                }
            }
            co_return;
        }
        // Too much missed or unreadable: a snapshot is the honest answer.
    }

    // The snapshot: the same for every socket opening this view while the log stands
    // still (a camp's lobby screens after a restart), so read once and shared.
    auto shared = service_.recent_snapshots->find(v.key(), bounds.value.last);
    if (!shared) {
        std::vector<domain::session> sessions;
        if (v.type == view::kind::event) {
            auto s = co_await store.reader.session(v.event);
            if (s.ok()) sessions.push_back(std::move(s.value));
            else if (s.unavailable) {
                enqueue_message(error_message("unavailable", "the server cannot read the schedule right now; retry", id));
                co_return;
            }
        } else {
            auto list = co_await store.reader.sessions(v.query(now));
            if (!list.ok()) {
                enqueue_message(error_message("unavailable", "the server cannot read the schedule right now; retry", id));
                co_return;
            }
            for (auto& s : list.value)
                if (v.matches(s, now)) sessions.push_back(std::move(s));
        }
        shared = std::make_shared<const std::vector<domain::session>>(std::move(sessions));
        service_.recent_snapshots->put(v.key(), bounds.value.last, shared);
    }
    const std::vector<domain::session>& sessions = *shared;
    std::string version = bounds.value.last.empty() ? "0-0" : bounds.value.last;
    // The sessions were read after the log's newest entry: their state is at least that new.
    std::unordered_map<std::string, version_order> carried;
    for (const auto& s : sessions) carried[s.id] = order_of(version);
    auto reply = std::make_shared<const std::string>(snapshot_message(id, v, version, sessions));
    hold.answered = true;
    answer(std::move(reply), carried, id, order_of(version));
    if (v.with_bookings) {
        for (const auto& s : sessions) {
            auto held = co_await store.reader.session_bookings(s.id);
            if (!held.ok()) {
                enqueue_message(error_message("unavailable", "the server cannot read the bookings right now; retry", id));
                co_return;
            }
            enqueue_message(bookings_message(id, s.id, held.value));
        }
    }
}

} // namespace sp::live
