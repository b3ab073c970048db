#include "store/backup_file.hpp"

#include <catch2/catch.hpp>

using sp::store::decode_backup;
using sp::store::encode_backup;
using sp::store::hub_snapshot;

namespace {

hub_snapshot sample()
{
    hub_snapshot s;
    s.layout_version = 1;
    s.prefix = "sp:{hub}:";
    s.change_log = "1733300000000-3";
    s.taken_at = "2026-12-04T16:00:00+00:00";
    s.keys.push_back({"meta", -1, std::string("\x0d\x00binary\xff payload", 17)});
    s.keys.push_back({"login_session:ab", 86'400'000, std::string(5000, 'x')});
    return s;
}

std::string error_of(const std::string& bytes)
{
    auto r = decode_backup(bytes);
    return std::holds_alternative<std::string>(r) ? std::get<std::string>(r) : "";
}

} // namespace

TEST_CASE("a backup file gives back every key, its expiry and its binary payload")
{
    std::string bytes = encode_backup(sample());
    CHECK(bytes.size() < 1000); // compressed: 5000 x's take a few bytes
    auto r = decode_backup(bytes);
    REQUIRE(std::holds_alternative<hub_snapshot>(r));
    const auto& s = std::get<hub_snapshot>(r);
    CHECK(s.layout_version == 1);
    CHECK(s.prefix == "sp:{hub}:");
    CHECK(s.change_log == "1733300000000-3");
    REQUIRE(s.keys.size() == 2);
    CHECK(s.keys[0].name == "meta");
    CHECK(s.keys[0].pttl_ms == -1);
    CHECK(s.keys[0].payload == sample().keys[0].payload);
    CHECK(s.keys[1].pttl_ms == 86'400'000);
    CHECK(s.keys[1].payload == std::string(5000, 'x'));
}

TEST_CASE("a truncated, altered or foreign backup file is refused with a reason")
{
    std::string bytes = encode_backup(sample());
    for (std::size_t cut : {bytes.size() - 1, bytes.size() - 30, bytes.size() / 2, std::size_t{30}}) {
        INFO("cut at " << cut);
        CHECK(error_of(bytes.substr(0, cut)).find("truncated") != std::string::npos);
    }
    for (std::size_t at : {std::size_t{25}, std::size_t{60}, bytes.size() - 80}) {
        std::string altered = bytes;
        altered[at] = static_cast<char>(altered[at] ^ 0x01);
        INFO("flipped a bit at " << at);
        CHECK(error_of(altered).find("damaged") != std::string::npos);
    }
    CHECK(error_of("hello\n").find("not a Sprechstunde backup") != std::string::npos);
    CHECK(error_of("").find("not a Sprechstunde backup") != std::string::npos);
}
