#include "live/view.hpp"

namespace sp::live {
namespace {

const date::time_zone* zone_of(const domain::session& s)
{
    const date::time_zone* z = domain::find_zone(s.zone);
    return z ? z : domain::find_zone("Europe/Berlin");
}

// Local days differ from UTC days by at most 14 hours either way.
constexpr auto k_zone_slack = std::chrono::hours(14);

} // namespace

std::string_view kind_name(view::kind k)
{
    switch (k) {
    case view::kind::camp_day: return "camp_day";
    case view::kind::expert: return "expert";
    case view::kind::event: return "event";
    case view::kind::camp_events: return "camp_events";
    case view::kind::lobby: return "lobby";
    case view::kind::hub_day: return "hub_day";
    case view::kind::walkins: return "walkins";
    }
    return "hub_day";
}

view::facts::facts(const domain::session& s, domain::instant now)
    : start_day(domain::local_date(s.start, zone_of(s))), today(domain::local_date(now, zone_of(s)))
{
}

bool view::matches(const domain::session& s, domain::instant now) const { return matches(s, facts(s, now), now); }

bool view::matches(const domain::session& s, const facts& f, domain::instant now) const
{
    switch (type) {
    case kind::event: return s.id == event;
    // Every change of the camp's events, also of one that moved far ahead or ended: a
    // screen listing them learns that it left its window (the snapshot has only those not
    // ended yet, see subscription_reader).
    case kind::camp_events: return s.camp_id == camp && s.kind == domain::session_kind::event;
    case kind::expert: return s.expert_id == expert && s.end > now;
    case kind::camp_day: return s.camp_id == camp && day && f.start_day == *day;
    case kind::hub_day: return day && f.start_day == *day;
    case kind::walkins: return false; // its summary is published on its own
    case kind::lobby: {
        if (s.camp_id != camp) return false;
        auto today = date::sys_days(f.today);
        auto d = date::sys_days(f.start_day);
        return d == today || d == today + date::days(1);
    }
    }
    return false;
}

store::session_query view::query(domain::instant now) const
{
    store::session_query q;
    switch (type) {
    case kind::event: // one session: read by id, not by range (see the snapshot code)
    case kind::camp_events: // the events' sessions, read by id (see the snapshot code)
    case kind::expert:
        q.expert_id = expert;
        q.from = now - std::chrono::hours(12); // sessions running now still show
        q.to = now + std::chrono::days(62);
        break;
    case kind::camp_day:
    case kind::hub_day: {
        auto start = date::sys_days(*day);
        q.from = domain::instant(start - k_zone_slack);
        q.to = domain::instant(start + date::days(1) + k_zone_slack);
        q.camp_id = camp;
        break;
    }
    case kind::walkins: // reads no sessions
        q.camp_id = camp;
        q.from = now;
        q.to = now;
        break;
    case kind::lobby:
        q.camp_id = camp;
        q.from = now - std::chrono::hours(24) - k_zone_slack;
        q.to = now + std::chrono::hours(48) + k_zone_slack;
        break;
    }
    q.limit = 2000;
    return q;
}

std::string view::key() const
{
    std::string out(kind_name(type));
    switch (type) {
    case kind::event: return out + ":" + event;
    case kind::expert: return out + ":" + expert + (with_bookings ? ":private" : "");
    case kind::camp_events:
    case kind::lobby:
    case kind::walkins: return out + ":" + camp;
    case kind::camp_day: return out + ":" + camp + ":" + domain::format_date(*day);
    case kind::hub_day: return out + ":" + domain::format_date(*day);
    }
    return out;
}

} // namespace sp::live
