#pragma once
/**
 * Why the store said no: a rule refused the change and nothing was written. Every code a
 * Lua script answers with ({'err', code, ...}) and every refusal the store decides itself
 * is one value here, so an unknown code is caught where it enters (script_runner) and a
 * refusal without an HTTP answer is a compiler warning in api/problems.cpp (-Wswitch).
 *
 * The error category's message is the sentence a user reads (English; the pages show
 * their own translation of the code). tests/unit/refusal_codes_test.cpp reads every
 * script and fails when a code has no value here, no HTTP mapping or no page string.
 */
#include <boost/system/error_code.hpp>

#include <optional>
#include <span>
#include <string_view>
#include <type_traits>

namespace sp::store {

enum class refusal {
    // Booking rules (book, cancel, reschedule).
    unknown_session = 1,
    session_not_open,
    in_past,
    too_soon,
    beyond_horizon,
    different_expert,
    same_session,
    full,
    walkin_offer, // the free seats are offered to walk-in founders at the camp until the offer ends
    not_full,
    waitlist_full,
    founder_limit,
    expert_week_limit,
    overlap,
    expert_busy, // the expert's own calendar is busy then
    already_booked,
    not_confirmed,
    idempotency_conflict,
    unknown_token,
    unknown_booking,
    // The catalog and the schedule.
    unknown_camp,
    unknown_record, // a camp, room, expert or event that does not exist
    in_use,         // detail names what still uses it
    event_started,
    invalid_rule,   // detail: "field: sentence"
    unknown_rule,
    // Accounts.
    unknown_account,
    unknown_invitation,
    account_exists,
    no_session,
    unknown_feed,
    // An expert's own calendars.
    too_many_calendars,
    calendar_exists,
    unknown_calendar,
    // The day at the camp.
    too_early,          // check-in before its window opens
    session_over,       // check-in after the session ended
    already_checked_in,
    checked_in,         // the founder is here: the booking neither moves nor is released
    not_due,            // a release before release_after past the effective start
    late_too_early,     // running late, said more than late_notice before the start
    already_released,   // released as a no-show already
    no_show_limit,      // a founder with too many recent no-shows holds their one upcoming booking
    // Walk-ins.
    queue_full,         // the camp's walk-in queue holds walkin_queue_max founders
    unknown_walkin,     // no walk-in entry behind this link (or id)
    offer_expired,      // a claim after the offer's deadline
    no_offer,           // a claim or decline without an open offer of that session
    already_claimed,    // the entry holds a booking already
    not_waiting,        // a call-in of a founder who is not waiting (offered, booked, gone)
    not_running,        // "end now" on a session before its (late-aware) start or after its end
    next_session_booked, // "extend" would reach a later session of the expert with a booking or a waitlist
    message_required,    // cancelling a session somebody booked or waits for, without telling them why
    // Never reach a user: the store acts on them itself.
    retry,         // what a script verified moved in between: read again and rerun
    offer_open,    // a walk-in offer of a session that holds one already (the sweep moves on)
    booking_active, // erasure met a place in a coming session: cancel it first
    not_empty,     // restore into a hub that has data
    too_many_keys, // backup larger than allowed
};

struct refusal_info {
    refusal value;
    std::string_view code; // what scripts and the API say, e.g. "too-soon"
    std::string_view sentence;
    bool reaches_users; // false: handled inside the store or the admin tool
};

/** Every refusal, in enum order. */
std::span<const refusal_info> all_refusals();
const refusal_info& info(refusal r);
/** The refusal a script's code stands for; nullopt for a code this server does not know. */
std::optional<refusal> refusal_from_code(std::string_view code);
inline std::string_view code_of(refusal r) { return info(r).code; }

const boost::system::error_category& refusal_category();
inline boost::system::error_code make_error_code(refusal r)
{
    return {static_cast<int>(r), refusal_category()};
}

} // namespace sp::store

template <>
struct boost::system::is_error_code_enum<sp::store::refusal> : std::true_type {};
