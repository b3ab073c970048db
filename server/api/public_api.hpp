#pragma once
/**
 * The public, read-only API founders and lobby screens use:
 *   GET /api/v1/camps                      camps with their rooms
 *   GET /api/v1/experts?camp=&topic=&language=
 *   GET /api/v1/topics                     every topic experts and events offer
 *   GET /api/v1/sessions?from=&to=&camp=&expert=&topic=&free_only=
 *                                          each says whether it is bookable now and until when;
 *                                          free_only=true keeps only the bookable ones
 *   GET /api/v1/sessions/{id}
 * No founder data ever appears here.
 */
#include "api/api_context.hpp"
#include "http/router.hpp"

namespace sp::api {

void add_public_routes(http::router& routes, api_context& ctx);

} // namespace sp::api
