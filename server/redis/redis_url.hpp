#pragma once
/**
 * Where a Redis server is and how to log in: parsed from the `redis.url` option.
 *   redis://[[user]:password@]host[:port][/db]   (IPv6 hosts in brackets)
 *   unix:///absolute/path/to/socket[?db=N]
 *   redis-sentinel://[[user]:password@]host:port[,host:port...]/master-name[?db=N]
 * With Sentinel, the sentinels (port 26379 unless given) are asked for the primary of
 * `master-name` on every (re)connect; user and password are those of the data nodes
 * (the sentinels' own login comes from sentinel_user/sentinel_password).
 * User and password may be percent-encoded. The password is never logged:
 * describe() renders the endpoint without it.
 */
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sp::redis {

struct host_port {
    std::string host;
    std::uint16_t port = 0;
    bool operator==(const host_port&) const = default;
};

struct endpoint {
    enum class transport { tcp, unix_socket, sentinel };
    transport kind = transport::tcp;
    std::string host;     // tcp
    std::uint16_t port = 6379;
    std::string path;     // unix_socket
    std::string user;     // empty: AUTH with password only (or no AUTH)
    std::string password; // empty: no AUTH
    int db = 0;
    std::vector<host_port> sentinels; // sentinel: asked in this order
    std::string master_name;          // sentinel: the name the sentinels monitor
    std::string sentinel_user;        // sentinel: AUTH towards the sentinels (not from the URL)
    std::string sentinel_password;

    /** A log-safe description: "tcp 127.0.0.1:6379 db 0" or "sentinel mymaster via
     *  h1:26379,h2:26379 db 0" (never the password). */
    std::string describe() const;
};

/** The endpoint, or a message saying what is wrong with the URL. */
std::variant<endpoint, std::string> parse_redis_url(std::string_view url);

} // namespace sp::redis
