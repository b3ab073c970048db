#include "store/refusal.hpp"

#include <array>
#include <string>

namespace sp::store {
namespace {

using r = refusal;
constexpr std::array k_refusals{
    refusal_info{r::unknown_session, "unknown-session", "there is no such session", true},
    refusal_info{r::session_not_open, "session-not-open", "this session was cancelled or moved", true},
    refusal_info{r::in_past, "in-past", "this session has already started", true},
    refusal_info{r::too_soon, "too-soon", "this session starts too soon to be booked", true},
    refusal_info{r::beyond_horizon, "beyond-horizon", "this session cannot be booked yet", true},
    refusal_info{r::different_expert, "different-expert", "a booking can only move to another session of the same expert",
                 true},
    refusal_info{r::same_session, "same-session", "the booking is already in this session", true},
    refusal_info{r::full, "full", "this session is fully booked", true},
    refusal_info{r::walkin_offer, "walkin-offer",
                 "the free seat of this session is offered to a founder at the camp right now; it may be free again "
                 "when the offer ends",
                 true},
    refusal_info{r::not_full, "not-full", "this session still has free seats: book one instead", true},
    refusal_info{r::waitlist_full, "waitlist-full", "the waitlist of this session is full", true},
    refusal_info{r::founder_limit, "founder-limit",
                 "this e-mail address already holds the most upcoming bookings allowed", true},
    refusal_info{r::expert_week_limit, "expert-week-limit",
                 "this e-mail address already has a session with this expert in that week", true},
    refusal_info{r::overlap, "overlap", "this e-mail address already has a booking at that time", true},
    refusal_info{r::expert_busy, "expert-busy", "the expert is busy at that time: choose another session", true},
    refusal_info{r::already_booked, "already-booked", "this e-mail address already holds a place in this session", true},
    refusal_info{r::not_confirmed, "not-confirmed", "only a confirmed booking can be moved", true},
    refusal_info{r::idempotency_conflict, "idempotency-conflict", "this Idempotency-Key was used for a different request",
                 true},
    refusal_info{r::unknown_token, "unknown-token", "there is no booking for this link", true},
    refusal_info{r::unknown_booking, "unknown-booking", "there is no such booking", true},
    refusal_info{r::unknown_camp, "unknown-camp", "there is no such camp", true},
    refusal_info{r::unknown_record, "unknown", "there is no such record", true},
    refusal_info{r::in_use, "in-use", "this record is still in use; remove or move what uses it first", true},
    refusal_info{r::event_started, "event-started", "an event that has started stays in the record", true},
    refusal_info{r::invalid_rule, "invalid-rule", "this office-hour rule is not valid", true},
    refusal_info{r::unknown_rule, "unknown-rule", "there is no such office-hour rule", true},
    refusal_info{r::unknown_account, "unknown-account", "there is no such account", true},
    refusal_info{r::unknown_invitation, "unknown-invitation", "this invitation does not exist, was used, or expired",
                 true},
    refusal_info{r::account_exists, "account-exists", "an account with this e-mail exists already; sign in", true},
    refusal_info{r::no_session, "no-session", "this sign-in has ended; please sign in again", true},
    refusal_info{r::unknown_feed, "unknown-feed", "there is no such calendar feed", true},
    refusal_info{r::too_many_calendars, "too-many-calendars", "this expert has as many calendars as allowed", true},
    refusal_info{r::calendar_exists, "calendar-exists", "this calendar address is connected already", true},
    refusal_info{r::unknown_calendar, "unknown-calendar", "there is no such connected calendar", true},
    refusal_info{r::too_early, "too-early", "check-in opens shortly before the session starts", true},
    refusal_info{r::session_over, "session-over", "this session has ended", true},
    refusal_info{r::already_checked_in, "already-checked-in", "this booking is already checked in", true},
    refusal_info{r::checked_in, "checked-in", "this booking is checked in: it stays as it is", true},
    refusal_info{r::not_due, "not-due", "a founder can be released only a while after the start, if not checked in",
                 true},
    refusal_info{r::late_too_early, "late-too-early",
                 "running late can be said from late_notice_minutes before the start of the session", true},
    refusal_info{r::already_released, "already-released", "this founder has been released already", true},
    refusal_info{r::no_show_limit, "no-show-limit",
                 "this e-mail address missed booked sessions recently, so it may hold only one upcoming booking for now",
                 true},
    refusal_info{r::queue_full, "queue-full", "the walk-in queue of this camp is full; please try again later", true},
    refusal_info{r::unknown_walkin, "unknown-walkin", "there is no place in a walk-in queue for this link", true},
    refusal_info{r::offer_expired, "offer-expired", "this offer has expired: the seat went to the next in line", true},
    refusal_info{r::no_offer, "no-offer", "there is no open offer of a seat for you at the moment", true},
    refusal_info{r::already_claimed, "already-claimed", "this walk-in place has a booking already", true},
    refusal_info{r::not_waiting, "not-waiting", "this founder is not waiting in the queue any more", true},
    refusal_info{r::not_running, "not-running", "only a session that is running now can be ended early", true},
    refusal_info{r::next_session_booked, "next-session-booked",
                 "the extension would reach your next session, which has a booking or a waitlist", true},
    refusal_info{r::message_required, "message-required",
                 "this session has bookings or a waitlist: tell the founders why it is cancelled", true},
    refusal_info{r::retry, "retry", "what the change depends on moved meanwhile; read again and retry", false},
    refusal_info{r::offer_open, "offer-open", "this session's seat is offered to a walk-in founder already", false},
    refusal_info{r::booking_active, "active", "a place in a coming session must be given up before it is erased", false},
    refusal_info{r::not_empty, "not-empty", "the target database already holds data", false},
    refusal_info{r::too_many_keys, "too-many-keys", "the hub has more keys than a backup may hold", false},
};

constexpr bool in_enum_order()
{
    for (std::size_t i = 0; i < k_refusals.size(); ++i)
        if (static_cast<std::size_t>(k_refusals[i].value) != i + 1) return false;
    return true;
}
static_assert(in_enum_order(), "k_refusals lists every refusal once, in enum order");

class category final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "sprechstunde.refusal"; }
    std::string message(int ev) const override
    {
        if (ev < 1 || static_cast<std::size_t>(ev) > k_refusals.size()) return "refused";
        return std::string(k_refusals[static_cast<std::size_t>(ev) - 1].sentence);
    }
};

} // namespace

std::span<const refusal_info> all_refusals() { return k_refusals; }

const refusal_info& info(refusal value) { return k_refusals.at(static_cast<std::size_t>(value) - 1); }

std::optional<refusal> refusal_from_code(std::string_view code)
{
    for (const auto& i : k_refusals)
        if (i.code == code) return i.value;
    return std::nullopt;
}

const boost::system::error_category& refusal_category()
{
    static const category instance;
    return instance;
}

} // namespace sp::store
