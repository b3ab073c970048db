#include "store/feed_store.hpp"

#include "store/scripts/feed_scripts.hpp"

#include "store/reply_helpers.hpp"
#include "store/token_lookup.hpp"
#include "util/secrets.hpp"

namespace asio = boost::asio;

namespace sp::store {

feed_store::feed_store(script_runner& runner) : runner_(runner), redis_(runner.redis()), keys_(runner.key()) {}

asio::awaitable<result<feed_link>> feed_store::change(feed_subject s, bool make_new, domain::instant now)
{
    result<feed_link> out;
    std::string pointer = keys_.feed_of(s.kind, s.subject);
    for (int attempt = 0; attempt < 4; ++attempt) {
        redis::command_args get_cmd{"GET", pointer};
        redis::result current = co_await redis_.command(std::move(get_cmd));
        if (!usable(current, out)) co_return out;
        std::string old_hash = current->is_nil() ? std::string{} : current->str;
        std::string token = make_new ? util::random_token() : std::string{};
        std::string new_hash = make_new ? util::sha256_hex(token) : std::string{};
        scripts::feed_rotate::input in{s.kind, s.subject, old_hash, new_hash, now};
        auto r = co_await runner_.run<scripts::feed_rotate>(std::move(in));
        if (r.is(refusal::retry)) continue; // the feed changed since it was read
        out = result<feed_link>::failed(r);
        // The script ran only if the pointer still held what was read: that link is gone.
        out.value = {token, !old_hash.empty()};
        co_return out;
    }
    out.unavailable = true;
    out.detail = "feed: too much contention, try again";
    co_return out;
}

asio::awaitable<result<feed_link>> feed_store::rotate(feed_subject s, domain::instant now)
{
    co_return co_await change(std::move(s), true, now);
}

asio::awaitable<outcome> feed_store::revoke(feed_subject s, domain::instant now)
{
    auto r = co_await change(std::move(s), false, now);
    co_return static_cast<outcome&>(r);
}

asio::awaitable<result<feed_subject>> feed_store::resolve(std::string token)
{
    auto r = co_await fields_by_token(redis_, keys_, &keys::feed, std::move(token), "kind", "subject",
                                      refusal::unknown_feed);
    if (!r.ok()) co_return result<feed_subject>::failed(r);
    co_return feed_subject{std::move(r.value.first), std::move(r.value.second)};
}

} // namespace sp::store
