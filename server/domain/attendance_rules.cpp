#include "domain/attendance_rules.hpp"

#include <algorithm>

namespace sp::domain {

std::string_view checkin_refusal_code(checkin_refusal r)
{
    switch (r) {
    case checkin_refusal::none: return "";
    case checkin_refusal::not_confirmed: return "not-confirmed";
    case checkin_refusal::session_not_open: return "session-not-open";
    case checkin_refusal::too_early: return "too-early";
    case checkin_refusal::session_over: return "session-over";
    case checkin_refusal::already_checked_in: return "already-checked-in";
    }
    return "";
}

std::string_view release_refusal_code(release_refusal r)
{
    switch (r) {
    case release_refusal::none: return "";
    case release_refusal::not_confirmed: return "not-confirmed";
    case release_refusal::session_not_open: return "session-not-open";
    case release_refusal::checked_in: return "checked-in";
    case release_refusal::too_early: return "too-early";
    case release_refusal::session_over: return "session-over";
    }
    return "";
}

day_settings camp_day(const day_settings& hub, const camp& c)
{
    day_settings d = hub;
    if (c.release_after_minutes) d.release_after = std::chrono::minutes(*c.release_after_minutes);
    if (c.auto_release) d.auto_release = *c.auto_release;
    return d;
}

bool takes_place(const session& s) { return s.status == "open" || s.status == "orphaned"; }

instant effective_start(const session& s) { return s.start + std::chrono::minutes(s.late_minutes); }

instant checkin_opens(const session& s, const day_settings& d) { return effective_start(s) - d.checkin_open; }

instant release_due(const session& s, const day_settings& d) { return effective_start(s) + d.release_after; }

instant seated_at(const booking& b) { return b.walkin ? std::max(b.promoted_at, b.created_at) : b.promoted_at; }

std::chrono::seconds late_seat_grace(const day_settings& d)
{
    return std::max<std::chrono::seconds>(d.release_after, d.claim);
}

instant release_due(const session& s, instant seated_at, const day_settings& d)
{
    const instant start = effective_start(s);
    if (seated_at <= start) return start + d.release_after;
    return seated_at + late_seat_grace(d);
}

instant late_from(const session& s, const day_settings& d) { return s.start - d.late_notice; }

late_refusal may_announce_late(const session& s, instant now, const day_settings& d)
{
    if (!takes_place(s)) return late_refusal::session_not_open;
    if (now >= s.end) return late_refusal::session_over;
    if (now < late_from(s, d)) return late_refusal::too_early;
    return late_refusal::none;
}

checkin_refusal may_check_in(const session& s, std::string_view booking_status, bool checked_in, instant now,
                             const day_settings& d)
{
    if (!takes_place(s)) return checkin_refusal::session_not_open;
    if (booking_status != "confirmed") return checkin_refusal::not_confirmed;
    if (checked_in) return checkin_refusal::already_checked_in;
    if (now >= s.end) return checkin_refusal::session_over;
    if (now < checkin_opens(s, d)) return checkin_refusal::too_early;
    return checkin_refusal::none;
}

release_refusal may_release(const session& s, const booking& b, instant now, const day_settings& d)
{
    if (!takes_place(s)) return release_refusal::session_not_open;
    if (b.status != "confirmed") return release_refusal::not_confirmed;
    if (b.checked_in) return release_refusal::checked_in;
    if (now >= s.end) return release_refusal::session_over;
    if (now < release_due(s, seated_at(b), d)) return release_refusal::too_early;
    return release_refusal::none;
}

} // namespace sp::domain
