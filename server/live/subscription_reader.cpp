#include "live/subscription_reader.hpp"

#include "live/change_builder.hpp"
#include "domain/attendance_rules.hpp"
#include "views/walkin_json.hpp"

#include <algorithm>
#include <set>

namespace sp::live {
namespace {

domain::instant now_instant()
{
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

subscription_answer unavailable(std::string_view id)
{
    subscription_answer out;
    out.error = error_message("unavailable", "the server cannot read the schedule right now; retry", id);
    return out;
}

} // namespace

boost::asio::awaitable<store::result<std::string>> read_walkin_summary(store::hub_stores& stores, std::string camp)
{
    auto camps = co_await stores.catalog.camps();
    if (!camps.ok()) co_return store::result<std::string>::failed(camps);
    auto it = std::find_if(camps.value.begin(), camps.value.end(), [&](const domain::camp& c) { return c.id == camp; });
    if (it == camps.value.end())
        co_return store::result<std::string>::failed(store::outcome::refusing(store::refusal::unknown_camp));
    auto summary = co_await stores.walkins.summary(camp);
    if (!summary.ok()) co_return store::result<std::string>::failed(summary);
    util::json_writer w;
    views::write_walkin_summary(w, camp, summary.value, domain::camp_day(stores.settings.day, *it),
                                it->zone.empty() ? "Europe/Berlin" : it->zone);
    co_return w.take();
}

boost::asio::awaitable<subscription_answer> read_subscription(const subscription_sources& from, std::string id,
                                                              view v, std::string since)
{
    auto bounds = co_await from.changes.log_bounds(since);
    if (!bounds.ok()) co_return unavailable(id);
    if (v.type == view::kind::walkins) {
        // Always the summary as it is now (it is small): read after the log's newest
        // entry, so it is at least that new; later changes follow through the hub.
        auto summary = co_await read_walkin_summary(from.stores, v.camp);
        if (summary.is(store::refusal::unknown_camp)) {
            subscription_answer out;
            out.error = error_message("not-found", "there is no such camp", id);
            co_return out;
        }
        if (!summary.ok()) co_return unavailable(id);
        std::string version = bounds.value.last.empty() ? "0-0" : bounds.value.last;
        subscription_answer out;
        out.carried[v.key()] = order_of(version);
        out.reply = std::make_shared<const std::string>(walkins_snapshot_message(id, v, version, summary.value));
        out.upto = order_of(version);
        co_return out;
    }
    domain::instant now = now_instant();
    // Only a `since` that is an entry of this log can be resumed from: one older than its
    // tail, ahead of its head (never sent), or from a log that was wiped gets a snapshot
    // with the real version, never an answer that echoes it back as current.
    if (!since.empty() && bounds.value.since_in_log) {
        // The resume: exactly what this view missed, in log order, up to the newest
        // entry read (live changes after it follow through the hub).
        auto all = from.recent_changes.find(since, bounds.value.last);
        std::string upto = bounds.value.last;
        if (!all) {
            auto entries = co_await from.changes.log_after(since, from.resume_max_entries);
            if (entries.ok() && entries.value.size() < from.resume_max_entries) {
                auto changes = co_await build_changes(from.reader, entries.value);
                if (changes.ok()) {
                    upto = entries.value.empty() ? since : entries.value.back().id;
                    auto shared = std::make_shared<const std::vector<change>>(std::move(changes.value));
                    from.recent_changes.put(since, upto, shared);
                    all = std::move(shared);
                }
            }
        }
        if (all) {
            subscription_answer out;
            out.resumed = true;
            std::vector<change> mine;
            std::set<std::string> changed;
            for (const auto& c : *all) {
                if (!v.matches(c.session, now)) continue;
                mine.push_back(c);
                changed.insert(c.session.id);
                auto& newest = out.carried[c.session.id];
                newest = std::max(newest, order_of(c.version));
            }
            out.reply = std::make_shared<const std::string>(resume_message(id, v, upto, mine));
            out.upto = order_of(upto);
            out.sessions.assign(changed.begin(), changed.end());
            co_return out;
        }
        // Too much missed or unreadable: a snapshot is the honest answer.
    }

    // The snapshot: the same for every socket opening this view while the log stands
    // still (a camp's lobby screens after a restart), so read once and shared.
    auto shared = from.recent_snapshots.find(v.key(), bounds.value.last);
    if (!shared) {
        std::vector<domain::session> sessions;
        if (v.type == view::kind::event) {
            auto s = co_await from.reader.session(v.event);
            if (s.ok()) sessions.push_back(std::move(s.value));
            else if (s.unavailable) co_return unavailable(id);
        } else if (v.type == view::kind::camp_events) {
            // Those not ended yet; changes of any of the camp's events follow (view::matches).
            auto all = co_await from.reader.event_sessions();
            if (!all.ok()) co_return unavailable(id);
            for (auto& s : all.value)
                if (v.matches(s, now) && s.end > now) sessions.push_back(std::move(s));
            std::sort(sessions.begin(), sessions.end(),
                      [](const domain::session& a, const domain::session& b) { return a.start < b.start; });
        } else {
            auto list = co_await from.reader.sessions(v.query(now));
            if (!list.ok()) co_return unavailable(id);
            for (auto& s : list.value)
                if (v.matches(s, now)) sessions.push_back(std::move(s));
        }
        shared = std::make_shared<const std::vector<domain::session>>(std::move(sessions));
        from.recent_snapshots.put(v.key(), bounds.value.last, shared);
    }
    std::string version = bounds.value.last.empty() ? "0-0" : bounds.value.last;
    // The sessions were read after the log's newest entry: their state is at least that new.
    subscription_answer out;
    for (const auto& s : *shared) {
        out.carried[s.id] = order_of(version);
        out.sessions.push_back(s.id);
    }
    out.reply = std::make_shared<const std::string>(snapshot_message(id, v, version, *shared));
    out.upto = order_of(version);
    co_return out;
}

} // namespace sp::live
