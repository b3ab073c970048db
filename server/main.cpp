// Wires the configuration to the application; everything else lives in the library.
#include "app/application.hpp"
#include "config/config_loader.hpp"
#include "log/journal.hpp"
#include "log/logger.hpp"

#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <vector>

extern char** environ;

int main(int argc, char** argv)
{
    std::vector<std::string_view> args(argv + 1, argv + argc);
    std::map<std::string, std::string> env;
    for (char** e = environ; e && *e; ++e) {
        std::string_view kv(*e);
        auto eq = kv.find('=');
        if (eq != std::string_view::npos) env.emplace(kv.substr(0, eq), kv.substr(eq + 1));
    }

    sp::config::load_result loaded;
    try {
        loaded = sp::config::load(args, env);
    } catch (const sp::config::config_error& e) {
        std::fprintf(stderr, "sprechstunde: configuration error: %s\n", e.what());
        return 2;
    }
    if (loaded.show_help) {
        std::fputs(sp::config::help_text().c_str(), stdout);
        return 0;
    }
    const auto& cfg = loaded.cfg;
    sp::log::level level{};
    sp::log::format format{};
    sp::log::parse_level(cfg.log.level, level);
    sp::log::parse_format(cfg.log.format, format);
    sp::log::configure(level, format);
    // Started by systemd: standard error is the journal, which reads each line's level from its prefix.
    if (auto js = env.find("JOURNAL_STREAM"); js != env.end() && sp::log::stream_is_journal(js->second, 2))
        sp::log::set_journal_priorities(true);
    sp::log::info("starting", {{"config", loaded.config_file.empty() ? "(defaults)" : loaded.config_file}});

    try {
        return sp::app::run(cfg);
    } catch (const std::exception& e) {
        sp::log::error("startup_failed", {{"reason", e.what()}});
        std::fprintf(stderr, "sprechstunde: %s\n", e.what());
        return 1;
    }
}
