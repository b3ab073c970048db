#include "api/calendar_api.hpp"

#include "api/problems.hpp"
#include "http/static_handler.hpp"
#include "notify/booking_view.hpp"
#include "util/secrets.hpp"

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

} // namespace

void add_calendar_routes(http::router& routes, api_context& ctx, std::string organizer_email)
{
    routes.add(http::bhttp::verb::get, "/api/v1/manage/{token}/booking.ics",
               [&ctx, organizer_email](http::request_context& rc) -> asio::awaitable<http::response> {
                   std::string token = rc.params["token"];
                   auto b = co_await ctx.store.booking_by_token(token);
                   if (!b.ok()) co_return problem_for(b);
                   auto v = co_await notify::load_booking_view(ctx.store, b.value.booking.id);
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
