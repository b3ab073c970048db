#include "store/busy_store.hpp"

#include "store/reply_helpers.hpp"
#include "store/scripts/busy_scripts.hpp"
#include "util/secrets.hpp"

#include <algorithm>
#include <charconv>

namespace asio = boost::asio;

namespace sp::store {
namespace {

std::optional<domain::instant> at(const field_map& m, const std::string& key)
{
    std::string v = get(m, key);
    if (v.empty()) return std::nullopt;
    return domain::instant{std::chrono::seconds{std::atoll(v.c_str())}};
}

} // namespace

busy_store::busy_store(script_runner& runner, std::int64_t change_log_max)
    : runner_(runner), redis_(runner.redis()), keys_(runner.key()), change_log_max_(change_log_max)
{
}

asio::awaitable<result<std::vector<std::string>>> busy_store::future_sessions(const std::string& expert_id,
                                                                             domain::instant now)
{
    result<std::vector<std::string>> out;
    redis::command_args cmd{"ZRANGEBYSCORE", keys_.expert_sessions(expert_id), "(" + epoch(now), "+inf"};
    redis::result r = co_await redis_.command(std::move(cmd));
    if (!usable(r, out)) co_return out;
    for (std::size_t i = 0; i < r->elements.size(); ++i) out.value.push_back(str_at(*r, i));
    co_return out;
}

std::string busy_store::encode(const std::vector<busy_span>& busy)
{
    std::string out;
    for (const auto& b : busy) {
        if (!out.empty()) out += ' ';
        out += epoch(b.start);
        out += '-';
        out += epoch(b.end);
    }
    return out;
}

std::vector<busy_span> busy_store::decode(std::string_view text)
{
    std::vector<busy_span> out;
    while (!text.empty()) {
        auto sp = text.find(' ');
        std::string_view item = text.substr(0, sp);
        text = sp == std::string_view::npos ? std::string_view{} : text.substr(sp + 1);
        auto dash = item.find('-', 1);
        if (dash == std::string_view::npos) continue;
        std::int64_t s = 0, e = 0;
        auto a = std::from_chars(item.data(), item.data() + dash, s);
        auto b = std::from_chars(item.data() + dash + 1, item.data() + item.size(), e);
        if (a.ec != std::errc{} || b.ec != std::errc{} || e <= s) continue;
        out.push_back({domain::instant{std::chrono::seconds{s}}, domain::instant{std::chrono::seconds{e}}});
    }
    return out;
}

asio::awaitable<result<std::string>> busy_store::add(std::string expert_id, std::string url,
                                                     std::int64_t max_calendars, domain::instant now)
{
    std::string id = util::random_id("cal_");
    scripts::busy_calendar_add::input in{std::move(expert_id), id, std::move(url), max_calendars, now};
    auto r = co_await runner_.run<scripts::busy_calendar_add>(std::move(in));
    auto out = result<std::string>::failed(r);
    out.value = id;
    co_return out;
}

asio::awaitable<outcome> busy_store::remove(std::string expert_id, std::string calendar_id, domain::instant now)
{
    auto attempt = [&]() -> asio::awaitable<result<bool>> {
        auto seen = co_await future_sessions(expert_id, now);
        if (!seen.ok()) co_return result<bool>::failed(seen);
        scripts::busy_calendar_remove::input in{expert_id, calendar_id, now, change_log_max_, std::move(seen.value)};
        auto r = co_await runner_.run<scripts::busy_calendar_remove>(std::move(in));
        co_return result<bool>::failed(r);
    };
    auto r = co_await runner_.with_retries<bool>("busy_calendar_remove", attempt);
    co_return static_cast<const outcome&>(r);
}

asio::awaitable<result<std::vector<busy_calendar>>> busy_store::calendars(std::string expert_id)
{
    result<std::vector<busy_calendar>> out;
    redis::command_args urls_cmd{"HGETALL", keys_.busy_feeds(expert_id)};
    redis::result urls = co_await redis_.command(std::move(urls_cmd));
    if (!usable(urls, out)) co_return out;
    redis::command_args state_cmd{"HGETALL", keys_.busy_state(expert_id)};
    redis::result state = co_await redis_.command(std::move(state_cmd));
    if (!usable(state, out)) co_return out;
    field_map u = to_map(*urls), s = to_map(*state);
    for (const auto& [id, url] : u) {
        busy_calendar c;
        c.id = id;
        c.url = url;
        c.added_at = at(s, id + ":added_at");
        c.fetched_at = at(s, id + ":fetched_at");
        c.ok_at = at(s, id + ":ok_at");
        c.error = get(s, id + ":error");
        if (!c.error.empty()) c.error_code = get(s, id + ":error_code");
        c.busy_count = get_int(s, id + ":count");
        c.etag = get(s, id + ":etag");
        c.last_modified = get(s, id + ":last_modified");
        out.value.push_back(std::move(c));
    }
    std::stable_sort(out.value.begin(), out.value.end(), [&](const busy_calendar& a, const busy_calendar& b) {
        return get_int(s, a.id + ":order") < get_int(s, b.id + ":order");
    });
    co_return out;
}

asio::awaitable<result<std::vector<std::string>>> busy_store::experts()
{
    result<std::vector<std::string>> out;
    redis::command_args cmd{"SMEMBERS", keys_.busy_experts()};
    redis::result r = co_await redis_.command(std::move(cmd));
    if (!usable(r, out)) co_return out;
    for (std::size_t i = 0; i < r->elements.size(); ++i) out.value.push_back(str_at(*r, i));
    std::sort(out.value.begin(), out.value.end());
    co_return out;
}

asio::awaitable<result<std::vector<busy_span>>> busy_store::busy_times(std::string expert_id)
{
    result<std::vector<busy_span>> out;
    redis::command_args cmd{"HVALS", keys_.busy_times(expert_id)};
    redis::result r = co_await redis_.command(std::move(cmd));
    if (!usable(r, out)) co_return out;
    for (std::size_t i = 0; i < r->elements.size(); ++i) {
        auto part = decode(str_at(*r, i));
        out.value.insert(out.value.end(), part.begin(), part.end());
    }
    co_return out;
}

asio::awaitable<result<bool>> busy_store::record(std::string expert_id, const busy_calendar& c, busy_fetch f,
                                                 domain::instant now)
{
    scripts::busy_import::input in;
    in.expert_id = std::move(expert_id);
    in.calendar_id = c.id;
    in.url = c.url;
    in.what = std::move(f.what);
    in.now = now;
    in.error = std::move(f.error);
    in.error_code = std::move(f.error_code);
    in.busy = encode(f.busy);
    in.count = static_cast<std::int64_t>(f.busy.size());
    in.etag = std::move(f.etag);
    in.last_modified = std::move(f.last_modified);
    in.change_log_max = change_log_max_;
    auto attempt = [&]() -> asio::awaitable<result<bool>> {
        // Only a good import re-marks the sessions, so only it needs to know them.
        if (in.what == "fetched") {
            auto seen = co_await future_sessions(in.expert_id, now);
            if (!seen.ok()) co_return result<bool>::failed(seen);
            in.seen = std::move(seen.value);
        }
        auto r = co_await runner_.run<scripts::busy_import>(in);
        auto out = result<bool>::failed(r);
        out.value = r.value.changed;
        co_return out;
    };
    co_return co_await runner_.with_retries<bool>("busy_import", attempt);
}

asio::awaitable<result<bool>> busy_store::lease(std::string expert_id, std::string owner, std::chrono::seconds ttl)
{
    result<bool> out;
    redis::command_args cmd{"SET", keys_.busy_lease(expert_id), std::move(owner), "NX", "EX",
                            std::to_string(ttl.count())};
    redis::result r = co_await redis_.command(std::move(cmd));
    if (!usable(r, out)) co_return out;
    out.value = !r->is_nil();
    co_return out;
}

asio::awaitable<result<bool>> busy_store::begin_fetch(std::string expert_id, std::string owner,
                                                      std::chrono::seconds ttl)
{
    result<bool> out;
    redis::command_args cmd{"SET", keys_.busy_fetching(expert_id), std::move(owner), "NX", "EX",
                            std::to_string(std::max<std::int64_t>(1, ttl.count()))};
    redis::result r = co_await redis_.command(std::move(cmd));
    if (!usable(r, out)) co_return out;
    out.value = !r->is_nil();
    co_return out;
}

asio::awaitable<void> busy_store::end_fetch(std::string expert_id)
{
    redis::command_args cmd{"DEL", keys_.busy_fetching(expert_id)};
    co_await redis_.command(std::move(cmd));
}

} // namespace sp::store
