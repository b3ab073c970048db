#pragma once
/**
 * Writes JSON text into a string: correct escaping, no intermediate tree. simdjson
 * parses what comes in; this writes what goes out. Callers are responsible for a
 * well-formed sequence of begin/end and key/value calls (the tests check the output
 * with a real parser).
 */
#include <cstdint>
#include <string>
#include <string_view>

namespace sp::util {

/** Appends `s` as a JSON string literal (with quotes); invalid UTF-8 bytes become U+FFFD. */
void append_json_string(std::string& out, std::string_view s);

class json_writer {
public:
    json_writer& begin_object();
    json_writer& end_object();
    json_writer& begin_array();
    json_writer& end_array();
    json_writer& key(std::string_view k);
    json_writer& value(std::string_view v);
    json_writer& value(const char* v) { return value(std::string_view(v)); }
    json_writer& value(std::int64_t v);
    json_writer& value(int v) { return value(static_cast<std::int64_t>(v)); }
    json_writer& value(bool v);
    json_writer& null();
    /** Inserts already serialized JSON as a value. */
    json_writer& raw(std::string_view json);

    const std::string& str() const { return out_; }
    std::string take() { return std::move(out_); }

private:
    void before_value();
    json_writer& open(char bracket);  // '{' or '['
    json_writer& close(char bracket); // '}' or ']'

    std::string out_;
    bool need_comma_ = false;
};

} // namespace sp::util
