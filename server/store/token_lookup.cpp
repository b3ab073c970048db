#include "store/token_lookup.hpp"

#include "store/reply_helpers.hpp"
#include "util/secrets.hpp"

namespace asio = boost::asio;

namespace sp::store {

asio::awaitable<result<std::string>> text_by_token(redis::client& redis, const keys& k, token_key key,
                                                   std::string token, refusal unknown)
{
    if (!util::plausible_token(token)) co_return result<std::string>::failed(outcome::refusing(unknown));
    redis::command_args cmd{"GET", (k.*key)(util::sha256_hex(token))};
    redis::result r = co_await redis.command(std::move(cmd));
    result<std::string> out;
    if (!usable(r, out)) co_return out;
    if (r->is_nil()) out.refused = unknown;
    else out.value = r->str;
    co_return out;
}

asio::awaitable<result<std::pair<std::string, std::string>>> fields_by_token(redis::client& redis, const keys& k,
                                                                             token_key key, std::string token,
                                                                             std::string first, std::string second,
                                                                             refusal unknown)
{
    result<std::pair<std::string, std::string>> out;
    if (!util::plausible_token(token)) {
        out.refused = unknown;
        co_return out;
    }
    redis::command_args cmd{"HMGET", (k.*key)(util::sha256_hex(token)), std::move(first), std::move(second)};
    redis::result r = co_await redis.command(std::move(cmd));
    if (!usable(r, out)) co_return out;
    if (str_at(*r, 0).empty()) out.refused = unknown;
    else out.value = {str_at(*r, 0), str_at(*r, 1)};
    co_return out;
}

} // namespace sp::store
