#include "config/config_loader.hpp"
#include "config/options.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

using namespace sp::config;

namespace {
load_result load_args(std::vector<std::string_view> args, std::map<std::string, std::string> env = {})
{
    return load(args, env);
}
std::string error_of(std::vector<std::string_view> args, std::map<std::string, std::string> env = {})
{
    try {
        load(args, env);
    } catch (const config_error& e) {
        return e.what();
    }
    FAIL("expected a config_error");
    return {};
}
std::string shipped_config()
{
    std::ifstream in(std::string(SP_SOURCE_DIR) + "/config/sprechstunde.toml");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}
} // namespace

TEST_CASE("with nothing configured the server uses the documented defaults", "[config]")
{
    config c = load_args({}).cfg;
    CHECK(c.http.port == 8080);
    CHECK(c.http.max_header_bytes == 8192);
    CHECK(c.http.max_body_bytes == 65536);
    CHECK(c.redis.url == "embedded");
}

TEST_CASE("the shipped config file states every option at its default", "[config]")
{
    std::string text = shipped_config();
    config from_file = apply_toml(config{}, text, "config/sprechstunde.toml");
    config defaults;
    for (const option& o : all_options()) {
        INFO(o.key);
        CHECK(render_value(o, from_file) == render_value(o, defaults));
        auto dot = o.key.find('.');
        std::string line = std::string(o.key.substr(dot + 1)) + " = ";
        CHECK(text.find(line) != std::string::npos);
    }
}

TEST_CASE("flags override the environment, which overrides the file", "[config]")
{
    std::string path = std::string(SP_SCRATCH_DIR) + "/override.toml";
    {
        std::ofstream out(path);
        out << "[http]\nport = 9001\nmax_body_bytes = 1000\n[log]\nlevel = \"warn\"\n";
    }
    auto r = load_args({"--config", path, "--http.port=9003"},
                       {{"SPRECHSTUNDE_HTTP_PORT", "9002"}, {"SPRECHSTUNDE_LOG_LEVEL", "debug"}});
    CHECK(r.cfg.http.port == 9003);
    CHECK(r.cfg.log.level == "debug");
    CHECK(r.cfg.http.max_body_bytes == 1000);
    CHECK(r.config_file == path);
}

TEST_CASE("a value out of range names the option, the range and the value", "[config]")
{
    std::string e = error_of({"--http.port=70000"});
    CHECK_THAT(e, Catch::Contains("http.port"));
    CHECK_THAT(e, Catch::Contains("0 to 65535"));
    CHECK_THAT(e, Catch::Contains("70000"));
}

TEST_CASE("the expert's extension and the shortest walk-in slot are configurable within their ranges", "[config]")
{
    auto r = load_args({"--booking.extend_minutes=15", "--booking.min_walkin_minutes=20"});
    CHECK(r.cfg.booking.extend_minutes == 15);
    CHECK(r.cfg.booking.min_walkin_minutes == 20);
    CHECK(load_args({}).cfg.booking.extend_minutes == 10);
    CHECK_THAT(error_of({"--booking.extend_minutes=0"}), Catch::Contains("booking.extend_minutes"));
    CHECK_THAT(error_of({"--booking.extend_minutes=241"}), Catch::Contains("1 to 240"));
    CHECK_THAT(error_of({"--booking.min_walkin_minutes=0"}), Catch::Contains("booking.min_walkin_minutes"));
}

TEST_CASE("a mistyped value names the option and where it came from", "[config]")
{
    CHECK_THAT(error_of({}, {{"SPRECHSTUNDE_HTTP_MAX_BODY_BYTES", "64k"}}),
               Catch::Contains("environment SPRECHSTUNDE_HTTP_MAX_BODY_BYTES") &&
                   Catch::Contains("http.max_body_bytes"));
    CHECK_THAT(error_of({"--redis.accept_data_loss=maybe"}), Catch::Contains("true or false"));
    CHECK_THAT(error_of({"--log.level=loud"}), Catch::Contains("debug|info|warn|error"));
    CHECK_THAT(error_of({"--http.listen="}), Catch::Contains("must not be empty"));
}

TEST_CASE("unknown options are errors, not silently ignored", "[config]")
{
    CHECK_THAT(error_of({"--http.prot=1"}), Catch::Contains("http.prot") && Catch::Contains("unknown"));
    CHECK_THAT(error_of({}, {{"SPRECHSTUNDE_HTTP_PROT", "1"}}), Catch::Contains("unknown"));
    CHECK_THAT(error_of({"stray"}), Catch::Contains("--section.key=value"));
    CHECK_THAT(error_of({"--http.port"}), Catch::Contains("needs a value"));
}

TEST_CASE("TOML errors name the file, line and option", "[config]")
{
    auto parse_error = [](std::string_view text) {
        try {
            apply_toml(config{}, text, "test.toml");
        } catch (const config_error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK_THAT(parse_error("[http]\nport = \n"), Catch::Contains("test.toml:2"));
    CHECK_THAT(parse_error("[http]\nport = \"8080\"\n"), Catch::Contains("http.port") && Catch::Contains("integer"));
    CHECK_THAT(parse_error("[http]\nport = 1.5\n"), Catch::Contains("http.port"));
    CHECK_THAT(parse_error("[htp]\nport = 1\n"), Catch::Contains("htp.port") && Catch::Contains("unknown"));
    CHECK_THAT(parse_error("port = 1\n"), Catch::Contains("[section]"));
}

TEST_CASE("a missing config file is reported with its path", "[config]")
{
    CHECK_THAT(error_of({"--config=/nonexistent/sp.toml"}), Catch::Contains("/nonexistent/sp.toml"));
}

TEST_CASE("cross-option rules are checked", "[config]")
{
    CHECK_THAT(error_of({"--redis.reconnect_initial_ms=500", "--redis.reconnect_max_ms=100"}),
               Catch::Contains("redis.reconnect_max_ms"));
    CHECK_THAT(error_of({"--redis.prefix=sp:hub:"}), Catch::Contains("hash tag"));
    CHECK_THAT(error_of({"--redis.prefix=sp:{}:"}), Catch::Contains("hash tag"));
    CHECK(load_args({"--redis.prefix=sp:{ruhr}:"}).cfg.redis.prefix == "sp:{ruhr}:");
}

TEST_CASE("--help lists every option with its environment variable", "[config]")
{
    CHECK(load_args({"--help"}).show_help);
    std::string help = help_text();
    for (const option& o : all_options()) {
        CHECK_THAT(help, Catch::Contains(std::string("--") + std::string(o.key)));
        CHECK_THAT(help, Catch::Contains(env_name(o.key)));
    }
}

TEST_CASE("the walk-in options have their documented defaults, are range-checked, and take flags", "[config]")
{
    config c = load_args({}).cfg;
    CHECK(c.booking.walkin_horizon_minutes == 30);
    CHECK(c.booking.walkin_claim_minutes == 5);
    CHECK(c.booking.walkin_claim_seconds == 0);
    CHECK(c.booking.min_walkin_minutes == 10);
    CHECK(c.booking.walkin_queue_max == 50);
    CHECK(c.booking.walkin_joins_per_hour == 120);
    CHECK(c.booking.walkin_keep_hours == 12);
    CHECK(c.booking.walkin_sweep_ms == 500);
    CHECK(load_args({"--booking.walkin_claim_seconds=3", "--booking.walkin_queue_max=2"}).cfg.booking.walkin_queue_max ==
          2);
    CHECK_THAT(error_of({"--booking.walkin_claim_minutes=0"}), Catch::Contains("booking.walkin_claim_minutes"));
    CHECK_THAT(error_of({"--booking.walkin_sweep_ms=10"}), Catch::Contains("booking.walkin_sweep_ms"));
    CHECK_THAT(error_of({"--booking.walkin_queue_max=0"}), Catch::Contains("booking.walkin_queue_max"));
    CHECK_THAT(error_of({"--booking.walkin_keep_hours=0"}), Catch::Contains("booking.walkin_keep_hours"));
}
