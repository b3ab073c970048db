#pragma once
/**
 * One client connection: reads requests one at a time (keep-alive), hands each to the
 * router, writes the response, and logs one access line. Every wait has a deadline:
 * the idle wait for the next request, reading one whole request, writing a response.
 * Limits violations get a problem response (400/413/414/431) and the connection is
 * closed. Runs as a coroutine on its own strand; the pending I/O keeps it alive.
 */
#include "http/message.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <memory>
#include <optional>
#include <string>

namespace sp::http {

class http_server;

class http_session : public std::enable_shared_from_this<http_session> {
public:
    /** `peer`: the client's address, as the accept gave it. */
    http_session(boost::asio::ip::tcp::socket socket, std::string peer, http_server& server);
    ~http_session();

    void start();
    /** From any thread: finish the request in flight (if any), then close. */
    void shutdown();

private:
    /** The client of `req`: the TCP peer, or whom a trusted proxy forwards for. */
    std::string client_of(const request& req) const;
    boost::asio::awaitable<void> run();
    boost::asio::awaitable<bool> handle(request& req); // false: close the connection
    boost::asio::awaitable<void> write(response& res, bool head_only);
    boost::asio::awaitable<void> reject(bhttp::status status, std::string_view type, std::string_view detail);
    boost::asio::awaitable<void> close_gracefully();

    boost::beast::tcp_stream stream_;
    boost::beast::flat_buffer buffer_;
    http_server& server_;
    std::string peer_;
    bool idle_ = true;
    bool closing_ = false;
};

/** The request target as it may appear in a log: no query string, secrets in
 *  token-bearing paths replaced, at most 256 bytes. */
std::string loggable_target(std::string_view target);

/** Why the body framing of `req` is refused (400 and a close): Content-Length together
 *  with Transfer-Encoding, or a Transfer-Encoding other than exactly "chunked". */
std::optional<std::string> framing_problem(const request& req);

/** False when a header name or value holds CR, LF or NUL (it must never be written). */
bool header_values_safe(const response& res);

} // namespace sp::http
