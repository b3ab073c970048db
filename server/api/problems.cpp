#include "api/problems.hpp"

#include "log/logger.hpp"

#include <array>

namespace sp::api {
namespace {

struct mapping {
    std::string_view code;
    http::bhttp::status status;
    std::string_view field;
    std::string_view detail;
};

using st = http::bhttp::status;
constexpr std::array k_map{
    mapping{"unknown-session", st::unprocessable_entity, "session_id", "there is no such session"},
    mapping{"session-not-open", st::unprocessable_entity, "session_id", "this session was cancelled or moved"},
    mapping{"in-past", st::unprocessable_entity, "session_id", "this session has already started"},
    mapping{"too-soon", st::unprocessable_entity, "session_id", "this session starts too soon to be booked"},
    mapping{"beyond-horizon", st::unprocessable_entity, "session_id", "this session cannot be booked yet"},
    mapping{"different-expert", st::unprocessable_entity, "session_id",
            "a booking can only move to another session of the same expert"},
    mapping{"same-session", st::unprocessable_entity, "session_id", "the booking is already in this session"},
    mapping{"full", st::conflict, "session_id", "this session is fully booked"},
    mapping{"not-full", st::conflict, "session_id", "this session still has free seats: book one instead"},
    mapping{"waitlist-full", st::conflict, "session_id", "the waitlist of this session is full"},
    mapping{"founder-limit", st::conflict, "email", "this e-mail address already holds the most upcoming bookings allowed"},
    mapping{"expert-week-limit", st::conflict, "session_id",
            "this e-mail address already has a session with this expert in that week"},
    mapping{"overlap", st::conflict, "session_id", "this e-mail address already has a booking at that time"},
    mapping{"already-booked", st::conflict, "session_id", "this e-mail address already holds a place in this session"},
    mapping{"not-confirmed", st::conflict, "", "only a confirmed booking can be moved"},
    mapping{"idempotency-conflict", st::conflict, "Idempotency-Key",
            "this Idempotency-Key was used for a different request"},
    mapping{"unknown-token", st::not_found, "token", "there is no booking for this link"},
    mapping{"unknown-booking", st::not_found, "", "there is no such booking"},
    mapping{"unknown-camp", st::unprocessable_entity, "camp_id", "there is no such camp"},
};

} // namespace

http::response problem_for(const store::outcome& o)
{
    if (o.defect) {
        // Not an outage: retrying cannot help, so no 503 and no Retry-After. The session
        // adds the request id the log lines carry.
        return http::make_problem(st::internal_server_error, "internal",
                                  "the server failed to handle this request; the error has been logged");
    }
    if (o.unavailable && o.not_replicated) {
        // The change happened on the primary; a failover before the replicas have it could
        // undo it, so it is not confirmed. A retry with the same Idempotency-Key returns it.
        http::response res = http::make_problem(
            st::service_unavailable, "not-replicated",
            "the change was saved but not yet confirmed by a replica database; please retry the same request "
            "(with the same Idempotency-Key) in a moment");
        res.set(http::bhttp::field::retry_after, "1");
        return res;
    }
    if (o.unavailable) {
        http::response res = http::make_problem(st::service_unavailable, "unavailable",
                                                "the booking database is unavailable; please try again in a moment");
        res.set(http::bhttp::field::retry_after, "1");
        return res;
    }
    for (const auto& m : k_map)
        if (m.code == o.refusal) return http::make_problem(m.status, m.code, m.detail, m.field);
    log::error("unmapped_refusal", {{"code", o.refusal}});
    return http::make_problem(st::unprocessable_entity, "refused", o.refusal);
}

} // namespace sp::api
