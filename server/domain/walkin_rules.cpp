#include "domain/walkin_rules.hpp"

#include "domain/attendance_rules.hpp"

#include <algorithm>

namespace sp::domain {
namespace {

bool same_topic(std::string_view a, std::string_view b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        auto low = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
        return low(x) == low(y);
    });
}

} // namespace

std::optional<walkin_window> walkin_slot(const session& s, instant now, const day_settings& d)
{
    if (s.status != "open" || s.taken >= s.seats || s.waiting > 0 || !s.offer_entry.empty() || s.busy)
        return std::nullopt;
    instant begins = effective_start(s);
    if (begins - now > d.walkin_horizon) return std::nullopt;
    walkin_window w{std::max(now, begins), s.end};
    if (w.to - w.from < d.min_walkin) return std::nullopt;
    return w;
}

std::optional<std::size_t> next_in_line(std::span<const queue_entry> queue, std::span<const std::string> slot_topics)
{
    for (std::size_t i = 0; i < queue.size(); ++i) {
        const auto& e = queue[i];
        if (e.holds_offer) continue;
        if (e.topic.empty() ||
            std::any_of(slot_topics.begin(), slot_topics.end(), [&](const std::string& t) { return same_topic(t, e.topic); }))
            return i;
    }
    return std::nullopt;
}

walkin_summary summarize_queue(std::span<const walkin_ticket> queue)
{
    walkin_summary out;
    out.waiting = static_cast<int>(queue.size());
    for (const auto& t : queue)
        if (t.state == "offered") out.offers.push_back({t.ticket, t.offer_session, t.offer_until});
    std::sort(out.offers.begin(), out.offers.end(), [](const auto& a, const auto& b) { return a.ticket < b.ticket; });
    return out;
}

instant offer_deadline(instant offered_at, const day_settings& d) { return offered_at + d.claim; }

end_early_verdict may_end_early(const session& s, instant now, const day_settings& d)
{
    if (s.status != "open") return {end_early_refusal::session_not_open, std::nullopt};
    if (now < effective_start(s) || now >= s.end) return {end_early_refusal::not_running, std::nullopt};
    end_early_verdict v;
    if (s.end - now >= d.min_walkin) v.for_walkins = walkin_window{now, s.end};
    return v;
}

extend_verdict may_extend(const session& s, std::span<const session> later, instant now, const day_settings& d)
{
    extend_verdict v;
    if (s.status != "open") {
        v.refusal = extend_refusal::session_not_open;
        return v;
    }
    if (now >= s.end) {
        v.refusal = extend_refusal::session_over;
        return v;
    }
    v.new_end = s.end + d.extend_by;
    for (const auto& t : later) {
        if (t.id == s.id || t.status != "open" || t.end <= s.end || t.start >= v.new_end) continue;
        if (t.taken > 0 || t.waiting > 0) {
            v.refusal = extend_refusal::next_session_booked;
            v.closes_session.clear();
            v.blocked_by = t.id;
            return v;
        }
        if (v.closes_session.empty()) v.closes_session = t.id;
    }
    return v;
}

std::string_view end_early_refusal_code(end_early_refusal r)
{
    switch (r) {
    case end_early_refusal::none: return "";
    case end_early_refusal::session_not_open: return "session-not-open";
    case end_early_refusal::not_running: return "not-running";
    }
    return "";
}

std::string_view extend_refusal_code(extend_refusal r)
{
    switch (r) {
    case extend_refusal::none: return "";
    case extend_refusal::session_not_open: return "session-not-open";
    case extend_refusal::session_over: return "session-over";
    case extend_refusal::next_session_booked: return "next-session-booked";
    }
    return "";
}

} // namespace sp::domain
