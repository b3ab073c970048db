// Command-line flags and SPRECHSTUNDE_* environment variables through the loader.
// Each input line is one argument, or, as `SPRECHSTUNDE_X=value`, one environment
// variable. Inputs that would make the loader open a file (--config, SPRECHSTUNDE_CONFIG)
// are skipped: the file path is the config_toml target's business. Property: a config
// the loader accepts passes validate(); anything else is a config_error.
#include "config/config_loader.hpp"
#include "fuzz_check.hpp"

#include <map>
#include <vector>

using sp::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view rest = sp::fuzz::text(data, size);
    std::vector<std::string_view> args;
    std::map<std::string, std::string> env;
    while (!rest.empty()) {
        auto nl = rest.find('\n');
        std::string_view line = rest.substr(0, nl);
        rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
        if (line.find("--config") != std::string_view::npos || line.starts_with("SPRECHSTUNDE_CONFIG")) return 0;
        auto eq = line.find('=');
        if (line.starts_with("SPRECHSTUNDE_") && eq != std::string_view::npos)
            env[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
        else
            args.push_back(line);
    }
    try {
        auto result = sp::config::load(args, env);
        check(result.config_file.empty(), "no config file is read");
        sp::config::validate(result.cfg);
    } catch (const sp::config::config_error& e) {
        check(*e.what() != '\0', "a config error says what is wrong");
    }
    return 0;
}
