#pragma once
/**
 * Reading a JSON request body into typed fields, with a problem response that names
 * the field for everything that is wrong: 415 for a body that is not declared as JSON,
 * 400 for malformed JSON, a body that is not an object or a key that appears twice in
 * one object (`duplicate-key`, naming it), 422 for a field with a wrong
 * type, a missing required field, a value too long, or an unknown field. Parsing uses
 * simdjson; a parser per thread is reused across requests.
 */
#include "http/message.hpp"
#include "util/text.hpp"

#include <optional>
#include <simdjson.h>
#include <string>
#include <string_view>
#include <vector>

namespace sp::api {

class json_input {
public:
    /** Parses the body of `req`; check failed() before reading fields. */
    explicit json_input(const http::request& req);

    bool failed() const { return problem_.has_value(); }
    /** The first problem found, as a response. */
    http::response take_problem() { return std::move(*problem_); }

    /** A string field; trims surrounding white space; empty optional when absent. */
    std::optional<std::string> string(std::string_view name, bool required, std::size_t max_chars);
    std::optional<bool> boolean(std::string_view name, bool required);
    /** A whole number within [min, max]. */
    std::optional<std::int64_t> integer(std::string_view name, bool required, std::int64_t min, std::int64_t max);
    /** A list of non-empty strings (trimmed), each at most `max_chars`. */
    std::optional<std::vector<std::string>> string_list(std::string_view name, bool required, std::size_t max_items,
                                                        std::size_t max_chars);
    /** Fails on any field not in `known` (catches typos such as "e-mail"). */
    void allow_only(std::initializer_list<std::string_view> known);

    void fail(http::bhttp::status status, std::string_view code, std::string detail, std::string_view field);

private:
    simdjson::padded_string padded_;
    simdjson::dom::object object_;
    std::optional<http::response> problem_;
};

// The text checks live in util/text (the live layer and auth use them too); re-exported
// here because every request parser reads them as api::.
using util::lower_ascii;
using util::plausible_email;
using util::utf8_length;
using util::valid_id;

} // namespace sp::api
