#include "util/json_writer.hpp"

#include <catch2/catch.hpp>
#include <simdjson.h>

using sp::util::json_writer;

namespace {
// Parses with a real JSON parser: the writer's output must be valid JSON.
simdjson::dom::element parse(simdjson::dom::parser& parser, const std::string& json)
{
    auto result = parser.parse(json);
    REQUIRE(result.error() == simdjson::SUCCESS);
    return result.value();
}
} // namespace

TEST_CASE("objects and arrays nest and separate correctly", "[json]")
{
    json_writer w;
    w.begin_object();
    w.key("a").value(1);
    w.key("b").begin_array().value("x").value(true).null().begin_object().end_object().end_array();
    w.key("c").value(std::int64_t{-5});
    w.end_object();
    CHECK(w.str() == R"({"a":1,"b":["x",true,null,{}],"c":-5})");
    simdjson::dom::parser p;
    parse(p, w.str());
}

TEST_CASE("hostile strings stay one JSON string", "[json][security]")
{
    std::string nasty = "quote\" backslash\\ newline\n tab\t nul" + std::string(1, '\0') + " </script>";
    json_writer w;
    w.begin_object().key("name").value(nasty).end_object();
    simdjson::dom::parser p;
    auto doc = parse(p, w.str());
    std::string_view back = doc["name"].get_string();
    CHECK(back == nasty);
}

TEST_CASE("invalid UTF-8 becomes U+FFFD instead of breaking the document", "[json]")
{
    json_writer w;
    w.begin_array().value(std::string("ok \xc3\xa4 bad \xff\xfe end")).end_array();
    simdjson::dom::parser p;
    auto doc = parse(p, w.str());
    std::string_view s = doc.at(0).get_string();
    CHECK(s == "ok \xc3\xa4 bad \xef\xbf\xbd\xef\xbf\xbd end");
}

TEST_CASE("overlong encodings and surrogates are rejected as UTF-8", "[json]")
{
    json_writer w;
    w.begin_array().value(std::string("\xc0\xaf")).value(std::string("\xed\xa0\x80")).end_array();
    simdjson::dom::parser p;
    parse(p, w.str());
    CHECK(w.str().find("\xc0") == std::string::npos);
}
