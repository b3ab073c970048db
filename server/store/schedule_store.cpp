#include "store/schedule_store.hpp"

#include "domain/walkin_rules.hpp"
#include "log/logger.hpp"
#include "store/rule_codec.hpp"
#include "store/scripts/catalog_scripts.hpp"
#include "store/scripts/schedule_scripts.hpp"
#include "util/secrets.hpp"

namespace asio = boost::asio;

namespace sp::store {
namespace {

/** The fields every session of an office-hour rule shares. */
std::vector<std::string> rule_session_fields(const domain::office_hour_rule& r)
{
    return {"kind",    "office_hour", "owner_id",   r.id,           "expert_id", r.expert_id, "camp_id", r.camp_id,
            "room_id", r.room_id,     "online_url", r.online_url,   "zone",      r.zone,      "title",   "",
            "topic",   "",            "buffer",     std::to_string(std::chrono::seconds(r.buffer).count())};
}

} // namespace

asio::awaitable<result<expansion_counts>> schedule_store::upsert_sessions(std::string owner_id,
                                                                          std::vector<std::string> common,
                                                                          std::vector<domain::planned_session> plan,
                                                                          std::string camp_id, std::string expert_id,
                                                                          std::string week_zone, domain::instant now)
{
    const date::time_zone* zone = domain::find_zone(week_zone);
    std::string common_joined;
    for (const auto& c : common) common_joined += c + '\x1f';
    scripts::sessions_upsert::input in{owner_id, camp_id, expert_id, now, settings_.change_log_max, common, {}, {}};
    for (const auto& p : plan) {
        // The plan hash tells the script whether a session's shape changed.
        std::string hash = util::sha256_hex(common_joined + epoch(p.start) + '\x1f' + epoch(p.end) + '\x1f' +
                                            std::to_string(p.seats))
                               .substr(0, 16);
        in.plan.push_back({p.id, p.start, p.end, p.seats, zone ? domain::iso_week_key(p.start, zone) : "", hash});
    }
    auto attempt = [&]() -> asio::awaitable<result<expansion_counts>> {
        redis::command_args range{"ZRANGEBYSCORE", keys_.owner_sessions(owner_id), "(" + epoch(now), "+inf"};
        redis::result existing = co_await runner_.redis().command(std::move(range));
        result<expansion_counts> out;
        if (!usable(existing, out)) co_return out;
        scripts::sessions_upsert::input call = in;
        for (const auto& e : existing->elements) call.seen.push_back(e.str);
        auto r = co_await runner_.run<scripts::sessions_upsert>(std::move(call));
        out = result<expansion_counts>::failed(r);
        out.value = {r.value.created, r.value.updated, r.value.removed, r.value.orphaned};
        co_return out;
    };
    co_return co_await runner_.with_retries<expansion_counts>("expansion", attempt);
}

asio::awaitable<result<expansion_counts>> schedule_store::put_rule(domain::office_hour_rule rule,
                                                                   std::vector<domain::rule_exception> exceptions,
                                                                   domain::instant now, std::string by)
{
    if (auto problems = domain::validate(rule); !problems.empty())
        co_return result<expansion_counts>::failed(
            outcome::refusing(refusal::invalid_rule, problems.front().field + ": " + problems.front().message));
    scripts::entity_put::input record{keys_.rule(rule.id),
                                      keys_.rules(),
                                      keys_.expert_rules(rule.expert_id),
                                      "",
                                      rule.id,
                                      "rule.put",
                                      std::move(by),
                                      settings_.change_log_max,
                                      {"expert_id", rule.expert_id, "camp_id", rule.camp_id, "spec",
                                       encode_rule({rule, exceptions})}};
    auto saved = co_await runner_.run<scripts::entity_put>(std::move(record));
    if (!saved.ok()) co_return result<expansion_counts>::failed(saved);
    auto plan = domain::expand(rule, exceptions, now, now + settings_.expansion_horizon);
    co_return co_await upsert_sessions(rule.id, rule_session_fields(rule), std::move(plan), rule.camp_id,
                                       rule.expert_id, rule.zone, now);
}

asio::awaitable<result<expansion_counts>> schedule_store::delete_rule(std::string rule_id, domain::instant now,
                                                                      std::string by)
{
    auto spec = co_await reader_.field(keys_.rule(rule_id), "spec", refusal::unknown_rule);
    if (!spec.ok()) co_return result<expansion_counts>::failed(spec);
    const auto rule = decode_rule(spec.value).spec.rule;
    // An empty plan: unbooked future sessions are removed, booked ones orphaned.
    std::vector<domain::planned_session> nothing; // named: no braced temporaries inside co_await (GCC 12)
    auto r = co_await upsert_sessions(rule_id, rule_session_fields(rule), std::move(nothing), rule.camp_id,
                                      rule.expert_id, rule.zone, now);
    if (!r.ok()) co_return r;
    scripts::entity_delete::input gone{keys_.rule(rule_id), rule_id, "rule.deleted", std::move(by), now,
                                       settings_.change_log_max, {keys_.rules(), keys_.expert_rules(rule.expert_id)},
                                       {},  {}};
    auto d = co_await runner_.run<scripts::entity_delete>(std::move(gone));
    auto out = result<expansion_counts>::failed(d);
    if (d.is(refusal::unknown_record)) out.refused = refusal::unknown_rule;
    out.value = r.value;
    co_return out;
}

asio::awaitable<result<std::vector<std::string>>> schedule_store::rule_specs_of(std::string expert_id)
{
    auto records = co_await reader_.indexed(keys_.expert_rules(expert_id), &keys::rule);
    auto out = result<std::vector<std::string>>::failed(records);
    for (const auto& m : records.value) out.value.push_back(get(m, "spec"));
    co_return out;
}

asio::awaitable<result<std::string>> schedule_store::rule_owner(std::string rule_id)
{
    co_return co_await reader_.field(keys_.rule(rule_id), "expert_id", refusal::unknown_rule);
}

asio::awaitable<result<expansion_counts>> schedule_store::expand_all(domain::instant now)
{
    result<expansion_counts> out;
    auto ids = co_await reader_.members(keys_.rules());
    if (!ids.ok()) co_return result<expansion_counts>::failed(ids);
    for (const auto& id : ids.value) {
        auto spec = co_await reader_.field(keys_.rule(id), "spec", refusal::unknown_rule);
        if (spec.is(refusal::unknown_rule)) continue; // deleted meanwhile
        if (!spec.ok()) co_return result<expansion_counts>::failed(spec);
        auto decoded = decode_rule(spec.value);
        if (!decoded.problems.empty()) {
            log::error("rule_unreadable", {{"rule", id}, {"field", decoded.problems.front().field}});
            continue;
        }
        const auto& rule = decoded.spec.rule;
        auto plan = domain::expand(rule, decoded.spec.exceptions, now, now + settings_.expansion_horizon);
        auto r = co_await upsert_sessions(rule.id, rule_session_fields(rule), std::move(plan), rule.camp_id,
                                          rule.expert_id, rule.zone, now);
        if (!r.ok()) co_return r;
        out.value.created += r.value.created;
        out.value.updated += r.value.updated;
        out.value.removed += r.value.removed;
        out.value.orphaned += r.value.orphaned;
    }
    co_return out;
}

asio::awaitable<result<expansion_counts>> schedule_store::put_event(domain::event e, domain::instant now, std::string by)
{
    auto zone = co_await reader_.field(keys_.camp(e.camp_id), "zone", refusal::unknown_camp);
    if (!zone.ok()) co_return result<expansion_counts>::failed(zone);
    scripts::entity_put::input record{keys_.event(e.id),
                                      keys_.events(),
                                      "",
                                      "",
                                      e.id,
                                      "event.put",
                                      std::move(by),
                                      settings_.change_log_max,
                                      {"camp_id", e.camp_id, "room_id", e.room_id, "expert_id", e.expert_id, "title",
                                       e.title, "description", e.description, "topic", e.topic, "start", epoch(e.start),
                                       "end", epoch(e.end), "seats", std::to_string(e.seats)}};
    auto saved = co_await runner_.run<scripts::entity_put>(std::move(record));
    if (!saved.ok()) co_return result<expansion_counts>::failed(saved);
    std::vector<domain::planned_session> plan{{e.id, e.id, e.start, e.end, e.seats}};
    std::vector<std::string> common{"kind",    "event",    "owner_id", e.id,      "expert_id",  e.expert_id,
                                    "camp_id", e.camp_id, "room_id",  e.room_id, "online_url", "",
                                    "zone",    zone.value, "title",    e.title,   "topic",      e.topic};
    co_return co_await upsert_sessions(e.id, std::move(common), std::move(plan), e.camp_id, e.expert_id, zone.value,
                                       now);
}

asio::awaitable<result<int>> schedule_store::delete_event(std::string id, std::string message, domain::instant now,
                                                          std::string by)
{
    result<int> out;
    redis::command_args exists{"EXISTS", keys_.event(id)};
    redis::result e = co_await runner_.redis().command(std::move(exists));
    if (!usable(e, out)) co_return out;
    if (e->integer == 0) co_return result<int>::failed(outcome::refusing(refusal::unknown_record));
    // The event's one session has the event's id. It stays, cancelled, so founders'
    // manage links still say what happened; only the event record goes.
    auto s = co_await reader_.session(id);
    if (s.unavailable || s.defect) co_return result<int>::failed(s);
    if (s.ok() && s.value.start <= now) co_return result<int>::failed(outcome::refusing(refusal::event_started));
    if (s.ok()) {
        auto cancelled = co_await cancel_session(id, message, by, now);
        if (!cancelled.ok()) co_return cancelled;
        out.value = cancelled.value;
    }
    scripts::entity_delete::input gone{keys_.event(id), id, "event.deleted", std::move(by), now,
                                       settings_.change_log_max, {keys_.events()}, {}, {}};
    auto d = co_await runner_.run<scripts::entity_delete>(std::move(gone));
    static_cast<outcome&>(out) = d;
    co_return out;
}

asio::awaitable<result<int>> schedule_store::cancel_session(std::string session_id, std::string message, std::string by,
                                                            domain::instant now)
{
    auto attempt = [&]() -> asio::awaitable<result<int>> {
        auto held = co_await reader_.session_bookings(session_id);
        if (!held.ok()) co_return result<int>::failed(held);
        // Nobody to tell: no message needed. Somebody booked since the caller looked: the
        // script says retry, and this read finds them.
        if (message.empty() && !held.value.empty())
            co_return result<int>::failed(outcome::refusing(refusal::message_required));
        scripts::session_cancel::input in{session_id, message, by, now, settings_.change_log_max, {}};
        for (const auto& b : held.value) {
            auto founder = co_await reader_.field(keys_.booking(b.id), "founder_key", refusal::unknown_booking);
            if (founder.unavailable || founder.defect) co_return result<int>::failed(founder);
            in.held.push_back({b.id, founder.ok() ? founder.value : keys_.founder("-")});
        }
        auto r = co_await runner_.run<scripts::session_cancel>(std::move(in));
        auto out = result<int>::failed(r);
        out.value = r.value.cancelled;
        co_return out;
    };
    co_return co_await runner_.with_retries<int>("cancel session", attempt);
}

asio::awaitable<outcome> schedule_store::set_late(std::string session_id, int minutes, std::string by,
                                                  domain::instant now)
{
    scripts::session_late::input in{std::move(session_id), minutes, std::move(by), now, settings_.change_log_max};
    auto r = co_await runner_.run<scripts::session_late>(std::move(in));
    co_return static_cast<const outcome&>(r);
}

namespace {

/** The store's refusal for a "not running"/"over"/"not open" verdict of the domain. */
outcome refusing(domain::end_early_refusal r)
{
    return outcome::refusing(r == domain::end_early_refusal::session_not_open ? refusal::session_not_open
                                                                              : refusal::not_running);
}

outcome refusing(const domain::extend_verdict& v)
{
    switch (v.refusal) {
    case domain::extend_refusal::session_not_open: return outcome::refusing(refusal::session_not_open);
    case domain::extend_refusal::session_over: return outcome::refusing(refusal::session_over);
    default: return outcome::refusing(refusal::next_session_booked, v.blocked_by);
    }
}

/** The session's bookings and waitlist places, each with its founder's zset. */
asio::awaitable<result<std::vector<scripts::held_place>>> held_places(record_reader& reader, const keys& k,
                                                                      std::string session_id)
{
    auto held = co_await reader.session_bookings(session_id);
    if (!held.ok()) co_return result<std::vector<scripts::held_place>>::failed(held);
    result<std::vector<scripts::held_place>> out;
    for (const auto& b : held.value) {
        auto founder = co_await reader.field(k.booking(b.id), "founder_key", refusal::unknown_booking);
        if (founder.unavailable || founder.defect) co_return result<std::vector<scripts::held_place>>::failed(founder);
        out.value.push_back({b.id, founder.ok() ? founder.value : k.founder("-")});
    }
    co_return out;
}

} // namespace

asio::awaitable<result<std::string>> schedule_store::end_early(std::string session_id, std::string by,
                                                               domain::day_settings d, domain::instant now)
{
    auto attempt = [&]() -> asio::awaitable<result<std::string>> {
        auto s = co_await reader_.session(session_id);
        if (!s.ok()) co_return result<std::string>::failed(s);
        // Refused here without a script when the stored session already says no; the
        // script decides again against what is stored when it runs.
        auto verdict = domain::may_end_early(s.value, now, d);
        if (verdict.refusal != domain::end_early_refusal::none)
            co_return result<std::string>::failed(refusing(verdict.refusal));
        auto held = co_await held_places(reader_, keys_, session_id);
        if (!held.ok()) co_return result<std::string>::failed(held);
        // The rest's id: derived from the session and the moment, so it never collides
        // with a rule's or an event's session ids (which carry no "walkin-" prefix).
        std::string rest = "walkin-" + util::sha256_hex(session_id + '|' + epoch(now)).substr(0, 20);
        scripts::session_end_early::input in{session_id,
                                             rest,
                                             s.value.camp_id,
                                             s.value.expert_id,
                                             by,
                                             now,
                                             std::chrono::duration_cast<std::chrono::seconds>(d.min_walkin),
                                             settings_.change_log_max,
                                             std::move(held.value)};
        auto r = co_await runner_.run<scripts::session_end_early>(std::move(in));
        auto out = result<std::string>::failed(r);
        out.value = r.value.rest_id;
        co_return out;
    };
    co_return co_await runner_.with_retries<std::string>("end early", attempt);
}

asio::awaitable<result<domain::instant>> schedule_store::extend(std::string session_id, std::string by,
                                                                domain::day_settings d, domain::instant now)
{
    auto attempt = [&]() -> asio::awaitable<result<domain::instant>> {
        auto s = co_await reader_.session(session_id);
        if (!s.ok()) co_return result<domain::instant>::failed(s);
        const domain::instant new_end = s.value.end + d.extend_by;
        // The expert's sessions from this one's start until before the new end, in the
        // order the script reads them again.
        redis::command_args range{"ZRANGEBYSCORE", keys_.expert_sessions(s.value.expert_id), epoch(s.value.start),
                                  "(" + epoch(new_end)};
        redis::result ids = co_await runner_.redis().command(std::move(range));
        result<domain::instant> out;
        if (!usable(ids, out)) co_return out;
        std::vector<std::string> reached_ids;
        for (const auto& e : ids->elements) reached_ids.push_back(e.str);
        auto found = co_await reader_.sessions_by_id(reached_ids);
        if (!found.ok()) co_return result<domain::instant>::failed(found);
        auto verdict = domain::may_extend(s.value, found.value, now, d);
        if (verdict.refusal != domain::extend_refusal::none) co_return result<domain::instant>::failed(refusing(verdict));
        auto held = co_await held_places(reader_, keys_, session_id);
        if (!held.ok()) co_return result<domain::instant>::failed(held);
        scripts::session_extend::input in;
        in.session_id = session_id;
        in.expert_id = s.value.expert_id;
        in.by = by;
        in.now = now;
        in.seen_end = s.value.end;
        in.extend_by = std::chrono::duration_cast<std::chrono::seconds>(d.extend_by);
        in.min_walkin = std::chrono::duration_cast<std::chrono::seconds>(d.min_walkin);
        in.change_log_max = settings_.change_log_max;
        for (const auto& id : reached_ids) {
            auto it = std::find_if(found.value.begin(), found.value.end(), [&](const auto& t) { return t.id == id; });
            if (it == found.value.end()) co_return result<domain::instant>::failed(outcome::refusing(refusal::retry));
            in.reached.push_back({id, it->camp_id, it->owner_id});
        }
        in.held = std::move(held.value);
        auto r = co_await runner_.run<scripts::session_extend>(std::move(in));
        out = result<domain::instant>::failed(r);
        out.value = r.value.new_end;
        co_return out;
    };
    co_return co_await runner_.with_retries<domain::instant>("extend", attempt);
}

} // namespace sp::store
