#include "api/public_api.hpp"

#include "api/json_input.hpp"
#include "api/problems.hpp"
#include "views/domain_json.hpp"
#include "http/query.hpp"
#include "util/qr_svg.hpp"

#include <algorithm>
#include <set>

namespace asio = boost::asio;

namespace sp::api {
namespace {

using st = http::bhttp::status;
constexpr auto k_max_range = std::chrono::days(62);

bool contains(const std::vector<std::string>& v, std::string_view x)
{
    return std::find(v.begin(), v.end(), x) != v.end();
}

/** A range bound: RFC 3339, or a date (midnight in Europe/Berlin, the hub's zone). */
std::optional<domain::instant> parse_bound(std::string_view text)
{
    if (auto t = domain::parse_rfc3339(text)) return t;
    if (auto d = domain::parse_date(text)) return domain::start_of_local_day(*d, domain::find_zone("Europe/Berlin"));
    return std::nullopt;
}

http::response json_ok(std::string body)
{
    http::response res = http::make_json(st::ok, std::move(body));
    res.set(http::bhttp::field::cache_control, "no-cache");
    return res;
}

/** Where the booking page is, as the lobby's QR code should say it: the configured
 *  public URL, else the Host the display itself used (checked to be a plain host). */
std::optional<std::string> booking_base(const api_context& ctx, const http::request& req)
{
    if (!ctx.public_url.empty()) return ctx.public_url;
    auto host = req.find(http::bhttp::field::host);
    if (host == req.end() || host->value().empty() || host->value().size() > 255) return std::nullopt;
    for (char c : host->value())
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != ':' && c != '[' && c != ']')
            return std::nullopt;
    return "http://" + std::string(host->value());
}

/** An SVG QR code of `path` under the hub's public address. */
http::response qr_response(const api_context& ctx, http::request_context& rc, const std::string& path)
{
    auto base = booking_base(ctx, rc.req);
    if (!base)
        return http::make_problem(st::bad_request, "bad-host", "set hub.public_url or send a plain Host header", "Host");
    std::string url = *base + path;
    auto matrix = util::qr_encode(url);
    if (!matrix) return http::make_problem(st::internal_server_error, "qr-failed", "the address is too long for a QR code");
    http::response res = http::make_response(st::ok, util::qr_svg(*matrix, "QR code: " + url), "image/svg+xml");
    res.set(http::bhttp::field::cache_control, "public, max-age=3600");
    return res;
}

/** The QR code of a camp's page `prefix` + id (a known id: a-z, 0-9 and -). */
asio::awaitable<http::response> camp_qr(api_context& ctx, http::request_context& rc, std::string_view prefix)
{
    std::string id = rc.params["id"];
    auto camps = co_await ctx.catalog.camps();
    if (!camps.ok()) co_return problem_for(camps);
    bool known = false;
    for (const auto& c : camps.value) known = known || c.id == id;
    if (!known) co_return http::make_problem(st::not_found, "not-found", "there is no such camp", "id");
    co_return qr_response(ctx, rc, std::string(prefix) + id);
}

} // namespace

void add_public_routes(http::router& routes, api_context& ctx)
{
    // The lobby's QR codes: the camp's booking page, and its walk-in queue (/walkin/<camp>).
    routes.add(http::bhttp::verb::get, "/api/v1/camps/{id}/qr.svg",
               [&ctx](http::request_context& rc) -> asio::awaitable<http::response> {
                   co_return co_await camp_qr(ctx, rc, "/?camp=");
               });
    routes.add(http::bhttp::verb::get, "/api/v1/camps/{id}/walkin-qr.svg",
               [&ctx](http::request_context& rc) -> asio::awaitable<http::response> {
                   co_return co_await camp_qr(ctx, rc, "/walkin/");
               });

    // A room's printable QR code (/rooms/<id>/qr shows it): it opens the room's check-in
    // page, where a founder with a booking in that room says "I'm here".
    routes.add(http::bhttp::verb::get, "/api/v1/rooms/{id}/qr.svg",
               [&ctx](http::request_context& rc) -> asio::awaitable<http::response> {
                   std::string id = rc.params["id"];
                   auto rooms = co_await ctx.catalog.rooms();
                   if (!rooms.ok()) co_return problem_for(rooms);
                   bool known = false;
                   for (const auto& r : rooms.value) known = known || r.id == id;
                   if (!known) co_return http::make_problem(st::not_found, "not-found", "there is no such room", "id");
                   co_return qr_response(ctx, rc, "/rooms/" + id); // a known id: a-z, 0-9 and -
               });

    routes.add(http::bhttp::verb::get, "/api/v1/camps", [&ctx](http::request_context&) -> asio::awaitable<http::response> {
        auto camps = co_await ctx.catalog.camps();
        if (!camps.ok()) co_return problem_for(camps);
        auto rooms = co_await ctx.catalog.rooms();
        if (!rooms.ok()) co_return problem_for(rooms);
        std::sort(camps.value.begin(), camps.value.end(), [](auto& a, auto& b) { return a.city < b.city; });
        util::json_writer w;
        w.begin_object().key("camps").begin_array();
        for (const auto& c : camps.value) views::write_camp(w, c, rooms.value);
        w.end_array().end_object();
        co_return json_ok(w.take());
    });

    routes.add(http::bhttp::verb::get, "/api/v1/experts",
               [&ctx](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto q = http::parse_query(rc.req.target());
                   if (!q) co_return http::make_problem(st::bad_request, "bad-query", "the query string is malformed");
                   auto experts = co_await ctx.catalog.experts();
                   if (!experts.ok()) co_return problem_for(experts);
                   std::string camp = (*q)["camp"], topic = (*q)["topic"], language = (*q)["language"];
                   std::sort(experts.value.begin(), experts.value.end(),
                             [](auto& a, auto& b) { return a.name < b.name; });
                   util::json_writer w;
                   w.begin_object().key("experts").begin_array();
                   for (const auto& e : experts.value) {
                       if (!camp.empty() && !contains(e.camp_ids, camp)) continue;
                       if (!topic.empty() && !contains(e.topics, topic)) continue;
                       if (!language.empty() && !contains(e.languages, language)) continue;
                       views::write_expert(w, e);
                   }
                   w.end_array().end_object();
                   co_return json_ok(w.take());
               });

    routes.add(http::bhttp::verb::get, "/api/v1/topics", [&ctx](http::request_context&) -> asio::awaitable<http::response> {
        auto experts = co_await ctx.catalog.experts();
        if (!experts.ok()) co_return problem_for(experts);
        auto camps = co_await ctx.catalog.camps();
        if (!camps.ok()) co_return problem_for(camps);
        std::set<std::string> topics;
        for (const auto& e : experts.value) topics.insert(e.topics.begin(), e.topics.end());
        for (const auto& c : camps.value)
            if (!c.focus.empty()) topics.insert(c.focus);
        util::json_writer w;
        w.begin_object().key("topics").begin_array();
        for (const auto& t : topics) w.value(t);
        w.end_array().end_object();
        co_return json_ok(w.take());
    });

    routes.add(http::bhttp::verb::get, "/api/v1/sessions",
               [&ctx](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto q = http::parse_query(rc.req.target());
                   if (!q) co_return http::make_problem(st::bad_request, "bad-query", "the query string is malformed");
                   store::session_query sq;
                   sq.from = ctx.now();
                   if (auto it = q->find("from"); it != q->end()) {
                       auto t = parse_bound(it->second);
                       if (!t)
                           co_return http::make_problem(st::unprocessable_entity, "invalid-field",
                                                        "from must be an RFC 3339 time or a date YYYY-MM-DD", "from");
                       sq.from = *t;
                   }
                   sq.to = sq.from + std::chrono::days(7);
                   if (auto it = q->find("to"); it != q->end()) {
                       auto t = parse_bound(it->second);
                       if (!t)
                           co_return http::make_problem(st::unprocessable_entity, "invalid-field",
                                                        "to must be an RFC 3339 time or a date YYYY-MM-DD", "to");
                       sq.to = *t;
                   }
                   if (sq.to <= sq.from)
                       co_return http::make_problem(st::unprocessable_entity, "invalid-field", "to must be after from", "to");
                   if (sq.to - sq.from > k_max_range)
                       co_return http::make_problem(st::unprocessable_entity, "range-too-long",
                                                    "from and to may be at most 62 days apart", "to");
                   sq.camp_id = (*q)["camp"];
                   sq.expert_id = (*q)["expert"];
                   if (!sq.camp_id.empty() && !valid_id(sq.camp_id))
                       co_return http::make_problem(st::unprocessable_entity, "invalid-field",
                                                    "camp must be an id (a-z, 0-9, -)", "camp");
                   if (!sq.expert_id.empty() && !valid_id(sq.expert_id))
                       co_return http::make_problem(st::unprocessable_entity, "invalid-field",
                                                    "expert must be an id (a-z, 0-9, -)", "expert");
                   std::string free_only = (*q)["free_only"];
                   if (!free_only.empty() && free_only != "true" && free_only != "false")
                       co_return http::make_problem(st::unprocessable_entity, "invalid-field",
                                                    "free_only must be true or false", "free_only");
                   sq.free_only = free_only == "true";
                   std::string topic = (*q)["topic"];

                   auto sessions = co_await ctx.reader.sessions(sq);
                   if (!sessions.ok()) co_return problem_for(sessions);
                   std::set<std::string> experts_on_topic;
                   if (!topic.empty()) {
                       auto experts = co_await ctx.catalog.experts();
                       if (!experts.ok()) co_return problem_for(experts);
                       for (const auto& e : experts.value)
                           if (contains(e.topics, topic)) experts_on_topic.insert(e.id);
                   }
                   util::json_writer w;
                   views::booking_clock clock{ctx.settings.limits, ctx.now(), ctx.settings.checkin_open};
                   w.begin_object().key("sessions").begin_array();
                   for (const auto& s : sessions.value) {
                       if (!topic.empty() && s.topic != topic && !experts_on_topic.count(s.expert_id)) continue;
                       // "Free" means a founder could book it now: not too soon, not beyond the horizon.
                       if (sq.free_only && !views::bookability_of(s, clock).bookable()) continue;
                       views::write_session(w, s, &clock);
                   }
                   w.end_array().end_object();
                   co_return json_ok(w.take());
               });

    routes.add(http::bhttp::verb::get, "/api/v1/sessions/{id}",
               [&ctx](http::request_context& rc) -> asio::awaitable<http::response> {
                   std::string id = rc.params["id"];
                   if (!valid_id(id))
                       co_return http::make_problem(st::not_found, "unknown-session", "there is no such session");
                   auto s = co_await ctx.reader.session(id);
                   if (!s.ok()) {
                       if (s.is(store::refusal::unknown_session))
                           co_return http::make_problem(st::not_found, "unknown-session", "there is no such session");
                       co_return problem_for(s);
                   }
                   util::json_writer w;
                   views::booking_clock clock{ctx.settings.limits, ctx.now(), ctx.settings.checkin_open};
                   views::write_session(w, s.value, &clock);
                   co_return json_ok(w.take());
               });
}

} // namespace sp::api
