// An expert's calendar feed (calendar/busy_times.cpp), as any server on the internet may
// answer it. Properties: never a crash, leak or hang; a refused feed yields no busy
// times; a read one yields sorted, disjoint, non-empty intervals that meet the window.
#include "calendar/busy_times.hpp"
#include "fuzz_check.hpp"

using sp::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const auto* berlin = sp::domain::find_zone("Europe/Berlin");
    static const auto from = *sp::domain::parse_rfc3339("2027-01-01T00:00:00Z");
    static const auto to = *sp::domain::parse_rfc3339("2027-06-01T00:00:00Z");
    sp::calendar::busy_limits limits;
    limits.max_iterations = 20000; // the server's default is larger; this keeps each input fast
    auto r = sp::calendar::read_busy_times(sp::fuzz::text(data, size), from, to, berlin, limits);
    if (!r.ok()) {
        check(r.busy.empty(), "a refused feed yields no busy times");
        return 0;
    }
    for (std::size_t i = 0; i < r.busy.size(); ++i) {
        const auto& b = r.busy[i];
        check(b.start < b.end, "every busy time has a length");
        check(b.end > from && b.start < to, "every busy time meets the window");
        if (i > 0) check(r.busy[i - 1].end < b.start, "busy times are sorted and merged");
    }
    return 0;
}
