#pragma once
/**
 * Where a Redis server is and how to log in: parsed from the `redis.url` option.
 *   redis://[[user]:password@]host[:port][/db]   (IPv6 hosts in brackets)
 *   unix:///absolute/path/to/socket[?db=N]
 * User and password may be percent-encoded. The password is never logged:
 * describe() renders the endpoint without it.
 */
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace sp::redis {

struct endpoint {
    enum class transport { tcp, unix_socket };
    transport kind = transport::tcp;
    std::string host;     // tcp
    std::uint16_t port = 6379;
    std::string path;     // unix_socket
    std::string user;     // empty: AUTH with password only (or no AUTH)
    std::string password; // empty: no AUTH
    int db = 0;

    /** A log-safe description: "tcp 127.0.0.1:6379 db 0" (never the password). */
    std::string describe() const;
};

/** The endpoint, or a message saying what is wrong with the URL. */
std::variant<endpoint, std::string> parse_redis_url(std::string_view url);

} // namespace sp::redis
