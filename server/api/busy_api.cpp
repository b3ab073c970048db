#include "api/busy_api.hpp"

#include "api/json_input.hpp"
#include "api/problems.hpp"
#include "calendar/feed_fetch.hpp"
#include "util/json_writer.hpp"

#include <algorithm>

namespace asio = boost::asio;

namespace sp::api {
namespace {

using st = http::bhttp::status;

void write_time(util::json_writer& w, std::string_view key, const std::optional<domain::instant>& t)
{
    w.key(key);
    if (t) w.value(domain::format_rfc3339(*t, nullptr));
    else w.null();
}

asio::awaitable<http::response> list(store::busy_store& busy, const busy_limits& limits, std::string expert_id)
{
    auto calendars = co_await busy.calendars(std::move(expert_id));
    if (!calendars.ok()) co_return problem_for(calendars);
    util::json_writer w;
    w.begin_object().key("max").value(limits.max_per_expert).key("calendars").begin_array();
    for (const auto& c : calendars.value) {
        w.begin_object().key("id").value(c.id).key("url").value(calendar::masked_feed_url(c.url));
        write_time(w, "added_at", c.added_at);
        write_time(w, "fetched_at", c.fetched_at);
        write_time(w, "imported_at", c.ok_at);
        w.key("error").value(c.error).key("error_code");
        // A failure recorded before failures had codes has none: the page then says it in general words.
        if (c.error_code.empty()) w.null();
        else w.value(c.error_code);
        w.key("busy_count").value(c.busy_count);
        w.end_object();
    }
    w.end_array().end_object();
    co_return http::no_store(http::make_json(st::ok, w.take()));
}

asio::awaitable<http::response> add(api_context& ctx, store::busy_store& busy, const busy_limits& limits,
                                    const http::request& req, std::string expert_id)
{
    json_input in(req);
    in.allow_only({"url"});
    auto pasted = in.string("url", true, 2000);
    if (in.failed()) co_return in.take_problem();
    std::string problem;
    auto url = calendar::feed_url(*pasted, problem);
    if (!url) co_return http::make_problem(st::bad_request, "invalid-field", "url: " + problem, "url");
    auto r = co_await busy.add(std::move(expert_id), *url, limits.max_per_expert, ctx.now());
    if (!r.ok()) co_return problem_for(r);
    util::json_writer w;
    w.begin_object().key("id").value(r.value).key("url").value(calendar::masked_feed_url(*url)).end_object();
    co_return http::no_store(http::make_json(st::created, w.take()));
}

asio::awaitable<http::response> remove(api_context& ctx, store::busy_store& busy, std::string expert_id,
                                       std::string calendar_id)
{
    auto r = co_await busy.remove(std::move(expert_id), std::move(calendar_id), ctx.now());
    if (!r.ok()) co_return problem_for(r);
    co_return http::response{st::no_content, 11};
}

/** The expert an admin names in the URL, or 404. */
asio::awaitable<std::optional<http::response>> unknown_expert(api_context& ctx, const std::string& id)
{
    auto experts = co_await ctx.catalog.experts();
    if (!experts.ok()) co_return problem_for(experts);
    if (std::none_of(experts.value.begin(), experts.value.end(), [&](const auto& e) { return e.id == id; }))
        co_return http::make_problem(st::not_found, "not-found", "there is no such expert", "id");
    co_return std::nullopt;
}

} // namespace

void add_busy_routes(http::router& routes, api_context& ctx, auth_guard& guard, store::busy_store& busy,
                     busy_limits limits, refresh_calendars refresh)
{
    using verb = http::bhttp::verb;
    routes.add(verb::get, "/api/v1/expert/calendars",
               [&guard, &busy, limits](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto who = co_await guard.require(rc, "expert", false);
                   if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                   co_return co_await list(busy, limits, std::get<signed_in>(who).account.expert_id);
               });
    routes.add(verb::post, "/api/v1/expert/calendars",
               [&ctx, &guard, &busy, limits](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto who = co_await guard.require(rc, "expert", true);
                   if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                   co_return co_await add(ctx, busy, limits, rc.req, std::get<signed_in>(who).account.expert_id);
               });
    routes.add(verb::delete_, "/api/v1/expert/calendars/{id}",
               [&ctx, &guard, &busy](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto who = co_await guard.require(rc, "expert", true);
                   if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                   co_return co_await remove(ctx, busy, std::get<signed_in>(who).account.expert_id, rc.params["id"]);
               });
    routes.add(verb::post, "/api/v1/expert/calendars/refresh",
               [&guard, &busy, limits, refresh](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto who = co_await guard.require(rc, "expert", true);
                   if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                   std::string id = std::get<signed_in>(who).account.expert_id;
                   co_await refresh(id);
                   co_return co_await list(busy, limits, id);
               });

    routes.add(verb::get, "/api/v1/admin/experts/{id}/calendars",
               [&ctx, &guard, &busy, limits](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto who = co_await guard.require(rc, "admin", false);
                   if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                   std::string id = rc.params["id"];
                   if (auto missing = co_await unknown_expert(ctx, id)) co_return std::move(*missing);
                   co_return co_await list(busy, limits, id);
               });
    routes.add(verb::post, "/api/v1/admin/experts/{id}/calendars",
               [&ctx, &guard, &busy, limits](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto who = co_await guard.require(rc, "admin", true);
                   if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                   co_return co_await add(ctx, busy, limits, rc.req, rc.params["id"]);
               });
    routes.add(verb::delete_, "/api/v1/admin/experts/{id}/calendars/{cal}",
               [&ctx, &guard, &busy](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto who = co_await guard.require(rc, "admin", true);
                   if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                   co_return co_await remove(ctx, busy, rc.params["id"], rc.params["cal"]);
               });
    routes.add(verb::post, "/api/v1/admin/experts/{id}/calendars/refresh",
               [&ctx, &guard, &busy, limits, refresh](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto who = co_await guard.require(rc, "admin", true);
                   if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                   std::string id = rc.params["id"];
                   if (auto missing = co_await unknown_expert(ctx, id)) co_return std::move(*missing);
                   co_await refresh(id);
                   co_return co_await list(busy, limits, id);
               });
}

} // namespace sp::api
