#include "store/outbox_store.hpp"

#include "store/scripts/outbox_scripts.hpp"

#include "store/reply_helpers.hpp"

#include <charconv>

namespace asio = boost::asio;

namespace sp::store {

std::optional<outbox_message> parse_outbox_member(std::string_view member)
{
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (parts.size() < 5) {
        auto bar = member.find('|', start);
        if (bar == std::string_view::npos) return std::nullopt;
        parts.push_back(member.substr(start, bar - start));
        start = bar + 1;
    }
    outbox_message m;
    m.member = std::string(member);
    m.id = std::string(parts[0]);
    m.kind = std::string(parts[1]);
    m.name = std::string(parts[2]);
    m.ref = std::string(parts[3]);
    auto [p, ec] = std::from_chars(parts[4].data(), parts[4].data() + parts[4].size(), m.attempts);
    if (ec != std::errc{} || m.id.empty() || (m.kind != "mail" && m.kind != "hook")) return std::nullopt;
    m.extra = std::string(member.substr(start));
    return m;
}

std::string with_attempt(const outbox_message& m)
{
    return m.id + '|' + m.kind + '|' + m.name + '|' + m.ref + '|' + std::to_string(m.attempts + 1) + '|' + m.extra;
}

outbox_store::outbox_store(script_runner& runner, std::size_t dead_letters_kept)
    : runner_(runner), redis_(runner.redis()), keys_(runner.key()), dead_kept_(dead_letters_kept)
{
}

asio::awaitable<result<std::vector<outbox_message>>> outbox_store::claim(domain::instant now,
                                                                         std::chrono::seconds lease, std::size_t max)
{
    scripts::outbox_claim::input in{now, lease, max};
    auto r = co_await runner_.run<scripts::outbox_claim>(std::move(in));
    auto out = result<std::vector<outbox_message>>::failed(r);
    for (const auto& member : r.value)
        if (auto m = parse_outbox_member(member)) out.value.push_back(std::move(*m));
    co_return out;
}

asio::awaitable<outcome> outbox_store::settle(const outbox_message& m, std::string how, std::string retry_member,
                                              std::string due, std::string dead_entry)
{
    scripts::outbox_settle::input in{m.member, std::move(how), std::move(retry_member), std::move(due),
                                     std::move(dead_entry), dead_kept_};
    auto r = co_await runner_.run<scripts::outbox_settle>(std::move(in));
    co_return static_cast<const outcome&>(r);
}

asio::awaitable<outcome> outbox_store::done(const outbox_message& m)
{
    std::string how = "done", none, due = "0"; // named: no temporaries inside co_await (GCC 12)
    co_return co_await settle(m, how, none, due, none);
}

asio::awaitable<result<std::int64_t>> outbox_store::drop_all(const std::vector<outbox_message>& messages)
{
    // One key, one command: ZREM of the members as claimed (a lease moves only the
    // score), so a message claimed again by another instance meanwhile is gone all the
    // same, as with done().
    result<std::int64_t> out;
    if (messages.empty()) co_return out;
    redis::command_args cmd{"ZREM", keys_.outbox()};
    for (const auto& m : messages) cmd.push_back(m.member);
    redis::result r = co_await redis_.command(std::move(cmd));
    if (!usable(r, out)) co_return out;
    out.value = r->integer;
    co_return out;
}

asio::awaitable<outcome> outbox_store::retry(const outbox_message& m, domain::instant due)
{
    std::string how = "retry", member = with_attempt(m), when = epoch(due), none;
    co_return co_await settle(m, how, member, when, none);
}

asio::awaitable<outcome> outbox_store::dead(const outbox_message& m, std::string reason, domain::instant now)
{
    // Without `extra`: an invitation's token must not outlive its message.
    for (char& c : reason)
        if (c == '|' || c == '\n' || c == '\r') c = ' ';
    std::string entry = m.id + '|' + m.kind + '|' + m.name + '|' + m.ref + '|' + std::to_string(m.attempts + 1) + '|' +
                        reason + '|' + epoch(now);
    std::string how = "dead", none, due = "0";
    co_return co_await settle(m, how, none, due, std::move(entry));
}

asio::awaitable<result<std::pair<std::int64_t, std::int64_t>>> outbox_store::counts()
{
    result<std::pair<std::int64_t, std::int64_t>> out;
    redis::command_args waiting{"ZCARD", keys_.outbox()};
    redis::result w = co_await redis_.command(std::move(waiting));
    if (!usable(w, out)) co_return out;
    redis::command_args dead{"LLEN", keys_.outbox_dead()};
    redis::result d = co_await redis_.command(std::move(dead));
    if (!usable(d, out)) co_return out;
    out.value = {w->integer, d->integer};
    co_return out;
}

asio::awaitable<result<std::vector<std::string>>> outbox_store::dead_letters(std::size_t limit)
{
    result<std::vector<std::string>> out;
    redis::command_args cmd{"LRANGE", keys_.outbox_dead(), "0", std::to_string(limit == 0 ? 0 : limit - 1)};
    redis::result r = co_await redis_.command(std::move(cmd));
    if (!usable(r, out)) co_return out;
    for (const auto& e : r->elements) out.value.push_back(e.str);
    co_return out;
}

asio::awaitable<result<int>> outbox_store::sweep_reminders(int minutes, domain::instant now)
{
    const std::string lead = std::to_string(minutes);
    const auto ahead = std::chrono::minutes(minutes);
    auto attempt = [&]() -> asio::awaitable<result<int>> {
        result<int> out;
        redis::command_args get_cursor{"HGET", keys_.reminder_cursor(), lead};
        redis::result c = co_await redis_.command(std::move(get_cursor));
        if (!usable(c, out)) co_return out;
        std::string cursor = c->is_nil() ? std::string{} : c->str;
        scripts::reminders_sweep::input in{lead, cursor, epoch(now), now, {}};
        if (!cursor.empty()) {
            // Sessions whose reminder time (start - lead) passed since the cursor, and
            // which have not started: their confirmed founders get the reminder now.
            std::int64_t from = 0;
            std::from_chars(cursor.data(), cursor.data() + cursor.size(), from);
            std::int64_t lo = std::max<std::int64_t>(from + ahead.count() * 60, now.time_since_epoch().count());
            redis::command_args range{"ZRANGEBYSCORE", keys_.sessions(), "(" + std::to_string(lo),
                                      epoch(now + ahead), "LIMIT", "0", "2000"};
            redis::result ids = co_await redis_.command(std::move(range));
            if (!usable(ids, out)) co_return out;
            for (const auto& s : ids->elements) {
                redis::command_args members{"SMEMBERS", keys_.session_bookings(s.str)};
                redis::result b = co_await redis_.command(std::move(members));
                if (!usable(b, out)) co_return out;
                for (const auto& booking : b->elements) in.bookings.push_back({booking.str, s.str});
            }
        }
        // Another instance may sweep meanwhile: the script then refuses with retry.
        auto r = co_await runner_.run<scripts::reminders_sweep>(std::move(in));
        out = result<int>::failed(r);
        out.value = r.value.queued;
        co_return out;
    };
    co_return co_await runner_.with_retries<int>("reminders", attempt);
}

} // namespace sp::store
