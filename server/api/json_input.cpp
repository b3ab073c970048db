#include "api/json_input.hpp"

#include "util/json_duplicates.hpp"

namespace sp::api {
namespace {

simdjson::dom::parser& thread_parser()
{
    thread_local simdjson::dom::parser parser;
    return parser;
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

} // namespace

json_input::json_input(const http::request& req)
{
    auto ct = req.find(http::bhttp::field::content_type);
    std::string_view type = ct == req.end() ? std::string_view{} : std::string_view(ct->value());
    type = type.substr(0, type.find(';'));
    if (lower_ascii(trim(type)) != "application/json") {
        fail(http::bhttp::status::unsupported_media_type, "unsupported-media-type",
             "send the body as Content-Type: application/json", "");
        return;
    }
    padded_ = simdjson::padded_string(req.body());
    simdjson::dom::element doc;
    if (auto err = thread_parser().parse(padded_).get(doc); err != simdjson::SUCCESS) {
        fail(http::bhttp::status::bad_request, "malformed-json",
             std::string("the body is not valid JSON: ") + simdjson::error_message(err), "");
        return;
    }
    if (doc.get(object_) != simdjson::SUCCESS) {
        fail(http::bhttp::status::bad_request, "malformed-json", "the body must be a JSON object", "");
        return;
    }
    if (auto twice = util::first_duplicate_key(doc); !twice.empty())
        fail(http::bhttp::status::bad_request, "duplicate-key", twice + " appears more than once in the body", twice);
}

void json_input::fail(http::bhttp::status status, std::string_view code, std::string detail, std::string_view field)
{
    if (problem_) return; // the first problem is the one reported
    problem_ = http::make_problem(status, code, detail, field);
}

std::optional<std::string> json_input::string(std::string_view name, bool required, std::size_t max_chars)
{
    if (failed()) return std::nullopt;
    simdjson::dom::element e;
    if (object_[name].get(e) != simdjson::SUCCESS || e.is_null()) {
        if (required) fail(http::bhttp::status::unprocessable_entity, "missing-field", std::string(name) + " is required", name);
        return std::nullopt;
    }
    std::string_view v;
    if (e.get(v) != simdjson::SUCCESS) {
        fail(http::bhttp::status::unprocessable_entity, "invalid-field", std::string(name) + " must be a string", name);
        return std::nullopt;
    }
    v = trim(v);
    if (required && v.empty()) {
        fail(http::bhttp::status::unprocessable_entity, "missing-field", std::string(name) + " must not be empty", name);
        return std::nullopt;
    }
    if (utf8_length(v) > max_chars) {
        fail(http::bhttp::status::unprocessable_entity, "field-too-long",
             std::string(name) + " must be at most " + std::to_string(max_chars) + " characters", name);
        return std::nullopt;
    }
    for (unsigned char c : v) {
        if (c < 0x20 && c != '\n' && c != '\t') {
            fail(http::bhttp::status::unprocessable_entity, "invalid-field",
                 std::string(name) + " must not contain control characters", name);
            return std::nullopt;
        }
    }
    return std::string(v);
}

std::optional<bool> json_input::boolean(std::string_view name, bool required)
{
    if (failed()) return std::nullopt;
    simdjson::dom::element e;
    if (object_[name].get(e) != simdjson::SUCCESS || e.is_null()) {
        if (required) fail(http::bhttp::status::unprocessable_entity, "missing-field", std::string(name) + " is required", name);
        return std::nullopt;
    }
    bool v = false;
    if (e.get(v) != simdjson::SUCCESS) {
        fail(http::bhttp::status::unprocessable_entity, "invalid-field", std::string(name) + " must be true or false", name);
        return std::nullopt;
    }
    return v;
}

std::optional<std::int64_t> json_input::integer(std::string_view name, bool required, std::int64_t min,
                                                std::int64_t max)
{
    if (failed()) return std::nullopt;
    simdjson::dom::element e;
    if (object_[name].get(e) != simdjson::SUCCESS || e.is_null()) {
        if (required) fail(http::bhttp::status::unprocessable_entity, "missing-field", std::string(name) + " is required", name);
        return std::nullopt;
    }
    std::int64_t v = 0;
    if (e.get(v) != simdjson::SUCCESS || v < min || v > max) {
        fail(http::bhttp::status::unprocessable_entity, "invalid-field",
             std::string(name) + " must be a whole number from " + std::to_string(min) + " to " + std::to_string(max),
             name);
        return std::nullopt;
    }
    return v;
}

std::optional<std::vector<std::string>> json_input::string_list(std::string_view name, bool required,
                                                                std::size_t max_items, std::size_t max_chars)
{
    if (failed()) return std::nullopt;
    simdjson::dom::element e;
    if (object_[name].get(e) != simdjson::SUCCESS || e.is_null()) {
        if (required) fail(http::bhttp::status::unprocessable_entity, "missing-field", std::string(name) + " is required", name);
        return std::nullopt;
    }
    simdjson::dom::array arr;
    std::string what = std::string(name) + " must be a list of at most " + std::to_string(max_items) +
                       " texts of at most " + std::to_string(max_chars) + " characters, without control characters";
    if (e.get(arr) != simdjson::SUCCESS || arr.size() > max_items) {
        fail(http::bhttp::status::unprocessable_entity, "invalid-field", what, name);
        return std::nullopt;
    }
    std::vector<std::string> out;
    for (auto item : arr) {
        std::string_view v;
        bool bad = item.get(v) != simdjson::SUCCESS;
        if (!bad) v = trim(v);
        bad = bad || v.empty() || utf8_length(v) > max_chars;
        for (unsigned char c : v) bad = bad || c < 0x20;
        if (bad) {
            fail(http::bhttp::status::unprocessable_entity, "invalid-field", what, name);
            return std::nullopt;
        }
        out.emplace_back(v);
    }
    return out;
}

void json_input::allow_only(std::initializer_list<std::string_view> known)
{
    if (failed()) return;
    for (auto [key, value] : object_) {
        bool ok = false;
        for (auto k : known) ok = ok || k == key;
        if (!ok) {
            fail(http::bhttp::status::unprocessable_entity, "unknown-field",
                 "unknown field " + std::string(key) + " (check the spelling)", key);
            return;
        }
    }
}

} // namespace sp::api
