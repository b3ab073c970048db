#include "domain/zoned_time.hpp"

#include <cstdio>
#include <stdexcept>

namespace sp::domain {

namespace {
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// The text is fixed-width everywhere we parse, so a digit reader with an exact count
// rejects "9:00", "+1:00" and signs that std::from_chars would let through.
std::optional<int> read_digits(std::string_view text, std::size_t pos, std::size_t count)
{
    if (pos + count > text.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        char c = text[i];
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

std::optional<date::year_month_day> read_date(std::string_view text)
{
    // "YYYY-MM-DD", exactly ten characters.
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    auto y = read_digits(text, 0, 4);
    auto m = read_digits(text, 5, 2);
    auto d = read_digits(text, 8, 2);
    if (!y || !m || !d) return std::nullopt;
    date::year_month_day ymd{date::year{*y}, date::month{static_cast<unsigned>(*m)},
                             date::day{static_cast<unsigned>(*d)}};
    if (!ymd.ok()) return std::nullopt;
    return ymd;
}

// Instants are printed in UTC when no zone is given, so callers never crash on a
// missing zone; the offset is still spelled "+00:00" like any other zone's.
date::sys_info info_at(instant t, const date::time_zone* zone)
{
    if (zone) return zone->get_info(t);
    date::sys_info utc;
    utc.begin = instant::min();
    utc.end = instant::max();
    utc.offset = seconds{0};
    utc.save = minutes{0};
    utc.abbrev = "UTC";
    return utc;
}

local_time to_local(instant t, const date::time_zone* zone)
{
    return local_time{t.time_since_epoch() + info_at(t, zone).offset};
}
} // namespace

const date::time_zone* find_zone(std::string_view iana_name)
{
    if (iana_name.empty()) return nullptr;
    try {
        return date::locate_zone(iana_name);
    } catch (const std::exception&) {
        // locate_zone reports an unknown name (and an unreadable tz database) by
        // throwing; to the hub both mean "no such zone".
        return nullptr;
    }
}

std::optional<instant> resolve_local(local_time t, const date::time_zone* zone)
{
    if (!zone) return instant{t.time_since_epoch()};
    date::local_info info = zone->get_info(t);
    switch (info.result) {
    case date::local_info::unique:
    case date::local_info::ambiguous:
        // For an ambiguous time `first` is the earlier period (still summer time), so
        // its offset gives the first occurrence.
        return instant{t.time_since_epoch() - info.first.offset};
    case date::local_info::nonexistent:
    default:
        return std::nullopt;
    }
}

std::string format_rfc3339(instant t, const date::time_zone* zone)
{
    seconds offset = info_at(t, zone).offset;
    // RFC 3339 offsets have no seconds; local mean times before ~1900 do. Printing
    // those in UTC keeps the text an exact, parseable name of the instant.
    if (offset % minutes{1} != seconds{0}) offset = seconds{0};
    local_time local{t.time_since_epoch() + offset};
    auto day = date::floor<date::days>(local);
    date::year_month_day ymd{day};
    date::hh_mm_ss<seconds> tod{local - day};
    long off_min = std::chrono::duration_cast<minutes>(offset).count();
    char sign = off_min < 0 ? '-' : '+';
    if (off_min < 0) off_min = -off_min;
    char buf[128]; // room for what the compiler cannot prove never happens (huge hours)
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ld%c%02ld:%02ld", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<long>(tod.hours().count()), static_cast<long>(tod.minutes().count()),
                  static_cast<long>(tod.seconds().count()), sign, off_min / 60, off_min % 60);
    return buf;
}

std::optional<instant> parse_rfc3339(std::string_view text)
{
    // date-time = full-date "T" HH ":" MM ":" SS [ "." 1*DIGIT ] ( "Z" / ("+"/"-") HH ":" MM )
    // RFC 3339 lets "T" and "Z" be lower case; nothing else is tolerated.
    if (text.size() < 20) return std::nullopt;
    auto day = read_date(text.substr(0, 10));
    if (!day) return std::nullopt;
    if (text[10] != 'T' && text[10] != 't') return std::nullopt;
    if (text[13] != ':' || text[16] != ':') return std::nullopt;
    auto hh = read_digits(text, 11, 2);
    auto mm = read_digits(text, 14, 2);
    auto ss = read_digits(text, 17, 2);
    // Second 60 (a leap second) has no sys_seconds instant, so it is out of range here.
    if (!hh || !mm || !ss || *hh > 23 || *mm > 59 || *ss > 59) return std::nullopt;

    std::size_t pos = 19;
    if (pos < text.size() && text[pos] == '.') {
        std::size_t digits_start = ++pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9')
            ++pos;
        if (pos == digits_start) return std::nullopt;
    }
    if (pos >= text.size()) return std::nullopt;

    seconds offset{0};
    char zone_char = text[pos];
    if (zone_char == 'Z' || zone_char == 'z') {
        ++pos;
    } else if (zone_char == '+' || zone_char == '-') {
        if (text.size() - pos != 6 || text[pos + 3] != ':') return std::nullopt;
        auto oh = read_digits(text, pos + 1, 2);
        auto om = read_digits(text, pos + 4, 2);
        if (!oh || !om || *oh > 23 || *om > 59) return std::nullopt;
        offset = hours{*oh} + minutes{*om};
        if (zone_char == '-') offset = -offset;
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != text.size()) return std::nullopt;

    local_time local = date::local_days{*day} + hours{*hh} + minutes{*mm} + seconds{*ss};
    return instant{local.time_since_epoch() - offset};
}

std::optional<date::year_month_day> parse_date(std::string_view text)
{
    return read_date(text);
}

std::string format_date(date::year_month_day d)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                  static_cast<unsigned>(d.day()));
    return buf;
}

std::optional<std::chrono::minutes> parse_time_of_day(std::string_view text)
{
    if (text.size() != 5 || text[2] != ':') return std::nullopt;
    auto hh = read_digits(text, 0, 2);
    auto mm = read_digits(text, 3, 2);
    if (!hh || !mm || *mm > 59) return std::nullopt;
    // 24:00 is allowed so a window can run to the end of the day; nothing past it.
    if (*hh > 24 || (*hh == 24 && *mm != 0)) return std::nullopt;
    return hours{*hh} + minutes{*mm};
}

std::string format_time_of_day(std::chrono::minutes m)
{
    long total = m.count();
    const char* sign = total < 0 ? "-" : "";
    if (total < 0) total = -total;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s%02ld:%02ld", sign, total / 60, total % 60);
    return buf;
}

date::year_month_day local_date(instant t, const date::time_zone* zone)
{
    return date::year_month_day{date::floor<date::days>(to_local(t, zone))};
}

std::string iso_week_key(instant t, const date::time_zone* zone)
{
    // ISO 8601: a week belongs to the year that holds its Thursday, and week 1 is the
    // week with the year's first Thursday.
    date::local_days day{local_date(t, zone)};
    date::weekday wd{day};
    auto monday_offset = date::days{static_cast<int>(wd.iso_encoding()) - 1};
    date::local_days thursday = day - monday_offset + date::days{3};
    date::year iso_year = date::year_month_day{thursday}.year();
    date::local_days jan_first{iso_year / date::January / 1};
    int week = static_cast<int>((thursday - jan_first).count() / 7) + 1;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-W%02d", static_cast<int>(iso_year), week);
    return buf;
}

instant start_of_local_day(date::year_month_day d, const date::time_zone* zone)
{
    local_time midnight{date::local_days{d}};
    if (!zone) return instant{midnight.time_since_epoch()};
    date::local_info info = zone->get_info(midnight);
    if (info.result == date::local_info::nonexistent) {
        // Midnight falls in a gap (e.g. America/Santiago in September): the day begins
        // when the clocks jump, which is where the period before the gap ends.
        return info.first.end;
    }
    return instant{midnight.time_since_epoch() - info.first.offset};
}

} // namespace sp::domain
