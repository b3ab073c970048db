#include "api/walkin_api.hpp"

#include "api/json_input.hpp"
#include "api/problems.hpp"
#include "domain/attendance_rules.hpp"
#include "util/secrets.hpp"
#include "views/domain_json.hpp"
#include "views/walkin_json.hpp"

#include <variant>

namespace asio = boost::asio;

namespace sp::api {
namespace {

using st = http::bhttp::status;

http::response unknown_camp()
{
    return http::make_problem(st::not_found, "unknown-camp", "there is no such camp", "camp");
}

/** The camp of route parameter {id}, or the problem to answer: 404 for an unknown or
 *  malformed id, 503 when Redis is away. */
asio::awaitable<std::variant<domain::camp, http::response>> find_camp(api_context& ctx, const std::string& id)
{
    if (!valid_id(id)) co_return unknown_camp();
    auto camps = co_await ctx.catalog.camps();
    if (!camps.ok()) co_return problem_for(camps);
    for (auto& c : camps.value)
        if (c.id == id) co_return std::move(c);
    co_return unknown_camp();
}

const char* zone_of(const domain::camp& c) { return c.zone.empty() ? "Europe/Berlin" : c.zone.c_str(); }

asio::awaitable<http::response> join(api_context& ctx, auth_guard& guard, walkin_limits limits,
                                     http::request_context& rc)
{
    json_input in(rc.req);
    in.allow_only({"name", "email", "topic", "lang"});
    auto name = in.string("name", true, 80);
    auto email = in.string("email", false, 254);
    auto topic = in.string("topic", false, 80);
    auto lang = in.string("lang", false, 2);
    if (!in.failed() && name->empty())
        in.fail(st::unprocessable_entity, "invalid-field", "name must not be empty", "name");
    if (!in.failed() && email && !email->empty() && !plausible_email(*email))
        in.fail(st::unprocessable_entity, "invalid-field", "email must be an e-mail address such as name@example.org",
                "email");
    if (!in.failed() && lang && *lang != "de" && *lang != "en")
        in.fail(st::unprocessable_entity, "invalid-field", "lang must be de or en", "lang");
    if (in.failed()) co_return in.take_problem();
    std::string camp_id = rc.params["id"];
    if (!valid_id(camp_id)) co_return unknown_camp();

    // Named arguments only: GCC 12 mishandles temporaries in co_await operands.
    std::string scope = "walkin-join", peer(rc.peer);
    auto allowed = co_await guard.accounts().throttle(scope, peer, limits.joins_per_address, std::chrono::hours(1));
    if (!allowed.ok()) co_return problem_for(allowed);
    if (!allowed.value.allowed) {
        http::response res = http::make_problem(st::too_many_requests, "too-many-joins",
                                                "too many walk-in joins from this address; wait a little");
        res.set(http::bhttp::field::retry_after,
                std::to_string(std::max<std::int64_t>(1, (allowed.value.retry_after.count() + 999) / 1000)));
        co_return res;
    }

    store::walkin_join_request req{camp_id, *name, lower_ascii(email.value_or("")), topic.value_or(""),
                                   lang.value_or("de")};
    auto r = co_await ctx.walkins.join(std::move(req), ctx.now());
    if (r.is(store::refusal::unknown_camp)) co_return unknown_camp();
    if (!r.ok()) co_return problem_for(r);
    util::json_writer w;
    w.begin_object();
    w.key("id").value(r.value.id);
    w.key("token").value(r.value.token);
    w.key("ticket").value(r.value.ticket);
    w.key("position").value(r.value.position);
    w.key("state").value("waiting");
    w.key("camp").value(camp_id);
    w.end_object();
    http::response res = http::no_store(http::make_json(st::created, w.take()));
    res.set(http::bhttp::field::location, "/api/v1/walkins/" + r.value.token);
    co_return res;
}

/** What the founder's page and the camp's queue both show of an entry; the queue, all
 *  of one camp, leaves the camp out. */
void write_entry_fields(util::json_writer& w, const store::walkin_entry& e, bool with_camp)
{
    w.key("id").value(e.id);
    if (with_camp) w.key("camp").value(e.camp_id);
    w.key("ticket").value(e.ticket);
    w.key("name").value(e.name);
    w.key("topic").value(e.topic);
    w.key("state").value(e.state);
}

asio::awaitable<http::response> page(api_context& ctx, const std::string& token)
{
    auto p = co_await ctx.walkins.page_by_token(token);
    if (!p.ok()) co_return problem_for(p);
    const store::walkin_entry& e = p.value.entry;
    util::json_writer w;
    w.begin_object();
    write_entry_fields(w, e, true);
    if (e.position > 0) {
        w.key("position").value(e.position);
        w.key("ahead").value(e.position - 1);
    }
    w.key("offer");
    if (p.value.offered) {
        const domain::session& s = *p.value.offered;
        const date::time_zone* zone = domain::find_zone(s.zone);
        if (!zone) zone = domain::find_zone("UTC");
        w.begin_object();
        w.key("session_id").value(s.id);
        w.key("until").value(domain::format_rfc3339(e.offer_until, zone));
        w.key("session");
        views::write_session(w, s);
        w.end_object();
    } else {
        w.null();
    }
    w.key("booking");
    if (e.state == "booked") {
        w.begin_object();
        w.key("token").value(util::unseal(token, e.sealed_manage));
        w.key("session_id").value(e.booked_session);
        w.key("booking_id").value(e.booking_id);
        w.end_object();
    } else {
        w.null();
    }
    w.end_object();
    co_return http::no_store(http::make_json(st::ok, w.take()));
}

void write_booked(util::json_writer& w, const store::walkin_booked& b, bool with_token)
{
    w.begin_object();
    w.key("booking_id").value(b.booking_id);
    if (with_token) w.key("token").value(b.manage_token);
    w.key("session_id").value(b.session_id);
    w.key("status").value("confirmed");
    w.end_object();
}

} // namespace

void add_walkin_routes(http::router& routes, api_context& ctx, auth_guard& guard, walkin_limits limits)
{
    using verb = http::bhttp::verb;
    routes.add(verb::post, "/api/v1/camps/{id}/walkins", [&ctx, &guard, limits](http::request_context& rc) {
        return join(ctx, guard, limits, rc);
    });
    routes.add(verb::get, "/api/v1/camps/{id}/walkins",
               [&ctx](http::request_context& rc) -> asio::awaitable<http::response> {
                   std::string id = rc.params["id"];
                   auto found = co_await find_camp(ctx, id);
                   if (auto* problem = std::get_if<http::response>(&found)) co_return std::move(*problem);
                   const domain::camp* camp = &std::get<domain::camp>(found);
                   auto s = co_await ctx.walkins.summary(id);
                   if (!s.ok()) co_return problem_for(s);
                   util::json_writer w;
                   views::write_walkin_summary(w, id, s.value, domain::camp_day(ctx.settings.day, *camp),
                                               zone_of(*camp));
                   http::response res = http::make_json(st::ok, w.take());
                   res.set(http::bhttp::field::cache_control, "no-cache");
                   co_return res;
               });
    routes.add(verb::get, "/api/v1/camps/{id}/walkins/queue",
               [&ctx, &guard](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto who = co_await guard.require(rc, "", false);
                   if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                   std::string id = rc.params["id"];
                   auto found = co_await find_camp(ctx, id);
                   if (auto* problem = std::get_if<http::response>(&found)) co_return std::move(*problem);
                   const domain::camp* camp = &std::get<domain::camp>(found);
                   auto q = co_await ctx.walkins.queue(id);
                   if (!q.ok()) co_return problem_for(q);
                   const date::time_zone* zone = domain::find_zone(zone_of(*camp));
                   if (!zone) zone = domain::find_zone("UTC");
                   util::json_writer w;
                   w.begin_object();
                   w.key("camp").value(id);
                   w.key("entries").begin_array();
                   for (const auto& e : q.value) {
                       w.begin_object();
                       write_entry_fields(w, e, false);
                       w.key("joined_at").value(domain::format_rfc3339(e.joined_at, zone));
                       w.key("offer");
                       if (e.state == "offered") {
                           w.begin_object();
                           w.key("session_id").value(e.offer_session);
                           w.key("until").value(domain::format_rfc3339(e.offer_until, zone));
                           w.end_object();
                       } else {
                           w.null();
                       }
                       w.end_object();
                   }
                   w.end_array();
                   w.end_object();
                   co_return http::no_store(http::make_json(st::ok, w.take()));
               });
    routes.add(verb::get, "/api/v1/walkins/{token}",
               [&ctx](http::request_context& rc) { return page(ctx, rc.params["token"]); });
    routes.add(verb::delete_, "/api/v1/walkins/{token}",
               [&ctx](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto id = co_await ctx.walkins.entry_id_for(rc.params["token"]);
                   if (!id.ok()) co_return problem_for(id);
                   std::string by = "founder";
                   auto r = co_await ctx.walkins.leave(id.value, by, ctx.now());
                   if (!r.ok()) co_return problem_for(r);
                   co_return http::response{st::no_content, 11};
               });
    routes.add(verb::post, "/api/v1/walkins/{token}/claim",
               [&ctx](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto r = co_await ctx.walkins.claim(rc.params["token"], ctx.now());
                   if (!r.ok()) co_return problem_for(r);
                   util::json_writer w;
                   write_booked(w, r.value, true);
                   co_return http::no_store(http::make_json(st::created, w.take()));
               });
    routes.add(verb::post, "/api/v1/walkins/{token}/decline",
               [&ctx](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto id = co_await ctx.walkins.entry_id_for(rc.params["token"]);
                   if (!id.ok()) co_return problem_for(id);
                   auto r = co_await ctx.walkins.decline(id.value, ctx.now());
                   if (!r.ok()) co_return problem_for(r);
                   co_return http::no_store(http::make_json(st::ok, R"({"state":"waiting"})"));
               });
    routes.add(verb::post, "/api/v1/expert/sessions/{id}/walkins/{entry}",
               [&ctx, &guard](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto who = co_await guard.require(rc, "expert", true);
                   if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                   const auto& me = std::get<signed_in>(who).account;
                   std::string session_id = rc.params["id"], entry = rc.params["entry"];
                   auto not_mine = http::make_problem(st::not_found, "not-found", "there is no such session of yours");
                   if (!valid_id(session_id)) co_return not_mine;
                   auto s = co_await ctx.reader.session(session_id);
                   if (s.unavailable) co_return problem_for(s);
                   if (!s.ok() || s.value.expert_id != me.expert_id) co_return not_mine;
                   if (!valid_id(entry)) co_return problem_for(store::outcome::refusing(store::refusal::unknown_walkin));
                   // Only a session running or starting within the walk-in horizon: a later
                   // one is booked the usual way.
                   if (domain::effective_start(s.value) - ctx.now() > ctx.settings.day.walkin_horizon)
                       co_return problem_for(store::outcome::refusing(store::refusal::beyond_horizon));
                   std::string expert = me.expert_id;
                   auto r = co_await ctx.walkins.call_in(session_id, entry, expert, ctx.now());
                   if (!r.ok()) co_return problem_for(r);
                   util::json_writer w;
                   write_booked(w, r.value, false);
                   co_return http::no_store(http::make_json(st::created, w.take()));
               });
    routes.add(verb::delete_, "/api/v1/admin/walkins/{id}",
               [&ctx, &guard](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto who = co_await guard.require(rc, "admin", true);
                   if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                   std::string id = rc.params["id"];
                   if (!valid_id(id)) co_return problem_for(store::outcome::refusing(store::refusal::unknown_walkin));
                   std::string by = std::get<signed_in>(who).account.id;
                   auto r = co_await ctx.walkins.leave(id, by, ctx.now());
                   if (!r.ok()) co_return problem_for(r);
                   co_return http::response{st::no_content, 11};
               });
}

} // namespace sp::api
