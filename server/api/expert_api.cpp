#include "api/expert_api.hpp"

#include "domain/walkin_rules.hpp"

#include "api/json_input.hpp"
#include "api/problems.hpp"
#include "domain/attendance_rules.hpp"
#include "views/domain_json.hpp"
#include "http/query.hpp"
#include "store/rule_codec.hpp"
#include "util/json_writer.hpp"
#include <algorithm>
#include <functional>

namespace asio = boost::asio;

namespace sp::api {
namespace {

using st = http::bhttp::status;

http::response not_found(std::string_view what)
{
    return http::make_problem(st::not_found, "not-found", "there is no such " + std::string(what) + " of yours");
}

http::response private_json(st status, std::string body)
{
    http::response res = http::make_json(status, std::move(body));
    res.set(http::bhttp::field::cache_control, "no-store"); // founders' personal data
    return res;
}

/** The rule in the body, with the expert and id taken from the session and the URL. */
std::variant<store::rule_spec, http::response> rule_from_body(const http::request& req, const std::string& expert_id,
                                                              const std::string& rule_id)
{
    // The generic checks first (media type, JSON, an object, no key twice); the rule's
    // own decoder then reads the fields.
    json_input in(req);
    if (in.failed()) return in.take_problem();
    auto decoded = store::decode_rule(req.body());
    // The expert is whoever is signed in; a body naming another is simply overridden.
    decoded.spec.rule.expert_id = expert_id;
    decoded.spec.rule.id = rule_id;
    std::erase_if(decoded.problems, [](const auto& p) { return p.field == "expert_id"; });
    if (decoded.problems.empty()) decoded.problems = domain::validate(decoded.spec.rule); // now with the expert set
    if (!decoded.problems.empty()) {
        const auto& p = decoded.problems.front();
        bool syntax = p.field.empty();
        return http::make_problem(syntax ? st::bad_request : st::unprocessable_entity,
                                  syntax ? "malformed-json" : "invalid-field",
                                  (p.field.empty() ? std::string("the body ") : p.field + " ") + p.message, p.field);
    }
    return decoded.spec;
}

} // namespace

asio::awaitable<http::response> expert_schedule(api_context& ctx, std::string expert_id)
{
    store::session_query q;
    q.expert_id = expert_id;
    q.from = ctx.now() - std::chrono::hours(12);
    q.to = ctx.now() + std::chrono::days(14);
    auto sessions = co_await ctx.reader.sessions(q);
    if (!sessions.ok()) co_return problem_for(sessions);
    auto camps = co_await ctx.catalog.camps();
    if (!camps.ok()) co_return problem_for(camps);
    util::json_writer w;
    views::booking_clock clock{ctx.settings.limits, ctx.now(), ctx.settings.checkin_open};
    w.begin_object().key("sessions").begin_array();
    for (const auto& s : sessions.value) {
        auto held = co_await ctx.reader.session_bookings(s.id);
        if (!held.ok()) co_return problem_for(held);
        w.begin_object();
        w.key("session");
        views::write_session(w, s, &clock);
        {
            // When the dashboard may offer "check in" (the rule checkin.lua applies).
            const date::time_zone* zone = domain::find_zone(s.zone);
            if (!zone) zone = domain::find_zone("UTC");
            domain::day_settings day;
            day.checkin_open = ctx.settings.checkin_open;
            w.key("checkin_from").value(domain::format_rfc3339(domain::checkin_opens(s, day), zone));
        }
        // When the dashboard may offer "No-show – release" (the rule release.lua applies).
        auto camp = std::find_if(camps.value.begin(), camps.value.end(), [&](auto& c) { return c.id == s.camp_id; });
        const domain::day_settings camp_day =
            camp == camps.value.end() ? ctx.settings.day : domain::camp_day(ctx.settings.day, *camp);
        const date::time_zone* zone = domain::find_zone(s.zone);
        if (!zone) zone = domain::find_zone("UTC");
        w.key("release_from").value(domain::format_rfc3339(domain::release_due(s, camp_day), zone));
        // When the dashboard may offer "running late" (the rule of the late route).
        w.key("late_from").value(domain::format_rfc3339(domain::late_from(s, ctx.settings.day), zone));
        // When "Extend" would be refused (the rule session_extend.lua applies): the
        // dashboard shows the button disabled with the session in the way.
        if (auto v = domain::may_extend(s, sessions.value, ctx.now(), ctx.settings.day);
            v.refusal == domain::extend_refusal::next_session_booked) {
            auto in_way = std::find_if(sessions.value.begin(), sessions.value.end(),
                                       [&](const auto& t) { return t.id == v.blocked_by; });
            if (in_way != sessions.value.end()) {
                w.key("extend_blocked_by").begin_object().key("id").value(in_way->id);
                w.key("start").value(domain::format_rfc3339(in_way->start, zone)).end_object();
            }
        }
        w.key("bookings").begin_array();
        for (const auto& b : held.value) {
            w.begin_object();
            w.key("id").value(b.id).key("status").value(b.status).key("name").value(b.name);
            w.key("email").value(b.email).key("startup").value(b.startup);
            w.key("question").value(b.question).key("lang").value(b.lang);
            w.key("checked_in").value(b.checked_in).key("released").value(b.released);
            // Seated after the start (moved up, or a walk-in): their own release time.
            w.key("release_from")
                .value(domain::format_rfc3339(domain::release_due(s, domain::seated_at(b), camp_day), zone));
            w.end_object();
        }
        w.end_array().end_object();
    }
    w.end_array();
    w.key("extend_minutes").value(static_cast<std::int64_t>(ctx.settings.day.extend_by.count()));
    w.key("min_walkin_minutes").value(static_cast<std::int64_t>(ctx.settings.day.min_walkin.count()));
    w.end_object();
    co_return private_json(st::ok, w.take());
}

void add_expert_routes(http::router& routes, api_context& ctx, auth_guard& guard)
{
    using verb = http::bhttp::verb;

    routes.add(verb::get, "/api/v1/expert/sessions",
               [&ctx, &guard](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto who = co_await guard.require(rc, "expert", false);
                   if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                   std::string expert_id = std::get<signed_in>(who).account.expert_id;
                   co_return co_await expert_schedule(ctx, expert_id);
               });

    routes.add(verb::get, "/api/v1/expert/rules",
               [&ctx, &guard](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto who = co_await guard.require(rc, "expert", false);
                   if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                   auto specs = co_await ctx.schedule.rule_specs_of(std::get<signed_in>(who).account.expert_id);
                   if (!specs.ok()) co_return problem_for(specs);
                   util::json_writer w;
                   w.begin_object().key("rules").begin_array();
                   for (const auto& spec : specs.value) w.raw(spec); // written by encode_rule: valid JSON
                   w.end_array().end_object();
                   co_return private_json(st::ok, w.take());
               });

    routes.add(verb::post, "/api/v1/expert/rules/preview",
               [&ctx, &guard](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto who = co_await guard.require(rc, "expert", false);
                   if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                   auto spec = rule_from_body(rc.req, std::get<signed_in>(who).account.expert_id, "preview");
                   if (auto* problem = std::get_if<http::response>(&spec)) co_return std::move(*problem);
                   const auto& s = std::get<store::rule_spec>(spec);
                   auto now = ctx.now();
                   auto plan = domain::expand(s.rule, s.exceptions, now, now + std::chrono::days(28));
                   const auto* zone = domain::find_zone(s.rule.zone);
                   util::json_writer w;
                   w.begin_object().key("sessions").begin_array();
                   for (const auto& p : plan) {
                       w.begin_object();
                       w.key("start").value(domain::format_rfc3339(p.start, zone));
                       w.key("end").value(domain::format_rfc3339(p.end, zone));
                       w.key("seats").value(p.seats);
                       w.end_object();
                   }
                   w.end_array().end_object();
                   co_return private_json(st::ok, w.take());
               });

    routes.add(verb::put, "/api/v1/expert/rules/{id}",
               [&ctx, &guard](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto who = co_await guard.require(rc, "expert", true);
                   if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                   const auto& me = std::get<signed_in>(who).account;
                   std::string id = rc.params["id"];
                   if (!valid_id(id))
                       co_return http::make_problem(st::unprocessable_entity, "invalid-field",
                                                    "a rule id is 1-100 characters of a-z, 0-9 and -", "id");
                   auto owner = co_await ctx.schedule.rule_owner(id);
                   if (owner.unavailable) co_return problem_for(owner);
                   if (owner.ok() && owner.value != me.expert_id) co_return not_found("rule");
                   auto spec = rule_from_body(rc.req, me.expert_id, id);
                   if (auto* problem = std::get_if<http::response>(&spec)) co_return std::move(*problem);
                   auto& s = std::get<store::rule_spec>(spec);
                   auto camps = co_await ctx.catalog.camps();
                   if (!camps.ok()) co_return problem_for(camps);
                   bool camp_known = false;
                   for (const auto& c : camps.value) camp_known = camp_known || c.id == s.rule.camp_id;
                   if (!camp_known)
                       co_return http::make_problem(st::unprocessable_entity, "unknown-camp", "there is no such camp",
                                                    "camp_id");
                   std::string by = me.id;
                   auto r = co_await ctx.schedule.put_rule(s.rule, s.exceptions, ctx.now(), by);
                   if (!r.ok()) co_return problem_for(r);
                   util::json_writer w;
                   w.begin_object().key("id").value(id).key("sessions").begin_object();
                   w.key("created").value(r.value.created).key("updated").value(r.value.updated);
                   w.key("removed").value(r.value.removed).key("orphaned").value(r.value.orphaned);
                   w.end_object().end_object();
                   co_return private_json(owner.ok() ? st::ok : st::created, w.take());
               });

    routes.add(verb::delete_, "/api/v1/expert/rules/{id}",
               [&ctx, &guard](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto who = co_await guard.require(rc, "expert", true);
                   if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                   std::string id = rc.params["id"];
                   auto owner = co_await ctx.schedule.rule_owner(id);
                   if (owner.unavailable) co_return problem_for(owner);
                   if (!owner.ok() || owner.value != std::get<signed_in>(who).account.expert_id)
                       co_return not_found("rule");
                   std::string by = std::get<signed_in>(who).account.id;
                   auto r = co_await ctx.schedule.delete_rule(id, ctx.now(), by);
                   if (!r.ok()) co_return problem_for(r);
                   util::json_writer w;
                   w.begin_object().key("removed").value(r.value.removed).key("orphaned").value(r.value.orphaned);
                   w.end_object();
                   co_return private_json(st::ok, w.take());
               });

    routes.add(verb::post, "/api/v1/expert/sessions/{id}/cancel",
               [&ctx, &guard](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto who = co_await guard.require(rc, "expert", true);
                   if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                   const auto& me = std::get<signed_in>(who).account;
                   json_input in(rc.req);
                   in.allow_only({"message"});
                   // Optional when nobody is booked or waiting (the store decides, atomically
                   // with what the script finds): then there is nobody to tell.
                   auto message = in.string("message", false, 500);
                   if (in.failed()) co_return in.take_problem();
                   std::string id = rc.params["id"];
                   if (!valid_id(id)) co_return not_found("session");
                   auto s = co_await ctx.reader.session(id);
                   if (s.unavailable) co_return problem_for(s);
                   if (!s.ok() || s.value.expert_id != me.expert_id) co_return not_found("session");
                   std::string by = me.id;
                   auto r = co_await ctx.schedule.cancel_session(id, message.value_or(""), by, ctx.now());
                   if (!r.ok()) co_return problem_for(r);
                   util::json_writer w;
                   w.begin_object().key("cancelled_bookings").value(r.value).end_object();
                   co_return private_json(st::ok, w.take());
               });
}

namespace {

/** The session `id` if it is the signed-in expert's, else the 404 to answer. */
asio::awaitable<std::variant<domain::session, http::response>> own_session(api_context& ctx, const std::string& id,
                                                                           const store::account& me)
{
    if (!valid_id(id)) co_return not_found("session");
    auto s = co_await ctx.reader.session(id);
    if (s.unavailable) co_return problem_for(s);
    if (!s.ok() || s.value.expert_id != me.expert_id) co_return not_found("session");
    co_return std::move(s.value);
}

/** The booking `id` in one of `me`'s sessions, with that session: 404 "booking" for anyone else's. */
asio::awaitable<std::variant<domain::session, http::response>> own_booking_session(api_context& ctx,
                                                                                   const std::string& booking_id,
                                                                                   const store::account& me)
{
    if (!valid_id(booking_id)) co_return not_found("booking");
    auto session_id = co_await ctx.bookings.booking_session(booking_id);
    if (session_id.unavailable) co_return problem_for(session_id);
    if (!session_id.ok()) co_return not_found("booking");
    auto mine = co_await own_session(ctx, session_id.value, me);
    if (auto* problem = std::get_if<http::response>(&mine))
        co_return problem->result() == st::not_found ? not_found("booking") : std::move(*problem);
    co_return std::move(mine);
}

} // namespace

namespace {

enum class owned { session, booking };

/** What a route on one of the expert's own sessions or bookings does, once the expert is
 *  signed in and the thing is theirs: the signed-in account and the session (the
 *  booking's session for a booking route). */
using owned_handler = std::function<asio::awaitable<http::response>(http::request_context&, const store::account&,
                                                                     const domain::session&)>;

/** Adds a route whose `{id}` names one of the signed-in expert's own sessions or bookings:
 *  401/403 for anyone but an expert, 404 for someone else's, 503 when Redis is away. */
void add_owned_route(http::router& routes, api_context& ctx, auth_guard& guard, http::bhttp::verb method,
                     std::string pattern, owned what, owned_handler handler)
{
    routes.add(method, std::move(pattern),
               [&ctx, &guard, what, handler = std::move(handler)](
                   http::request_context& rc) -> asio::awaitable<http::response> {
                   auto who = co_await guard.require(rc, "expert", true);
                   if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                   const store::account& me = std::get<signed_in>(who).account;
                   const std::string id = rc.params["id"];
                   // Two statements, not one conditional: GCC 12 miscompiles co_await
                   // inside ?: (the server crashed on the second branch).
                   std::variant<domain::session, http::response> mine;
                   if (what == owned::session)
                       mine = co_await own_session(ctx, id, me);
                   else
                       mine = co_await own_booking_session(ctx, id, me);
                   if (auto* problem = std::get_if<http::response>(&mine)) co_return std::move(*problem);
                   co_return co_await handler(rc, me, std::get<domain::session>(mine));
               });
}

const date::time_zone* zone_of(const domain::session& s)
{
    const date::time_zone* zone = domain::find_zone(s.zone);
    return zone ? zone : domain::find_zone("UTC");
}

} // namespace

void add_expert_live_routes(http::router& routes, api_context& ctx, auth_guard& guard)
{
    using verb = http::bhttp::verb;
    add_owned_route(routes, ctx, guard, verb::post, "/api/v1/expert/sessions/{id}/late", owned::session,
                    [&ctx](http::request_context& rc, const store::account& me,
                           const domain::session& s) -> asio::awaitable<http::response> {
                        json_input in(rc.req);
                        in.allow_only({"minutes"});
                        auto minutes = in.integer("minutes", true, 0, 240);
                        if (in.failed()) co_return in.take_problem();
                        // The time window is the domain's; whether it takes place, the script
                        // decides against the stored state.
                        switch (domain::may_announce_late(s, ctx.now(), ctx.settings.day)) {
                        case domain::late_refusal::too_early:
                            co_return problem_for(store::outcome::refusing(store::refusal::late_too_early));
                        case domain::late_refusal::session_over:
                            co_return problem_for(store::outcome::refusing(store::refusal::session_over));
                        default: break;
                        }
                        auto r = co_await ctx.schedule.set_late(s.id, static_cast<int>(*minutes), me.id, ctx.now());
                        if (!r.ok()) co_return problem_for(r);
                        co_return http::response{st::no_content, 11};
                    });

    // "End now": the rest of the slot, when long enough, becomes a walk-in slot.
    add_owned_route(routes, ctx, guard, verb::post, "/api/v1/expert/sessions/{id}/end-early", owned::session,
                    [&ctx](http::request_context&, const store::account& me,
                           const domain::session& s) -> asio::awaitable<http::response> {
                        auto r = co_await ctx.schedule.end_early(s.id, me.id, ctx.settings.day, ctx.now());
                        if (!r.ok()) co_return problem_for(r);
                        util::json_writer w;
                        w.begin_object().key("session_id").value(s.id);
                        w.key("end").value(domain::format_rfc3339(ctx.now(), zone_of(s)));
                        w.key("walkin_session_id");
                        if (r.value.empty())
                            w.null();
                        else
                            w.value(r.value);
                        w.end_object();
                        co_return private_json(st::ok, w.take());
                    });

    // "Extend by 10 minutes", refused when it would reach a booked session of the expert.
    add_owned_route(routes, ctx, guard, verb::post, "/api/v1/expert/sessions/{id}/extend", owned::session,
                    [&ctx](http::request_context&, const store::account& me,
                           const domain::session& s) -> asio::awaitable<http::response> {
                        auto r = co_await ctx.schedule.extend(s.id, me.id, ctx.settings.day, ctx.now());
                        const date::time_zone* zone = zone_of(s);
                        if (r.is(store::refusal::next_session_booked)) {
                            // Say which session is in the way, at its local time.
                            std::string which = r.detail;
                            auto next = co_await ctx.reader.session(r.detail);
                            if (next.ok())
                                which = "at " + domain::format_rfc3339(next.value.start, zone).substr(11, 5) + " (" +
                                        r.detail + ")";
                            co_return http::make_problem(st::conflict, "next-session-booked",
                                                         "your session " + which +
                                                             " has a booking or a waitlist: the extension would reach it");
                        }
                        if (!r.ok()) co_return problem_for(r);
                        util::json_writer w;
                        w.begin_object().key("session_id").value(s.id);
                        w.key("end").value(domain::format_rfc3339(r.value, zone));
                        w.end_object();
                        co_return private_json(st::ok, w.take());
                    });

    add_owned_route(routes, ctx, guard, verb::post, "/api/v1/expert/bookings/{id}/checkin", owned::booking,
                    [&ctx](http::request_context& rc, const store::account& me,
                           const domain::session& s) -> asio::awaitable<http::response> {
                        auto r = co_await ctx.bookings.check_in(rc.params["id"], s.id, me.id, ctx.now());
                        if (!r.ok()) co_return problem_for(r);
                        co_return http::response{st::no_content, 11};
                    });

    add_owned_route(routes, ctx, guard, verb::post, "/api/v1/expert/bookings/{id}/release", owned::booking,
                    [&ctx](http::request_context& rc, const store::account& me,
                           const domain::session& s) -> asio::awaitable<http::response> {
                        auto camps = co_await ctx.catalog.camps();
                        if (!camps.ok()) co_return problem_for(camps);
                        store::release_request req{rc.params["id"], s.id, s.zone, ctx.settings.day, me.id};
                        for (const auto& c : camps.value)
                            if (c.id == s.camp_id) req.day = domain::camp_day(ctx.settings.day, c);
                        auto r = co_await ctx.bookings.release(std::move(req), ctx.now());
                        if (!r.ok()) co_return problem_for(r);
                        co_return http::response{st::no_content, 11};
                    });

    add_owned_route(routes, ctx, guard, verb::post, "/api/v1/expert/bookings/{id}/attendance", owned::booking,
                    [&ctx](http::request_context& rc, const store::account& me,
                           const domain::session& s) -> asio::awaitable<http::response> {
                        json_input in(rc.req);
                        in.allow_only({"status"});
                        auto status = in.string("status", true, 20);
                        if (!in.failed() && *status != "attended" && *status != "no_show")
                            in.fail(st::unprocessable_entity, "invalid-field", "status must be attended or no_show",
                                    "status");
                        if (in.failed()) co_return in.take_problem();
                        if (s.start > ctx.now())
                            co_return http::make_problem(st::conflict, "not-started",
                                                         "attendance can be recorded once the session has started");
                        auto r = co_await ctx.bookings.set_attendance(rc.params["id"], s.id, *status, me.id, ctx.now());
                        if (!r.ok()) co_return problem_for(r);
                        co_return http::response{st::no_content, 11};
                    });
}

} // namespace sp::api
