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

/** The query of a unix socket's path or a sentinel's master name: what follows the '?'
 *  at `q` in `text` (none when q is npos); only db=<number> is allowed. An empty string
 *  on success, else the problem. */
std::string parse_db_query(std::string_view text, std::size_t q, endpoint& ep)
{
    if (q == std::string_view::npos) return {};
    std::string_view query = text.substr(q + 1);
    if (!query.starts_with("db=") || !parse_int(query.substr(3), 0, 1'000'000, ep.db))
        return "the only query parameter is db=<number>";
    return {};
}

/** "host[:port]" or "[v6]:port"; an empty string on success, else the problem. */
std::string parse_host_port(std::string_view authority, std::uint16_t default_port, host_port& out)
{
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
    out.host = std::string(host);
    out.port = default_port;
    if (!port.empty()) {
        int p = 0;
        if (!parse_int(port, 1, 65535, p)) return "port must be a number from 1 to 65535";
        out.port = static_cast<std::uint16_t>(p);
    }
    return {};
}

/** [user[:password]@] at the front of an authority; strips it off. */
std::string parse_userinfo(std::string_view& authority, endpoint& ep)
{
    auto at = authority.rfind('@');
    if (at == std::string_view::npos) return {};
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
    return {};
}

std::variant<endpoint, std::string> parse_sentinel_url(std::string_view rest)
{
    endpoint ep;
    ep.kind = endpoint::transport::sentinel;
    auto slash = rest.find('/');
    if (slash == std::string_view::npos) return "the master name is missing (redis-sentinel://host:26379/mymaster)";
    std::string_view authority = rest.substr(0, slash);
    std::string_view path = rest.substr(slash + 1);
    if (auto problem = parse_userinfo(authority, ep); !problem.empty()) return problem;
    for (bool more = !authority.empty(); more;) {
        auto comma = authority.find(',');
        host_port hp;
        if (auto problem = parse_host_port(authority.substr(0, comma), 26379, hp); !problem.empty())
            return "sentinel " + problem;
        ep.sentinels.push_back(std::move(hp));
        more = comma != std::string_view::npos;
        if (more) authority.remove_prefix(comma + 1);
    }
    if (ep.sentinels.empty()) return "name at least one sentinel (redis-sentinel://host:26379/mymaster)";
    auto q = path.find('?');
    std::string_view name = path.substr(0, q);
    if (name.empty() || name.find('/') != std::string_view::npos)
        return "the master name is missing (redis-sentinel://host:26379/mymaster)";
    ep.master_name = std::string(name);
    if (auto problem = parse_db_query(path, q, ep); !problem.empty()) return problem;
    return ep;
}

} // namespace

std::string endpoint::describe() const
{
    std::string out;
    if (kind == transport::tcp) out = "tcp " + host + ":" + std::to_string(port);
    else if (kind == transport::unix_socket) out = "unix " + path;
    else {
        out = "sentinel " + master_name + " via ";
        for (std::size_t i = 0; i < sentinels.size(); ++i)
            out += (i ? "," : "") + sentinels[i].host + ":" + std::to_string(sentinels[i].port);
    }
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
        if (auto problem = parse_db_query(rest, q, ep); !problem.empty()) return problem;
        return ep;
    }
    if (url.starts_with("rediss://")) return "TLS (rediss://) is not supported; use a TLS proxy on loopback";
    if (url.starts_with("redis-sentinel://")) return parse_sentinel_url(url.substr(17));
    if (!url.starts_with("redis://"))
        return "must start with redis://, redis-sentinel:// or unix:// (or be 'embedded')";

    std::string_view rest = url.substr(8);
    auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    if (slash != std::string_view::npos) {
        std::string_view db = rest.substr(slash + 1);
        if (!db.empty() && !parse_int(db, 0, 1'000'000, ep.db)) return "database must be a number (redis://host:port/0)";
    }
    if (auto problem = parse_userinfo(authority, ep); !problem.empty()) return problem;
    host_port hp;
    if (auto problem = parse_host_port(authority, 6379, hp); !problem.empty()) return problem;
    ep.host = std::move(hp.host);
    ep.port = hp.port;
    return ep;
}

} // namespace sp::redis
