#include "api/calendar_api.hpp"

#include "api/json_input.hpp"
#include "api/problems.hpp"
#include "http/static_handler.hpp"
#include "notify/booking_view.hpp"
#include "util/json_writer.hpp"
#include "util/secrets.hpp"

#include <algorithm>
#include <map>

namespace asio = boost::asio;

namespace sp::api {
namespace {

using st = http::bhttp::status;

/** A calendar document with a strong ETag; 304 when the client has it already. DTSTAMP
 *  changes on every render, so the tag is taken over the text without that line. */
http::response calendar_response(const http::request& req, const std::string& ics, const std::string& filename)
{
    std::string stable;
    for (std::size_t pos = 0; pos < ics.size();) {
        auto nl = ics.find("\r\n", pos);
        if (nl == std::string::npos) nl = ics.size();
        std::string_view line(ics.data() + pos, nl - pos);
        if (!line.starts_with("DTSTAMP")) stable.append(line).append("\n");
        pos = nl + 2;
    }
    std::string etag = "\"" + util::sha256_hex(stable).substr(0, 32) + "\"";
    auto inm = req.find(http::bhttp::field::if_none_match);
    if (inm != req.end() && http::etag_matches(inm->value(), etag)) {
        http::response res{st::not_modified, 11};
        res.set(http::bhttp::field::etag, etag);
        res.set(http::bhttp::field::cache_control, "private, no-cache");
        return res;
    }
    http::response res = http::make_response(st::ok, ics, "text/calendar; charset=utf-8");
    res.set(http::bhttp::field::etag, etag);
    res.set(http::bhttp::field::cache_control, "private, no-cache");
    res.set(http::bhttp::field::content_disposition, "inline; filename=\"" + filename + "\"");
    return res;
}

/** The answer to a new feed link: https and webcal forms of the same secret URL, and
 *  whether an older link of the subject stopped working with it. */
http::response feed_created(const api_context& ctx, const store::feed_link& link)
{
    std::string https = ctx.public_url + "/feeds/" + link.token + ".ics";
    std::string webcal = https.substr(0, 8) == "https://" ? "webcal://" + https.substr(8)
                         : https.substr(0, 7) == "http://" ? "webcal://" + https.substr(7)
                                                           : https;
    util::json_writer w;
    w.begin_object().key("url").value(https).key("webcal").value(webcal).key("replaced").value(link.replaced);
    w.end_object();
    http::response res = http::make_json(st::created, w.take());
    res.set(http::bhttp::field::cache_control, "no-store");
    return res;
}

/** POST: a new link for the subject's feed (201); DELETE: none any more (204). */
asio::awaitable<http::response> change_feed(api_context& ctx, store::feed_store& feeds, http::bhttp::verb method,
                                            store::feed_subject s)
{
    if (method == http::bhttp::verb::delete_) {
        auto r = co_await feeds.revoke(s, ctx.now());
        if (!r.ok()) co_return problem_for(r);
        co_return http::response{st::no_content, 11};
    }
    auto token = co_await feeds.rotate(s, ctx.now());
    if (!token.ok()) co_return problem_for(token);
    co_return feed_created(ctx, token.value);
}

/** SEQUENCE for a session: its last change's time in seconds, which only grows. */
int session_sequence(const domain::session& s)
{
    auto dash = s.version.find('-');
    if (dash == std::string::npos || dash < 4) return 0;
    return static_cast<int>(std::atoll(s.version.substr(0, dash).c_str()) / 1000);
}

calendar::ics_event session_event(const domain::session& s, const notify::hub_names& n, const std::string& organizer,
                                  domain::instant stamp)
{
    calendar::ics_event e;
    e.uid = s.id + "@sprechstunde";
    e.sequence = session_sequence(s);
    e.status = s.status == "cancelled" ? "CANCELLED" : "CONFIRMED";
    e.start = s.start;
    e.end = s.end;
    e.zone = s.zone;
    std::string expert = n.expert.count(s.expert_id) ? n.expert.at(s.expert_id) : s.expert_id;
    e.summary = s.kind == domain::session_kind::event && !s.title.empty() ? s.title : "Sprechstunde: " + expert;
    std::string room = n.room.count(s.room_id) ? n.room.at(s.room_id) + ", " : "";
    std::string camp = n.camp.count(s.camp_id) ? n.camp.at(s.camp_id) : s.camp_id;
    std::string address = n.address.count(s.camp_id) ? ", " + n.address.at(s.camp_id) : "";
    e.location = s.online_url.empty() || !room.empty() ? room + camp + address : "Online";
    e.organizer_name = expert;
    e.organizer_email = organizer;
    e.stamp = stamp;
    return e;
}

} // namespace

void add_calendar_routes(http::router& routes, api_context& ctx, auth_guard& guard, store::feed_store& feeds,
                         std::string organizer_email)
{
    using verb = http::bhttp::verb;
    routes.add(verb::get, "/feeds/{file}",
               [&ctx, &feeds, organizer_email](http::request_context& rc) -> asio::awaitable<http::response> {
                   std::string file = rc.params["file"];
                   if (!file.ends_with(".ics")) co_return http::make_problem(st::not_found, "not-found", "no such feed");
                   auto feed = co_await feeds.resolve(file.substr(0, file.size() - 4));
                   if (feed.unavailable) co_return problem_for(feed);
                   if (!feed.ok()) co_return http::make_problem(st::not_found, "not-found", "no such feed (revoked?)");
                   auto n = co_await notify::load_hub_names(ctx.catalog);
                   if (!n.ok()) co_return problem_for(n);
                   auto now = ctx.now();
                   std::vector<calendar::ics_event> events;
                   std::string title;
                   const auto& [kind, subject] = feed.value;
                   if (kind == "founder") {
                       auto bookings = co_await ctx.founders.founder_bookings(subject);
                       if (!bookings.ok()) co_return problem_for(bookings);
                       for (const auto& b : bookings.value) {
                           notify::booking_view v{b, n.value.expert[b.session.expert_id], n.value.camp[b.session.camp_id],
                                                  ""};
                           auto e = session_event(b.session, n.value, organizer_email, now);
                           v.place = e.location;
                           auto be = notify::booking_ics_event(v, organizer_email, "", now);
                           events.push_back(std::move(be));
                       }
                       title = "Sprechstunde – meine Buchungen";
                   } else {
                       store::session_query q;
                       q.from = now - std::chrono::days(30);
                       q.to = now + std::chrono::days(62);
                       q.limit = 2000;
                       if (kind == "expert") q.expert_id = subject;
                       else q.camp_id = subject;
                       auto sessions = co_await ctx.reader.sessions(q);
                       if (!sessions.ok()) co_return problem_for(sessions);
                       for (const auto& s : sessions.value) {
                           auto e = session_event(s, n.value, organizer_email, now);
                           if (kind == "expert") {
                               // The expert's own feed names who comes and why.
                               auto held = co_await ctx.reader.session_bookings(s.id);
                               if (!held.ok()) co_return problem_for(held);
                               for (const auto& b : held.value)
                                   e.description += b.name + " (" + b.startup + ", " + b.status + ")" +
                                                    (b.question.empty() ? "" : ": " + b.question) + "\n";
                           } else {
                               e.description = std::to_string(std::max(0, s.seats - s.taken)) + " / " +
                                               std::to_string(s.seats) + " Plätze frei";
                           }
                           events.push_back(std::move(e));
                       }
                       title = kind == "expert" ? "Sprechstunde – " + n.value.expert[subject]
                                                : "Sprechstunde – " + n.value.camp[subject];
                   }
                   std::string ics = calendar::make_calendar(calendar::ics_method::publish, events, title);
                   co_return calendar_response(rc.req, ics, "sprechstunde.ics");
               });

    routes.add(verb::post, "/api/v1/manage/{token}/feed",
               [&ctx, &feeds](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto founder = co_await ctx.founders.founder_of_token(rc.params["token"]);
                   if (!founder.ok()) co_return problem_for(founder);
                   store::feed_subject s{"founder", founder.value};
                   auto token = co_await feeds.rotate(s, ctx.now());
                   if (!token.ok()) co_return problem_for(token);
                   co_return feed_created(ctx, token.value);
               });

    for (auto method : {verb::post, verb::delete_}) {
        routes.add(method, "/api/v1/expert/feed",
                   [&ctx, &guard, &feeds](http::request_context& rc) -> asio::awaitable<http::response> {
                       auto who = co_await guard.require(rc, "expert", true);
                       if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                       store::feed_subject s{"expert", std::get<signed_in>(who).account.expert_id};
                       co_return co_await change_feed(ctx, feeds, rc.req.method(), s);
                   });
        routes.add(method, "/api/v1/admin/camps/{id}/feed",
                   [&ctx, &guard, &feeds](http::request_context& rc) -> asio::awaitable<http::response> {
                       auto who = co_await guard.require(rc, "admin", true);
                       if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                       std::string id = rc.params["id"];
                       auto camps = co_await ctx.catalog.camps();
                       if (!camps.ok()) co_return problem_for(camps);
                       if (std::none_of(camps.value.begin(), camps.value.end(), [&](auto& c) { return c.id == id; }))
                           co_return http::make_problem(st::not_found, "not-found", "there is no such camp", "id");
                       store::feed_subject s{"camp", id};
                       co_return co_await change_feed(ctx, feeds, rc.req.method(), s);
                   });
    }

    routes.add(http::bhttp::verb::get, "/api/v1/manage/{token}/booking.ics",
               [&ctx, organizer_email](http::request_context& rc) -> asio::awaitable<http::response> {
                   std::string token = rc.params["token"];
                   auto b = co_await ctx.bookings.booking_by_token(token);
                   if (!b.ok()) co_return problem_for(b);
                   auto v = co_await notify::load_booking_view(ctx.catalog, ctx.bookings, b.value.booking.id);
                   if (!v.ok()) co_return problem_for(v);
                   auto stamp = ctx.now();
                   auto event = notify::booking_ics_event(v.value, organizer_email, ctx.public_url + "/b/" + token, stamp);
                   bool cancelled = event.status == "CANCELLED";
                   std::string ics = calendar::make_calendar(
                       cancelled ? calendar::ics_method::cancel : calendar::ics_method::request, {event});
                   co_return calendar_response(rc.req, ics, "booking.ics");
               });
}

} // namespace sp::api
