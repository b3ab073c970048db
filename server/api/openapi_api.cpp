#include "api/openapi_api.hpp"

#include "api/openapi_document.hpp"

#include <algorithm>
#include <set>
#include <utility>

namespace sp::api {

void add_openapi_route(http::router& routes)
{
    routes.add(http::bhttp::verb::get, "/api/v1/openapi.json",
               [](http::request_context&) -> boost::asio::awaitable<http::response> {
                   http::response res = http::make_json(http::bhttp::status::ok, std::string(openapi_json));
                   res.set(http::bhttp::field::cache_control, "public, max-age=300");
                   co_return res;
               });
}

std::vector<std::string> route_table_mismatches(const http::router& routes)
{
    using key = std::pair<std::string, std::string>;
    std::set<key> served, documented;
    for (const auto& r : routes.table()) served.emplace(std::string(http::bhttp::to_string(r.method)), r.pattern);
    for (const auto& d : documented_routes) documented.emplace(std::string(d.method), std::string(d.path));
    std::vector<std::string> out;
    for (const auto& [method, path] : served)
        if (!documented.contains({method, path})) out.push_back("served but not documented: " + method + " " + path);
    for (const auto& [method, path] : documented)
        if (!served.contains({method, path})) out.push_back("documented but not served: " + method + " " + path);
    return out;
}

} // namespace sp::api
