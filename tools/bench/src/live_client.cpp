#include "live_client.hpp"

#include "live_fleet.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <simdjson.h>

namespace sp::bench {

namespace websocket = beast::websocket;
using asio::as_tuple;
using asio::use_awaitable;

namespace {

simdjson::dom::parser& parser()
{
    static simdjson::dom::parser p;
    return p;
}

/** The front end's reconnect delay (static/js/live.js backoffDelay). */
clock::duration backoff(int attempt, random_source& rng)
{
    double ceiling = std::min(3000.0, 250.0 * static_cast<double>(1u << std::min(attempt, 16)));
    return std::chrono::microseconds(static_cast<std::int64_t>(ceiling * (0.5 + 0.5 * rng.uniform()) * 1000));
}

random_source& jitter()
{
    static random_source rng(fresh_seed());
    return rng;
}

} // namespace

live_client::live_client(asio::any_io_executor ex, live_fleet& fleet, int instance, int receive_buffer,
                         bool stall_when_live)
    : fleet_(fleet), ex_(ex), instance_(instance), receive_buffer_(receive_buffer), stall_when_live_(stall_when_live),
      park_(ex), taken_(fleet.sessions(), -1), version_(fleet.sessions())
{
}

void live_client::start()
{
    ++fleet_.running_;
    asio::co_spawn(
        ex_, [self = shared_from_this()] { return self->run(); }, asio::detached);
}

void live_client::drop()
{
    if (!ws_) return;
    auto& sock = beast::get_lowest_layer(*ws_).socket();
    boost::system::error_code ignored;
    sock.set_option(asio::ip::tcp::socket::linger(true, 0), ignored);
    sock.close(ignored);
    park_.cancel();
}

void live_client::close()
{
    closed_ = true;
    if (ws_) {
        boost::system::error_code ignored;
        beast::get_lowest_layer(*ws_).socket().close(ignored);
    }
    park_.cancel();
}

std::string live_client::subscribe_text() const
{
    std::string text = fleet_.subscribe_text();
    if (!since_.empty()) text.insert(text.size() - 1, R"(,"since":")" + since_.str() + "\"");
    return text;
}

asio::awaitable<void> live_client::run()
{
    auto self = shared_from_this();
    while (!closed_) {
        std::string why;
        if (co_await open(why))
            co_await read_loop();
        else if (!closed_)
            fleet_.count_connect_failure(why);
        if (live_) {
            live_ = false;
            fleet_.live_changed(false);
        }
        ws_.reset();
        buffer_.clear();
        if (closed_ || !fleet_.reconnect_enabled()) break;
        disturbed_ = true;
        co_await sleep_for(backoff(attempt_++, jitter()));
    }
    fleet_.client_ended();
}

asio::awaitable<bool> live_client::open(std::string& why)
{
    fleet_.opening(true);
    struct done_opening {
        live_fleet& f;
        ~done_opening() { f.opening(false); }
    } guard{fleet_};
    ws_.emplace(ex_);
    auto& tcp = beast::get_lowest_layer(*ws_);
    boost::system::error_code ec;
    tcp.socket().open(asio::ip::tcp::v4(), ec);
    if (ec) {
        why = "socket: " + ec.message();
        co_return false;
    }
    if (receive_buffer_ > 0) tcp.socket().set_option(asio::socket_base::receive_buffer_size(receive_buffer_), ec);
    std::uint16_t port = fleet_.port(instance_);
    tcp.expires_after(std::chrono::seconds(10));
    auto [cec] = co_await tcp.async_connect({asio::ip::make_address_v4("127.0.0.1"), port}, as_tuple(use_awaitable));
    if (cec || closed_) {
        why = "connect: " + cec.message();
        co_return false;
    }
    tcp.socket().set_option(asio::ip::tcp::no_delay(true), ec);
    tcp.expires_never();
    websocket::stream_base::timeout t{};
    t.handshake_timeout = std::chrono::seconds(10);
    t.idle_timeout = websocket::stream_base::none();
    t.keep_alive_pings = false;
    ws_->set_option(t);
    ws_->read_message_max(64 * 1024 * 1024);
    std::string host = "127.0.0.1:" + std::to_string(port);
    auto [hec] = co_await ws_->async_handshake(host, "/ws", as_tuple(use_awaitable));
    if (hec || closed_) {
        why = "handshake: " + hec.message();
        co_return false;
    }
    ws_->text(true);
    std::string sub = subscribe_text();
    auto [wec, n] = co_await ws_->async_write(asio::buffer(sub), as_tuple(use_awaitable));
    if (wec) why = "subscribe: " + wec.message();
    co_return !wec && !closed_;
}

asio::awaitable<void> live_client::read_loop()
{
    for (;;) {
        if (live_ && stall_when_live_) {
            // A stalled screen: the connection stays open, nothing is read, pings go
            // unanswered. Wakes only to close.
            parked_ = true;
            park_.expires_at(clock::time_point::max());
            co_await park_.async_wait(as_tuple(use_awaitable));
            co_return;
        }
        auto [ec, n] = co_await ws_->async_read(buffer_, as_tuple(use_awaitable));
        if (ec) co_return;
        auto data = buffer_.data();
        on_message(static_cast<const char*>(data.data()), data.size(), clock::now());
        buffer_.consume(buffer_.size());
        if (resubscribe_) {
            // The server lost track (resync): subscribe afresh, as the front end does.
            resubscribe_ = false;
            disturbed_ = true;
            since_ = {};
            std::string sub = subscribe_text();
            auto [wec, wn] = co_await ws_->async_write(asio::buffer(sub), as_tuple(use_awaitable));
            if (wec) co_return;
        }
    }
}

void live_client::set_live(clock::time_point at, bool by_resume)
{
    if (!live_) {
        live_ = true;
        fleet_.live_changed(true);
    }
    attempt_ = 0;
    back_at_ = at;
    back_by_resume_ = by_resume;
}

void live_client::apply(int s, int taken, version v, bool strict, clock::time_point at, bool count_delivery)
{
    if (s < 0) return;
    auto i = static_cast<std::size_t>(s);
    since_ = std::max(since_, v);
    if (v <= version_[i]) {
        // Around a (re)subscription the protocol allows a change twice: keep the newest.
        if (!strict)
            fleet_.count_overlap();
        else if (v == version_[i])
            fleet_.count_duplicate();
        else
            fleet_.count_reorder();
        return;
    }
    if (strict && taken_[i] >= 0 && taken > taken_[i] + 1) fleet_.count_skipped(taken - taken_[i] - 1);
    taken_[i] = taken;
    version_[i] = v;
    if (count_delivery) fleet_.delivered(s, taken, instance_, at);
}

void live_client::on_message(const char* data, std::size_t size, clock::time_point at)
{
    fleet_.count_message();
    simdjson::dom::element doc;
    if (parser().parse(data, size).get(doc) != simdjson::SUCCESS) {
        fleet_.count_error("unparsable message");
        return;
    }
    std::string_view op;
    if (doc["op"].get(op) != simdjson::SUCCESS) return;
    auto session_of = [&](simdjson::dom::element s, int& idx, int& taken, version& v) {
        std::string_view id, ver;
        int64_t t = -1;
        if (s["id"].get(id) || s["seats_taken"].get(t) || s["version"].get(ver)) return false;
        idx = fleet_.index_of(id);
        taken = static_cast<int>(t);
        v = version::parse(ver);
        return true;
    };
    if (op == "changes" || op == "resume") {
        bool resume = op == "resume";
        if (resume) {
            std::string_view upto;
            if (doc["version"].get(upto) == simdjson::SUCCESS) since_ = std::max(since_, version::parse(upto));
        }
        simdjson::dom::array changes;
        if (doc["changes"].get(changes) != simdjson::SUCCESS) return;
        for (auto c : changes) {
            int s = -1, taken = 0;
            version v;
            simdjson::dom::element session;
            if (c["session"].get(session) || !session_of(session, s, taken, v)) continue;
            apply(s, taken, v, !resume && !disturbed_ && fleet_.strict(), at, !resume);
        }
        if (resume) set_live(at, true);
    } else if (op == "snapshot") {
        std::string_view upto;
        if (doc["version"].get(upto) == simdjson::SUCCESS) since_ = std::max(since_, version::parse(upto));
        simdjson::dom::array sessions;
        if (doc["sessions"].get(sessions) == simdjson::SUCCESS) {
            for (auto e : sessions) {
                int s = -1, taken = 0;
                version v;
                if (!session_of(e, s, taken, v) || s < 0) continue;
                // A snapshot replaces what the client held.
                taken_[static_cast<std::size_t>(s)] = taken;
                version_[static_cast<std::size_t>(s)] = v;
            }
        }
        set_live(at, false);
    } else if (op == "resync") {
        fleet_.count_resync();
        resubscribe_ = true;
    } else if (op == "error") {
        fleet_.count_error(std::string_view(data, std::min<std::size_t>(size, 200)));
    }
}

} // namespace sp::bench
