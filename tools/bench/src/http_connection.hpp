#pragma once
/**
 * One HTTP/1.1 keep-alive client connection (Beast over a TCP stream), and the booking
 * request every scenario sends: the same JSON body and headers as the booking page,
 * with a fresh founder e-mail and Idempotency-Key each time. One request in flight per
 * connection; a connection the server closed reconnects on the next request.
 * Single-threaded: owned by one coroutine at a time.
 */
#include "common.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <cstdint>
#include <string>

namespace sp::bench {

namespace beast = boost::beast;

struct http_reply {
    int status = 0; // 0: no answer (connect, write or read failed; see error)
    std::string body;
    std::string error;
};

class http_connection {
public:
    http_connection(asio::any_io_executor ex, std::uint16_t port);
    asio::awaitable<bool> connect();
    bool is_open() const;
    asio::awaitable<http_reply> get(const std::string& target);
    asio::awaitable<http_reply> post(const std::string& target, const std::string& body,
                                     const std::string& idempotency_key);
    void close();

private:
    asio::awaitable<http_reply> exchange(const std::string& request_bytes);
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::uint16_t port_;
    bool open_ = false;
};

/** Makes booking bodies with unique founders (a per-process tag plus a counter). */
class founder_factory {
public:
    explicit founder_factory(random_source& rng);
    /** {"name":…,"email":"f<tag>-<n>@bench.example",…,"consent":true,"lang":"de"} */
    std::string next_body();
    std::string next_idempotency_key() { return rng_.hex(32); }
    std::string next_email();

private:
    random_source& rng_;
    std::string tag_;
    std::uint64_t n_ = 0;
};

std::string booking_target(const std::string& session_id);

/** seats_taken of the session in a 201 booking body, or -1. */
int taken_in_booking(const std::string& body);

/** seats_taken of GET /api/v1/sessions/{id}, or -1. */
asio::awaitable<int> read_taken(http_connection& c, const std::string& session_id);

} // namespace sp::bench
