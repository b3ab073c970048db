#pragma once
/**
 * What every typed binding states about its script, in its first line:
 *
 *   struct book : script<"book", redis::script_effect::tells_users, outbox_use::writes> { … };
 *
 * the .lua file's name, what its result means for durability, and whether it queues
 * messages (then store::script_runner appends the outbox keys). The rest of a binding
 * (input, reply, call, parse) is its own; see store/script_runner.hpp. A script that
 * answers only {'ok', version} takes its reply and parse from version_reply:
 *
 *   struct checkin : script<…>, version_reply { struct input { … }; static … call(…) … };
 */
#include "redis/script_call.hpp"
#include "store/reply_helpers.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

namespace sp::store::scripts {

/** A script's file name (without .lua) as a template argument: a string literal. */
template <std::size_t N> struct script_name {
    char text[N]{};
    constexpr script_name(const char (&s)[N]) { std::copy_n(s, N, text); }
    constexpr std::string_view view() const { return {text, N - 1}; }
};

/** Whether a script queues messages in the outbox next to its change. */
enum class outbox_use { none, writes };

template <script_name Name, redis::script_effect Effect, outbox_use Outbox> struct script {
    static constexpr std::string_view name = Name.view();
    static constexpr redis::script_effect effect = Effect;
    static constexpr bool writes_outbox = Outbox == outbox_use::writes;
};

/** The reply and parse of a script that answers {'ok', version}: the version of the
 *  record it changed. */
struct version_reply {
    struct reply {
        std::string version;
    };
    static bool parse(const redis::reply& r, reply& out)
    {
        out.version = str_at(r, 1);
        return str_at(r, 0) == "ok";
    }
};

/** The reply and parse of a script that erases records and answers {'ok', erased}. */
struct erased_reply {
    struct reply {
        int erased = 0;
    };
    static bool parse(const redis::reply& r, reply& out)
    {
        out.erased = int_at(r, 1);
        return str_at(r, 0) == "ok";
    }
};

} // namespace sp::store::scripts
