#include "api/booking_api.hpp"

#include "api/json_input.hpp"
#include "api/problems.hpp"
#include "views/domain_json.hpp"
#include "util/secrets.hpp"

namespace asio = boost::asio;

namespace sp::api {
namespace {

using st = http::bhttp::status;

bool valid_idempotency_key(std::string_view k)
{
    if (k.size() < 16 || k.size() > 128) return false;
    for (char c : k)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.' && c != ':') return false;
    return true;
}

asio::awaitable<http::response> booking_view(api_context& ctx, const std::string& token, st status)
{
    auto b = co_await ctx.bookings.booking_by_token(token);
    if (!b.ok()) co_return problem_for(b);
    util::json_writer w;
    views::booking_clock clock{ctx.settings.limits, ctx.now(), ctx.settings.checkin_open};
    views::write_booking(w, b.value.booking, b.value.session, &clock);
    co_return http::no_store(http::make_json(status, w.take()));
}

asio::awaitable<http::response> create(api_context& ctx, http::request_context& rc, bool waitlist)
{
    std::string idem;
    if (auto it = rc.req.find("Idempotency-Key"); it != rc.req.end()) {
        idem = std::string(it->value());
        if (!valid_idempotency_key(idem))
            co_return http::make_problem(st::bad_request, "invalid-idempotency-key",
                                         "Idempotency-Key must be 16 to 128 characters of A-Z a-z 0-9 - _ . :",
                                         "Idempotency-Key");
    }
    json_input in(rc.req);
    in.allow_only({"name", "email", "startup", "question", "consent", "lang"});
    auto name = in.string("name", true, 100);
    auto email = in.string("email", true, 254);
    auto startup = in.string("startup", true, 120);
    auto question = in.string("question", false, 500);
    auto consent = in.boolean("consent", true);
    auto lang = in.string("lang", false, 2);
    if (!in.failed() && !plausible_email(*email))
        in.fail(st::unprocessable_entity, "invalid-field", "email must be an e-mail address such as name@example.org",
                "email");
    if (!in.failed() && !*consent)
        in.fail(st::unprocessable_entity, "consent-required",
                "consent must be true: we store your name, e-mail and question to run the session", "consent");
    if (!in.failed() && lang && *lang != "de" && *lang != "en")
        in.fail(st::unprocessable_entity, "invalid-field", "lang must be de or en", "lang");
    if (in.failed()) co_return in.take_problem();

    store::book_request req;
    req.session_id = rc.params["id"];
    if (!valid_id(req.session_id)) co_return problem_for(store::outcome::refusing(store::refusal::unknown_session));
    req.waitlist = waitlist;
    req.name = *name;
    req.email = lower_ascii(*email);
    req.startup = *startup;
    req.question = question.value_or("");
    req.lang = lang.value_or("de");
    req.idempotency_key = idem;
    req.fingerprint = std::string(rc.req.target()) + '\n' + rc.req.body();
    auto r = co_await ctx.bookings.book(std::move(req), ctx.now());
    if (!r.ok()) co_return problem_for(r);

    util::json_writer w;
    w.begin_object();
    w.key("booking");
    views::booking_clock clock{ctx.settings.limits, ctx.now(), ctx.settings.checkin_open};
    views::write_booking(w, r.value.view.booking, r.value.view.session, &clock);
    w.key("manage_token").value(r.value.token);
    w.key("manage_url").value(ctx.public_url + "/b/" + r.value.token);
    // Tells the page whether to say "a confirmation is on its way to ...": only when it is.
    w.key("confirmation_mail").value(ctx.mail_enabled);
    w.end_object();
    http::response res = http::no_store(http::make_json(st::created, w.take()));
    res.set(http::bhttp::field::location, "/api/v1/manage/" + r.value.token);
    if (r.value.replayed) res.set("Idempotent-Replayed", "true");
    co_return res;
}

asio::awaitable<http::response> cancel(api_context& ctx, http::request_context& rc)
{
    std::string token = rc.params["token"];
    auto r = co_await ctx.bookings.cancel_by_token(token, ctx.now());
    if (!r.ok()) co_return problem_for(r);
    co_return co_await booking_view(ctx, token, st::ok);
}

} // namespace

void add_booking_routes(http::router& routes, api_context& ctx)
{
    using verb = http::bhttp::verb;
    routes.add(verb::post, "/api/v1/sessions/{id}/bookings",
               [&ctx](http::request_context& rc) { return create(ctx, rc, false); });
    routes.add(verb::post, "/api/v1/sessions/{id}/waitlist",
               [&ctx](http::request_context& rc) { return create(ctx, rc, true); });
    routes.add(verb::get, "/api/v1/manage/{token}", [&ctx](http::request_context& rc) {
        return booking_view(ctx, rc.params["token"], st::ok);
    });
    routes.add(verb::post, "/api/v1/manage/{token}/cancel", [&ctx](http::request_context& rc) { return cancel(ctx, rc); });
    routes.add(verb::delete_, "/api/v1/manage/{token}", [&ctx](http::request_context& rc) { return cancel(ctx, rc); });
    // "I'm here": the founder checks in from the manage page (or the room's QR page).
    routes.add(verb::post, "/api/v1/manage/{token}/checkin",
               [&ctx](http::request_context& rc) -> asio::awaitable<http::response> {
                   std::string token = rc.params["token"];
                   auto b = co_await ctx.bookings.booking_by_token(token);
                   if (!b.ok()) co_return problem_for(b);
                   auto r = co_await ctx.bookings.check_in(b.value.booking.id, b.value.booking.session_id, "founder",
                                                           ctx.now());
                   if (!r.ok()) co_return problem_for(r);
                   co_return co_await booking_view(ctx, token, st::ok);
               });
    routes.add(verb::post, "/api/v1/manage/{token}/reschedule",
               [&ctx](http::request_context& rc) -> asio::awaitable<http::response> {
                   json_input in(rc.req);
                   in.allow_only({"session_id"});
                   auto target = in.string("session_id", true, 100);
                   if (in.failed()) co_return in.take_problem();
                   if (!valid_id(*target)) co_return problem_for(store::outcome::refusing(store::refusal::unknown_session));
                   std::string token = rc.params["token"];
                   auto r = co_await ctx.bookings.reschedule_by_token(token, *target, ctx.now());
                   if (!r.ok()) co_return problem_for(r);
                   co_return co_await booking_view(ctx, token, st::ok);
               });
}

} // namespace sp::api
