#pragma once
/**
 * Walk-ins: founders waiting in a camp's queue take slots that are free now. This file
 * decides which slot is free for walk-ins, who in the queue is offered it, until when
 * the offer stands, and what the expert's controls during the day ("end early",
 * "extend") give or refuse. Pure, thread-safe; the Lua scripts get what is computed
 * here and decide atomically against the stored state (so two instances can never
 * offer or give the same seat twice).
 *
 * - A slot is free for walk-ins when its session is open, has a free seat, nobody
 *   waiting, no open walk-in offer and no busy time of the expert, starts (late minutes included) within `walkin_horizon` or has started, and
 *   at least `min_walkin` of it is left from now.
 * - The offer goes to the first founder in queue order who holds no offer and whose
 *   topic fits the slot (no topic fits every slot; topics compare without case).
 * - An offer stands for `claim` minutes; then it goes to the next in line.
 * - "End early": the rest of a running session, if at least `min_walkin`, is free for
 *   walk-ins. "Extend": by `extend_by`, only if no later session of the expert that the
 *   extension reaches has a booking or a waitlist; a free one it reaches is closed.
 */
#include "domain/day_settings.hpp"
#include "domain/hub.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sp::domain {

struct walkin_window {
    instant from;
    instant to;
    bool operator==(const walkin_window&) const = default;
};

/** The part of `s` walk-ins can take now, or nullopt. */
std::optional<walkin_window> walkin_slot(const session& s, instant now, const day_settings& d);

struct queue_entry {
    std::string id;
    std::string topic;        // "" = any
    bool holds_offer = false; // an offer of another slot is open for them
};

/** The index (in queue order) of the founder to offer a slot with `slot_topics`. */
std::optional<std::size_t> next_in_line(std::span<const queue_entry> queue, std::span<const std::string> slot_topics);

/** Until when an offer made at `offered_at` stands. */
instant offer_deadline(instant offered_at, const day_settings& d);

/** What the lobby may know of a place in a walk-in queue: no name, no topic. */
struct walkin_ticket {
    int ticket = 0;
    std::string state; // waiting | offered
    std::string offer_session;
    instant offer_until{};
};

/** A queue as the lobby shows it: how many are in it, and the open offers by ticket. */
struct walkin_summary {
    int waiting = 0; // founders in the queue, those holding an offer included
    struct offer {
        int ticket = 0;
        std::string session_id;
        instant until{};
        bool operator==(const offer&) const = default;
    };
    std::vector<offer> offers;
};

/** `queue`: the entries in the queue, in queue order. */
walkin_summary summarize_queue(std::span<const walkin_ticket> queue);

enum class end_early_refusal { none, session_not_open, not_running };

struct end_early_verdict {
    end_early_refusal refusal = end_early_refusal::none;
    std::optional<walkin_window> for_walkins; // the rest, when long enough
};

end_early_verdict may_end_early(const session& s, instant now, const day_settings& d);

enum class extend_refusal { none, session_not_open, session_over, next_session_booked };

struct extend_verdict {
    extend_refusal refusal = extend_refusal::none;
    instant new_end{};
    std::string closes_session; // a free later session the extension reaches ("" = none)
    std::string blocked_by;     // with next_session_booked: the booked or waited-for session it reaches
};

/** `later`: the expert's other sessions (any order; those before `s` are ignored). */
extend_verdict may_extend(const session& s, std::span<const session> later, instant now, const day_settings& d);

std::string_view end_early_refusal_code(end_early_refusal r);
std::string_view extend_refusal_code(extend_refusal r);

} // namespace sp::domain
