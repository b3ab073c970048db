#include "api/openapi_api.hpp"
#include "api/openapi_document.hpp"

#include <catch2/catch.hpp>
#include <simdjson.h>

#include <algorithm>
#include <string>

namespace {

using sp::http::bhttp::verb;

sp::http::handler nothing()
{
    return [](sp::http::request_context&) -> boost::asio::awaitable<sp::http::response> {
        co_return sp::http::response{};
    };
}

sp::http::router documented_router()
{
    sp::http::router r;
    for (const auto& d : sp::api::documented_routes)
        r.add(sp::http::bhttp::string_to_verb(d.method), std::string(d.path), nothing());
    return r;
}

} // namespace

TEST_CASE("the route check finds a served route the document lacks and a documented one nobody serves")
{
    auto routes = documented_router();
    CHECK(sp::api::route_table_mismatches(routes).empty());

    routes.add(verb::post, "/api/v1/sessions/{id}/secret", nothing());
    auto extra = sp::api::route_table_mismatches(routes);
    REQUIRE(extra.size() == 1);
    CHECK(extra.front() == "served but not documented: POST /api/v1/sessions/{id}/secret");

    sp::http::router partial;
    for (const auto& d : sp::api::documented_routes)
        if (d.path != "/api/v1/admin/outbox")
            partial.add(sp::http::bhttp::string_to_verb(d.method), std::string(d.path), nothing());
    auto missing = sp::api::route_table_mismatches(partial);
    REQUIRE(missing.size() == 1);
    CHECK(missing.front() == "documented but not served: GET /api/v1/admin/outbox");
}

TEST_CASE("the embedded OpenAPI document is 3.1 and names every documented route with its method")
{
    simdjson::dom::parser parser;
    simdjson::padded_string text(sp::api::openapi_json);
    simdjson::dom::element doc;
    REQUIRE(parser.parse(text).get(doc) == simdjson::SUCCESS);
    std::string_view version;
    REQUIRE(doc["openapi"].get(version) == simdjson::SUCCESS);
    CHECK(version == "3.1.0");
    CHECK(sp::api::documented_routes.size() > 40);
    for (const auto& d : sp::api::documented_routes) {
        std::string method(d.method);
        std::transform(method.begin(), method.end(), method.begin(), [](unsigned char c) { return std::tolower(c); });
        simdjson::dom::object op;
        INFO(d.method << " " << d.path);
        CHECK(doc["paths"][d.path][method].get(op) == simdjson::SUCCESS);
    }
}
