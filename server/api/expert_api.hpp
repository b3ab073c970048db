#pragma once
/**
 * What a signed-in expert manages, and only their own: every request names the expert
 * by the session, never by the URL, and another expert's rule or session answers 404
 * (not 403: nothing reveals that it exists).
 *   GET    /api/v1/expert/sessions?from=&to=      own sessions with the founders in them
 *   GET    /api/v1/expert/rules                   own office-hour rules with exceptions
 *   POST   /api/v1/expert/rules/preview           the sessions a rule would create (nothing saved)
 *   PUT    /api/v1/expert/rules/{id}              create or change a rule (CSRF)
 *   DELETE /api/v1/expert/rules/{id}              delete a rule; booked sessions stay, orphaned (CSRF)
 *   POST   /api/v1/expert/sessions/{id}/cancel    {message}: cancel it and every booking in it (CSRF)
 */
#include "api/api_context.hpp"
#include "api/auth_guard.hpp"
#include "http/router.hpp"

namespace sp::api {

/** An expert's sessions from 12 hours ago to 14 days ahead, each with the founders in
 *  it (confirmed, then the waitlist): the expert's own view and the admins'. */
boost::asio::awaitable<http::response> expert_schedule(api_context& ctx, std::string expert_id);

void add_expert_routes(http::router& routes, api_context& ctx, auth_guard& guard);
/** Running late and attendance (same rules as above). */
void add_expert_live_routes(http::router& routes, api_context& ctx, auth_guard& guard);

} // namespace sp::api
