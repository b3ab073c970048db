#pragma once
/**
 * Builds a config from, in increasing precedence: the defaults, a TOML file,
 * SPRECHSTUNDE_* environment variables, and command-line flags. Any unknown option,
 * wrong type or out-of-range value throws config_error with a message that names the
 * option and where it came from. Start-up only; not used after the server runs.
 */
#include "config/config.hpp"

#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sp::config {

struct config_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct load_result {
    config cfg;
    std::string config_file; // empty when none was read
    bool show_help = false;
};

/** `args` are argv[1..]; `env` the process environment. Flags: `--config PATH`,
 *  `--help`, and `--section.key=value` (or `--section.key value`) for every option. */
load_result load(std::span<const std::string_view> args, const std::map<std::string, std::string>& env);

/** Applies a TOML document on top of `base`. */
config apply_toml(config base, std::string_view toml_text, std::string_view source_name);

/** Sets one option from its text form (as given in an env variable or flag). */
void set_from_text(config& c, std::string_view key, std::string_view text, std::string_view source);

/** Checks rules that span options (e.g. reconnect_max >= reconnect_initial). */
void validate(const config& c);

/** The environment variable that overrides an option: http.port -> SPRECHSTUNDE_HTTP_PORT. */
std::string env_name(std::string_view key);

std::string help_text();

} // namespace sp::config
