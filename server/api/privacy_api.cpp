#include "api/privacy_api.hpp"

#include "api/json_input.hpp"
#include "api/problems.hpp"
#include "views/domain_json.hpp"

namespace asio = boost::asio;

namespace sp::api {
namespace {

using st = http::bhttp::status;
using verb = http::bhttp::verb;

http::response erased_answer(const store::result<int>& r)
{
    if (!r.ok()) return problem_for(r);
    util::json_writer w;
    w.begin_object().key("erased_bookings").value(r.value).end_object();
    http::response res = http::make_json(st::ok, w.take());
    res.set(http::bhttp::field::cache_control, "no-store");
    return res;
}

} // namespace

void add_privacy_routes(http::router& routes, api_context& ctx, auth_guard& guard, store::feed_store& feeds)
{
    routes.add(verb::get, "/api/v1/manage/{token}/export",
               [&ctx](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto founder = co_await ctx.founders.founder_of_token(rc.params["token"]);
                   if (!founder.ok()) co_return problem_for(founder);
                   auto bookings = co_await ctx.founders.founder_bookings(founder.value);
                   if (!bookings.ok()) co_return problem_for(bookings);
                   util::json_writer w;
                   w.begin_object();
                   w.key("exported_at").value(domain::format_rfc3339(ctx.now(), domain::find_zone("UTC")));
                   w.key("controller").value("Sprechstunde – digital hub");
                   w.key("purpose").value("running the office hours and events you booked");
                   w.key("bookings").begin_array();
                   views::booking_clock clock{ctx.settings.limits, ctx.now(), ctx.settings.checkin_open};
                   for (const auto& b : bookings.value) {
                       // The booking as its manage page shows it, plus when it was made.
                       w.begin_object().key("created_at");
                       w.value(domain::format_rfc3339(b.booking.created_at, domain::find_zone(b.session.zone)));
                       w.key("booking");
                       views::write_booking(w, b.booking, b.session, &clock);
                       w.end_object();
                   }
                   w.end_array().end_object();
                   http::response res = http::make_json(st::ok, w.take());
                   res.set(http::bhttp::field::cache_control, "no-store");
                   res.set(http::bhttp::field::content_disposition, "attachment; filename=\"sprechstunde-my-data.json\"");
                   co_return res;
               });

    routes.add(verb::post, "/api/v1/manage/{token}/erase",
               [&ctx, &feeds](http::request_context& rc) -> asio::awaitable<http::response> {
                   json_input in(rc.req);
                   in.allow_only({"confirm"});
                   auto confirm = in.boolean("confirm", true);
                   if (!in.failed() && !*confirm)
                       in.fail(st::unprocessable_entity, "invalid-field", "confirm must be true to erase your data",
                               "confirm");
                   if (in.failed()) co_return in.take_problem();
                   auto founder = co_await ctx.founders.founder_of_token(rc.params["token"]);
                   if (!founder.ok()) co_return problem_for(founder);
                   std::string by = "founder";
                   auto r = co_await ctx.founders.erase_founder(founder.value, by, ctx.now());
                   if (r.ok()) {
                       // Their walk-in entries (made with the same e-mail) go too.
                       auto walkins = co_await ctx.walkins.erase_founder(founder.value, by, ctx.now());
                       if (!walkins.ok()) co_return problem_for(walkins);
                       // Their feed link (keyed by the hashed e-mail) goes too.
                       store::feed_subject feed{"founder", founder.value};
                       auto revoked = co_await feeds.revoke(feed, ctx.now());
                       if (!revoked.ok()) co_return problem_for(revoked);
                   }
                   co_return erased_answer(r);
               });

    routes.add(verb::post, "/api/v1/admin/founders/erase",
               [&ctx, &guard, &feeds](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto who = co_await guard.require(rc, "admin", true);
                   if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                   json_input in(rc.req);
                   in.allow_only({"email"});
                   auto email = in.string("email", true, 254);
                   if (!in.failed() && !plausible_email(*email))
                       in.fail(st::unprocessable_entity, "invalid-field", "email must be an e-mail address", "email");
                   if (in.failed()) co_return in.take_problem();
                   std::string founder = ctx.founders.founder_key_for_email(lower_ascii(*email));
                   std::string by = std::get<signed_in>(who).account.id;
                   auto r = co_await ctx.founders.erase_founder(founder, by, ctx.now());
                   if (r.ok()) {
                       auto walkins = co_await ctx.walkins.erase_founder(founder, by, ctx.now());
                       if (!walkins.ok()) co_return problem_for(walkins);
                       store::feed_subject feed{"founder", founder};
                       auto revoked = co_await feeds.revoke(feed, ctx.now());
                       if (!revoked.ok()) co_return problem_for(revoked);
                   }
                   co_return erased_answer(r);
               });
}

} // namespace sp::api
