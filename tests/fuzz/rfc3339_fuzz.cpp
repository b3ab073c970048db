// sp::domain::parse_rfc3339 (query ranges, event times, seed files) and its siblings
// parse_date and parse_time_of_day. Property: whatever parses, formatted again, parses
// to the same value.
#include "domain/zoned_time.hpp"
#include "fuzz_check.hpp"

using sp::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view text = sp::fuzz::text(data, size);
    static const date::time_zone* berlin = sp::domain::find_zone("Europe/Berlin");
    static const date::time_zone* utc = sp::domain::find_zone("UTC");
    check(berlin && utc, "the tz database has Europe/Berlin and UTC");

    // Four-digit years only: an instant within a day of year 0 or 10000 can be written
    // with an offset but formats into a five-digit or negative year, which RFC 3339
    // has no form for.
    static const auto first = sp::domain::instant{date::sys_days{date::year{1} / 1 / 2}};
    static const auto last = sp::domain::instant{date::sys_days{date::year{9999} / 12 / 30}};
    if (auto t = sp::domain::parse_rfc3339(text); t && *t >= first && *t < last) {
        for (const auto* zone : {utc, berlin}) {
            std::string formatted = sp::domain::format_rfc3339(*t, zone);
            auto back = sp::domain::parse_rfc3339(formatted);
            check(back && *back == *t, "parse(format(t)) == t", formatted);
        }
    }
    if (auto d = sp::domain::parse_date(text)) {
        check(d->ok(), "a parsed date is a real date", text);
        auto back = sp::domain::parse_date(sp::domain::format_date(*d));
        check(back && *back == *d, "parse_date(format_date(d)) == d", text);
    }
    if (auto m = sp::domain::parse_time_of_day(text)) {
        check(*m >= std::chrono::minutes{0} && *m <= std::chrono::hours{24}, "a time of day lies in 00:00..24:00",
              text);
        auto back = sp::domain::parse_time_of_day(sp::domain::format_time_of_day(*m));
        check(back && *back == *m, "parse_time_of_day(format(m)) == m", text);
    }
    return 0;
}
