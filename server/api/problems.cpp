#include "api/problems.hpp"

#include "log/logger.hpp"


namespace sp::api {
namespace {

using st = http::bhttp::status;

struct mapping {
    st status;
    std::string_view field;
};

/** The HTTP answer to each refusal. A switch without default: a new refusal without an
 *  answer is a -Wswitch warning, and the build is warning-free. */
mapping mapping_for(store::refusal r)
{
    using store::refusal;
    switch (r) {
        case refusal::unknown_session:
        case refusal::session_not_open:
        case refusal::in_past:
        case refusal::too_soon:
        case refusal::beyond_horizon:
        case refusal::different_expert:
        case refusal::same_session: return {st::unprocessable_entity, "session_id"};
        case refusal::full:
        case refusal::walkin_offer:
        case refusal::not_full:
        case refusal::waitlist_full:
        case refusal::expert_week_limit:
        case refusal::overlap:
        case refusal::expert_busy:
        case refusal::already_booked: return {st::conflict, "session_id"};
        case refusal::founder_limit: return {st::conflict, "email"};
        case refusal::not_confirmed: return {st::conflict, ""};
        case refusal::idempotency_conflict: return {st::conflict, "Idempotency-Key"};
        case refusal::unknown_token: return {st::not_found, "token"};
        case refusal::unknown_booking: return {st::not_found, ""};
        case refusal::unknown_camp: return {st::unprocessable_entity, "camp_id"};
        case refusal::unknown_record: return {st::not_found, ""};
        case refusal::in_use: return {st::conflict, ""};
        case refusal::event_started: return {st::conflict, ""};
        case refusal::invalid_rule: return {st::unprocessable_entity, ""};
        case refusal::unknown_rule: return {st::not_found, ""};
        case refusal::unknown_account: return {st::not_found, ""};
        case refusal::unknown_invitation: return {st::not_found, "token"};
        case refusal::account_exists: return {st::conflict, ""};
        case refusal::no_session: return {st::unauthorized, ""};
        case refusal::unknown_feed: return {st::not_found, "token"};
        case refusal::too_many_calendars:
        case refusal::calendar_exists: return {st::conflict, "url"};
        case refusal::unknown_calendar: return {st::not_found, "id"};
        case refusal::too_early:
        case refusal::session_over:
        case refusal::already_checked_in:
        case refusal::checked_in:
        case refusal::not_due:
        case refusal::late_too_early:
        case refusal::already_released: return {st::conflict, ""};
        case refusal::no_show_limit: return {st::conflict, "email"};
        case refusal::queue_full:
        case refusal::offer_expired:
        case refusal::no_offer:
        case refusal::already_claimed:
        case refusal::not_waiting: return {st::conflict, ""};
        case refusal::unknown_walkin: return {st::not_found, "token"};
        case refusal::not_running:
        case refusal::next_session_booked: return {st::conflict, ""};
        case refusal::message_required: return {st::unprocessable_entity, "message"};
        // Handled inside the store or the admin tool; reaching here is a server bug.
        case refusal::retry:
        case refusal::offer_open:
        case refusal::booking_active:
        case refusal::not_empty:
        case refusal::too_many_keys: return {st::internal_server_error, ""};
    }
    return {st::internal_server_error, ""};
}

} // namespace

problem_mapping problem_of(store::refusal r)
{
    auto m = mapping_for(r);
    return {m.status, store::code_of(r), m.field};
}

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
    if (!o.refused) {
        log::error("problem_for_success", {});
        return http::make_problem(st::internal_server_error, "internal",
                                  "the server failed to handle this request; the error has been logged");
    }
    const auto& info = store::info(*o.refused);
    if (!info.reaches_users) {
        log::error("internal_refusal_reached_api", {{"code", info.code}});
        return http::make_problem(st::internal_server_error, "internal",
                                  "the server failed to handle this request; the error has been logged");
    }
    auto p = problem_of(*o.refused);
    std::string detail(info.sentence);
    if (*o.refused == store::refusal::invalid_rule && !o.detail.empty()) detail = o.detail;
    return http::make_problem(p.status, p.code, detail, p.field);
}

} // namespace sp::api
