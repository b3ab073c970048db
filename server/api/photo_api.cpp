#include "api/photo_api.hpp"

#include "api/json_input.hpp"
#include "api/problems.hpp"
#include "domain/photo_format.hpp"
#include "http/static_handler.hpp"

#include <utility>

namespace asio = boost::asio;

namespace sp::api {
namespace {

using st = http::bhttp::status;

http::response no_expert() { return http::make_problem(st::not_found, "not-found", "there is no such expert", "id"); }

asio::awaitable<http::response> put_photo(api_context& ctx, const http::request& req, std::string expert_id,
                                          std::string by)
{
    if (req.body().empty())
        co_return http::make_problem(st::unprocessable_entity, "missing-field", "the body must be the photo", "photo");
    auto type = domain::photo_content_type(req.body());
    if (!type)
        co_return http::make_problem(st::unsupported_media_type, "unsupported-photo",
                                     "a photo must be a JPEG, PNG or WebP image", "photo");
    auto r = co_await ctx.catalog.put_expert_photo(std::move(expert_id), std::string(*type), req.body(), ctx.now(),
                                                   std::move(by));
    if (r.is(store::refusal::unknown_record)) co_return no_expert();
    if (!r.ok()) co_return problem_for(r);
    co_return http::response{st::no_content, 11};
}

asio::awaitable<http::response> delete_photo(api_context& ctx, const http::request&, std::string expert_id,
                                             std::string by)
{
    auto r = co_await ctx.catalog.delete_expert_photo(std::move(expert_id), ctx.now(), std::move(by));
    if (r.is(store::refusal::unknown_record)) co_return no_expert();
    if (!r.ok()) co_return problem_for(r);
    co_return http::response{st::no_content, 11};
}

} // namespace

void add_photo_routes(http::router& routes, api_context& ctx, auth_guard& guard)
{
    using verb = http::bhttp::verb;

    routes.add(verb::get, "/api/v1/experts/{id}/photo",
               [&ctx](http::request_context& rc) -> asio::awaitable<http::response> {
                   std::string id = rc.params["id"];
                   if (!valid_id(id)) co_return no_expert();
                   auto p = co_await ctx.catalog.expert_photo(id);
                   if (p.is(store::refusal::unknown_record))
                       co_return http::make_problem(st::not_found, "not-found", "this expert has no photo", "id");
                   if (!p.ok()) co_return problem_for(p);
                   auto inm = rc.req.find(http::bhttp::field::if_none_match);
                   http::response res = inm != rc.req.end() && http::etag_matches(inm->value(), p.value.etag)
                                            ? http::response{st::not_modified, 11}
                                            : http::make_response(st::ok, std::move(p.value.bytes), p.value.content_type);
                   res.set(http::bhttp::field::etag, p.value.etag);
                   res.set(http::bhttp::field::cache_control, "public, no-cache");
                   res.set("X-Content-Type-Options", "nosniff");
                   co_return res;
               });

    // An expert puts or deletes their own photo, an admin any expert's.
    for (auto route : {std::pair{verb::put, &put_photo}, std::pair{verb::delete_, &delete_photo}}) {
        auto [v, change] = route; // change: put_photo or delete_photo
        routes.add(v, "/api/v1/expert/photo",
                   [&ctx, &guard, change](http::request_context& rc) -> asio::awaitable<http::response> {
                       auto who = co_await guard.require(rc, "expert", true);
                       if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                       const auto& account = std::get<signed_in>(who).account;
                       co_return co_await change(ctx, rc.req, account.expert_id, account.id);
                   });
        routes.add(v, "/api/v1/admin/experts/{id}/photo",
                   [&ctx, &guard, change](http::request_context& rc) -> asio::awaitable<http::response> {
                       auto who = co_await guard.require(rc, "admin", true);
                       if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                       std::string id = rc.params["id"];
                       if (!valid_id(id)) co_return no_expert();
                       co_return co_await change(ctx, rc.req, id, std::get<signed_in>(who).account.id);
                   });
    }
}

} // namespace sp::api
