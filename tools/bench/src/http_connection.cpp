#include "http_connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <simdjson.h>

namespace sp::bench {

namespace bhttp = beast::http;
using asio::as_tuple;
using asio::use_awaitable;

http_connection::http_connection(asio::any_io_executor ex, std::uint16_t port) : stream_(std::move(ex)), port_(port) {}

bool http_connection::is_open() const
{
    return open_;
}

asio::awaitable<bool> http_connection::connect()
{
    close();
    stream_.expires_after(std::chrono::seconds(10));
    asio::ip::tcp::endpoint ep(asio::ip::make_address_v4("127.0.0.1"), port_);
    auto [ec] = co_await stream_.async_connect(ep, as_tuple(use_awaitable));
    if (ec) co_return false;
    stream_.socket().set_option(asio::ip::tcp::no_delay(true));
    buffer_.clear();
    open_ = true;
    co_return true;
}

void http_connection::close()
{
    if (!open_) return;
    boost::system::error_code ignored;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
    open_ = false;
}

asio::awaitable<http_reply> http_connection::exchange(const std::string& request_bytes)
{
    http_reply out;
    if (!open_ && !co_await connect()) {
        out.error = "connect failed";
        co_return out;
    }
    stream_.expires_after(std::chrono::seconds(30));
    auto [wec, wn] = co_await asio::async_write(stream_, asio::buffer(request_bytes), as_tuple(use_awaitable));
    if (wec) {
        out.error = "write: " + wec.message();
        close();
        co_return out;
    }
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    auto [rec, rn] = co_await bhttp::async_read(stream_, buffer_, parser, as_tuple(use_awaitable));
    if (rec) {
        out.error = "read: " + rec.message();
        close();
        co_return out;
    }
    auto& res = parser.get();
    out.status = static_cast<int>(res.result_int());
    out.body = std::move(res.body());
    if (!res.keep_alive()) close();
    co_return out;
}

asio::awaitable<http_reply> http_connection::get(const std::string& target)
{
    std::string req = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    co_return co_await exchange(req);
}

asio::awaitable<http_reply> http_connection::post(const std::string& target, const std::string& body,
                                                  const std::string& idempotency_key)
{
    std::string req;
    req.reserve(256 + body.size());
    req += "POST ";
    req += target;
    req += " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
    if (!idempotency_key.empty()) {
        req += "Idempotency-Key: ";
        req += idempotency_key;
        req += "\r\n";
    }
    req += "Content-Length: ";
    req += std::to_string(body.size());
    req += "\r\n\r\n";
    req += body;
    co_return co_await exchange(req);
}

founder_factory::founder_factory(random_source& rng) : rng_(rng), tag_(rng.hex(8)) {}

std::string founder_factory::next_email()
{
    return "f" + tag_ + "-" + std::to_string(n_++) + "@bench.example";
}

std::string founder_factory::next_body()
{
    // The fields of the booking page's form, with a question of typical length.
    return R"({"name":"Bench Founder","email":")" + next_email() +
           R"(","startup":"Bench Start-up GmbH","question":"How do we price our first B2B contract?","consent":true,"lang":"de"})";
}

std::string booking_target(const std::string& session_id)
{
    return "/api/v1/sessions/" + session_id + "/bookings";
}

namespace {
simdjson::dom::parser& parser()
{
    static simdjson::dom::parser p;
    return p;
}

int int_at(const std::string& json, std::string_view pointer)
{
    simdjson::dom::element doc;
    if (parser().parse(json).get(doc) != simdjson::SUCCESS) return -1;
    int64_t v = -1;
    if (doc.at_pointer(pointer).get(v) != simdjson::SUCCESS) return -1;
    return static_cast<int>(v);
}
} // namespace

int taken_in_booking(const std::string& body)
{
    return int_at(body, "/booking/session/seats_taken");
}

asio::awaitable<int> read_taken(http_connection& c, const std::string& session_id)
{
    std::string target = "/api/v1/sessions/" + session_id;
    http_reply r = co_await c.get(target);
    if (r.status != 200) co_return -1;
    co_return int_at(r.body, "/seats_taken");
}

} // namespace sp::bench
