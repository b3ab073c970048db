#include "api/event_api.hpp"

#include "api/json_input.hpp"
#include "api/problems.hpp"
#include "util/json_writer.hpp"
#include "views/domain_json.hpp"

namespace asio = boost::asio;

namespace sp::api {
namespace {

using st = http::bhttp::status;

http::response unknown_event() { return http::make_problem(st::not_found, "unknown-event", "there is no such event", "id"); }

} // namespace

void add_event_routes(http::router& routes, api_context& ctx)
{
    routes.add(http::bhttp::verb::get, "/api/v1/events/{id}",
               [&ctx](http::request_context& rc) -> asio::awaitable<http::response> {
                   std::string id = rc.params["id"];
                   if (!valid_id(id)) co_return unknown_event();
                   auto e = co_await ctx.catalog.event(id);
                   if (e.is(store::refusal::unknown_record)) co_return unknown_event();
                   if (!e.ok()) co_return problem_for(e);
                   // An event's session has the event's id.
                   auto s = co_await ctx.reader.session(id);
                   if (s.is(store::refusal::unknown_session)) co_return unknown_event();
                   if (!s.ok()) co_return problem_for(s);
                   util::json_writer w;
                   w.begin_object();
                   w.key("id").value(e.value.id).key("title").value(e.value.title);
                   w.key("description").value(e.value.description).key("topic").value(e.value.topic);
                   w.key("expert_id").value(e.value.expert_id).key("camp_id").value(e.value.camp_id);
                   w.key("room_id").value(e.value.room_id);
                   w.key("session");
                   views::booking_clock clock{ctx.settings.limits, ctx.now(), ctx.settings.checkin_open};
                   views::write_session(w, s.value, &clock);
                   w.end_object();
                   http::response res = http::make_json(st::ok, w.take());
                   res.set(http::bhttp::field::cache_control, "no-cache");
                   co_return res;
               });
}

} // namespace sp::api
