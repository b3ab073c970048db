#include "store/account_store.hpp"

#include "store/reply_helpers.hpp"
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

account_store::account_store(redis::client& redis, keys k, std::int64_t change_log_max)
    : redis_(redis), keys_(std::move(k)), change_log_max_(change_log_max)
{
}

asio::awaitable<result<account>> account_store::load(std::string key)
{
    result<account> out;
    redis::command_args cmd{"HMGET", std::move(key), "id", "email", "role", "expert_id", "password_hash"};
    redis::result r = co_await redis_.command(std::move(cmd));
    if (!usable(r, out)) co_return out;
    if (r->elements.empty() || r->elements[0].is_nil()) {
        out.refusal = "unknown-account";
        co_return out;
    }
    out.value = {str_at(*r, 0), str_at(*r, 1), str_at(*r, 2), str_at(*r, 3), str_at(*r, 4)};
    co_return out;
}

asio::awaitable<result<account>> account_store::by_id(std::string id) { co_return co_await load(keys_.account(id)); }

asio::awaitable<result<account>> account_store::by_email(std::string email)
{
    result<account> out;
    redis::command_args cmd{"GET", keys_.account_email(util::sha256_hex(lower(std::move(email))))};
    redis::result r = co_await redis_.command(std::move(cmd));
    if (!usable(r, out)) co_return out;
    if (r->is_nil()) {
        out.refusal = "unknown-account";
        co_return out;
    }
    co_return co_await load(keys_.account(r->str));
}

asio::awaitable<result<std::string>> account_store::invite(std::string email, std::string role, std::string expert_id,
                                                           std::string created_by, domain::instant now,
                                                           std::chrono::seconds lifetime)
{
    result<std::string> out;
    std::string token = util::random_token();
    std::string token_hash = util::sha256_hex(token);
    std::vector<std::string> ks{keys_.invitation(token_hash), keys_.changes(), keys_.outbox(), keys_.outbox_seq()};
    std::vector<std::string> args{lower(std::move(email)), std::move(role), std::move(expert_id), std::move(created_by),
                                  epoch(now), std::to_string(lifetime.count()), std::to_string(change_log_max_),
                                  token_hash, token, "0"};
    redis::result r = co_await redis_.eval("invite_create", std::move(ks), std::move(args));
    if (usable(r, out)) out.value = std::move(token);
    co_return out;
}

asio::awaitable<result<std::string>> account_store::invitation_email(std::string token)
{
    result<std::string> out;
    if (!util::plausible_token(token)) {
        out.refusal = "unknown-invitation";
        co_return out;
    }
    redis::command_args cmd{"HGET", keys_.invitation(util::sha256_hex(token)), "email"};
    redis::result r = co_await redis_.command(std::move(cmd));
    if (!usable(r, out)) co_return out;
    if (r->is_nil()) out.refusal = "unknown-invitation";
    else out.value = r->str;
    co_return out;
}

asio::awaitable<result<std::pair<std::string, std::string>>> account_store::invitation(std::string token)
{
    result<std::pair<std::string, std::string>> out;
    if (!util::plausible_token(token)) {
        out.refusal = "unknown-invitation";
        co_return out;
    }
    redis::command_args cmd{"HMGET", keys_.invitation(util::sha256_hex(token)), "email", "role"};
    redis::result r = co_await redis_.command(std::move(cmd));
    if (!usable(r, out)) co_return out;
    if (str_at(*r, 0).empty()) out.refusal = "unknown-invitation";
    else out.value = {str_at(*r, 0), str_at(*r, 1)};
    co_return out;
}

asio::awaitable<result<account>> account_store::accept(std::string token, std::string password_hash, domain::instant now)
{
    result<account> out;
    for (int attempt = 0; attempt < 4; ++attempt) {
        auto email = co_await invitation_email(token);
        if (!email.ok()) {
            static_cast<outcome&>(out) = email;
            co_return out;
        }
        std::string id = util::random_id("a");
        std::vector<std::string> ks{keys_.invitation(util::sha256_hex(token)),
                                    keys_.account_email(util::sha256_hex(email.value)), keys_.account(id),
                                    keys_.accounts(), keys_.changes()};
        std::vector<std::string> args{id, password_hash, epoch(now), std::to_string(change_log_max_), email.value};
        redis::result r = co_await redis_.eval("invite_accept", std::move(ks), std::move(args));
        if (!usable(r, out)) co_return out;
        if (str_at(*r, 0) == "err") {
            if (str_at(*r, 1) == "retry") continue;
            out.refusal = str_at(*r, 1);
            co_return out;
        }
        out.value = {id, email.value, str_at(*r, 1), str_at(*r, 2), password_hash};
        co_return out;
    }
    out.unavailable = true;
    out.detail = "invitation changed while it was accepted";
    co_return out;
}

asio::awaitable<result<std::string>> account_store::open_session(const std::string& account_id, domain::instant now,
                                                                 std::chrono::seconds idle, std::chrono::seconds absolute)
{
    result<std::string> out;
    std::string sid = util::random_token();
    std::vector<std::string> ks{keys_.login_session(util::sha256_hex(sid)), keys_.account_sessions(account_id)};
    std::vector<std::string> args{account_id, epoch(now), epoch(now + absolute), std::to_string(idle.count())};
    redis::result r = co_await redis_.eval("login_session_create", std::move(ks), std::move(args));
    if (usable(r, out)) out.value = std::move(sid);
    co_return out;
}

asio::awaitable<result<login_session>> account_store::session(std::string session_id, domain::instant now,
                                                              std::chrono::seconds idle)
{
    result<login_session> out;
    if (!util::plausible_token(session_id)) {
        out.refusal = "no-session";
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
        out.refusal = "no-session";
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
    outcome out;
    std::vector<std::string> ks{keys_.account_sessions(s.account_id), keys_.changes(), s.session_key};
    std::vector<std::string> args{s.account_id, std::to_string(change_log_max_)};
    redis::result r = co_await redis_.eval("login_session_delete", std::move(ks), std::move(args));
    usable(r, out);
    co_return out;
}

asio::awaitable<result<int>> account_store::close_all_sessions(std::string account_id)
{
    result<int> out;
    redis::command_args members{"SMEMBERS", keys_.account_sessions(account_id)};
    redis::result m = co_await redis_.command(std::move(members));
    if (!usable(m, out)) co_return out;
    std::vector<std::string> ks{keys_.account_sessions(account_id), keys_.changes()};
    for (const auto& e : m->elements) ks.push_back(e.str);
    std::vector<std::string> args{account_id, std::to_string(change_log_max_)};
    redis::result r = co_await redis_.eval("login_session_delete", std::move(ks), std::move(args));
    if (usable(r, out)) out.value = static_cast<int>(r->integer);
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
    std::vector<std::string> ks{keys_.throttle(scope, util::sha256_hex(key))};
    std::vector<std::string> args{std::to_string(capacity), std::to_string(rate), std::to_string(now_ms)};
    redis::result r = co_await redis_.eval("throttle", std::move(ks), std::move(args));
    if (!usable(r, out)) co_return out;
    out.value.allowed = r->elements.size() == 2 && r->elements[0].integer == 1;
    out.value.retry_after = std::chrono::milliseconds(r->elements.size() == 2 ? r->elements[1].integer : 1000);
    co_return out;
}

} // namespace sp::store
