// The hub_store members behind the admin API: deleting camps, rooms, experts and events
// when nothing uses them any more, listing events, and reading the audit trail (the
// change-log entries that name who made them). See hub_store.hpp.
#include "store/hub_store.hpp"

#include "store/reply_helpers.hpp"
#include "store/rule_codec.hpp"

#include <algorithm>

namespace asio = boost::asio;

namespace sp::store {

asio::awaitable<outcome> hub_store::delete_entity(std::string key, std::string id, std::string change, std::string by,
                                                  std::vector<std::string> index_sets,
                                                  std::vector<std::pair<std::string, std::string>> guards,
                                                  domain::instant now)
{
    outcome out;
    std::vector<std::string> ks{std::move(key), keys_.changes()};
    for (auto& k : index_sets) ks.push_back(std::move(k));
    for (auto& g : guards) ks.push_back(g.second);
    std::vector<std::string> args{std::move(id),          std::move(change), std::to_string(settings_.change_log_max),
                                  std::move(by),          std::to_string(index_sets.size()), epoch(now)};
    for (auto& g : guards) args.push_back(std::move(g.first));
    redis::result r = co_await eval("entity_delete", std::move(ks), std::move(args));
    if (!usable(r, out)) co_return out;
    if (str_at(*r, 0) == "err") {
        out.refusal = str_at(*r, 1);
        out.detail = str_at(*r, 2);
    }
    co_return out;
}

asio::awaitable<outcome> hub_store::delete_camp(std::string id, domain::instant now, std::string by)
{
    outcome out;
    // Experts name their camps inside their own records; those are checked here, the
    // camp's own index sets inside the script.
    auto experts_now = co_await experts();
    if (!experts_now.ok()) co_return static_cast<outcome&>(experts_now);
    for (const auto& e : experts_now.value) {
        if (std::find(e.camp_ids.begin(), e.camp_ids.end(), id) != e.camp_ids.end()) {
            out.refusal = "in-use";
            out.detail = "experts";
            co_return out;
        }
    }
    std::vector<std::string> index_sets{keys_.camps()};
    std::vector<std::pair<std::string, std::string>> guards{{"rooms", keys_.camp_rooms(id)},
                                                            {"sessions", keys_.camp_sessions(id)}};
    co_return co_await delete_entity(keys_.camp(id), id, "camp.deleted", std::move(by), std::move(index_sets),
                                     std::move(guards), now);
}

asio::awaitable<outcome> hub_store::delete_room(std::string id, domain::instant now, std::string by)
{
    outcome out;
    redis::command_args where{"HGET", keys_.room(id), "camp_id"};
    redis::result camp = co_await redis_.command(std::move(where));
    if (!usable(camp, out)) co_return out;
    if (camp->is_nil()) {
        out.refusal = "unknown";
        co_return out;
    }
    auto events_now = co_await events();
    if (!events_now.ok()) co_return static_cast<outcome&>(events_now);
    for (const auto& e : events_now.value) {
        if (e.room_id == id && e.end > now) {
            out.refusal = "in-use";
            out.detail = "events";
            co_return out;
        }
    }
    auto rules = co_await indexed_records(keys_.rules(), &keys::rule);
    if (!rules.ok()) co_return static_cast<outcome&>(rules);
    for (const auto& m : rules.value) {
        if (decode_rule(get(m, "spec")).spec.rule.room_id == id) {
            out.refusal = "in-use";
            out.detail = "rules";
            co_return out;
        }
    }
    std::vector<std::string> index_sets{keys_.rooms(), keys_.camp_rooms(camp->str)};
    std::vector<std::pair<std::string, std::string>> no_guards;
    co_return co_await delete_entity(keys_.room(id), id, "room.deleted", std::move(by), std::move(index_sets),
                                     std::move(no_guards), now);
}

asio::awaitable<outcome> hub_store::delete_expert(std::string id, domain::instant now, std::string by)
{
    std::vector<std::string> index_sets{keys_.experts()};
    std::vector<std::pair<std::string, std::string>> guards{{"rules", keys_.expert_rules(id)},
                                                            {"sessions", keys_.expert_sessions(id)}};
    co_return co_await delete_entity(keys_.expert(id), id, "expert.deleted", std::move(by), std::move(index_sets),
                                     std::move(guards), now);
}

asio::awaitable<result<int>> hub_store::delete_event(std::string id, std::string message, domain::instant now,
                                                     std::string by)
{
    result<int> out;
    redis::command_args exists{"EXISTS", keys_.event(id)};
    redis::result e = co_await redis_.command(std::move(exists));
    if (!usable(e, out)) co_return out;
    if (e->integer == 0) {
        out.refusal = "unknown";
        co_return out;
    }
    // The event's one session has the event's id. It stays, cancelled, so founders'
    // manage links still say what happened; only the event record goes.
    auto s = co_await session(id);
    if (s.unavailable) co_return static_cast<outcome&>(s);
    if (s.ok() && s.value.start <= now) {
        out.refusal = "event-started";
        co_return out;
    }
    if (s.ok()) {
        auto cancelled = co_await cancel_session(id, message, by, now);
        if (!cancelled.ok()) co_return cancelled;
        out.value = cancelled.value;
    }
    std::vector<std::string> index_sets{keys_.events()};
    std::vector<std::pair<std::string, std::string>> no_guards;
    outcome d = co_await delete_entity(keys_.event(id), id, "event.deleted", std::move(by), std::move(index_sets),
                                       std::move(no_guards), now);
    static_cast<outcome&>(out) = d;
    co_return out;
}

asio::awaitable<result<std::vector<domain::event>>> hub_store::events()
{
    result<std::vector<domain::event>> out;
    auto records = co_await indexed_records(keys_.events(), &keys::event);
    static_cast<outcome&>(out) = records;
    for (const auto& m : records.value) {
        domain::event e;
        e.id = get(m, "id");
        e.camp_id = get(m, "camp_id");
        e.room_id = get(m, "room_id");
        e.expert_id = get(m, "expert_id");
        e.title = get(m, "title");
        e.description = get(m, "description");
        e.topic = get(m, "topic");
        e.start = domain::instant(std::chrono::seconds(get_int(m, "start")));
        e.end = domain::instant(std::chrono::seconds(get_int(m, "end")));
        e.seats = static_cast<int>(get_int(m, "seats"));
        out.value.push_back(std::move(e));
    }
    std::sort(out.value.begin(), out.value.end(), [](const auto& a, const auto& b) { return a.start < b.start; });
    co_return out;
}

asio::awaitable<result<std::vector<log_entry>>> hub_store::audit(std::string before, std::size_t limit)
{
    result<std::vector<log_entry>> out;
    // Most entries are bookings (no `by`: founders have no account). Read back in pages
    // until enough attributed entries are found, but never more than 50 pages per call.
    std::string end = before.empty() ? "+" : "(" + before;
    for (int page = 0; page < 50 && out.value.size() < limit; ++page) {
        redis::command_args cmd{"XREVRANGE", keys_.changes(), end, "-", "COUNT", "500"};
        redis::result r = co_await redis_.command(std::move(cmd));
        if (!usable(r, out)) co_return out;
        auto entries = parse_log_entries(*r);
        for (auto& entry : entries) {
            if (out.value.size() == limit) break;
            std::string by = entry.field("by");
            if (!by.empty() && by != "founder") out.value.push_back(std::move(entry)); // founders have no account
        }
        if (entries.size() < 500) break;
        end = "(" + entries.back().id;
    }
    co_return out;
}

} // namespace sp::store
