#include "store/hub_backup.hpp"

#include <chrono>
#include <ctime>

namespace asio = boost::asio;

namespace sp::store {
namespace {

std::string utc_now()
{
    std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
    return buf;
}

} // namespace

std::string key_glob(const std::string& prefix)
{
    std::string out;
    for (char c : prefix) {
        if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') out += '\\';
        out += c;
    }
    return out + "*";
}

asio::awaitable<std::variant<hub_snapshot, std::string>> take_snapshot(redis::client& redis, std::string prefix,
                                                                       std::size_t max_keys)
{
    std::vector<std::string> keys{prefix + "meta", prefix + "changes"};
    std::vector<std::string> args{key_glob(prefix), std::to_string(max_keys)};
    auto r = co_await redis.eval("backup_dump", std::move(keys), std::move(args));
    if (!r) co_return "redis: " + r.error().message();
    if (r->is_error()) co_return "redis: " + r->str;
    const auto& e = r->elements;
    if (e.size() >= 3 && e[0].str == "err")
        co_return "the hub has " + e[2].str + " keys, more than --max-keys " + std::to_string(max_keys) +
            " allows in one step; raise it (Redis is blocked while the copy runs) or take a file-level backup";
    if (e.size() < 3 || e[0].str != "ok" || (e.size() - 3) % 3 != 0) co_return std::string("redis: unexpected answer to backup_dump");
    hub_snapshot s;
    s.layout_version = std::atoi(e[1].str.c_str());
    s.change_log = e[2].str;
    s.prefix = prefix;
    s.taken_at = utc_now();
    for (std::size_t i = 3; i + 2 < e.size(); i += 3) {
        snapshot_key k;
        k.name = e[i].str.substr(prefix.size());
        k.pttl_ms = std::atoll(e[i + 1].str.c_str());
        k.payload = e[i + 2].str;
        s.keys.push_back(std::move(k));
    }
    co_return s;
}

asio::awaitable<restore_outcome> restore_snapshot(redis::client& redis, std::string prefix, const hub_snapshot& s,
                                                  bool replace, int layout_version)
{
    restore_outcome out;
    if (s.layout_version > layout_version) {
        out.problem = "the backup has layout version " + std::to_string(s.layout_version) + ", newer than this program's " +
                      std::to_string(layout_version) + ": restore it with a newer sprechstunde";
        co_return out;
    }
    std::vector<std::string> keys;
    std::vector<std::string> args{key_glob(prefix), replace ? "1" : "0"};
    keys.reserve(s.keys.size());
    args.reserve(2 + 2 * s.keys.size());
    for (const auto& k : s.keys) {
        keys.push_back(prefix + k.name);
        args.push_back(std::to_string(k.pttl_ms));
        args.push_back(k.payload);
    }
    auto r = co_await redis.eval("backup_restore", std::move(keys), std::move(args));
    if (!r) out.problem = "redis: " + r.error().message();
    else if (r->is_error()) out.problem = "redis: " + r->str;
    else if (r->elements.size() == 3 && r->elements[0].str == "err")
        out.problem = "the hub (prefix " + prefix + ") already has " + r->elements[2].str +
                      " keys; restore into an empty one, or pass --force to replace them";
    else if (r->elements.size() == 3 && r->elements[0].str == "ok") {
        out.restored = static_cast<std::size_t>(r->elements[1].integer);
        out.replaced = static_cast<std::size_t>(r->elements[2].integer);
    } else out.problem = "redis: unexpected answer to backup_restore";
    co_return out;
}

} // namespace sp::store
