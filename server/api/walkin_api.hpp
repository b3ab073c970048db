#pragma once
/**
 * The camp's walk-in queue over HTTP. A founder without a booking joins (no account; a
 * secret page token, like a manage link), watches their place, takes or declines an
 * offered seat, or leaves; the lobby reads the public summary (tickets only); experts
 * see the queue and call a founder in to their own session; admins remove an entry.
 *   POST   /api/v1/camps/{id}/walkins              {name, email?, topic?, lang?}  (201)
 *   GET    /api/v1/camps/{id}/walkins              the public summary
 *   GET    /api/v1/camps/{id}/walkins/queue        signed in (expert or admin)
 *   GET    /api/v1/walkins/{token}                 the founder's place and offer
 *   DELETE /api/v1/walkins/{token}                 leave (204)
 *   POST   /api/v1/walkins/{token}/claim           take the offered seat (201)
 *   POST   /api/v1/walkins/{token}/decline         decline it, stay in the queue
 *   POST   /api/v1/expert/sessions/{id}/walkins/{entry}   call in (the session's expert)
 *   DELETE /api/v1/admin/walkins/{id}              remove an entry (admin)
 * Joins are throttled per client address; token routes are behind the token guard.
 */
#include "api/api_context.hpp"
#include "api/auth_guard.hpp"
#include "http/router.hpp"

namespace sp::api {

struct walkin_limits {
    int joins_per_address = 120; // per hour
};

void add_walkin_routes(http::router& routes, api_context& ctx, auth_guard& guard, walkin_limits limits);

} // namespace sp::api
