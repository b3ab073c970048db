#include "config/config_loader.hpp"

#include "config/options.hpp"

#include <charconv>
#include <fstream>
#include <sstream>
#include <toml++/toml.h>

namespace sp::config {
namespace {

constexpr std::string_view k_env_prefix = "SPRECHSTUNDE_";
constexpr std::string_view k_env_config_file = "SPRECHSTUNDE_CONFIG";

[[noreturn]] void fail(std::string_view source, std::string_view key, const std::string& problem)
{
    std::string msg;
    msg += source;
    msg += ": option ";
    msg += key;
    msg += ": ";
    msg += problem;
    throw config_error(msg);
}

std::string describe_range(const option& o)
{
    switch (o.kind) {
    case option_kind::integer:
        return "an integer from " + std::to_string(o.min) + " to " + std::to_string(o.max);
    case option_kind::boolean: return "true or false";
    case option_kind::string:
        if (o.choices.empty()) return "a non-empty string";
        if (o.choices == k_any_text) return "a string (may be empty)";
        return "one of " + std::string(o.choices);
    }
    return {};
}

bool choice_allowed(std::string_view choices, std::string_view value)
{
    while (!choices.empty()) {
        auto bar = choices.find('|');
        std::string_view c = choices.substr(0, bar);
        if (c == value) return true;
        if (bar == std::string_view::npos) break;
        choices.remove_prefix(bar + 1);
    }
    return false;
}

void set_integer(config& c, const option& o, std::int64_t v, std::string_view source)
{
    if (v < o.min || v > o.max)
        fail(source, o.key, "must be " + describe_range(o) + ", got " + std::to_string(v));
    o.integer(c) = v;
}

void set_string(config& c, const option& o, std::string_view v, std::string_view source)
{
    if (v.empty() && o.choices != k_any_text) fail(source, o.key, "must not be empty");
    if (!o.choices.empty() && o.choices != k_any_text && !choice_allowed(o.choices, v))
        fail(source, o.key, "must be " + describe_range(o) + ", got \"" + std::string(v) + "\"");
    o.string(c) = std::string(v);
}

const option& require_option(std::string_view key, std::string_view source)
{
    const option* o = find_option(key);
    if (!o) fail(source, key, "unknown option (see --help for the list)");
    return *o;
}

std::string read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw config_error("config file " + path + ": cannot be opened");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace

std::string env_name(std::string_view key)
{
    std::string out(k_env_prefix);
    for (char ch : key) out += ch == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return out;
}

void set_from_text(config& c, std::string_view key, std::string_view text, std::string_view source)
{
    const option& o = require_option(key, source);
    switch (o.kind) {
    case option_kind::integer: {
        std::int64_t v = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec != std::errc{} || end != text.data() + text.size())
            fail(source, key, "must be " + describe_range(o) + ", got \"" + std::string(text) + "\"");
        set_integer(c, o, v, source);
        break;
    }
    case option_kind::boolean:
        if (text == "true" || text == "1" || text == "yes") o.boolean(c) = true;
        else if (text == "false" || text == "0" || text == "no") o.boolean(c) = false;
        else fail(source, key, "must be true or false, got \"" + std::string(text) + "\"");
        break;
    case option_kind::string: set_string(c, o, text, source); break;
    }
}

config apply_toml(config base, std::string_view toml_text, std::string_view source_name)
{
    toml::table doc;
    try {
        doc = toml::parse(toml_text, source_name);
    } catch (const toml::parse_error& e) {
        std::ostringstream msg;
        msg << source_name << ":" << e.source().begin.line << ":" << e.source().begin.column
            << ": invalid TOML: " << e.description();
        throw config_error(msg.str());
    }
    for (auto&& [section, node] : doc) {
        const toml::table* tbl = node.as_table();
        if (!tbl) fail(source_name, section.str(), "expected a [section] table");
        for (auto&& [name, value] : *tbl) {
            std::string key = std::string(section.str()) + "." + std::string(name.str());
            const option& o = require_option(key, source_name);
            switch (o.kind) {
            case option_kind::integer:
                if (auto v = value.value_exact<std::int64_t>()) set_integer(base, o, *v, source_name);
                else fail(source_name, key, "must be " + describe_range(o));
                break;
            case option_kind::boolean:
                if (auto v = value.value_exact<bool>()) o.boolean(base) = *v;
                else fail(source_name, key, "must be true or false");
                break;
            case option_kind::string:
                if (auto v = value.value_exact<std::string>()) set_string(base, o, *v, source_name);
                else fail(source_name, key, "must be " + describe_range(o) + " in quotes");
                break;
            }
        }
    }
    return base;
}

void validate(const config& c)
{
    if (c.redis.reconnect_max_ms < c.redis.reconnect_initial_ms)
        fail("config", "redis.reconnect_max_ms", "must not be less than redis.reconnect_initial_ms");
    const std::string& p = c.redis.prefix;
    auto open = p.find('{');
    auto close = p.find('}', open == std::string::npos ? 0 : open);
    if (open == std::string::npos || close == std::string::npos || close == open + 1)
        fail("config", "redis.prefix",
             "must contain a non-empty {hash tag} so all keys of the hub share one cluster slot, got \"" + p + "\"");
    for (char ch : p)
        if (static_cast<unsigned char>(ch) <= ' ' || ch == 0x7f)
            fail("config", "redis.prefix", "must not contain spaces or control characters");
}

load_result load(std::span<const std::string_view> args, const std::map<std::string, std::string>& env)
{
    load_result out;

    // The config file comes first so environment and flags can override it.
    std::string file;
    if (auto it = env.find(std::string(k_env_config_file)); it != env.end()) file = it->second;
    std::vector<std::pair<std::string, std::string>> flag_values;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view a = args[i];
        if (a == "--help" || a == "-h") {
            out.show_help = true;
            continue;
        }
        if (!a.starts_with("--")) fail("command line", a, "expected --section.key=value");
        a.remove_prefix(2);
        std::string name, value;
        if (auto eq = a.find('='); eq != std::string_view::npos) {
            name = a.substr(0, eq);
            value = a.substr(eq + 1);
        } else {
            name = a;
            if (i + 1 >= args.size()) fail("command line", name, "needs a value");
            value = args[++i];
        }
        if (name == "config") file = value;
        else flag_values.emplace_back(std::move(name), std::move(value));
    }

    if (!file.empty()) {
        out.cfg = apply_toml(out.cfg, read_file(file), file);
        out.config_file = file;
    }

    for (const auto& [name, value] : env) {
        if (!name.starts_with(k_env_prefix) || name == k_env_config_file) continue;
        bool known = false;
        for (const option& o : all_options()) {
            if (env_name(o.key) == name) {
                set_from_text(out.cfg, o.key, value, "environment " + name);
                known = true;
                break;
            }
        }
        if (!known) fail("environment", name, "unknown variable (see --help for the list)");
    }

    for (const auto& [name, value] : flag_values) set_from_text(out.cfg, name, value, "command line");

    validate(out.cfg);
    return out;
}

std::string help_text()
{
    std::string out = "usage: sprechstunde [--config FILE] [--section.key=value ...]\n\n"
                      "Options (file key, environment variable, allowed values, default):\n";
    config defaults;
    for (const option& o : all_options()) {
        out += "  --" + std::string(o.key) + "  (" + env_name(o.key) + ")\n      " + std::string(o.help) +
               "; " + describe_range(o) + "; default " + render_value(o, defaults) + "\n";
    }
    return out;
}

} // namespace sp::config
