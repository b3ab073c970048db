#include "api/auth_api.hpp"

#include "api/json_input.hpp"
#include "api/problems.hpp"
#include "auth/password_policy.hpp"
#include "http/cookies.hpp"
#include "log/logger.hpp"
#include "util/json_writer.hpp"
#include "util/secrets.hpp"

namespace asio = boost::asio;

namespace sp::api {
namespace {

using st = http::bhttp::status;

std::string account_json(const store::account& a, const api_context& ctx, std::string_view csrf = {})
{
    util::json_writer w;
    w.begin_object().key("account").begin_object();
    w.key("id").value(a.id).key("email").value(a.email).key("role").value(a.role).key("expert_id").value(a.expert_id);
    w.end_object();
    // What the pages check before they send: the largest photo the server takes.
    w.key("limits").begin_object().key("photo_bytes").value(static_cast<std::int64_t>(ctx.max_upload_bytes)).end_object();
    if (!csrf.empty()) w.key("csrf_token").value(csrf);
    w.end_object();
    return w.take();
}

http::response too_many(std::chrono::milliseconds wait)
{
    http::response res = http::make_problem(st::too_many_requests, "too-many-attempts",
                                            "too many sign-in attempts; wait a little and try again");
    res.set(http::bhttp::field::retry_after, std::to_string(std::max<std::int64_t>(1, (wait.count() + 999) / 1000)));
    return res;
}

/** Opens a session and answers with its cookies. */
asio::awaitable<http::response> sign_in(api_context& ctx, auth_guard& guard, const store::account& a, st status)
{
    const auto& s = guard.settings();
    auto sid = co_await guard.accounts().open_session(a.id, ctx.now(), s.session_idle, s.session_absolute);
    if (!sid.ok()) co_return problem_for(sid);
    std::string csrf = util::random_token();
    http::response res = http::make_json(status, account_json(a, ctx, csrf));
    res.insert(http::bhttp::field::set_cookie,
               http::set_cookie(k_session_cookie, sid.value, {true, s.secure_cookies, -1}));
    res.insert(http::bhttp::field::set_cookie, http::set_cookie(k_csrf_cookie, csrf, {false, s.secure_cookies, -1}));
    res.set(http::bhttp::field::cache_control, "no-store");
    co_return res;
}

} // namespace

void add_auth_routes(http::router& routes, api_context& ctx, auth_guard& guard, auth::password_hasher& hasher)
{
    using verb = http::bhttp::verb;

    routes.add(verb::post, "/api/v1/auth/login",
               [&ctx, &guard, &hasher](http::request_context& rc) -> asio::awaitable<http::response> {
                   if (auto refused = guard.check_origin(rc.req)) co_return std::move(*refused);
                   json_input in(rc.req);
                   in.allow_only({"email", "password"});
                   auto email = in.string("email", true, 254);
                   auto password = in.string("password", true, 1024);
                   if (in.failed()) co_return in.take_problem();
                   std::string mail = lower_ascii(*email);
                   const auto& s = guard.settings();
                   // Named arguments only: GCC 12 mishandles temporaries in co_await operands.
                   std::string address_scope = "login-address", account_scope = "login-account";
                   std::string peer(rc.peer);
                   auto by_address = co_await guard.accounts().throttle(address_scope, peer, s.attempts_per_address,
                                                                        s.attempt_window);
                   if (!by_address.ok()) co_return problem_for(by_address);
                   if (!by_address.value.allowed) co_return too_many(by_address.value.retry_after);
                   auto by_account = co_await guard.accounts().throttle(account_scope, mail,
                                                                        s.attempts_per_account, s.attempt_window);
                   if (!by_account.ok()) co_return problem_for(by_account);
                   if (!by_account.value.allowed) co_return too_many(by_account.value.retry_after);

                   auto a = co_await guard.accounts().by_email(mail);
                   if (a.unavailable) co_return problem_for(a);
                   // An unknown account is checked against a dummy hash: same time, same answer.
                   std::string stored = a.ok() ? a.value.password_hash : std::string{};
                   bool ok = co_await hasher.verify(std::move(stored), *password);
                   if (!ok) {
                       log::info("login_failed", {{"rid", rc.request_id}, {"peer", rc.peer}});
                       co_return http::make_problem(st::unauthorized, "invalid-credentials",
                                                    "e-mail or password is wrong");
                   }
                   log::info("login", {{"rid", rc.request_id}, {"account", a.value.id}});
                   co_return co_await sign_in(ctx, guard, a.value, st::ok);
               });

    routes.add(verb::post, "/api/v1/auth/logout", [&guard](http::request_context& rc) -> asio::awaitable<http::response> {
        auto who = co_await guard.require(rc, "", true);
        if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
        auto& me = std::get<signed_in>(who);
        auto closed = co_await guard.accounts().close_session(me.session);
        if (!closed.ok()) co_return problem_for(closed);
        http::response res{st::no_content, 11};
        const auto& s = guard.settings();
        res.insert(http::bhttp::field::set_cookie, http::set_cookie(k_session_cookie, "", {true, s.secure_cookies, 0}));
        res.insert(http::bhttp::field::set_cookie, http::set_cookie(k_csrf_cookie, "", {false, s.secure_cookies, 0}));
        co_return res;
    });

    routes.add(verb::get, "/api/v1/auth/me", [&ctx, &guard](http::request_context& rc) -> asio::awaitable<http::response> {
        auto who = co_await guard.require(rc, "", false);
        if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
        http::response res = http::make_json(st::ok, account_json(std::get<signed_in>(who).account, ctx));
        res.set(http::bhttp::field::cache_control, "no-store");
        co_return res;
    });

    routes.add(verb::get, "/api/v1/auth/invitations/{token}",
               [&guard](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto email = co_await guard.accounts().invitation_email(rc.params["token"]);
                   if (email.is(store::refusal::unknown_invitation))
                       co_return http::make_problem(st::not_found, "unknown-invitation",
                                                    "this invitation does not exist, was used, or expired");
                   if (!email.ok()) co_return problem_for(email);
                   util::json_writer w;
                   w.begin_object().key("email").value(email.value).end_object();
                   co_return http::make_json(st::ok, w.take());
               });

    routes.add(verb::post, "/api/v1/auth/invitations/{token}/accept",
               [&ctx, &guard, &hasher](http::request_context& rc) -> asio::awaitable<http::response> {
                   if (auto refused = guard.check_origin(rc.req)) co_return std::move(*refused);
                   json_input in(rc.req);
                   in.allow_only({"password"});
                   auto password = in.string("password", true, 1024);
                   if (in.failed()) co_return in.take_problem();
                   std::string token = rc.params["token"];
                   auto email = co_await guard.accounts().invitation_email(token);
                   if (email.is(store::refusal::unknown_invitation))
                       co_return http::make_problem(st::not_found, "unknown-invitation",
                                                    "this invitation does not exist, was used, or expired");
                   if (!email.ok()) co_return problem_for(email);
                   if (auto problem = auth::password_problem(*password, email.value))
                       co_return http::make_problem(st::unprocessable_entity, "weak-password", "password " + *problem,
                                                    "password");
                   std::string hash = co_await hasher.hash(*password);
                   if (hash.empty())
                       co_return http::make_problem(st::service_unavailable, "unavailable", "try again in a moment");
                   auto a = co_await guard.accounts().accept(token, hash, ctx.now());
                   if (a.is(store::refusal::account_exists))
                       co_return http::make_problem(st::conflict, "account-exists",
                                                    "an account with this e-mail exists already; sign in");
                   if (a.is(store::refusal::unknown_invitation))
                       co_return http::make_problem(st::not_found, "unknown-invitation",
                                                    "this invitation does not exist, was used, or expired");
                   if (!a.ok()) co_return problem_for(a);
                   log::info("account_created", {{"rid", rc.request_id}, {"account", a.value.id}, {"role", a.value.role}});
                   co_return co_await sign_in(ctx, guard, a.value, st::created);
               });

    routes.add(verb::post, "/api/v1/admin/invitations",
               [&ctx, &guard](http::request_context& rc) -> asio::awaitable<http::response> {
                   auto who = co_await guard.require(rc, "admin", true);
                   if (auto* problem = std::get_if<http::response>(&who)) co_return std::move(*problem);
                   json_input in(rc.req);
                   in.allow_only({"email", "role", "expert_id"});
                   auto email = in.string("email", true, 254);
                   auto role = in.string("role", true, 10);
                   auto expert = in.string("expert_id", false, 100);
                   if (!in.failed() && !plausible_email(*email))
                       in.fail(st::unprocessable_entity, "invalid-field", "email must be an e-mail address", "email");
                   if (!in.failed() && *role != "admin" && *role != "expert")
                       in.fail(st::unprocessable_entity, "invalid-field", "role must be admin or expert", "role");
                   if (!in.failed() && *role == "expert" && (!expert || !valid_id(*expert)))
                       in.fail(st::unprocessable_entity, "missing-field", "an expert invitation names the expert_id",
                               "expert_id");
                   if (in.failed()) co_return in.take_problem();
                   if (*role == "expert") {
                       auto experts = co_await ctx.catalog.experts();
                       if (!experts.ok()) co_return problem_for(experts);
                       bool known = false;
                       for (const auto& e : experts.value) known = known || e.id == *expert;
                       if (!known)
                           co_return http::make_problem(st::unprocessable_entity, "unknown-expert",
                                                        "there is no such expert", "expert_id");
                   }
                   const auto& s = guard.settings();
                   std::string invitee = lower_ascii(*email);
                   std::string expert_id = *role == "expert" ? *expert : std::string{};
                   std::string inviter = std::get<signed_in>(who).account.id;
                   auto token = co_await guard.accounts().invite(std::move(invitee), *role, std::move(expert_id),
                                                                 std::move(inviter), ctx.now(), s.invitation_lifetime);
                   if (!token.ok()) co_return problem_for(token);
                   util::json_writer w;
                   w.begin_object();
                   w.key("invitation_url").value(ctx.public_url + "/invite/" + token.value);
                   w.key("invitation_token").value(token.value);
                   w.key("expires_in_days").value(static_cast<std::int64_t>(
                       std::chrono::duration_cast<std::chrono::days>(s.invitation_lifetime).count()));
                   w.end_object();
                   http::response res = http::make_json(st::created, w.take());
                   res.set(http::bhttp::field::cache_control, "no-store");
                   co_return res;
               });
}

} // namespace sp::api
