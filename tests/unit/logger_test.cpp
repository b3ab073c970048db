#include "log/logger.hpp"

#include <catch2/catch.hpp>
#include <simdjson.h>

using namespace sp::log;

TEST_CASE("a key=value line carries the event and its fields", "[log]")
{
    std::string line = render(format::kv, level::info, "access", {{"status", 200}, {"path", "/index.html"}});
    CHECK_THAT(line, Catch::StartsWith("ts="));
    CHECK_THAT(line, Catch::Contains(" level=info event=access status=200 path=/index.html\n"));
}

TEST_CASE("values with spaces, quotes or line breaks cannot forge a second line", "[log][security]")
{
    std::string line =
        render(format::kv, level::warn, "access", {{"path", "/x\nts=fake level=error event=forged"}, {"q", "a \"b\""}});
    CHECK(std::count(line.begin(), line.end(), '\n') == 1);
    CHECK_THAT(line, Catch::Contains(R"(path="/x\nts=fake level=error event=forged")"));
    CHECK_THAT(line, Catch::Contains(R"(q="a \"b\"")"));
}

TEST_CASE("the JSON format writes one valid object per line", "[log]")
{
    std::string line = render(format::json, level::error, "boom", {{"n", 3}, {"ok", false}, {"why", "a\"b\n"}});
    CHECK(line.back() == '\n');
    simdjson::dom::parser p;
    auto doc = p.parse(line.substr(0, line.size() - 1));
    REQUIRE(doc.error() == simdjson::SUCCESS);
    CHECK(std::string_view(doc["event"].get_string()) == "boom");
    CHECK(int64_t(doc["n"].get_int64()) == 3);
    CHECK(bool(doc["ok"].get_bool()) == false);
    CHECK(std::string_view(doc["why"].get_string()) == "a\"b\n");
}

TEST_CASE("levels below the configured one are not written", "[log]")
{
    configure(level::warn, format::kv);
    CHECK_FALSE(enabled(level::info));
    CHECK(enabled(level::error));
    configure(level::info, format::kv);
    CHECK(enabled(level::info));
}
