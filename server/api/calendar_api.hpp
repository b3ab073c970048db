#pragma once
/**
 * Calendar files and subscribable feeds:
 *   GET    /api/v1/manage/{token}/booking.ics  the founder's booking (METHOD:REQUEST, or CANCEL)
 *   POST   /api/v1/manage/{token}/feed          a feed of all the founder's bookings (new link, old one revoked)
 *   POST   /api/v1/expert/feed                  the signed-in expert's sessions with their founders (CSRF)
 *   DELETE /api/v1/expert/feed                  revoke it (CSRF)
 *   POST   /api/v1/admin/camps/{id}/feed        a camp's public schedule, no founders' data (admin, CSRF)
 *   DELETE /api/v1/admin/camps/{id}/feed        revoke it
 *   GET    /feeds/{token}.ics                   any feed, by its secret link (webcal:// works too)
 * Every calendar answer has a strong ETag (304 on If-None-Match) and text/calendar.
 */
#include "api/api_context.hpp"
#include "api/auth_guard.hpp"
#include "http/router.hpp"
#include "store/feed_store.hpp"

namespace sp::api {

/** `organizer_email`: the hub's sender address, the ORGANIZER of every event. */
void add_calendar_routes(http::router& routes, api_context& ctx, auth_guard& guard, store::feed_store& feeds,
                         std::string organizer_email);

} // namespace sp::api
