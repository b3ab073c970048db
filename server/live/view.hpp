#pragma once
/**
 * What a live client watches: a camp's day, an expert's upcoming sessions, one event,
 * a camp's events (all of them from now on, whatever their date), a camp's lobby (today
 * and tomorrow in the camp's zone), the whole hub's day, or a camp's walk-in queue (its
 * public summary; it matches no session).
 * A view decides which sessions belong to it (matches) and which range to read for a
 * snapshot (query). Pure; the lobby's "today" is computed from the `now` passed in, so
 * it rolls over at local midnight by itself.
 */
#include "domain/hub.hpp"
#include "store/record_reader.hpp"

#include <optional>
#include <string>

namespace sp::live {

struct view {
    /** walkins: a camp's walk-in queue summary, no sessions (see live_hub::publish_walkins). */
    enum class kind { camp_day, expert, event, camp_events, lobby, hub_day, walkins };
    kind type = kind::hub_day;
    std::string camp;
    std::string expert;
    std::string event;
    std::optional<date::year_month_day> day; // camp_day, hub_day
    /** expert only: also the founders in each session (the expert themself or an
     *  admin; the socket must be signed in as one). */
    bool with_bookings = false;

    /** What matches() needs of a session beyond its fields, computed once per change
     *  for all the views it is checked against (a zone lookup and two local dates). */
    struct facts {
        facts(const domain::session& s, domain::instant now);
        date::year_month_day start_day; // the session's local date
        date::year_month_day today;     // now's local date in the session's zone
    };
    /** True if session `s` belongs to this view at time `now`. */
    bool matches(const domain::session& s, domain::instant now) const;
    /** The same with the facts computed once (the hub checks every socket's views). */
    bool matches(const domain::session& s, const facts& f, domain::instant now) const;
    /** A store query whose results, filtered by matches(), are the view's sessions
     *  (not for event and camp_events views: they read event sessions by id). */
    store::session_query query(domain::instant now) const;
    /** A canonical text form, e.g. "camp_day:bochum:2026-12-01". */
    std::string key() const;
};

std::string_view kind_name(view::kind k);

} // namespace sp::live
