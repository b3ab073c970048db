#pragma once
/**
 * Calendar files:
 *   GET /api/v1/manage/{token}/booking.ics   the founder's booking (METHOD:REQUEST, or
 *                                             CANCEL once cancelled), with an ETag
 */
#include "api/api_context.hpp"
#include "http/router.hpp"

namespace sp::api {

/** `organizer_email`: the hub's sender address, the ORGANIZER of every event. */
void add_calendar_routes(http::router& routes, api_context& ctx, std::string organizer_email);

} // namespace sp::api
