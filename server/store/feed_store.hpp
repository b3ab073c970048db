#pragma once
/**
 * Secret links to calendar feeds: an expert's sessions (with their founders), a
 * founder's bookings, a camp's public schedule. Each subject has at most one live link;
 * making a new one revokes the old one in the same step. Only the token's SHA-256 is
 * stored. Thread-safety: all members from any strand.
 */
#include "redis/client.hpp"
#include "domain/zoned_time.hpp"
#include "store/outcome.hpp"
#include "store/script_runner.hpp"
#include "store/keys.hpp"

#include <boost/asio/awaitable.hpp>

namespace sp::store {

struct feed_subject {
    std::string kind;    // expert | founder | camp
    std::string subject; // expert id, founder key (hashed e-mail), camp id
};

/** A new secret link, and whether it replaced one (which stopped working with it). */
struct feed_link {
    std::string token;
    bool replaced = false;
};

class feed_store {
public:
    explicit feed_store(script_runner& runner);

    /** A new token for the subject's feed (the previous one stops working). */
    boost::asio::awaitable<result<feed_link>> rotate(feed_subject s, domain::instant now);
    /** No feed link for the subject any more. */
    boost::asio::awaitable<outcome> revoke(feed_subject s, domain::instant now);
    /** What a token opens; refusal "unknown-feed". */
    boost::asio::awaitable<result<feed_subject>> resolve(std::string token);

private:
    boost::asio::awaitable<result<feed_link>> change(feed_subject s, bool make_new, domain::instant now);

    script_runner& runner_;
    redis::client& redis_;
    keys keys_;
};

} // namespace sp::store
