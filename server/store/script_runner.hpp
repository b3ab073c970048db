#pragma once
/**
 * Runs the typed script bindings of store/scripts/. A binding owns its script's KEYS and
 * ARGV order and reads its reply; this runner does what is the same for all of them,
 * once: it appends the outbox keys to a script that queues messages, calls Redis
 * (redis::client::eval does EVALSHA with the NOSCRIPT fallback), turns a Redis failure
 * into `unavailable` or `defect`, an {'err', code, detail} reply into a typed refusal
 * (an unknown code is a defect, logged), and reruns an optimistic step that a script
 * answered with refusal::retry.
 *
 * A binding is a struct deriving from scripts::script<name, effect, outbox use>
 * (store/scripts/script_binding.hpp: the .lua file, what its result means for durability,
 * whether it takes the outbox, outbox seq and webhooks flag last), with
 *   struct input; struct reply;
 *   static redis::script_arguments call(const keys&, const input&);
 *   static bool parse(const redis::reply&, reply&);     // false: the reply has the wrong shape
 * Thread-safety: all members may be called concurrently.
 */
#include "redis/client.hpp"
#include "store/keys.hpp"
#include "store/outcome.hpp"

#include <boost/asio/awaitable.hpp>
#include <string_view>

namespace sp::store {

class script_runner {
public:
    /** How often an optimistic step is rerun before it reports contention (unavailable). */
    static constexpr int k_attempts = 8;

    script_runner(redis::client& redis, keys k, bool webhooks) : redis_(redis), keys_(std::move(k)), webhooks_(webhooks)
    {
    }

    template <class Script>
    boost::asio::awaitable<result<typename Script::reply>> run(typename Script::input in)
    {
        redis::script_arguments arguments = Script::call(keys_, in);
        redis::script_call call{Script::name, Script::effect, std::move(arguments.keys), std::move(arguments.args)};
        if constexpr (Script::writes_outbox) add_outbox(call);
        redis::result r = co_await redis_.eval(std::move(call));
        result<typename Script::reply> out;
        if (!judge(Script::name, r, out)) co_return out;
        if (!Script::parse(*r, out.value)) unreadable(Script::name, out);
        co_return out;
    }

    /** Runs `attempt()` (an awaitable returning result<T>: it reads what its script must
     *  verify, then runs the script) until it ends in anything but refusal::retry. */
    template <class T, class Attempt>
    boost::asio::awaitable<result<T>> with_retries(std::string_view what, Attempt attempt)
    {
        for (int i = 0; i < k_attempts; ++i) {
            result<T> r = co_await attempt();
            if (!r.is(refusal::retry)) co_return r;
        }
        co_return result<T>::failed(outcome::unavailable_because(std::string(what) + ": too much contention, try again"));
    }

    redis::client& redis() { return redis_; }
    const keys& key() const { return keys_; }

private:
    void add_outbox(redis::script_call& call) const;
    /** True if `r` is a reply to parse; otherwise fills `out`'s failure. */
    static bool judge(std::string_view script, const redis::result& r, outcome& out);
    static void unreadable(std::string_view script, outcome& out);

    redis::client& redis_;
    keys keys_;
    bool webhooks_;
};

} // namespace sp::store
