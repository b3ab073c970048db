#pragma once
/**
 * Reading what a secret token (a manage link, a walk-in link, an invitation, a calendar
 * feed) stands for. Redis keeps only the token's SHA-256, under a key of the token's
 * kind; a token that cannot be one of ours is refused without asking Redis. Internal
 * to store/.
 */
#include "redis/client.hpp"
#include "store/keys.hpp"
#include "store/outcome.hpp"

#include <boost/asio/awaitable.hpp>
#include <string>
#include <string_view>
#include <utility>

namespace sp::store {

/** The key of a token's kind, by the token's hash: e.g. &keys::token. */
using token_key = std::string (keys::*)(std::string_view) const;

/** The text stored at the token's key (GET); refused with `unknown` when there is none. */
boost::asio::awaitable<result<std::string>> text_by_token(redis::client& redis, const keys& k, token_key key,
                                                          std::string token, refusal unknown);

/** Two fields of the hash at the token's key (HMGET); refused with `unknown` when the
 *  first is empty (no such hash). */
boost::asio::awaitable<result<std::pair<std::string, std::string>>>
fields_by_token(redis::client& redis, const keys& k, token_key key, std::string token, std::string first,
                std::string second, refusal unknown);

} // namespace sp::store
