#pragma once
/**
 * GET /api/v1/openapi.json: the API as a contract (see api/openapi_document.hpp), and
 * the start-up check that the router serves exactly the documented routes.
 * Start-up only (routes are added before the server runs); the handler is stateless.
 */
#include "http/router.hpp"

#include <string>
#include <vector>

namespace sp::api {

void add_openapi_route(http::router& routes);

/** What differs between the routes `routes` serves and the documented ones, one line
 *  each ("served but not documented: GET /x", "documented but not served: ..."). */
std::vector<std::string> route_table_mismatches(const http::router& routes);

} // namespace sp::api
