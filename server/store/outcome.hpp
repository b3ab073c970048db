#pragma once
/**
 * What every store operation reports besides its value: done, refused (a rule said no:
 * nothing was written; `refused` says which rule, `detail` may add what, e.g. what still
 * uses a record), unavailable (Redis did not answer in time: the change may or may not
 * have happened; callers answer 503 and clients retry with their idempotency key), or a
 * defect (a script failed on its own: a server bug, logged where it happened).
 *
 * result<T> is an outcome with a value. A failure is passed on with
 * `result<U>::failed(other)`, never by slicing.
 */
#include "store/refusal.hpp"

#include <optional>
#include <string>

namespace sp::store {

struct outcome {
    std::optional<refusal> refused;
    bool unavailable = false; // Redis failed; the detail is in `detail`
    std::string detail;
    bool not_replicated = false; // with unavailable: the change is on the primary, but no replica confirmed it
    bool defect = false;         // a script failed on its own (redis::errc::script_failed): a server bug

    bool ok() const { return !refused && !unavailable && !defect; }
    bool is(refusal r) const { return refused == r; }
    /** The failure as an error code: the refusal, or the category of what failed. */
    std::string reason() const
    {
        if (refused) return std::string(code_of(*refused)) + (detail.empty() ? "" : ": " + detail);
        return detail;
    }
    /** A refusal with an optional detail. */
    static outcome refusing(refusal r, std::string why = {})
    {
        outcome o;
        o.refused = r;
        o.detail = std::move(why);
        return o;
    }
    static outcome unavailable_because(std::string why)
    {
        outcome o;
        o.unavailable = true;
        o.detail = std::move(why);
        return o;
    }
};

template <class T>
struct result : outcome {
    T value{};

    result() = default;
    result(T v) : value(std::move(v)) {}
    /** Another operation's failure, passed on. */
    static result failed(const outcome& why)
    {
        result r;
        static_cast<outcome&>(r) = why;
        return r;
    }
};

} // namespace sp::store
