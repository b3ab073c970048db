#include "live/websocket_session.hpp"

#include "auth/session_resolver.hpp"
#include "http/cookies.hpp"
#include "live/change_builder.hpp"
#include "live/subscription_reader.hpp"
#include "log/logger.hpp"
#include "websocket/handshake.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/assert.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/write.hpp>
#include <array>

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::as_tuple;
using asio::use_awaitable;
using sp::websocket::close_code;
using sp::websocket::opcode;

namespace sp::live {
namespace {

constexpr std::uint16_t code(close_code c) { return static_cast<std::uint16_t>(c); }

// Frames written in one turn on the strand before the shard's other sockets get theirs.
constexpr int k_writes_per_turn = 16;
// Reads in one turn: 4 x 16 KiB, then the socket waits its turn again.
constexpr int k_reads_per_turn = 4;
constexpr std::size_t k_read_chunk = 16 * 1024;

} // namespace

websocket_session::websocket_session(asio::ip::tcp::socket socket, shard_executor strand, live_service& service,
                                     std::string peer, std::size_t shard)
    : socket_(std::move(socket)),
      strand_(std::move(strand)),
      service_(service),
      peer_(std::move(peer)),
      shard_(shard),
      mailbox_(service.settings.queue_max_bytes, service.settings.slow_consumer_grace),
      parser_(service.settings.max_message_bytes),
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
    asio::co_spawn(strand_, run(shared_from_this(), std::move(req)), asio::detached);
}

bool websocket_session::deliver_update(const shared_update& update, bool private_watch)
{
    auto d = mailbox_.deliver(update, update_queue::clock::now());
    if (!d.queued) return false;
    if (d.coalesced) service_.hub.metrics().coalesced.fetch_add(1, std::memory_order_relaxed);
    if (d.overwhelmed || private_watch) {
        bool overwhelmed = d.overwhelmed;
        asio::post(strand_, [self = shared_from_this(), update, overwhelmed, private_watch] {
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
    asio::co_spawn(strand_, send_bookings(session_id), asio::detached);
}

void websocket_session::wake(bool wanted)
{
    if (wanted) asio::post(strand_, [self = shared_from_this()] { self->write_next(); });
}

shared_bytes websocket_session::next_message()
{
    // A socket that fell behind (a burst of changes, a slow link) has several session
    // states waiting in a row: they go out as one `changes` message, one frame and one
    // system call, instead of one each.
    constexpr std::size_t k_max_merged = 32;
    if (!unmerged_.empty() && mailbox_.closed()) unmerged_.clear();
    if (!unmerged_.empty()) { // see below
        shared_bytes next = std::move(unmerged_.front());
        unmerged_.erase(unmerged_.begin());
        return next;
    }
    // One buffer per thread for every socket's writes: no allocation per write.
    thread_local std::vector<shared_bytes> run;
    mailbox_.next(run, k_max_merged, update_queue::clock::now());
    shared_bytes next;
    if (run.empty()) return next;
    if (run.size() == 1) {
        next = std::move(run.front());
    } else if (std::string merged = merge_changes_messages(run); !merged.empty()) {
        next = std::make_shared<const std::string>(std::move(merged));
    } else {
        // Not only changes messages (a walk-in summary is among them): send them one by
        // one, in order.
        next = std::move(run.front());
        unmerged_.assign(std::make_move_iterator(run.begin() + 1), std::make_move_iterator(run.end()));
    }
    run.clear();
    return next;
}

void websocket_session::write_next()
{
    BOOST_ASSERT(on_strand());
    if (write_in_flight_ || phase_ == phase::opening || phase_ == phase::draining || phase_ == phase::closed) return;
    for (int turn = 0; turn < k_writes_per_turn; ++turn) {
        std::array<asio::const_buffer, 2> out;
        std::size_t parts = 0;
        bool data = false;
        if (!control_out_.empty()) {
            control_writing_.swap(control_out_);
            control_out_.clear();
            out[parts++] = asio::buffer(control_writing_);
        } else if (!close_out_.empty()) {
            control_writing_ = std::move(close_out_);
            close_out_.clear();
            writing_close_ = true;
            out[parts++] = asio::buffer(control_writing_);
        } else if (phase_ == phase::open) {
            payload_ = next_message();
            if (!payload_) return; // the mailbox has marked the writer idle
            header_ = websocket::header(opcode::text, payload_->size());
            out[parts++] = asio::buffer(header_.bytes.data(), header_.size);
            out[parts++] = asio::buffer(*payload_);
            data = true;
        } else {
            return; // closing: the close frame went out, nothing follows it
        }
        std::size_t total = out[0].size() + (parts > 1 ? out[1].size() : 0);
        // Straight to the kernel: the usual case (room in the socket's send buffer)
        // costs one system call and no handler.
        boost::system::error_code ec;
        std::size_t n = socket_.write_some(std::span(out.data(), parts), ec);
        if (ec == asio::error::would_block || ec == asio::error::try_again) {
            ec = {};
            n = 0;
        }
        if (ec) {
            finish();
            return;
        }
        if (n == total) {
            written(data, data ? payload_->size() : 0);
            if (phase_ == phase::draining || phase_ == phase::closed) return;
            continue;
        }
        // The kernel took part of it (a slow link, a full buffer): the rest waits for
        // the socket, and nothing else is written meanwhile.
        for (std::size_t i = 0; i < parts; ++i) {
            std::size_t skip = std::min(n, out[i].size());
            out[i] += skip;
            n -= skip;
        }
        write_in_flight_ = true;
        waiting_for_socket_ = true;
        auto rest = std::array<asio::const_buffer, 2>{out[0], parts > 1 ? out[1] : asio::const_buffer{}};
        asio::async_write(socket_, rest, asio::bind_executor(strand_, [self = shared_from_this(), data](boost::system::error_code wec, std::size_t) {
            self->write_in_flight_ = false;
            self->waiting_for_socket_ = false;
            if (wec) {
                self->finish();
                return;
            }
            self->written(data, data ? self->payload_->size() : 0);
            // Reading waited for this write (see take_events()): it goes on now.
            if (self->read_blocked_) {
                self->read_blocked_ = false;
                self->take_events();
            }
            self->write_next();
        }));
        return;
    }
    // Many frames in a row: the shard's other sockets get their turn first.
    write_in_flight_ = true;
    asio::post(strand_, [self = shared_from_this()] {
        self->write_in_flight_ = false;
        self->write_next();
    });
}

void websocket_session::written(bool data, std::size_t payload_bytes)
{
    if (data) {
        auto& m = service_.hub.metrics();
        m.messages_sent.fetch_add(1, std::memory_order_relaxed);
        m.bytes_sent.fetch_add(payload_bytes, std::memory_order_relaxed);
        payload_.reset();
        return;
    }
    control_writing_.clear();
    if (writing_close_) {
        writing_close_ = false;
        // Our close frame is out. If the peer's came first (or the connection failed),
        // the handshake is complete; otherwise its answer is awaited while draining.
        begin_draining();
    }
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
    if (mailbox_.overwhelmed(now))
        asio::post(strand_, [self = shared_from_this()] { self->check_backlog(); });
}

void websocket_session::shutdown() { close_with(code(close_code::going_away), {}); }

void websocket_session::sign_out() { close_with(code(close_code::policy_violation), "signed out"); }

void websocket_session::close_with(std::uint16_t c, std::string reason)
{
    asio::post(strand_, [self = shared_from_this(), c, reason = std::move(reason)] {
        self->begin_close(c, reason);
    });
}

void websocket_session::begin_close(std::uint16_t c, std::string_view reason)
{
    BOOST_ASSERT(on_strand());
    mailbox_.close(); // nothing more is written after what is being written
    if (phase_ == phase::opening) {
        // The handshake is not done: the close frame follows it (run()), unless open()
        // sees the closed mailbox first and ends without one.
        if (close_out_.empty()) close_out_ = websocket::close_frame(c, reason);
        return;
    }
    if (phase_ != phase::open) return;
    start_closing(websocket::close_frame(c, reason));
}

void websocket_session::start_closing(std::string frame)
{
    phase_ = phase::closing;
    close_out_ = std::move(frame);
    // A peer that takes neither what is being written nor the close frame, or does not
    // close its side, within the grace loses the connection without more ado.
    close_deadline_ = std::make_unique<asio::steady_timer>(strand_, service_.settings.slow_consumer_grace);
    close_deadline_->async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (!ec) self->finish();
    });
    write_next();
}

void websocket_session::begin_draining()
{
    if (phase_ == phase::draining || phase_ == phase::closed) return;
    phase_ = phase::draining;
    mailbox_.writer_stopped();
    // Our side is done: the peer sees the end after the close frame and closes its side;
    // reading on until then (instead of closing at once) keeps the kernel from answering
    // unread bytes with a reset that could destroy the close frame before it is read.
    boost::system::error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    if (peer_closed_) { // the peer's side is done too: nothing left to wait for
        finish();
        return;
    }
    // Draining touches neither the parser nor a handler's state: it reads beside a
    // message still being handled, and no write is left to wait for.
    read_blocked_ = false;
    if (!reading_) read_next();
}

void websocket_session::finish()
{
    BOOST_ASSERT(on_strand());
    if (phase_ == phase::closed) return;
    phase_ = phase::closed;
    mailbox_.close();
    mailbox_.writer_stopped();
    if (close_deadline_) close_deadline_->cancel();
    boost::system::error_code ignored;
    socket_.close(ignored); // cancels the pending wait or write: their handlers let go of the session
    control_out_.clear();
    close_out_.clear();
    unmerged_.clear();
    service_.hub.set_views(this, {});
}

void websocket_session::heartbeat()
{
    BOOST_ASSERT(on_strand());
    if (phase_ != phase::open) return; // the handshake's guard or the close deadline covers the others
    // Reading pauses while a message is handled (a subscribe waiting for its turn):
    // the client is not silent then, the server is.
    if (heard_ || handling_) {
        heard_ = false;
        pinged_ = false;
        return;
    }
    if (!pinged_) {
        pinged_ = true;
        if (control_out_.empty()) control_out_ = websocket::control_frame(opcode::ping, {});
        write_next();
        return;
    }
    // Silent for a whole interval since the ping: the peer is gone (or its link is).
    log::info("live_idle_timeout", {{"peer", peer_}});
    finish();
}

void websocket_session::read_next()
{
    reading_ = true;
    socket_.async_wait(asio::ip::tcp::socket::wait_read,
                       asio::bind_executor(strand_, [self = shared_from_this()](boost::system::error_code ec) {
                           self->reading_ = false;
                           self->on_readable(ec);
                       }));
}

void websocket_session::on_readable(boost::system::error_code ec)
{
    BOOST_ASSERT(on_strand());
    if (phase_ == phase::closed) return;
    if (ec) {
        finish();
        return;
    }
    // One buffer per io thread for every socket's reads: an idle socket holds none.
    thread_local std::array<char, k_read_chunk> chunk;
    for (int turn = 0; turn < k_reads_per_turn; ++turn) {
        boost::system::error_code rec;
        std::size_t n = socket_.read_some(asio::buffer(chunk), rec);
        if (rec == asio::error::would_block || rec == asio::error::try_again) break;
        if (rec) { // the peer closed (or reset) its side: what came before it is still acted on
            peer_closed_ = true;
            break;
        }
        heard_ = true;
        if (phase_ != phase::draining) parser_.feed({chunk.data(), n});
        if (n < chunk.size()) break;
    }
    if (phase_ == phase::draining) {
        if (peer_closed_) finish();
        else read_next(); // what the peer still sends is dropped until it closes
        return;
    }
    take_events();
}

void websocket_session::take_events()
{
    BOOST_ASSERT(on_strand());
    using kind = websocket::event::kind;
    for (;;) {
        if (phase_ == phase::closed || phase_ == phase::draining) {
            if (phase_ == phase::draining && !reading_ && !peer_closed_) read_next();
            return;
        }
        websocket::event e = parser_.next();
        switch (e.what) {
        case kind::need_more:
            if (peer_closed_) { // nothing more will come: a close frame, if any, was acted on above
                if (phase_ == phase::open) finish();
                return; // closing: the close frame's write ends it (begin_draining())
            }
            // A peer that does not take what we write gets nothing read either (as Beast
            // did): its pings cannot pile up pongs, and its silence lets the heartbeat
            // drop it.
            if (waiting_for_socket_) {
                read_blocked_ = true;
                return;
            }
            read_next();
            return;
        case kind::text: {
            if (phase_ != phase::open || mailbox_.closed()) continue; // closing: dropped
            if (!allow_message()) {
                begin_close(code(close_code::policy_violation), "too many messages");
                continue;
            }
            // Reading pauses while the message is handled (a subscribe reads Redis):
            // a client's messages are answered in order, and one cannot pile them up.
            handling_ = true;
            asio::co_spawn(strand_, handle_owned(std::string(e.payload)),
                           [self = shared_from_this()](std::exception_ptr failure) {
                               self->handling_ = false;
                               if (failure) {
                                   try {
                                       std::rethrow_exception(failure);
                                   } catch (const std::exception& ex) {
                                       log::error("live_message_failed", {{"peer", self->peer_}, {"reason", ex.what()}});
                                   }
                                   self->begin_close(code(close_code::internal_error), "internal error");
                               }
                               // A mailbox closed meanwhile (the server stops, the client fell
                               // behind) has begun the close: the reader still takes its answer.
                               self->take_events();
                           });
            return;
        }
        case kind::binary:
            begin_close(code(close_code::unsupported_data), "text frames only");
            continue;
        case kind::ping:
            // Only the latest ping needs its pong (RFC 6455 §5.5.3): one waits at most.
            if (phase_ == phase::open || phase_ == phase::closing)
                control_out_ = websocket::control_frame(opcode::pong, e.payload);
            write_next();
            continue;
        case kind::pong:
            continue; // heard_ is set for any bytes
        case kind::close:
            // The peer closes first: its code is echoed (none: an empty close frame).
            // When ours is queued or on its way already, the exchange is complete once
            // it is out (written() begins the draining either way).
            if (phase_ == phase::open) begin_close(e.code, {});
            continue; // the parser is done: need_more from here on
        case kind::fail:
            log::info("live_protocol_error", {{"peer", peer_}, {"code", e.code}, {"reason", e.reason}});
            begin_close(e.code, e.reason);
            continue;
        }
    }
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
    // A write still waiting for the socket means the peer's window is full: a close
    // frame behind it would not reach it either, so the connection is cut now.
    if (waiting_for_socket_) {
        finish();
        return;
    }
    begin_close(code(close_code::try_again_later), {});
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

asio::awaitable<void> websocket_session::refuse(http::bhttp::status status, std::string problem_code,
                                               std::string detail, std::string retry_after, std::string extra_header,
                                               std::string extra_value)
{
    auto self = shared_from_this();
    http::response res = http::make_problem(status, problem_code, detail);
    if (!retry_after.empty()) res.set(http::bhttp::field::retry_after, retry_after);
    if (!extra_header.empty()) res.set(extra_header, extra_value);
    res.keep_alive(false);
    res.prepare_payload();
    // A client that does not read its refusal is cut off after 5 s.
    asio::steady_timer guard(strand_, std::chrono::seconds(5));
    guard.async_wait([self](boost::system::error_code ec) {
        boost::system::error_code ignored;
        if (!ec) self->socket_.close(ignored);
    });
    co_await http::bhttp::async_write(socket_, res, as_tuple(use_awaitable));
    guard.cancel();
    phase_ = phase::closed;
    boost::system::error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
}

asio::awaitable<bool> websocket_session::open(http::request req)
{
    auto self = shared_from_this();
    // The request first: a malformed upgrade costs no place among the sockets.
    auto header = [&req](http::bhttp::field f) -> std::string_view {
        auto it = req.find(f);
        return it == req.end() ? std::string_view{} : std::string_view(it->value());
    };
    websocket::upgrade_request up{std::string_view(req.method_string()), req.version(),
                                  header(http::bhttp::field::upgrade), header(http::bhttp::field::connection),
                                  header(http::bhttp::field::sec_websocket_version),
                                  header(http::bhttp::field::sec_websocket_key)};
    auto checked = websocket::check_upgrade(up);
    if (!checked.ok) {
        bool version = checked.status == 426;
        co_await refuse(version ? http::bhttp::status::upgrade_required : http::bhttp::status::bad_request,
                        "bad-upgrade", checked.field + ": " + checked.detail, {},
                        version ? "Sec-WebSocket-Version" : "", version ? "13" : "");
        co_return false;
    }
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
    if (mailbox_.closed()) co_return false;

    // No extension is accepted (permessage-deflate costs CPU per socket and opens
    // compression side channels; our messages are small) and no subprotocol.
    // The writer's synchronous writes need a non-blocking socket; the HTTP server accepts
    // them so (a socket handed over from elsewhere is made so here).
    boost::system::error_code ec;
    if (!socket_.non_blocking()) socket_.non_blocking(true, ec);
    if (ec) co_return false;
    std::string response = websocket::switching_protocols_response(checked.accept);
    asio::steady_timer guard(strand_, std::chrono::seconds(10));
    guard.async_wait([self](boost::system::error_code gec) {
        boost::system::error_code ignored;
        if (!gec) self->socket_.close(ignored);
    });
    auto [wec, n] = co_await asio::async_write(socket_, asio::buffer(response), as_tuple(use_awaitable));
    guard.cancel();
    co_return !wec && n == response.size() && socket_.is_open();
}

// `self` keeps the session alive while it opens; from then on the pending wait or write does.
asio::awaitable<void> websocket_session::run([[maybe_unused]] std::shared_ptr<websocket_session> self,
                                            http::request req)
{
    // The upgrade request is moved into open() and freed when it returns: an idle
    // socket keeps no request headers.
    if (!co_await open(std::move(req))) {
        finish();
        co_return;
    }
    phase_ = phase::open;
    read_next();
    if (!close_out_.empty()) { // closed while the handshake was written: the close frame follows it
        std::string frame = std::move(close_out_);
        close_out_.clear();
        start_closing(std::move(frame));
        co_return;
    }
    write_next(); // what was queued meanwhile (a resync, say)
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
    if (mailbox_.closed()) co_return; // closed meanwhile: its views stay cleared (finish())
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
        if (mailbox_.closed()) co_return;
        if (held.ok()) {
            enqueue_message(bookings_message(id, sid, held.value));
        } else if (!a.resumed) {
            enqueue_message(error_message("unavailable", "the server cannot read the bookings right now; retry", id));
            co_return;
        }
    }
}

} // namespace sp::live
