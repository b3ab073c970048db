#pragma once
/**
 * The founder's API: book a seat or join a waitlist, then manage the booking with the
 * private token from its manage link (no account):
 *   POST   /api/v1/sessions/{id}/bookings    {name, email, startup, question, consent, lang}
 *   POST   /api/v1/sessions/{id}/waitlist    same body
 *   GET    /api/v1/manage/{token}
 *   POST   /api/v1/manage/{token}/cancel     (DELETE /api/v1/manage/{token} does the same)
 *   POST   /api/v1/manage/{token}/reschedule {session_id}
 * A booking request may carry an Idempotency-Key header (16-128 characters): the same
 * key with the same body answers the original booking again; with another body, 409.
 */
#include "api/api_context.hpp"
#include "http/router.hpp"

namespace sp::api {

void add_booking_routes(http::router& routes, api_context& ctx);

} // namespace sp::api
