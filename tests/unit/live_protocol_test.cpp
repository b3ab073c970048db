#include "live/protocol.hpp"
#include "live/view.hpp"

#include <catch2/catch.hpp>

using namespace sp::live;
using sp::domain::instant;

namespace {
sp::domain::session session_at(std::string camp, std::string iso_start, std::string zone = "Europe/Berlin")
{
    sp::domain::session s;
    s.id = "s1";
    s.camp_id = std::move(camp);
    s.expert_id = "anna";
    s.zone = std::move(zone);
    s.start = *sp::domain::parse_rfc3339(iso_start);
    s.end = s.start + std::chrono::minutes(30);
    return s;
}
template <class T>
T expect(const client_message& m)
{
    if (auto* e = std::get_if<protocol_error>(&m)) FAIL("protocol error: " << e->code << " " << e->detail);
    REQUIRE(std::holds_alternative<T>(m));
    return std::get<T>(m);
}
std::string error_code(const client_message& m)
{
    REQUIRE(std::holds_alternative<protocol_error>(m));
    return std::get<protocol_error>(m).code;
}
} // namespace

TEST_CASE("a camp's day is the local day in the camp's zone, not the UTC day", "[live][view]")
{
    auto m = expect<subscribe_msg>(parse_client_message(
        R"({"op":"subscribe","id":"a","view":{"type":"camp_day","camp":"bochum","date":"2026-12-01"}})"));
    const view& v = m.what;
    instant now = *sp::domain::parse_rfc3339("2026-11-30T12:00:00Z");
    CHECK(v.matches(session_at("bochum", "2026-12-01T00:30:00+01:00"), now)); // 23:30Z the day before
    CHECK(v.matches(session_at("bochum", "2026-12-01T23:30:00+01:00"), now));
    CHECK_FALSE(v.matches(session_at("bochum", "2026-12-02T00:00:00+01:00"), now));
    CHECK_FALSE(v.matches(session_at("dortmund", "2026-12-01T10:00:00+01:00"), now));
    CHECK(v.key() == "camp_day:bochum:2026-12-01");
    auto q = v.query(now);
    CHECK(q.from <= *sp::domain::parse_rfc3339("2026-12-01T00:00:00+01:00"));
    CHECK(q.to >= *sp::domain::parse_rfc3339("2026-12-02T00:00:00+01:00"));
}

TEST_CASE("a lobby shows today and tomorrow and rolls over at local midnight", "[live][view]")
{
    view v;
    v.type = view::kind::lobby;
    v.camp = "bochum";
    auto tomorrow = session_at("bochum", "2026-12-02T10:00:00+01:00");
    auto day_after = session_at("bochum", "2026-12-03T10:00:00+01:00");
    instant before_midnight = *sp::domain::parse_rfc3339("2026-12-01T23:59:00+01:00");
    instant after_midnight = *sp::domain::parse_rfc3339("2026-12-02T00:01:00+01:00");
    CHECK(v.matches(tomorrow, before_midnight));
    CHECK_FALSE(v.matches(day_after, before_midnight));
    CHECK(v.matches(day_after, after_midnight));
}

TEST_CASE("a camp's events view follows every event of the camp, also one moved far ahead", "[live][view]")
{
    auto m = expect<subscribe_msg>(
        parse_client_message(R"({"op":"subscribe","id":"e","view":{"type":"camp_events","camp":"bochum"}})"));
    const view& v = m.what;
    CHECK(v.type == view::kind::camp_events);
    CHECK(v.key() == "camp_events:bochum");
    instant now = *sp::domain::parse_rfc3339("2026-12-01T10:00:00+01:00");
    auto event = session_at("bochum", "2026-12-20T18:00:00+01:00");
    event.kind = sp::domain::session_kind::event;
    CHECK(v.matches(event, now));
    event.start = *sp::domain::parse_rfc3339("2027-03-01T18:00:00+01:00"); // moved out of any screen's window
    CHECK(v.matches(event, now));
    auto office_hour = session_at("bochum", "2026-12-01T11:00:00+01:00");
    CHECK_FALSE(v.matches(office_hour, now));
    auto elsewhere = session_at("dortmund", "2026-12-20T18:00:00+01:00");
    elsewhere.kind = sp::domain::session_kind::event;
    CHECK_FALSE(v.matches(elsewhere, now));
    CHECK(error_code(parse_client_message(R"({"op":"subscribe","id":"e","view":{"type":"camp_events"}})")) ==
          "invalid-view");
}

TEST_CASE("an expert view keeps only sessions that have not ended", "[live][view]")
{
    view v;
    v.type = view::kind::expert;
    v.expert = "anna";
    auto s = session_at("bochum", "2026-12-01T10:00:00+01:00");
    CHECK(v.matches(s, *sp::domain::parse_rfc3339("2026-12-01T10:15:00+01:00")));
    CHECK_FALSE(v.matches(s, *sp::domain::parse_rfc3339("2026-12-01T10:31:00+01:00")));
}

TEST_CASE("client messages parse into subscribe, unsubscribe and ping", "[live][protocol]")
{
    auto s = expect<subscribe_msg>(parse_client_message(
        R"({"op":"subscribe","id":"x","view":{"type":"expert","expert":"anna"},"since":"1700000000000-3"})"));
    CHECK(s.id == "x");
    CHECK(s.since == "1700000000000-3");
    CHECK(expect<unsubscribe_msg>(parse_client_message(R"({"op":"unsubscribe","id":"x"})")).id == "x");
    CHECK(expect<ping_msg>(parse_client_message(R"({"op":"ping","id":"p"})")).id == "p");
    expect<subscribe_msg>(parse_client_message(R"({"op":"subscribe","id":"e","view":{"type":"event","event":"talk"}})"));
    expect<subscribe_msg>(parse_client_message(R"({"op":"subscribe","id":"h","view":{"type":"hub_day","date":"2026-03-29"}})"));
}

TEST_CASE("bad client messages are named precisely", "[live][protocol]")
{
    CHECK(error_code(parse_client_message("{nope")) == "malformed-json");
    CHECK(error_code(parse_client_message("[1]")) == "malformed-json");
    CHECK(error_code(parse_client_message(R"({"op":"fly"})")) == "unknown-op");
    CHECK(error_code(parse_client_message(R"({"op":"subscribe","view":{"type":"lobby","camp":"a"}})")) == "invalid-id");
    CHECK(error_code(parse_client_message(R"({"op":"subscribe","id":"a"})")) == "invalid-view");
    CHECK(error_code(parse_client_message(R"({"op":"subscribe","id":"a","view":{"type":"moon"}})")) == "invalid-view");
    CHECK(error_code(parse_client_message(R"({"op":"subscribe","id":"a","view":{"type":"lobby","camp":"A:B"}})")) ==
          "invalid-view");
    CHECK(error_code(parse_client_message(
              R"({"op":"subscribe","id":"a","view":{"type":"camp_day","camp":"a","date":"2026-13-01"}})")) ==
          "invalid-view");
    CHECK(error_code(parse_client_message(
              R"({"op":"subscribe","id":"a","view":{"type":"lobby","camp":"a"},"since":"yesterday"})")) ==
          "invalid-since");
    CHECK(error_code(parse_client_message(R"({"op":"ping","id":")" + std::string(65, 'x') + "\"}")) == "invalid-id");
}

TEST_CASE("versions order like the change log", "[live][protocol]")
{
    CHECK(valid_version("1700000000000-0"));
    CHECK_FALSE(valid_version("1700000000000"));
    CHECK_FALSE(valid_version("-1"));
    CHECK_FALSE(valid_version("1-x"));
    CHECK(compare_versions("9-0", "10-0") < 0); // numeric, not lexical
    CHECK(compare_versions("10-2", "10-10") < 0);
    CHECK(compare_versions("5-1", "5-1") == 0);
}

TEST_CASE("changes waiting in a row merge into one message with the same changes in order", "[live][protocol]")
{
    auto a = session_at("bochum", "2026-12-01T10:00:00+01:00");
    auto b = session_at("bochum", "2026-12-01T11:00:00+01:00");
    b.id = "s2";
    change ca{"1-0", "booking.created", a}, cb{"2-0", "booking.cancelled", b};
    auto one = std::make_shared<const std::string>(changes_message({ca}));
    auto two = std::make_shared<const std::string>(changes_message({cb}));
    CHECK(merge_changes_messages({one, two}) == changes_message({ca, cb}));
    CHECK(merge_changes_messages({one}) == *one);
    // Anything that is not a changes message is refused, never mangled.
    auto other = std::make_shared<const std::string>(resync_message("why"));
    CHECK(merge_changes_messages({one, other}).empty());
}

TEST_CASE("a walkins view names its camp, matches no session, and its updates carry the summary as given",
          "[live][view][walkin]")
{
    auto m = expect<subscribe_msg>(
        parse_client_message(R"({"op":"subscribe","id":"w","view":{"type":"walkins","camp":"bochum"}})"));
    CHECK(m.what.type == view::kind::walkins);
    CHECK(m.what.key() == "walkins:bochum");
    instant now = *sp::domain::parse_rfc3339("2026-12-01T10:00:00+01:00");
    CHECK_FALSE(m.what.matches(session_at("bochum", "2026-12-01T10:10:00+01:00"), now));
    CHECK(error_code(parse_client_message(R"({"op":"subscribe","id":"w","view":{"type":"walkins"}})")) ==
          "invalid-view");
    CHECK(walkins_message("bochum", "1-0", R"({"waiting":2})") ==
          R"({"op":"walkins","camp":"bochum","version":"1-0","summary":{"waiting":2}})");
}
