#pragma once
/**
 * The table of every configuration option: its name (`section.key`), type, allowed
 * range or values, and one line of documentation. The loader, `--help`, and the test
 * that keeps config/sprechstunde.toml complete all read this one table.
 */
#include "config/config.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace sp::config {

enum class option_kind { integer, string, boolean };

/** `choices` value of a free-text option that may also be empty (a password, a URL that
 *  turns a feature off when empty). */
inline constexpr std::string_view k_any_text = "*";

struct option {
    std::string_view key;  // "http.port"
    option_kind kind;
    std::int64_t min = 0;  // integers only
    std::int64_t max = 0;
    std::string_view choices; // strings only: '|'-separated allowed values, empty = any non-empty
    std::string_view help;
    std::int64_t& (*integer)(config&) = nullptr;
    std::string& (*string)(config&) = nullptr;
    bool& (*boolean)(config&) = nullptr;
};

std::span<const option> all_options();
const option* find_option(std::string_view key);

/** The option's current value in `c`, rendered as in a TOML file. */
std::string render_value(const option& o, const config& c);

} // namespace sp::config
