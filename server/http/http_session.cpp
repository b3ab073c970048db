#include "http/http_session.hpp"

// GCC 12 at -O2 inlines asio's awaitable frame operator delete into run() and then
// wrongly reports it as not matching the frame's operator new (both are
// awaitable_frame_base's own pair, asio/impl/awaitable.hpp); nothing is mismatched.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include "http/http_server.hpp"
#include "log/logger.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <chrono>

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::as_tuple;
using asio::use_awaitable;

namespace sp::http {

std::string loggable_target(std::string_view target)
{
    target = target.substr(0, target.find('?'));
    // Paths that carry a secret in their last part: manage links, feeds, invitations.
    static constexpr std::array<std::string_view, 5> k_secret_prefixes{"/b/", "/feeds/", "/invite/",
                                                                       "/api/v1/manage/", "/api/v1/auth/invitations/"};
    for (std::string_view p : k_secret_prefixes)
        if (target.starts_with(p)) return std::string(p) + "[redacted]";
    if (target.size() > 256) return std::string(target.substr(0, 256)) + "...";
    return std::string(target);
}

http_session::http_session(asio::ip::tcp::socket socket, std::string peer, http_server& server)
    : stream_(std::move(socket)),
      buffer_(server.settings().max_header_bytes + server.settings().max_body_bytes + 16 * 1024),
      server_(server), peer_(std::move(peer))
{
}

http_session::~http_session() { server_.remove(this); }

void http_session::start()
{
    asio::co_spawn(stream_.get_executor(), [self = shared_from_this()] { return self->run(); }, asio::detached);
}

void http_session::shutdown()
{
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
        self->closing_ = true;
        if (self->idle_) {
            boost::system::error_code ec;
            self->stream_.socket().cancel(ec);
        }
    });
}

asio::awaitable<void> http_session::run()
{
    const server_settings& s = server_.settings();
    for (;;) {
        idle_ = true;
        if (closing_) break;
        if (buffer_.size() == 0) {
            // Keep-alive: wait for the first bytes of the next request, bounded by the idle timeout.
            stream_.expires_after(s.idle_timeout);
            auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(4096), as_tuple(use_awaitable));
            if (ec) break;
            buffer_.commit(n);
        }
        idle_ = false;

        bhttp::request_parser<bhttp::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(s.max_header_bytes));
        // The larger of the two limits while the header is read; the one that applies is
        // chosen from the header below (Beast checks a Content-Length against the limit
        // set when the header completes, and chunks against the limit left).
        std::size_t body_limit = std::max(s.max_body_bytes, s.max_upload_bytes);
        parser.body_limit(body_limit);
        stream_.expires_after(s.read_timeout);
        // The header first: how the body is framed is checked before a byte of it is read.
        auto [hec, hn] = co_await bhttp::async_read_header(stream_, buffer_, parser, as_tuple(use_awaitable));
        boost::system::error_code ec = hec;
        if (!ec) {
            if (auto problem = framing_problem(parser.get())) {
                server_.metrics().bad_requests.fetch_add(1, std::memory_order_relaxed);
                co_await reject(bhttp::status::bad_request, "bad-framing", *problem);
                co_return;
            }
            // An image upload (an expert's photo) has its own limit; every other body
            // stays under max_body_bytes.
            body_limit = parser.get()[bhttp::field::content_type].starts_with("image/") ? s.max_upload_bytes
                                                                                       : s.max_body_bytes;
            parser.body_limit(body_limit);
            if (parser.content_length() && *parser.content_length() > body_limit) {
                server_.metrics().bad_requests.fetch_add(1, std::memory_order_relaxed);
                co_await reject(bhttp::status::payload_too_large, "body-too-large",
                                "the request body exceeds " + std::to_string(body_limit) + " bytes");
                co_return;
            }
            if (!parser.is_done()) {
                auto [bec, bn] = co_await bhttp::async_read(stream_, buffer_, parser, as_tuple(use_awaitable));
                ec = bec;
            }
        }
        if (ec == bhttp::error::end_of_stream) break;
        if (ec) {
            server_.metrics().bad_requests.fetch_add(1, std::memory_order_relaxed);
            // The parser takes the request line as soon as it is complete: no target yet
            // means the line alone is over the limit.
            if (ec == bhttp::error::header_limit && parser.get().target().empty())
                co_await reject(bhttp::status::uri_too_long, "uri-too-long",
                                "the request line exceeds " + std::to_string(s.max_header_bytes) + " bytes");
            else if (ec == bhttp::error::header_limit)
                co_await reject(bhttp::status::request_header_fields_too_large, "header-too-large",
                                "the request header exceeds " + std::to_string(s.max_header_bytes) + " bytes");
            else if (ec == bhttp::error::body_limit || ec == bhttp::error::buffer_overflow)
                co_await reject(bhttp::status::payload_too_large, "body-too-large",
                                "the request body exceeds " + std::to_string(body_limit) + " bytes");
            else if (ec == beast::error::timeout)
                co_return; // tcp_stream closed the socket when the deadline passed: nothing to answer on
            else if (ec != asio::error::operation_aborted && ec != asio::error::eof &&
                     ec != asio::error::connection_reset)
                co_await reject(bhttp::status::bad_request, "bad-request", "malformed HTTP request: " + ec.message());
            co_return;
        }
        request req = parser.release();
        if (boost::beast::websocket::is_upgrade(req)) {
            const upgrade_route& up = server_.upgrade();
            std::string_view path = req.target().substr(0, req.target().find('?'));
            if (up.accept && path == up.path) {
                if (auto refusal = up.check(req)) {
                    refusal->keep_alive(false);
                    server_.metrics().count_response(refusal->result_int());
                    co_await write(*refusal, false);
                    log::info("upgrade_refused", {{"peer", peer_}, {"status", refusal->result_int()}});
                    break;
                }
                stream_.expires_never();
                // The socket leaves the HTTP session: it no longer counts as an HTTP
                // connection, and the WebSocket layer enforces its own limits.
                std::string client = client_of(req);
                up.accept(stream_.release_socket(), std::move(req), std::move(client));
                co_return;
            }
        }
        bool keep_open = co_await handle(req);
        if (!keep_open) break;
    }
    co_await close_gracefully();
}

asio::awaitable<bool> http_session::handle(request& req)
{
    auto started = std::chrono::steady_clock::now();
    std::string request_id;
    if (auto it = req.find("X-Request-Id"); it != req.end()) {
        std::string_view v = it->value();
        bool ok = !v.empty() && v.size() <= 64;
        for (char c : v) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.');
        if (ok) request_id = std::string(v);
    }
    if (request_id.empty()) request_id = server_.next_request_id();

    const std::string client = client_of(req); // outlives ctx, whose peer views it
    request_context ctx{req, request_id, client, {}};
    response res;
    try {
        res = co_await server_.routes().dispatch(ctx);
    } catch (const std::exception& e) {
        log::error("handler_failed", {{"rid", request_id}, {"reason", e.what()}});
        res = make_problem(bhttp::status::internal_server_error, "internal",
                           "the server failed to handle this request; the error has been logged");
    }
    add_request_id(res, request_id);
    bool keep_alive = req.keep_alive() && !closing_ && !server_.stopping();
    res.keep_alive(keep_alive);
    // Counted before the write: a client that has read the reply must find it in /metrics.
    unsigned status = res.result_int();
    server_.metrics().count_response(status);
    co_await write(res, req.method() == bhttp::verb::head);

    if (server_.settings().access_log) {
        double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
        log::info("access", {{"rid", request_id},
                             {"peer", client},
                             {"method", std::string_view(req.method_string())},
                             {"path", loggable_target(req.target())},
                             {"status", status},
                             {"bytes", res.body().size()},
                             {"ms", ms}});
    }
    co_return keep_alive;
}

std::optional<std::string> framing_problem(const request& req)
{
    // Only a body framed exactly one way is read: a proxy in front that frames it the
    // other way would otherwise see a different request boundary (request smuggling).
    std::size_t codings = 0;
    bool chunked_last = false;
    for (const auto& f : req) {
        if (f.name() != bhttp::field::transfer_encoding) continue;
        std::string_view list = f.value();
        while (!list.empty()) {
            auto comma = list.find(',');
            std::string_view item = list.substr(0, comma);
            list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
            while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
            while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
            if (item.empty()) continue;
            ++codings;
            chunked_last = beast::iequals(item, "chunked");
        }
    }
    bool has_te = req.find(bhttp::field::transfer_encoding) != req.end();
    if (has_te && req.find(bhttp::field::content_length) != req.end())
        return "a request may not carry both Content-Length and Transfer-Encoding";
    if (has_te && (codings != 1 || !chunked_last))
        return "Transfer-Encoding must be exactly \"chunked\"";
    if (has_te && req.version() < 11) return "Transfer-Encoding needs HTTP/1.1";
    return std::nullopt;
}

bool header_values_safe(const response& res)
{
    for (const auto& f : res) {
        for (char c : f.value())
            if (c == '\r' || c == '\n' || c == '\0') return false;
        for (char c : f.name_string())
            if (c == '\r' || c == '\n' || c == '\0' || c == ':') return false;
    }
    return true;
}

std::string http_session::client_of(const request& req) const
{
    auto xff = req.find("X-Forwarded-For");
    return client_address(peer_, xff == req.end() ? std::string_view{} : std::string_view(xff->value()),
                          server_.settings().trusted_proxies);
}

std::string client_address(const std::string& peer, std::string_view forwarded_for,
                           const std::vector<std::string>& trusted_proxies)
{
    if (forwarded_for.empty() || std::find(trusted_proxies.begin(), trusted_proxies.end(), peer) == trusted_proxies.end())
        return peer;
    auto comma = forwarded_for.rfind(',');
    std::string_view last = comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1);
    while (!last.empty() && last.front() == ' ') last.remove_prefix(1);
    while (!last.empty() && last.back() == ' ') last.remove_suffix(1);
    boost::system::error_code ec;
    auto address = boost::asio::ip::make_address(std::string(last), ec);
    return ec ? peer : address.to_string();
}

asio::awaitable<void> http_session::write(response& res, bool head_only)
{
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Referrer-Policy", "no-referrer"); // manage links carry their token in the path
    res.set("X-Frame-Options", "DENY");
    // No inline script or style anywhere: markup a founder manages to inject stays inert.
    res.set("Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    if (!header_values_safe(res)) {
        // A value from the request reached a header with a line break in it: never
        // written raw (it would let the client inject headers into its own answer).
        log::error("unsafe_response_header", {{"status", res.result_int()}});
        res = make_problem(bhttp::status::internal_server_error, "internal",
                           "the server refused to send a malformed response header");
        res.keep_alive(false);
        closing_ = true;
    }
    unsigned status = res.result_int();
    if (status != 204 && status != 304 && status >= 200) res.prepare_payload();

    stream_.expires_after(server_.settings().write_timeout);
    if (head_only) {
        // Same header, Content-Length of the GET body, no body.
        bhttp::response<bhttp::empty_body> head{std::move(res.base())};
        auto [ec, n] = co_await bhttp::async_write(stream_, head, as_tuple(use_awaitable));
        if (ec) closing_ = true;
        co_return;
    }
    auto [ec, n] = co_await bhttp::async_write(stream_, res, as_tuple(use_awaitable));
    if (ec) closing_ = true;
}

asio::awaitable<void> http_session::reject(bhttp::status status, std::string_view type, std::string_view detail)
{
    response res = make_problem(status, type, detail);
    res.keep_alive(false);
    add_request_id(res, server_.next_request_id());
    server_.metrics().count_response(res.result_int());
    co_await write(res, false);
    log::info("request_rejected", {{"peer", peer_}, {"status", res.result_int()}, {"reason", type}});
    co_await close_gracefully();
}

asio::awaitable<void> http_session::close_gracefully()
{
    boost::system::error_code ec;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    // Drain what the client still sends (a rejected body) for a moment, so closing with
    // unread data does not reset the connection before the client read our answer.
    stream_.expires_after(std::chrono::milliseconds(500));
    std::array<char, 4096> sink;
    std::size_t drained = 0;
    while (drained < 256 * 1024) {
        auto [rec, n] = co_await stream_.async_read_some(asio::buffer(sink), as_tuple(use_awaitable));
        if (rec) break;
        drained += n;
    }
    stream_.socket().close(ec);
}

} // namespace sp::http
