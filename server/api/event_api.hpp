#pragma once
/**
 * An event's public page data:
 *   GET /api/v1/events/{id}   the event record (title, description, topic, host, camp, room)
 *                             with its session as the booking page sees it (seats, bookable)
 * 404 `unknown-event` for an id that is no event (office hours have no description).
 */
#include "api/api_context.hpp"
#include "http/router.hpp"

namespace sp::api {

void add_event_routes(http::router& routes, api_context& ctx);

} // namespace sp::api
