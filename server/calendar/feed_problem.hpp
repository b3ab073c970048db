#pragma once
/**
 * Why an expert's own calendar could not be read, as a code: the expert's page says it
 * in the page's language from the code (static/i18n, "calendars.error.<code>"), the
 * English sentence beside it (fetch_result::error, busy_reading::error) is for the log
 * and for API clients. The codes are part of the HTTP API (schema/http, `error_code`).
 */
#include <string_view>

namespace sp::calendar {

enum class feed_problem {
    none,
    fetch_failed,       // libcurl failed for a reason not named below
    too_large,          // past fetch_settings::max_bytes
    private_network,    // an address the hub does not fetch from
    timeout,            // no whole answer within fetch_settings::timeout
    host_not_found,     // DNS
    no_connection,      // connection refused or unreachable
    too_many_redirects, // more than 5
    bad_redirect,       // to something that is not http(s)
    tls,                // the secure connection failed
    access_refused,     // 401, 403
    unknown_address,    // 404, 410
    server_error,       // 5xx
    http_status,        // any other status that is not the calendar
    not_a_calendar,     // the body is not an iCalendar file
    too_many_events,    // past busy_limits (busy times or recurrence steps)
};

/** The code the API sends: "too-large", "timeout", ... ("" for none). */
constexpr std::string_view code(feed_problem p)
{
    switch (p) {
    case feed_problem::none: return "";
    case feed_problem::fetch_failed: return "fetch-failed";
    case feed_problem::too_large: return "too-large";
    case feed_problem::private_network: return "private-network";
    case feed_problem::timeout: return "timeout";
    case feed_problem::host_not_found: return "host-not-found";
    case feed_problem::no_connection: return "no-connection";
    case feed_problem::too_many_redirects: return "too-many-redirects";
    case feed_problem::bad_redirect: return "bad-redirect";
    case feed_problem::tls: return "tls";
    case feed_problem::access_refused: return "access-refused";
    case feed_problem::unknown_address: return "unknown-address";
    case feed_problem::server_error: return "server-error";
    case feed_problem::http_status: return "http-status";
    case feed_problem::not_a_calendar: return "not-a-calendar";
    case feed_problem::too_many_events: return "too-many-events";
    }
    return "fetch-failed";
}

} // namespace sp::calendar
