#pragma once
/**
 * The words of every message founders and experts receive, in German and English: a
 * subject, a plain-text body and an HTML body (the same content; every value escaped).
 * Pure: the facts come in, the text goes out.
 */
#include "domain/zoned_time.hpp"

#include <optional>
#include <string>

namespace sp::notify {

/** What a message about a booking (or an invitation) says. */
struct message_facts {
    std::string lang = "de";     // de | en
    std::string founder_name;    // whom it greets
    std::string what;            // "Sprechstunde mit Anna Schmidt" / the event's title
    std::string expert_name;
    domain::instant start;
    domain::instant end;
    std::string zone = "Europe/Berlin";
    std::string place;           // room and address, or "online"
    std::string online_url;      // for confirmed seats only
    std::string manage_url;
    std::string booking_page_url; // where to book something else
    domain::instant previous_start; // rescheduled: where it was before (epoch 0: unknown)
    std::string message;         // the expert's words when cancelling the session
    int late_minutes = 0;
    int lead_minutes = 0;        // reminders: how long before
    std::string invitation_url;  // invitations
    std::string role;            // invitations: admin | expert
    int seats_taken = 0;         // expert_conflict: seats booked in the session
    std::string dashboard_url;   // expert_conflict: where the expert sees it
};

struct rendered {
    std::string subject;
    std::string text;
    std::string html;
};

/** Known templates: confirmation, waitlisted, cancellation, promotion, rescheduled,
 *  released, session_cancelled, late, reminder, invitation, expert_conflict (to the
 *  expert: their own calendar turned busy over a booked session; `founder_name` greets the
 *  expert). nullopt for anything else. */
std::optional<rendered> render(std::string_view template_name, const message_facts& f);

/** "Do., 3. Dez. 2026, 14:00–14:30 (MEZ)" / "Thu, 3 Dec 2026, 14:00–14:30 (CET)". */
std::string when(const message_facts& f, domain::instant start, domain::instant end);

} // namespace sp::notify
