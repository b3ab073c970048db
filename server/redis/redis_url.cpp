#include "redis/redis_url.hpp"

#include "util/percent_encoding.hpp"

#include <charconv>

namespace sp::redis {
namespace {

bool parse_int(std::string_view s, int lo, int hi, int& out)
{
    if (s.empty()) return false;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc{} && end == s.data() + s.size() && out >= lo && out <= hi;
}

} // namespace

std::string endpoint::describe() const
{
    std::string out = kind == transport::tcp ? "tcp " + host + ":" + std::to_string(port) : "unix " + path;
    out += " db " + std::to_string(db);
    if (!user.empty()) out += " user " + user;
    return out;
}

std::variant<endpoint, std::string> parse_redis_url(std::string_view url)
{
    endpoint ep;
    if (url.starts_with("unix://")) {
        std::string_view rest = url.substr(7);
        ep.kind = endpoint::transport::unix_socket;
        auto q = rest.find('?');
        std::string_view path = rest.substr(0, q);
        if (path.empty() || path.front() != '/') return "unix socket path must be absolute (unix:///path)";
        ep.path = std::string(path);
        if (q != std::string_view::npos) {
            std::string_view query = rest.substr(q + 1);
            if (!query.starts_with("db=") || !parse_int(query.substr(3), 0, 1'000'000, ep.db))
                return "the only query parameter is db=<number>";
        }
        return ep;
    }
    if (url.starts_with("rediss://")) return "TLS (rediss://) is not supported; use a TLS proxy on loopback";
    if (!url.starts_with("redis://")) return "must start with redis:// or unix:// (or be 'embedded')";

    std::string_view rest = url.substr(8);
    auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    if (slash != std::string_view::npos) {
        std::string_view db = rest.substr(slash + 1);
        if (!db.empty() && !parse_int(db, 0, 1'000'000, ep.db)) return "database must be a number (redis://host:port/0)";
    }
    if (auto at = authority.rfind('@'); at != std::string_view::npos) {
        std::string_view userinfo = authority.substr(0, at);
        authority = authority.substr(at + 1);
        auto colon = userinfo.find(':');
        std::string_view user = userinfo.substr(0, colon);
        std::string_view pass = colon == std::string_view::npos ? std::string_view{} : userinfo.substr(colon + 1);
        if (colon == std::string_view::npos) {
            // redis://password@host is a common shorthand for a password without a user.
            pass = user;
            user = {};
        }
        if (!util::percent_decode(user, ep.user) || !util::percent_decode(pass, ep.password))
            return "user or password has an invalid percent-encoding";
    }
    std::string_view host, port;
    if (authority.starts_with('[')) {
        auto close = authority.find(']');
        if (close == std::string_view::npos) return "unterminated IPv6 address";
        host = authority.substr(1, close - 1);
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return "expected :port after the IPv6 address";
            port = after.substr(1);
        }
    } else {
        auto colon = authority.rfind(':');
        host = authority.substr(0, colon);
        if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    }
    if (host.empty()) return "host is missing";
    ep.host = std::string(host);
    if (!port.empty()) {
        int p = 0;
        if (!parse_int(port, 1, 65535, p)) return "port must be a number from 1 to 65535";
        ep.port = static_cast<std::uint16_t>(p);
    }
    return ep;
}

} // namespace sp::redis
