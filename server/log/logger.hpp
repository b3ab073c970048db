#pragma once
/**
 * Structured logging: one line per event, `key=value` pairs (or one JSON object per
 * line), written with a single write(2) so lines from different threads never
 * interleave. Configure once at start-up, then call from any thread.
 *
 * Never pass secrets (tokens, passwords, cookies) as field values.
 */
#include <concepts>
#include <initializer_list>
#include <string>
#include <string_view>

namespace sp::log {

enum class level { debug = 0, info = 1, warn = 2, error = 3 };
enum class format { kv, json };

struct field {
    std::string_view key;
    std::string value;
    bool quoted_in_json = true;

    field(std::string_view k, std::string_view v) : key(k), value(v) {}
    field(std::string_view k, const char* v) : key(k), value(v ? v : "") {}
    field(std::string_view k, const std::string& v) : key(k), value(v) {}
    field(std::string_view k, bool v) : key(k), value(v ? "true" : "false"), quoted_in_json(false) {}
    template <std::integral T>
    field(std::string_view k, T v) : key(k), value(std::to_string(v)), quoted_in_json(false)
    {
    }
    field(std::string_view k, double v);
};

/** Sets the minimum level, the line format and the output file descriptor (2 = stderr). */
void configure(level min_level, format fmt, int fd = 2);
bool enabled(level l);
void write(level l, std::string_view event, std::initializer_list<field> fields);

/** Parses "debug" | "info" | "warn" | "error"; false if unknown. */
bool parse_level(std::string_view text, level& out);
bool parse_format(std::string_view text, format& out);

/** Renders one line without writing it (the tests check escaping through this). */
std::string render(format fmt, level l, std::string_view event, std::initializer_list<field> fields);

inline void debug(std::string_view e, std::initializer_list<field> f = {})
{
    if (enabled(level::debug)) write(level::debug, e, f);
}
inline void info(std::string_view e, std::initializer_list<field> f = {}) { write(level::info, e, f); }
inline void warn(std::string_view e, std::initializer_list<field> f = {}) { write(level::warn, e, f); }
inline void error(std::string_view e, std::initializer_list<field> f = {}) { write(level::error, e, f); }

} // namespace sp::log
