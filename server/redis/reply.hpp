#pragma once
/**
 * An owned copy of one Redis reply. hiredis replies live only inside their callback;
 * the connection converts them into this value type before handing them to callers,
 * so callers on any thread can keep and move them freely.
 */
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sp::redis {

struct reply {
    enum class kind { nil, integer, string, status, error, array };

    kind type = kind::nil;
    std::int64_t integer = 0;
    std::string str;             // string, status and error replies
    std::vector<reply> elements; // array replies

    bool is_error() const { return type == kind::error; }
    bool is_nil() const { return type == kind::nil; }
    /** True for an error reply whose code (first word) is `code`, e.g. "NOSCRIPT". */
    bool is_error_code(std::string_view code) const
    {
        return type == kind::error && std::string_view(str).substr(0, str.find(' ')) == code;
    }
};

} // namespace sp::redis
