// The office-hour rule decoder (the store's `spec` field and what experts send).
// Properties: an accepted rule has the seats it was given; it encodes to JSON that
// decodes to the same rule again (the store's round trip is stable); a valid rule
// expands to sessions in start order that each end after they start.
#include "domain/office_hours.hpp"
#include "fuzz_check.hpp"
#include "store/rule_codec.hpp"

#include <cstdlib>
#include <optional>

using sp::fuzz::check;

namespace {

/** The whole number the input gives for `key`, if it gives one. */
std::optional<std::int64_t> input_integer(std::string_view json, const char* key)
{
    static simdjson::dom::parser parser;
    simdjson::padded_string padded(json);
    simdjson::dom::object o;
    std::int64_t v = 0;
    if (parser.parse(padded).get(o) || o[key].get(v)) return std::nullopt;
    return v;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    auto decoded = sp::store::decode_rule(sp::fuzz::text(data, size));
    for (const auto& p : decoded.problems)
        check(!p.message.empty(), "a problem says what is wrong", p.field);
    if (!decoded.problems.empty()) return 0;
    auto seats = input_integer(sp::fuzz::text(data, size), "seats");
    if (seats) check(*seats == decoded.spec.rule.seats, "an accepted rule has the seats the input asked for");

    std::string once = sp::store::encode_rule(decoded.spec);
    check(sp::fuzz::parses_as_json(once), "an encoded rule is JSON", once);
    auto again = sp::store::decode_rule(once);
    check(again.problems.empty(), "an encoded rule decodes without problems", once);
    check(sp::store::encode_rule(again.spec) == once, "encode(decode(encode(r))) == encode(r)", once);

    const auto& rule = decoded.spec.rule;
    if (!sp::domain::validate(rule).empty()) return 0;
    for (const auto& e : decoded.spec.exceptions)
        if (!sp::domain::validate(e).empty()) return 0;
    auto from = sp::domain::instant{date::sys_days{rule.valid_from}};
    auto sessions = sp::domain::expand(rule, decoded.spec.exceptions, from, from + std::chrono::days{7});
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        check(sessions[i].end > sessions[i].start, "a session ends after it starts", sessions[i].id);
        if (i > 0) check(sessions[i - 1].start <= sessions[i].start, "sessions come in start order", sessions[i].id);
    }
    return 0;
}
