#include "store/hub_backup.hpp"

#include "domain/zoned_time.hpp"
#include "store/script_runner.hpp"
#include "store/scripts/backup_scripts.hpp"

#include <chrono>

namespace asio = boost::asio;

namespace sp::store {
namespace {

std::string utc_now()
{
    auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    return domain::format_rfc3339(now, domain::find_zone("UTC"));
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
    script_runner runner(redis, keys(prefix), false);
    scripts::backup_dump::input in{key_glob(prefix), max_keys};
    auto r = co_await runner.run<scripts::backup_dump>(std::move(in));
    if (r.is(refusal::too_many_keys))
        co_return "the hub has " + r.detail + " keys, more than --max-keys " + std::to_string(max_keys) +
            " allows in one step; raise it (Redis is blocked while the copy runs) or take a file-level backup";
    if (!r.ok()) co_return "redis: " + r.reason();
    hub_snapshot s;
    s.layout_version = r.value.layout_version;
    s.change_log = r.value.change_log;
    s.prefix = prefix;
    s.taken_at = utc_now();
    for (auto& dumped : r.value.keys) s.keys.push_back({dumped.name.substr(prefix.size()), dumped.pttl_ms, std::move(dumped.payload)});
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
    script_runner runner(redis, keys(prefix), false);
    scripts::backup_restore::input in{key_glob(prefix), replace, {}};
    in.keys.reserve(s.keys.size());
    for (const auto& k : s.keys) in.keys.push_back({prefix + k.name, k.pttl_ms, k.payload});
    auto r = co_await runner.run<scripts::backup_restore>(std::move(in));
    if (r.is(refusal::not_empty))
        out.problem = "the hub (prefix " + prefix + ") already has " + r.detail +
                      " keys; restore into an empty one, or pass --force to replace them";
    else if (!r.ok()) out.problem = "redis: " + r.reason();
    else {
        out.restored = r.value.restored;
        out.replaced = r.value.replaced;
    }
    co_return out;
}

} // namespace sp::store
