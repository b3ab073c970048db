#include "store/account_store.hpp"

#include "store/scripts/account_scripts.hpp"

#include "store/reply_helpers.hpp"
#include "store/token_lookup.hpp"
#include "util/secrets.hpp"

#include <charconv>

namespace asio = boost::asio;

namespace sp::store {
namespace {

std::string lower(std::string s)
{
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

} // namespace

account_store::account_store(script_runner& runner, std::int64_t change_log_max)
    : runner_(runner), redis_(runner.redis()), keys_(runner.key()), change_log_max_(change_log_max)
{
}

asio::awaitable<result<account>> account_store::load(std::string key)
{
    result<account> out;
    redis::command_args cmd{"HMGET", std::move(key), "id", "email", "role", "expert_id", "password_hash"};
    redis::result r = co_await redis_.command(std::move(cmd));
    if (!usable(r, out)) co_return out;
    if (r->elements.empty() || r->elements[0].is_nil()) {
        out.refused = refusal::unknown_account;
        co_return out;
    }
    out.value = {str_at(*r, 0), str_at(*r, 1), str_at(*r, 2), str_at(*r, 3), str_at(*r, 4)};
    co_return out;
}

asio::awaitable<result<account>> account_store::by_id(std::string id) { co_return co_await load(keys_.account(id)); }

asio::awaitable<result<std::vector<account>>> account_store::of_expert(std::string expert_id)
{
    result<std::vector<account>> out;
    redis::command_args cmd{"SMEMBERS", keys_.accounts()};
    redis::result ids = co_await redis_.command(std::move(cmd));
    if (!usable(ids, out)) co_return out;
    std::vector<std::string> all;
    for (std::size_t i = 0; i < ids->elements.size(); ++i) all.push_back(str_at(*ids, i));
    for (const auto& id : all) {
        auto a = co_await load(keys_.account(id));
        if (a.unavailable) co_return result<std::vector<account>>::failed(a);
        if (a.ok() && a.value.role == "expert" && a.value.expert_id == expert_id) out.value.push_back(std::move(a.value));
    }
    co_return out;
}

asio::awaitable<result<account>> account_store::by_email(std::string email)
{
    result<account> out;
    redis::command_args cmd{"GET", keys_.account_email(util::sha256_hex(lower(std::move(email))))};
    redis::result r = co_await redis_.command(std::move(cmd));
    if (!usable(r, out)) co_return out;
    if (r->is_nil()) {
        out.refused = refusal::unknown_account;
        co_return out;
    }
    co_return co_await load(keys_.account(r->str));
}

asio::awaitable<result<std::string>> account_store::invite(std::string email, std::string role, std::string expert_id,
                                                           std::string created_by, domain::instant now,
                                                           std::chrono::seconds lifetime)
{
    std::string token = util::random_token();
    scripts::invite_create::input in{lower(std::move(email)), std::move(role), std::move(expert_id),
                                     std::move(created_by),   now,             lifetime,
                                     change_log_max_,         token,           util::sha256_hex(token)};
    auto r = co_await runner_.run<scripts::invite_create>(std::move(in));
    auto out = result<std::string>::failed(r);
    if (r.ok()) out.value = std::move(token);
    co_return out;
}

asio::awaitable<result<std::string>> account_store::invitation_email(std::string token)
{
    result<std::string> out;
    if (!util::plausible_token(token)) {
        out.refused = refusal::unknown_invitation;
        co_return out;
    }
    redis::command_args cmd{"HGET", keys_.invitation(util::sha256_hex(token)), "email"};
    redis::result r = co_await redis_.command(std::move(cmd));
    if (!usable(r, out)) co_return out;
    if (r->is_nil()) out.refused = refusal::unknown_invitation;
    else out.value = r->str;
    co_return out;
}

asio::awaitable<result<std::pair<std::string, std::string>>> account_store::invitation(std::string token)
{
    co_return co_await fields_by_token(redis_, keys_, &keys::invitation, std::move(token), "email", "role",
                                       refusal::unknown_invitation);
}

asio::awaitable<result<account>> account_store::accept(std::string token, std::string password_hash, domain::instant now)
{
    auto attempt = [&]() -> asio::awaitable<result<account>> {
        auto email = co_await invitation_email(token);
        if (!email.ok()) co_return result<account>::failed(email);
        scripts::invite_accept::input in{util::sha256_hex(token), util::sha256_hex(email.value), util::random_id("a"),
                                         password_hash,           email.value,                  now,
                                         change_log_max_};
        std::string id = in.account_id;
        auto r = co_await runner_.run<scripts::invite_accept>(std::move(in));
        auto out = result<account>::failed(r);
        out.value = {id, email.value, r.value.role, r.value.expert_id, password_hash};
        co_return out;
    };
    co_return co_await runner_.with_retries<account>("invitation", attempt);
}

asio::awaitable<result<std::string>> account_store::open_session(const std::string& account_id, domain::instant now,
                                                                 std::chrono::seconds idle, std::chrono::seconds absolute)
{
    std::string sid = util::random_token();
    scripts::login_session_create::input in{util::sha256_hex(sid), account_id, now, now + absolute, idle};
    auto r = co_await runner_.run<scripts::login_session_create>(std::move(in));
    auto out = result<std::string>::failed(r);
    if (r.ok()) out.value = std::move(sid);
    co_return out;
}

asio::awaitable<result<login_session>> account_store::session(std::string session_id, domain::instant now,
                                                              std::chrono::seconds idle)
{
    result<login_session> out;
    if (!util::plausible_token(session_id)) {
        out.refused = refusal::no_session;
        co_return out;
    }
    std::string key = keys_.login_session(util::sha256_hex(session_id));
    redis::command_args cmd{"HMGET", key, "account_id", "expires_at"};
    redis::result r = co_await redis_.command(std::move(cmd));
    if (!usable(r, out)) co_return out;
    std::string account_id = str_at(*r, 0), expires = str_at(*r, 1);
    std::int64_t expires_at = 0;
    std::from_chars(expires.data(), expires.data() + expires.size(), expires_at);
    if (account_id.empty() || expires_at <= now.time_since_epoch().count()) {
        out.refused = refusal::no_session;
        co_return out;
    }
    redis::command_args touch{"EXPIRE", key, std::to_string(idle.count())}; // sliding idle expiry
    redis::result t = co_await redis_.command(std::move(touch));
    if (!usable(t, out)) co_return out;
    out.value = {account_id, key};
    co_return out;
}

asio::awaitable<outcome> account_store::close_session(const login_session& s)
{
    scripts::login_session_delete::input in{s.account_id, {s.session_key}, change_log_max_};
    auto r = co_await runner_.run<scripts::login_session_delete>(std::move(in));
    co_return static_cast<const outcome&>(r);
}

asio::awaitable<result<int>> account_store::close_all_sessions(std::string account_id)
{
    result<int> out;
    redis::command_args members{"SMEMBERS", keys_.account_sessions(account_id)};
    redis::result m = co_await redis_.command(std::move(members));
    if (!usable(m, out)) co_return out;
    scripts::login_session_delete::input in{account_id, {}, change_log_max_};
    for (const auto& e : m->elements) in.session_keys.push_back(e.str);
    auto r = co_await runner_.run<scripts::login_session_delete>(std::move(in));
    out = result<int>::failed(r);
    out.value = r.value.ended;
    co_return out;
}

asio::awaitable<result<throttle_verdict>> account_store::throttle(std::string scope, std::string key, int capacity,
                                                                  std::chrono::seconds window)
{
    result<throttle_verdict> out;
    double rate = static_cast<double>(capacity) / static_cast<double>(std::max<std::int64_t>(1, window.count()));
    auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    scripts::throttle::input in{keys_.throttle(scope, util::sha256_hex(key)), capacity, rate, now_ms};
    auto r = co_await runner_.run<scripts::throttle>(std::move(in));
    out = result<throttle_verdict>::failed(r);
    out.value.allowed = r.value.allowed;
    out.value.retry_after = r.value.retry_after;
    co_return out;
}

} // namespace sp::store
