#include "domain/statistics.hpp"

#include <catch2/catch.hpp>

using namespace sp::domain;

namespace {
session make(std::string camp, std::string start, int seats, int taken, int attended = 0, int no_show = 0,
             std::string status = "open", std::string topic = "")
{
    session s;
    s.camp_id = std::move(camp);
    s.start = *parse_rfc3339(start);
    s.end = s.start + std::chrono::minutes(30);
    s.seats = seats;
    s.taken = taken;
    s.attended = attended;
    s.no_show = no_show;
    s.status = std::move(status);
    s.topic = std::move(topic);
    return s;
}
std::string topic_or_expert(const session& s) { return s.topic.empty() ? "IT security" : s.topic; }
} // namespace

TEST_CASE("statistics group sessions by ISO week, camp and topic", "[statistics]")
{
    std::vector<session> all{
        make("bochum", "2026-11-23T10:00:00+01:00", 1, 1, 1, 0),            // W48
        make("bochum", "2026-11-25T10:00:00+01:00", 1, 1, 0, 1),            // W48
        make("bochum", "2026-11-26T10:00:00+01:00", 4, 2, 1, 1, "open", "Design"), // W48, an event
        make("bochum", "2026-11-30T10:00:00+01:00", 1, 0),                  // W49
        make("essen", "2026-11-24T10:00:00+01:00", 2, 1, 1, 0),             // W48, other camp
        make("bochum", "2026-11-27T10:00:00+01:00", 1, 1, 0, 0, "cancelled"), // left out
    };
    auto st = summarize(all, topic_or_expert);
    REQUIRE(st.rows.size() == 4);
    const auto& a = st.rows[0];
    CHECK(a.week == "2026-W48");
    CHECK(a.camp_id == "bochum");
    CHECK(a.topic == "Design");
    CHECK(a.sessions == 1);
    CHECK(a.utilization() == Approx(0.5));
    const auto& b = st.rows[1];
    CHECK(b.topic == "IT security");
    CHECK(b.sessions == 2);
    CHECK(b.bookings == 2);
    CHECK(b.utilization() == Approx(1.0));
    CHECK(b.no_show_rate() == Approx(0.5));
    CHECK(st.rows[2].camp_id == "essen");
    CHECK(st.rows[3].week == "2026-W49");
    CHECK(st.rows[3].utilization() == 0.0);
    CHECK_FALSE(st.rows[3].attendance_recorded()); // the API says null, not 0 %

    CHECK(st.totals.sessions == 5);
    CHECK(st.totals.seats == 9);
    CHECK(st.totals.bookings == 5);
    CHECK(st.totals.no_show_rate() == Approx(2.0 / 5.0));
}

TEST_CASE("a session late on Sunday evening in Berlin counts in that ISO week, not the next", "[statistics]")
{
    // 23:30 local on Sunday 29 November is already Monday in UTC+2 zones but not in Berlin.
    auto st = summarize({make("bochum", "2026-11-29T23:30:00+01:00", 1, 1)}, topic_or_expert);
    REQUIRE(st.rows.size() == 1);
    CHECK(st.rows[0].week == "2026-W48");
}
