#include "store/scripts/booking_scripts.hpp"

namespace sp::store::scripts {
namespace {

std::string seconds(auto d) { return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(d).count()); }

} // namespace

redis::script_arguments book::call(const keys& k, const input& in)
{
    const auto& lim = in.rules.limits;
    return {{k.session(in.session_id), k.session_bookings(in.session_id), k.session_waitlist(in.session_id),
                     in.founder_key, k.booking(in.booking_id), k.token(in.token_hash), k.idempotency(in.idempotency_hash),
                     k.changes(), k.founder_all(in.founder_key), k.personal_data(), k.founder_no_shows(in.founder_key),
                     k.walkin(in.walkin_id.empty() ? "-" : in.walkin_id),
                     k.camp_walkins(in.walkin_camp.empty() ? "-" : in.walkin_camp), k.walkin_offers()},
            {!in.walkin_mode.empty() ? in.walkin_mode : in.waitlist ? "waitlist" : "book",
                     in.booking_id,
                     in.session_id,
                     epoch(in.now),
                     seconds(lim.min_notice),
                     seconds(lim.horizon),
                     std::to_string(lim.max_upcoming_per_founder),
                     std::to_string(lim.max_per_expert_per_week),
                     lim.forbid_overlap ? "1" : "0",
                     std::to_string(in.rules.waitlist_max),
                     in.token_hash,
                     in.request_hash,
                     in.sealed_token,
                     std::to_string(in.idempotency_ttl.count()),
                     std::to_string(in.rules.change_log_max),
                     in.name,
                     in.email,
                     in.startup,
                     in.question,
                     in.lang,
                     in.token,
                     std::to_string(in.no_show_limit),
                     std::to_string(in.limited_upcoming),
                     in.walkin_id,
                     in.calling_expert}};
}

bool book::parse(const redis::reply& r, reply& out)
{
    std::string kind = str_at(r, 0);
    out.booking_id = str_at(r, 1);
    if (kind == "replay") {
        out.replayed = true;
        out.sealed_token = str_at(r, 2);
        return r.elements.size() == 3;
    }
    if (kind != "ok" || r.elements.size() != 8) return false;
    out.status = str_at(r, 2);
    out.taken = int_at(r, 3);
    out.waiting = int_at(r, 4);
    out.version = str_at(r, 5);
    out.booking = to_map(r.elements[6]);
    out.session = to_map(r.elements[7]);
    return true;
}

redis::script_arguments cancel::call(const keys& k, const input& in)
{
    return {{k.booking(in.booking_id), k.session(in.session_id), k.session_bookings(in.session_id),
                     k.session_waitlist(in.session_id), in.founder_key, k.changes(),
                     k.booking(in.waitlist_head.empty() ? in.booking_id : in.waitlist_head)},
            {in.booking_id, in.session_id, epoch(in.now), in.waitlist_head, std::to_string(in.change_log_max),
                     in.by}};
}

bool cancel::parse(const redis::reply& r, reply& out)
{
    out = {str_at(r, 1), str_at(r, 2), int_at(r, 3), int_at(r, 4), str_at(r, 5)};
    return str_at(r, 0) == "ok" && r.elements.size() == 6;
}

redis::script_arguments reschedule::call(const keys& k, const input& in)
{
    const auto& lim = in.rules.limits;
    const std::string& head = in.old_waitlist_head;
    return {{k.booking(in.booking_id), k.session(in.old_session_id), k.session_bookings(in.old_session_id),
                     k.session_waitlist(in.old_session_id), k.booking(head.empty() ? in.booking_id : head),
                     k.session(in.new_session_id), k.session_bookings(in.new_session_id),
                     k.session_waitlist(in.new_session_id), in.founder_key, k.changes()},
            {in.booking_id, in.old_session_id, in.new_session_id, epoch(in.now), seconds(lim.min_notice),
                     seconds(lim.horizon), std::to_string(lim.max_per_expert_per_week), lim.forbid_overlap ? "1" : "0",
                     head, std::to_string(in.rules.change_log_max)}};
}

bool reschedule::parse(const redis::reply& r, reply& out)
{
    out = {str_at(r, 1), int_at(r, 2), int_at(r, 3), str_at(r, 4)};
    return str_at(r, 0) == "ok" && r.elements.size() == 5;
}

} // namespace sp::store::scripts
