#include "api/admin_api.hpp"

#include "api/expert_api.hpp"
#include "api/json_input.hpp"
#include "api/problems.hpp"
#include "domain/statistics.hpp"
#include "http/query.hpp"
#include "util/json_writer.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>

namespace asio = boost::asio;

namespace sp::api {
namespace {

using st = http::bhttp::status;
using verb = http::bhttp::verb;

constexpr std::size_t k_max_statistics_sessions = 20'000;

http::response admin_json(st status, std::string body)
{
    return http::no_store(http::make_json(status, std::move(body)));
}

http::response bad_id()
{
    return http::make_problem(st::unprocessable_entity, "invalid-field", "an id is 1-100 characters of a-z, 0-9 and -",
                              "id");
}

http::response not_found(std::string_view what)
{
    return http::make_problem(st::not_found, "not-found", "there is no such " + std::string(what), "id");
}

/** The answer to a delete the store refused or could not do. */
http::response delete_problem(const store::outcome& o, std::string_view what)
{
    if (o.unavailable) return problem_for(o);
    if (o.is(store::refusal::unknown_record)) return not_found(what);
    if (o.is(store::refusal::in_use))
        return http::make_problem(st::conflict, "in-use",
                                  "this " + std::string(what) + " is still used by " + o.detail +
                                      "; remove or move those first");
    if (o.is(store::refusal::event_started))
        return http::make_problem(st::conflict, "event-started", "an event that has started stays in the record");
    return problem_for(o);
}

/** 200 with the record after a replace, 201 after a create. */
http::response saved(const store::result<bool>& r, std::string id)
{
    if (!r.ok()) return problem_for(r);
    util::json_writer w;
    w.begin_object().key("id").value(id).key("created").value(r.value).end_object();
    return admin_json(r.value ? st::created : st::ok, w.take());
}

std::string ratio(double x)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", x);
    return buf;
}

void write_statistics_row(util::json_writer& w, const domain::statistics_row& r)
{
    w.key("sessions").value(r.sessions).key("seats").value(r.seats).key("bookings").value(r.bookings);
    w.key("attended").value(r.attended).key("no_show").value(r.no_show);
    w.key("utilization").raw(ratio(r.utilization()));
    w.key("no_show_rate");
    if (r.attendance_recorded()) w.raw(ratio(r.no_show_rate()));
    else w.null();
}

/** The version a change-log entry id stands for, as RFC 3339 in UTC. */
std::string entry_time(std::string_view id)
{
    std::int64_t ms = 0;
    for (char c : id.substr(0, id.find('-'))) ms = ms * 10 + (c - '0');
    return domain::format_rfc3339(domain::instant(std::chrono::seconds(ms / 1000)), domain::find_zone("UTC"));
}

bool plausible_version(std::string_view v)
{
    auto dash = v.find('-');
    if (v.empty() || v.size() > 40 || dash == std::string_view::npos || dash == 0 || dash + 1 == v.size()) return false;
    for (std::size_t i = 0; i < v.size(); ++i)
        if (i != dash && (v[i] < '0' || v[i] > '9')) return false;
    return true;
}

using delete_member = asio::awaitable<store::outcome> (store::catalog_store::*)(std::string, domain::instant, std::string);

/** What a PUT of one record does once the admin and the id in the path are known. */
using put_body = std::function<asio::awaitable<http::response>(http::request_context&, std::string id, std::string by)>;

/** PUT of a camp, room, expert or event: admin, CSRF, an id of at most `max_id` characters, then `body`. */
void add_put_route(http::router& routes, auth_guard& guard, std::string path, std::size_t max_id, put_body body)
{
    routes.add(verb::put, std::move(path),
               [&guard, max_id, body = std::move(body)](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto who = co_await guard.require(rc, "admin", true);
                   if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                   std::string id = rc.params["id"];
                   if (!valid_id(id) || id.size() > max_id) co_return bad_id();
                   co_return co_await body(rc, std::move(id), std::get<signed_in>(who).account.id);
               });
}

/** 422 unknown-camp naming `field` when one of `ids` is no camp; nullopt when all are. */
asio::awaitable<std::optional<http::response>> unknown_camp(api_context& ctx, const std::vector<std::string>& ids,
                                                            std::string_view field)
{
    auto camps = co_await ctx.catalog.camps();
    if (!camps.ok()) co_return problem_for(camps);
    for (const auto& id : ids)
        if (std::none_of(camps.value.begin(), camps.value.end(), [&](auto& c) { return c.id == id; }))
            co_return http::make_problem(st::unprocessable_entity, "unknown-camp", "there is no camp " + id,
                                         std::string(field));
    co_return std::nullopt;
}

/** DELETE of a camp, room or expert: admin, CSRF, 204, or 404 / 409 in-use. */
void add_delete_route(http::router& routes, api_context& ctx, auth_guard& guard, std::string path, std::string what,
                      delete_member remove)
{
    routes.add(verb::delete_, std::move(path),
               [&ctx, &guard, what, remove](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto who = co_await guard.require(rc, "admin", true);
                   if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                   std::string id = rc.params["id"];
                   if (!valid_id(id)) co_return not_found(what);
                   std::string by = std::get<signed_in>(who).account.id;
                   auto r = co_await (ctx.catalog.*remove)(id, ctx.now(), by);
                   if (!r.ok()) co_return delete_problem(r, what);
                   co_return http::response{st::no_content, 11};
               });
}

void add_catalog_routes(http::router& routes, api_context& ctx, auth_guard& guard)
{
    add_put_route(routes, guard, "/api/v1/admin/camps/{id}", 40,
               [&ctx](http::request_context& rc, std::string id, std::string by) -> asio::awaitable<http::response> {
                   json_input in(rc.req);
                   in.allow_only({"name", "city", "focus", "address", "zone", "release_after_minutes", "auto_release"});
                   auto name = in.string("name", true, 100);
                   auto city = in.string("city", true, 100);
                   auto focus = in.string("focus", true, 100);
                   auto address = in.string("address", true, 300);
                   auto zone = in.string("zone", false, 60);
                   auto release_after = in.integer("release_after_minutes", false, 0, 24 * 60);
                   auto auto_release = in.boolean("auto_release", false);
                   if (!in.failed() && zone && !domain::find_zone(*zone))
                       in.fail(st::unprocessable_entity, "invalid-field", "zone must be an IANA time zone such as Europe/Berlin",
                               "zone");
                   if (in.failed()) co_return in.take_problem();
                   domain::camp c{id, *name, *city, *focus, *address, zone ? *zone : "Europe/Berlin"};
                   if (release_after) c.release_after_minutes = static_cast<int>(*release_after);
                   c.auto_release = auto_release;
                   auto r = co_await ctx.catalog.put_camp(c, by);
                   co_return saved(r, id);
               });

    add_delete_route(routes, ctx, guard, "/api/v1/admin/camps/{id}", "camp", &store::catalog_store::delete_camp);

    add_put_route(routes, guard, "/api/v1/admin/rooms/{id}", 100,
               [&ctx](http::request_context& rc, std::string id, std::string by) -> asio::awaitable<http::response> {
                   json_input in(rc.req);
                   in.allow_only({"camp_id", "name", "capacity"});
                   auto camp = in.string("camp_id", true, 100);
                   auto name = in.string("name", true, 100);
                   auto capacity = in.integer("capacity", true, 1, 1000);
                   if (in.failed()) co_return in.take_problem();
                   std::vector<std::string> camp_ids{*camp};
                   if (auto problem = co_await unknown_camp(ctx, camp_ids, "camp_id")) co_return std::move(*problem);
                   domain::room room{id, *camp, *name, static_cast<int>(*capacity)};
                   auto r = co_await ctx.catalog.put_room(room, by);
                   co_return saved(r, id);
               });

    add_delete_route(routes, ctx, guard, "/api/v1/admin/rooms/{id}", "room", &store::catalog_store::delete_room);

    add_put_route(routes, guard, "/api/v1/admin/experts/{id}", 100,
               [&ctx](http::request_context& rc, std::string id, std::string by) -> asio::awaitable<http::response> {
                   json_input in(rc.req);
                   in.allow_only({"name", "title", "bio", "topics", "languages", "camp_ids"});
                   auto name = in.string("name", true, 100);
                   auto title = in.string("title", false, 200);
                   auto bio = in.string("bio", false, 4000);
                   auto topics = in.string_list("topics", true, 10, 60);
                   auto languages = in.string_list("languages", true, 5, 2);
                   auto camp_ids = in.string_list("camp_ids", true, 10, 40);
                   if (!in.failed() && topics->empty())
                       in.fail(st::unprocessable_entity, "invalid-field", "topics must name at least one topic", "topics");
                   if (!in.failed())
                       for (const auto& l : *languages)
                           if (l != "de" && l != "en")
                               in.fail(st::unprocessable_entity, "invalid-field", "languages are \"de\" and \"en\"",
                                       "languages");
                   if (in.failed()) co_return in.take_problem();
                   if (auto problem = co_await unknown_camp(ctx, *camp_ids, "camp_ids")) co_return std::move(*problem);
                   domain::expert e{id, *name, title.value_or(""), bio.value_or(""), *topics, *languages, *camp_ids};
                   auto r = co_await ctx.catalog.put_expert(e, by);
                   co_return saved(r, id);
               });

    add_delete_route(routes, ctx, guard, "/api/v1/admin/experts/{id}", "expert", &store::catalog_store::delete_expert);

    routes.add(verb::get, "/api/v1/admin/experts/{id}/sessions",
               [&ctx, &guard](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto who = co_await guard.require(rc, "admin", false);
                   if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                   std::string id = rc.params["id"];
                   if (!valid_id(id)) co_return not_found("expert");
                   auto experts = co_await ctx.catalog.experts();
                   if (!experts.ok()) co_return problem_for(experts);
                   if (std::none_of(experts.value.begin(), experts.value.end(), [&](auto& e) { return e.id == id; }))
                       co_return not_found("expert");
                   co_return co_await expert_schedule(ctx, id);
               });
}

void add_event_routes(http::router& routes, api_context& ctx, auth_guard& guard)
{
    routes.add(verb::get, "/api/v1/admin/events",
               [&ctx, &guard](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto who = co_await guard.require(rc, "admin", false);
                   if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                   auto events = co_await ctx.catalog.events();
                   if (!events.ok()) co_return problem_for(events);
                   auto camps = co_await ctx.catalog.camps();
                   if (!camps.ok()) co_return problem_for(camps);
                   std::map<std::string, std::string> zone_of;
                   for (const auto& c : camps.value) zone_of[c.id] = c.zone;
                   util::json_writer w;
                   w.begin_object().key("events").begin_array();
                   for (const auto& e : events.value) {
                       const auto* zone = domain::find_zone(zone_of.count(e.camp_id) ? zone_of[e.camp_id] : "Europe/Berlin");
                       w.begin_object();
                       w.key("id").value(e.id).key("camp_id").value(e.camp_id).key("room_id").value(e.room_id);
                       w.key("expert_id").value(e.expert_id).key("title").value(e.title);
                       w.key("description").value(e.description).key("topic").value(e.topic);
                       w.key("start").value(domain::format_rfc3339(e.start, zone));
                       w.key("end").value(domain::format_rfc3339(e.end, zone));
                       w.key("seats").value(e.seats);
                       w.end_object();
                   }
                   w.end_array().end_object();
                   co_return admin_json(st::ok, w.take());
               });

    add_put_route(routes, guard, "/api/v1/admin/events/{id}", 100,
               [&ctx](http::request_context& rc, std::string id, std::string by) -> asio::awaitable<http::response> {
                   json_input in(rc.req);
                   in.allow_only({"camp_id", "room_id", "expert_id", "title", "description", "topic", "start", "end",
                                  "seats"});
                   auto camp = in.string("camp_id", true, 40);
                   auto room = in.string("room_id", false, 100);
                   auto expert = in.string("expert_id", false, 100);
                   auto title = in.string("title", true, 200);
                   auto description = in.string("description", false, 4000);
                   auto topic = in.string("topic", true, 60);
                   auto start_text = in.string("start", true, 40);
                   auto end_text = in.string("end", true, 40);
                   auto seats = in.integer("seats", true, 1, 1000);
                   std::optional<domain::instant> start, end;
                   if (!in.failed() && !(start = domain::parse_rfc3339(*start_text)))
                       in.fail(st::unprocessable_entity, "invalid-field", "start must be RFC 3339 with an offset", "start");
                   if (!in.failed() && !(end = domain::parse_rfc3339(*end_text)))
                       in.fail(st::unprocessable_entity, "invalid-field", "end must be RFC 3339 with an offset", "end");
                   if (!in.failed() && (*end <= *start || *end - *start > std::chrono::hours(24)))
                       in.fail(st::unprocessable_entity, "invalid-field",
                               "end must be after start, and an event lasts at most 24 hours", "end");
                   if (!in.failed() && *start <= ctx.now())
                       in.fail(st::unprocessable_entity, "invalid-field", "start must be in the future", "start");
                   if (in.failed()) co_return in.take_problem();

                   std::vector<std::string> camp_ids{*camp};
                   if (auto problem = co_await unknown_camp(ctx, camp_ids, "camp_id")) co_return std::move(*problem);
                   if (room) {
                       auto rooms = co_await ctx.catalog.rooms();
                       if (!rooms.ok()) co_return problem_for(rooms);
                       auto it = std::find_if(rooms.value.begin(), rooms.value.end(), [&](auto& r) { return r.id == *room; });
                       if (it == rooms.value.end() || it->camp_id != *camp)
                           co_return http::make_problem(st::unprocessable_entity, "unknown-room",
                                                        "there is no such room in this camp", "room_id");
                       if (*seats > it->capacity)
                           co_return http::make_problem(st::unprocessable_entity, "invalid-field",
                                                        "the room holds " + std::to_string(it->capacity) + " people",
                                                        "seats");
                   }
                   if (expert) {
                       auto experts = co_await ctx.catalog.experts();
                       if (!experts.ok()) co_return problem_for(experts);
                       if (std::none_of(experts.value.begin(), experts.value.end(), [&](auto& e) { return e.id == *expert; }))
                           co_return http::make_problem(st::unprocessable_entity, "unknown-expert",
                                                        "there is no such expert", "expert_id");
                   }
                   auto existing = co_await ctx.catalog.events();
                   if (!existing.ok()) co_return problem_for(existing);
                   for (const auto& e : existing.value)
                       if (e.id == id && e.camp_id != *camp)
                           co_return http::make_problem(st::unprocessable_entity, "invalid-field",
                                                        "an event stays in its camp; cancel it and create a new one",
                                                        "camp_id");
                   domain::event e{id,  *camp, room.value_or(""), expert.value_or(""), *title, description.value_or(""),
                                   *topic, *start, *end, static_cast<int>(*seats)};
                   bool created = std::none_of(existing.value.begin(), existing.value.end(),
                                               [&](auto& x) { return x.id == id; });
                   auto r = co_await ctx.schedule.put_event(e, ctx.now(), by);
                   if (!r.ok()) co_return problem_for(r);
                   util::json_writer w;
                   w.begin_object().key("id").value(id).key("created").value(created).end_object();
                   co_return admin_json(created ? st::created : st::ok, w.take());
               });

    routes.add(verb::delete_, "/api/v1/admin/events/{id}",
               [&ctx, &guard](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto who = co_await guard.require(rc, "admin", true);
                   if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                   std::string id = rc.params["id"];
                   if (!valid_id(id)) co_return not_found("event");
                   std::string message = "The event was cancelled by the organisers.";
                   if (!rc.req.body().empty()) {
                       json_input in(rc.req);
                       in.allow_only({"message"});
                       auto m = in.string("message", false, 500);
                       if (in.failed()) co_return in.take_problem();
                       if (m) message = *m;
                   }
                   std::string by = std::get<signed_in>(who).account.id;
                   auto r = co_await ctx.schedule.delete_event(id, message, ctx.now(), by);
                   if (!r.ok()) co_return delete_problem(r, "event");
                   util::json_writer w;
                   w.begin_object().key("cancelled_bookings").value(r.value).end_object();
                   co_return admin_json(st::ok, w.take());
               });
}

void add_report_routes(http::router& routes, api_context& ctx, auth_guard& guard)
{
    routes.add(verb::get, "/api/v1/admin/statistics",
               [&ctx, &guard](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto who = co_await guard.require(rc, "admin", false);
                   if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                   auto q = http::parse_query(rc.req.target());
                   if (!q) co_return http::make_problem(st::bad_request, "bad-query", "the query string is malformed");
                   const auto* berlin = domain::find_zone("Europe/Berlin");
                   store::session_query sq;
                   sq.from = ctx.now() - std::chrono::days(28);
                   sq.to = ctx.now() + std::chrono::days(28);
                   for (const char* bound : {"from", "to"}) {
                       std::string text = (*q)[bound];
                       if (text.empty()) continue;
                       auto d = domain::parse_date(text);
                       if (!d)
                           co_return http::make_problem(st::unprocessable_entity, "invalid-field",
                                                        std::string(bound) + " must be a date (YYYY-MM-DD)", bound);
                       (std::string_view(bound) == "from" ? sq.from : sq.to) = domain::start_of_local_day(*d, berlin);
                   }
                   if (sq.to <= sq.from || sq.to - sq.from > std::chrono::days(366))
                       co_return http::make_problem(st::unprocessable_entity, "invalid-field",
                                                    "to must be after from, at most 366 days later", "to");
                   sq.limit = k_max_statistics_sessions;
                   auto sessions = co_await ctx.reader.sessions(sq);
                   if (!sessions.ok()) co_return problem_for(sessions);
                   auto experts = co_await ctx.catalog.experts();
                   if (!experts.ok()) co_return problem_for(experts);
                   std::map<std::string, std::string> first_topic;
                   for (const auto& e : experts.value)
                       first_topic[e.id] = e.topics.empty() ? std::string("–") : e.topics.front();
                   auto stats = domain::summarize(sessions.value, [&](const domain::session& s) {
                       if (!s.topic.empty()) return s.topic;
                       auto it = first_topic.find(s.expert_id);
                       return it == first_topic.end() ? std::string("–") : it->second;
                   });
                   util::json_writer w;
                   w.begin_object();
                   w.key("from").value(domain::format_rfc3339(sq.from, berlin));
                   w.key("to").value(domain::format_rfc3339(sq.to, berlin));
                   w.key("truncated").value(sessions.value.size() >= k_max_statistics_sessions);
                   w.key("rows").begin_array();
                   for (const auto& r : stats.rows) {
                       w.begin_object().key("week").value(r.week).key("camp_id").value(r.camp_id);
                       w.key("topic").value(r.topic);
                       write_statistics_row(w, r);
                       w.end_object();
                   }
                   w.end_array().key("totals").begin_object();
                   write_statistics_row(w, stats.totals);
                   w.end_object().end_object();
                   co_return admin_json(st::ok, w.take());
               });

    routes.add(verb::get, "/api/v1/admin/audit",
               [&ctx, &guard](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto who = co_await guard.require(rc, "admin", false);
                   if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                   auto q = http::parse_query(rc.req.target());
                   if (!q) co_return http::make_problem(st::bad_request, "bad-query", "the query string is malformed");
                   std::size_t limit = 50;
                   if (std::string l = (*q)["limit"]; !l.empty()) {
                       int n = 0;
                       for (char c : l) n = (c >= '0' && c <= '9' && n < 1000) ? n * 10 + (c - '0') : 100000;
                       if (n < 1 || n > 200)
                           co_return http::make_problem(st::unprocessable_entity, "invalid-field",
                                                        "limit must be from 1 to 200", "limit");
                       limit = static_cast<std::size_t>(n);
                   }
                   std::string before = (*q)["before"];
                   if (!before.empty() && !plausible_version(before))
                       co_return http::make_problem(st::unprocessable_entity, "invalid-field",
                                                    "before must be a version such as 1764000000000-0", "before");
                   auto entries = co_await ctx.changes.audit(before, limit);
                   if (!entries.ok()) co_return problem_for(entries);
                   // Accounts are named by e-mail; "seed" and "cli" stand for themselves.
                   std::map<std::string, std::string> who_is;
                   for (const auto& e : entries.value) {
                       std::string by = e.field("by");
                       if (who_is.count(by)) continue;
                       auto account = co_await guard.accounts().by_id(by);
                       if (account.unavailable) co_return problem_for(account);
                       who_is[by] = account.ok() ? account.value.email : by;
                   }
                   util::json_writer w;
                   w.begin_object().key("entries").begin_array();
                   for (const auto& e : entries.value) {
                       std::string subject = e.field("id");
                       for (const char* f : {"session", "booking", "account"})
                           if (subject.empty()) subject = e.field(f);
                       w.begin_object().key("version").value(e.id).key("at").value(entry_time(e.id));
                       w.key("type").value(e.field("type")).key("by").value(who_is[e.field("by")]);
                       w.key("subject").value(subject).end_object();
                   }
                   w.end_array();
                   w.key("next_before");
                   if (entries.value.size() == limit) w.value(entries.value.back().id);
                   else w.null();
                   w.end_object();
                   co_return admin_json(st::ok, w.take());
               });
}

} // namespace

void add_outbox_routes(http::router& routes, auth_guard& guard, store::outbox_store& outbox)
{
    routes.add(verb::get, "/api/v1/admin/outbox",
               [&guard, &outbox](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto who = co_await guard.require(rc, "admin", false);
                   if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                   auto counts = co_await outbox.counts();
                   if (!counts.ok()) co_return problem_for(counts);
                   auto dead = co_await outbox.dead_letters(100);
                   if (!dead.ok()) co_return problem_for(dead);
                   util::json_writer w;
                   w.begin_object().key("waiting").value(counts.value.first).key("dead").value(counts.value.second);
                   w.key("dead_letters").begin_array();
                   for (const auto& d : dead.value) {
                       // "id|kind|template|ref|attempts|reason|epoch"
                       std::vector<std::string> f;
                       std::size_t pos = 0;
                       for (int i = 0; i < 6; ++i) {
                           auto bar = d.find('|', pos);
                           f.push_back(d.substr(pos, bar == std::string::npos ? std::string::npos : bar - pos));
                           pos = bar == std::string::npos ? d.size() : bar + 1;
                       }
                       f.push_back(d.substr(pos));
                       std::int64_t at = std::atoll(f[6].c_str());
                       w.begin_object().key("id").value(f[0]).key("kind").value(f[1]).key("template").value(f[2]);
                       w.key("about").value(f[3]).key("attempts").value(static_cast<std::int64_t>(std::atoll(f[4].c_str())));
                       w.key("reason").value(f[5]);
                       w.key("at").value(domain::format_rfc3339(domain::instant(std::chrono::seconds(at)), domain::find_zone("UTC")));
                       w.end_object();
                   }
                   w.end_array().end_object();
                   co_return admin_json(st::ok, w.take());
               });
}

void add_admin_routes(http::router& routes, api_context& ctx, auth_guard& guard)
{
    add_catalog_routes(routes, ctx, guard);
    add_event_routes(routes, ctx, guard);
    add_report_routes(routes, ctx, guard);
}

} // namespace sp::api
