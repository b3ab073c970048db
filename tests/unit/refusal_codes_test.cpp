// Every code a Lua script refuses with is a store::refusal, is answered over HTTP with a
// status, code and field, and has a sentence in both languages of the pages; every
// script has a typed binding. Read from the sources, so a new script or code that misses
// one of these fails here rather than at a user's request.
#include "api/problems.hpp"
#include "store/refusal.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& p)
{
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/** code -> the script that sends it */
std::map<std::string, std::string> script_codes()
{
    std::map<std::string, std::string> out;
    std::regex err(R"(\{\s*'err'\s*,\s*'([a-z-]+)')");
    for (const auto& e : fs::recursive_directory_iterator(fs::path(SP_SOURCE_DIR) / "server/redis/scripts")) {
        if (e.path().extension() != ".lua") continue;
        std::string src = read(e.path());
        for (std::sregex_iterator it(src.begin(), src.end(), err), end; it != end; ++it)
            out[(*it)[1]] = e.path().filename().string();
    }
    return out;
}

} // namespace

TEST_CASE("every code a script refuses with is a refusal the server knows", "[store][refusal]")
{
    auto codes = script_codes();
    // A scan that finds nothing proves nothing.
    REQUIRE(codes.count("full") == 1);
    REQUIRE(codes.count("retry") == 1);
    REQUIRE(codes.size() > 20);
    for (const auto& [code, script] : codes) {
        INFO(script << " refuses with " << code);
        CHECK(sp::store::refusal_from_code(code).has_value());
    }
}

TEST_CASE("every refusal that reaches a user has an HTTP answer and a sentence in German and English",
          "[store][refusal]")
{
    std::string de = read(fs::path(SP_SOURCE_DIR) / "static/i18n/de.json");
    std::string en = read(fs::path(SP_SOURCE_DIR) / "static/i18n/en.json");
    REQUIRE(!de.empty());
    REQUIRE(!en.empty());
    std::set<std::string_view> seen;
    for (const auto& r : sp::store::all_refusals()) {
        INFO(r.code);
        CHECK(seen.insert(r.code).second); // codes are unique
        CHECK(sp::store::refusal_from_code(r.code) == r.value);
        CHECK(!r.sentence.empty());
        CHECK(make_error_code(r.value).message() == r.sentence);
        auto p = sp::api::problem_of(r.value);
        CHECK(p.code == r.code);
        if (r.reaches_users) {
            CHECK(static_cast<int>(p.status) >= 400);
            CHECK(static_cast<int>(p.status) < 500);
            std::string key = "\"problem." + std::string(r.code) + "\"";
            CHECK(de.find(key) != std::string::npos);
            CHECK(en.find(key) != std::string::npos);
        } else {
            CHECK(static_cast<int>(p.status) == 500);
        }
    }
}

TEST_CASE("every script has a typed binding", "[store][refusal]")
{
    std::string bindings;
    for (const auto& e : fs::directory_iterator(fs::path(SP_SOURCE_DIR) / "server/store/scripts"))
        bindings += read(e.path());
    bindings += read(fs::path(SP_SOURCE_DIR) / "server/redis/readiness_guard.cpp"); // meta_init, below the store
    std::size_t scripts = 0;
    for (const auto& e : fs::directory_iterator(fs::path(SP_SOURCE_DIR) / "server/redis/scripts")) {
        if (e.path().extension() != ".lua") continue;
        ++scripts;
        std::string name = e.path().stem().string();
        INFO(name);
        CHECK((bindings.find("script<\"" + name + "\"") != std::string::npos || // a binding's first line
               bindings.find("{\"" + name + "\"") != std::string::npos));
    }
    CHECK(scripts > 20);
}
