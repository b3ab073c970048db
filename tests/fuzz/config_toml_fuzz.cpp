// The config file (config/sprechstunde.toml's format) through the loader's TOML path.
// Property: any text either yields a config that passes the cross-option checks or is
// refused with config_error (which start-up turns into exit code 2 and a message);
// nothing else escapes.
#include "config/config_loader.hpp"
#include "fuzz_check.hpp"

using sp::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    sp::config::config cfg;
    try {
        cfg = sp::config::apply_toml(sp::config::config{}, sp::fuzz::text(data, size), "fuzz.toml");
    } catch (const sp::config::config_error& e) {
        check(std::string_view(e.what()).starts_with("fuzz.toml"), "a config file error names its source", e.what());
        return 0;
    }
    // Checks across options run on the merged result of file, environment and flags, so
    // they name the option, not one source ("config: option redis.prefix: ...").
    try {
        sp::config::validate(cfg);
    } catch (const sp::config::config_error& e) {
        check(std::string_view(e.what()).starts_with("config: option "), "a cross-option error names the option",
              e.what());
    }
    return 0;
}
