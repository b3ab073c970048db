#pragma once
/**
 * The live protocol on /ws (JSON text frames; schemas in schema/ws/).
 *
 * Client to server:
 *   {"op":"subscribe","id":"c1","view":{"type":"camp_day","camp":"bochum","date":"2026-12-01"},"since":"<version>"}
 *     view types: camp_day {camp,date} | expert {expert} | event {event} | lobby {camp} | hub_day {date}
 *                 | camp_events {camp} (the camp's events not ended yet, whatever their date)
 *                 | walkins {camp} (a camp's walk-in queue: its public summary, never names)
 *   {"op":"unsubscribe","id":"c1"}
 *   {"op":"ping","id":"p1"}
 * Server to client:
 *   {"op":"snapshot","id":"c1","view":"camp_day:bochum:2026-12-01","version":"<v>","sessions":[...]}
 *   {"op":"changes","changes":[{"version":"<v>","type":"booking.created","session":{...}}]}
 *   {"op":"resume","id":"c1","view":"...","version":"<v>","changes":[...]}   answer to subscribe with since
 * Every session carries its own version: keep the state with the newest one.
 *   {"op":"resync","reason":"..."}          resubscribe: the server could not follow the log
 *   {"op":"error","code":"...","detail":"...","id":"c1"}
 *   {"op":"pong","id":"p1"}
 *   {"op":"snapshot","id":"w1","view":"walkins:bochum","version":"<v>","sessions":[],"walkins":{<summary>}}
 *   {"op":"walkins","camp":"bochum","version":"<v>","summary":{<summary>}}   after every walk-in
 *     change of the camp, the same bytes to every socket watching walkins:<camp>
 * Parsing is pure; serialising shares the session JSON with the HTTP API.
 */
#include "domain/hub.hpp"
#include "live/view.hpp"
#include "util/stream_id.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace sp::live {

struct subscribe_msg {
    std::string id;
    view what;
    std::string since; // empty: a snapshot
};
struct unsubscribe_msg {
    std::string id;
};
struct ping_msg {
    std::string id;
};
struct protocol_error {
    std::string code;   // "malformed-json", "unknown-op", "invalid-view", ...
    std::string detail;
    std::string id;     // the client's id when it could be read
};

using client_message = std::variant<subscribe_msg, unsubscribe_msg, ping_msg, protocol_error>;

client_message parse_client_message(std::string_view text);

/** True for a change-log id ("1700000000000-0"). */
bool valid_version(std::string_view v);
/** Orders change-log ids: negative, zero, positive like strcmp. */
int compare_versions(std::string_view a, std::string_view b);
/** A change-log id as a comparable number pair ({0,0} for an empty or invalid one): for
 *  comparisons on a hot path, parsed once. */
using version_order = util::stream_id;
inline version_order order_of(std::string_view version) { return util::parse_stream_id(version); }

struct change {
    std::string version;
    std::string type;
    domain::session session;
};

std::string snapshot_message(std::string_view id, const view& v, std::string_view version,
                             const std::vector<domain::session>& sessions);
std::string changes_message(const std::vector<change>& changes);
/** A walkins view's snapshot and its updates; `summary_json` is views::write_walkin_summary's. */
std::string walkins_snapshot_message(std::string_view id, const view& v, std::string_view version,
                                     std::string_view summary_json);
std::string walkins_message(std::string_view camp, std::string_view version, std::string_view summary_json);
/** Several `changes` messages as one, their changes in the given order (what a socket
 *  that fell behind sends in one frame); empty if one of them is not a changes message. */
std::string merge_changes_messages(const std::vector<std::shared_ptr<const std::string>>& messages);
/** The answer to a subscribe with `since`: the changes the view missed, in log order,
 *  and the version it is now up to date with. */
std::string resume_message(std::string_view id, const view& v, std::string_view version,
                           const std::vector<change>& changes);
std::string resync_message(std::string_view reason);
std::string error_message(std::string_view code, std::string_view detail, std::string_view id);
std::string pong_message(std::string_view id);
/** For a private expert subscription: everyone holding a place in one session now
 *  (confirmed, then the waitlist), with their details. Sent to that socket alone. */
std::string bookings_message(std::string_view id, std::string_view session_id,
                             const std::vector<domain::booking>& bookings);

} // namespace sp::live
