#include "views/domain_json.hpp"

#include "domain/attendance_rules.hpp"

namespace sp::views {
namespace {

void write_list(util::json_writer& w, const std::vector<std::string>& items)
{
    w.begin_array();
    for (const auto& i : items) w.value(i);
    w.end_array();
}

} // namespace

domain::bookability bookability_of(const domain::session& s, const booking_clock& clock)
{
    domain::session_facts facts; // the week key and expert only matter to founder rules
    facts.start = s.start;
    facts.end = s.end;
    facts.open = s.status == "open";
    facts.seats = s.seats;
    facts.seats_taken = s.taken;
    facts.offered = s.offered_seats(); // a seat offered to a walk-in is theirs until the offer ends
    facts.waiting = s.waiting;
    facts.busy = s.busy;
    return domain::evaluate_bookable(clock.limits, clock.now, facts);
}

void write_camp(util::json_writer& w, const domain::camp& c, std::span<const domain::room> rooms)
{
    w.begin_object();
    w.key("id").value(c.id);
    w.key("name").value(c.name);
    w.key("city").value(c.city);
    w.key("focus").value(c.focus);
    w.key("address").value(c.address);
    w.key("zone").value(c.zone);
    if (c.release_after_minutes) w.key("release_after_minutes").value(*c.release_after_minutes);
    if (c.auto_release) w.key("auto_release").value(*c.auto_release);
    w.key("rooms").begin_array();
    for (const auto& r : rooms) {
        if (r.camp_id != c.id) continue;
        w.begin_object();
        w.key("id").value(r.id);
        w.key("name").value(r.name);
        w.key("capacity").value(r.capacity);
        w.end_object();
    }
    w.end_array();
    w.end_object();
}

void write_expert(util::json_writer& w, const domain::expert& e)
{
    w.begin_object();
    w.key("id").value(e.id);
    w.key("name").value(e.name);
    w.key("title").value(e.title);
    w.key("bio").value(e.bio);
    w.key("topics");
    write_list(w, e.topics);
    w.key("languages");
    write_list(w, e.languages);
    w.key("camps");
    write_list(w, e.camp_ids);
    if (e.has_photo) w.key("photo_url").value("/api/v1/experts/" + e.id + "/photo");
    w.end_object();
}

void write_session(util::json_writer& w, const domain::session& s, const booking_clock* clock)
{
    const date::time_zone* zone = domain::find_zone(s.zone);
    if (!zone) zone = domain::find_zone("UTC");
    w.begin_object();
    w.key("id").value(s.id);
    w.key("kind").value(s.kind == domain::session_kind::event ? "event" : "office_hour");
    w.key("title").value(s.title);
    w.key("topic").value(s.topic);
    w.key("expert_id").value(s.expert_id);
    w.key("camp_id").value(s.camp_id);
    w.key("room_id").value(s.room_id);
    w.key("online").value(!s.online_url.empty());
    w.key("start").value(domain::format_rfc3339(s.start, zone));
    w.key("end").value(domain::format_rfc3339(s.end, zone));
    w.key("zone").value(s.zone);
    w.key("seats").value(s.seats);
    w.key("seats_taken").value(s.taken);
    // Free for anyone to take: a seat offered to a walk-in founder (`offer` below) is not.
    w.key("seats_free").value(std::max(0, s.seats - s.taken - s.offered_seats()));
    w.key("waiting").value(s.waiting);
    w.key("status").value(s.status);
    w.key("late_minutes").value(s.late_minutes);
    w.key("checked_in").value(s.checked_in);
    w.key("busy").value(s.busy);
    if (s.walkin_only) w.key("walkin_only").value(true);
    w.key("version").value(s.version);
    // An open walk-in offer: its ticket and deadline only, never who holds it.
    w.key("offer");
    if (s.offer_entry.empty()) {
        w.null();
    } else {
        w.begin_object();
        w.key("ticket").value(s.offer_ticket);
        w.key("until").value(domain::format_rfc3339(s.offer_until, zone));
        w.end_object();
    }
    if (clock) {
        domain::bookability b = bookability_of(s, *clock);
        w.key("bookable").value(b.bookable());
        w.key("bookable_from").value(domain::format_rfc3339(b.bookable_from, zone));
        w.key("bookable_until").value(domain::format_rfc3339(b.bookable_until, zone));
        if (!b.bookable()) w.key("not_bookable_reason").value(domain::refusal_code(b.reason));
    }
    w.end_object();
}

void write_booking(util::json_writer& w, const domain::booking& b, const domain::session& s,
                   const booking_clock* clock)
{
    w.begin_object();
    w.key("id").value(b.id);
    w.key("status").value(b.status);
    w.key("name").value(b.name);
    w.key("email").value(b.email);
    w.key("startup").value(b.startup);
    w.key("question").value(b.question);
    w.key("lang").value(b.lang);
    w.key("session");
    write_session(w, s, clock);
    // The online link is for the founder who holds a seat, not for public views.
    if (b.status == "confirmed" && !s.online_url.empty()) w.key("online_url").value(s.online_url);
    if (b.promoted_at.time_since_epoch().count() > 0)
        w.key("promoted_at").value(domain::format_rfc3339(b.promoted_at, domain::find_zone("UTC")));
    if (b.status == "waitlisted" && b.waitlist_position > 0) w.key("waitlist_position").value(b.waitlist_position);
    w.key("checked_in").value(b.checked_in);
    if (clock) {
        // The window the manage page offers "I'm here" in: exactly what checkin.lua accepts.
        const date::time_zone* zone = domain::find_zone(s.zone);
        if (!zone) zone = domain::find_zone("UTC");
        domain::day_settings day;
        day.checkin_open = clock->checkin_open;
        w.key("checkin_from").value(domain::format_rfc3339(domain::checkin_opens(s, day), zone));
        w.key("checkin_until").value(domain::format_rfc3339(s.end, zone));
        w.key("can_check_in")
            .value(domain::may_check_in(s, b.status, b.checked_in, clock->now, day) == domain::checkin_refusal::none);
    }
    w.end_object();
}

} // namespace sp::views
