// The README's least-privilege Redis user must allow every command the server's Lua
// scripts call: Redis checks a script's commands against the user who runs it, so a
// command missing from the list makes that script fail in production only.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& p)
{
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

/** The `+command` tokens of `text` (a subcommand's `|sub` dropped). */
std::set<std::string> granted(const std::string& text)
{
    std::set<std::string> out;
    static const std::regex plus(R"(\+([a-z]+))");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), plus); it != std::sregex_iterator(); ++it)
        out.insert((*it)[1]);
    return out;
}

} // namespace

TEST_CASE("every command a Lua script calls is granted to the README's least-privilege Redis user", "[redis][acl][docs]")
{
    std::string doc = read(fs::path(SP_SOURCE_DIR) / "README.md");
    auto begin = doc.find("ACL SETUSER sprechstunde");
    REQUIRE(begin != std::string::npos);
    auto end = doc.find("```", begin);
    REQUIRE(end != std::string::npos);
    std::set<std::string> server_user = granted(doc.substr(begin, end - begin));
    auto backup_at = doc.find("`sprechstunde-admin backup` and `restore`", end);
    REQUIRE(backup_at != std::string::npos);
    std::set<std::string> backup_user = server_user;
    for (const auto& c : granted(doc.substr(backup_at, doc.find("\n\n", backup_at) - backup_at))) backup_user.insert(c);

    static const std::regex call(R"(redis\.p?call\(\s*'([A-Za-z]+)')");
    int scripts = 0;
    for (const auto& e : fs::recursive_directory_iterator(fs::path(SP_SOURCE_DIR) / "server/redis/scripts")) {
        if (e.path().extension() != ".lua") continue;
        ++scripts;
        std::string src = read(e.path());
        bool backup = e.path().stem().string().rfind("backup_", 0) == 0;
        for (auto it = std::sregex_iterator(src.begin(), src.end(), call); it != std::sregex_iterator(); ++it) {
            std::string command = lower((*it)[1]);
            INFO(e.path().filename().string() << " calls " << command);
            CHECK((backup ? backup_user : server_user).count(command) == 1);
        }
    }
    CHECK(scripts > 20);
    // The backup commands stay out of the server's own user.
    CHECK(server_user.count("keys") == 0);
    CHECK(server_user.count("restore") == 0);
}
