#pragma once
/**
 * The OpenAPI 3.1 document of the HTTP API and the routes it documents. Both are
 * generated at build time by tools/openapi/build-openapi from schema/http/ (the JSON
 * Schemas the tests validate against, and the route table routes.json): one source
 * of truth. Constant data, initialised before main; read from any thread.
 */
#include <string_view>
#include <vector>

namespace sp::api {

struct documented_route {
    std::string_view method; // upper case, e.g. "GET"
    std::string_view path;   // a router pattern, e.g. "/api/v1/sessions/{id}"
};

extern const std::string_view openapi_json;
extern const std::vector<documented_route> documented_routes;

} // namespace sp::api
