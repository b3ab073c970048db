#include "domain/booking_policy.hpp"

#include <algorithm>

namespace sp::domain {

std::string_view refusal_code(refusal r)
{
    switch (r) {
    case refusal::none:
        return "none";
    case refusal::session_not_open:
        return "session-not-open";
    case refusal::in_past:
        return "in-past";
    case refusal::too_soon:
        return "too-soon";
    case refusal::beyond_horizon:
        return "beyond-horizon";
    case refusal::full:
        return "full";
    case refusal::walkin_offer:
        return "walkin-offer";
    case refusal::founder_limit:
        return "founder-limit";
    case refusal::expert_week_limit:
        return "expert-week-limit";
    case refusal::overlap:
        return "overlap";
    case refusal::expert_busy:
        return "expert-busy";
    }
    // Only reachable with a value cast from outside the enum.
    return "unknown";
}

refusal evaluate_timing(const booking_limits& limits, instant now, const session_facts& s)
{
    if (!s.open) return refusal::session_not_open;
    if (s.start <= now) return refusal::in_past;
    if (s.start < now + limits.min_notice) return refusal::too_soon;
    if (s.start > now + limits.horizon) return refusal::beyond_horizon;
    return refusal::none;
}

bookability evaluate_bookable(const booking_limits& limits, instant now, const session_facts& s)
{
    bookability b;
    b.bookable_from = s.start - limits.horizon;
    b.bookable_until = s.start - limits.min_notice;
    b.reason = evaluate_timing(limits, now, s);
    if (b.reason == refusal::none && s.busy) b.reason = refusal::expert_busy;
    if (b.reason == refusal::none && (s.seats_taken >= s.seats || s.waiting > 0)) b.reason = refusal::full;
    if (b.reason == refusal::none && s.seats_taken + s.offered >= s.seats) b.reason = refusal::walkin_offer;
    return b;
}

refusal evaluate(const booking_limits& limits, instant now, const session_facts& s,
                 std::span<const existing_booking> upcoming)
{
    if (refusal r = evaluate_timing(limits, now, s); r != refusal::none) return r;
    if (s.busy) return refusal::expert_busy;
    if (s.seats_taken >= s.seats) return refusal::full;
    if (s.seats_taken + s.offered >= s.seats) return refusal::walkin_offer;
    if (static_cast<long>(upcoming.size()) >= limits.max_upcoming_per_founder) return refusal::founder_limit;

    auto same_expert_week = std::count_if(upcoming.begin(), upcoming.end(), [&](const existing_booking& b) {
        return b.expert_id == s.expert_id && b.week_key == s.week_key;
    });
    if (same_expert_week >= limits.max_per_expert_per_week) return refusal::expert_week_limit;

    // Half-open intervals: a booking ending at 14:30 and one starting at 14:30 only touch.
    if (limits.forbid_overlap && std::any_of(upcoming.begin(), upcoming.end(), [&](const existing_booking& b) {
            return b.start < s.end && s.start < b.end;
        }))
        return refusal::overlap;
    return refusal::none;
}

} // namespace sp::domain
