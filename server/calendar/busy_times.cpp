#include "calendar/busy_times.hpp"

#include "calendar/libical_lock.hpp"
#include "calendar/windows_zones.hpp"

#include <algorithm>
#include <libical/ical.h>
#include <map>
#include <memory>
#include <optional>
#include <set>

namespace sp::calendar {
namespace {

using domain::instant;
using std::chrono::seconds;

struct component_deleter {
    void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using component_ptr = std::unique_ptr<icalcomponent, component_deleter>;

struct iterator_deleter {
    void operator()(icalrecur_iterator* it) const { icalrecur_iterator_free(it); }
};
using iterator_ptr = std::unique_ptr<icalrecur_iterator, iterator_deleter>;

/** Where a time written without "Z" is read: a tz database zone, a VTIMEZONE of the
 *  file (libical does the arithmetic), or UTC. */
struct zone_ref {
    const date::time_zone* tz = nullptr;
    icaltimezone* vtimezone = nullptr;
    bool utc = false;
};

/** The wall-clock fields of `t`, when they make a real date and time. */
std::optional<domain::local_time> wall_clock(const icaltimetype& t)
{
    if (icaltime_is_null_time(t) || t.year < 1 || t.year > 9999) return std::nullopt;
    date::year_month_day day{date::year{t.year}, date::month{static_cast<unsigned>(t.month)},
                             date::day{static_cast<unsigned>(t.day)}};
    if (!day.ok()) return std::nullopt;
    if (t.is_date) return date::local_days{day};
    if (t.hour < 0 || t.hour > 23 || t.minute < 0 || t.minute > 59 || t.second < 0 || t.second > 60)
        return std::nullopt;
    return date::local_days{day} + std::chrono::hours(t.hour) + std::chrono::minutes(t.minute) + seconds(t.second);
}

/** RFC 5545 3.3.5: a local time in a gap is read with the offset before the gap, an
 *  ambiguous one as its first occurrence (both: `first` of the zone's local_info). */
instant resolve(domain::local_time t, const date::time_zone* tz)
{
    auto info = tz->get_info(t);
    return instant{t.time_since_epoch() - info.first.offset};
}

/** The wall-clock time of `t` in the zone, as libical fields without a zone. */
icaltimetype to_wall_clock(instant t, const zone_ref& z, const date::time_zone* local, bool is_date)
{
    icaltimetype out = icaltime_null_time();
    domain::local_time lt;
    if (z.utc) lt = domain::local_time{t.time_since_epoch()};
    else if (z.vtimezone) {
        icaltimetype v = icaltime_from_timet_with_zone(static_cast<time_t>(t.time_since_epoch().count()), 0, z.vtimezone);
        v.zone = nullptr;
        v.is_date = is_date;
        return v;
    } else lt = (z.tz ? z.tz : local)->to_local(t);
    auto days = date::floor<date::days>(lt);
    date::year_month_day ymd{days};
    date::hh_mm_ss<seconds> hms{lt - days};
    out.year = static_cast<int>(ymd.year());
    out.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
    out.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
    out.is_date = is_date;
    if (!is_date) {
        out.hour = static_cast<int>(hms.hours().count());
        out.minute = static_cast<int>(hms.minutes().count());
        out.second = static_cast<int>(hms.seconds().count());
    }
    return out;
}

class feed_reader {
public:
    feed_reader(icalcomponent* calendar, instant from, instant to, const date::time_zone* local,
                const busy_limits& limits)
        : calendar_(calendar), from_(from), to_(to), local_(local), limits_(limits)
    {
    }

    /** "" when read; else why not. */
    std::string read(std::vector<busy_interval>& out)
    {
        std::vector<icalcomponent*> masters, moved;
        for (icalcomponent* e = icalcomponent_get_first_component(calendar_, ICAL_VEVENT_COMPONENT); e;
             e = icalcomponent_get_next_component(calendar_, ICAL_VEVENT_COMPONENT)) {
            if (icalcomponent_get_first_property(e, ICAL_RECURRENCEID_PROPERTY)) moved.push_back(e);
            else masters.push_back(e);
        }
        // An instance moved or cancelled through RECURRENCE-ID stands for the one it names.
        for (icalcomponent* e : moved) {
            icalproperty* rid = icalcomponent_get_first_property(e, ICAL_RECURRENCEID_PROPERTY);
            if (auto at = instant_of(rid, icalproperty_get_recurrenceid(rid), nullptr))
                replaced_.insert({uid_of(e), *at});
            if (busy(e)) add_single(e);
        }
        for (icalcomponent* e : masters)
            if (busy(e)) add_series(e);
        for (icalcomponent* fb = icalcomponent_get_first_component(calendar_, ICAL_VFREEBUSY_COMPONENT); fb;
             fb = icalcomponent_get_next_component(calendar_, ICAL_VFREEBUSY_COMPONENT))
            add_free_busy(fb);
        if (!error_.empty()) return error_;

        std::sort(found_.begin(), found_.end(), [](const busy_interval& a, const busy_interval& b) {
            return a.start < b.start || (a.start == b.start && a.end < b.end);
        });
        for (const auto& b : found_) {
            if (!out.empty() && b.start <= out.back().end) out.back().end = std::max(out.back().end, b.end);
            else out.push_back(b);
        }
        return {};
    }

private:
    static std::string uid_of(icalcomponent* e)
    {
        const char* uid = icalcomponent_get_uid(e);
        return uid ? uid : "";
    }

    static bool busy(icalcomponent* e)
    {
        if (icalcomponent_get_status(e) == ICAL_STATUS_CANCELLED) return false;
        icalproperty* transp = icalcomponent_get_first_property(e, ICAL_TRANSP_PROPERTY);
        return !(transp && icalproperty_get_transp(transp) == ICAL_TRANSP_TRANSPARENT);
    }

    /** The zone a property's time is written in. `fallback` (the DTSTART's) for an
     *  EXDATE or RDATE without its own TZID. */
    zone_ref zone_of(icalproperty* p, const icaltimetype& t, const zone_ref* fallback)
    {
        if (icaltime_is_utc(t)) return {nullptr, nullptr, true};
        icalparameter* tzid = p ? icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER) : nullptr;
        const char* name = tzid ? icalparameter_get_tzid(tzid) : nullptr;
        if (!name || !*name) return fallback ? *fallback : zone_ref{local_, nullptr, false};
        auto [it, fresh] = zones_.try_emplace(name);
        if (fresh) it->second = resolve_tzid(name);
        return it->second;
    }

    zone_ref resolve_tzid(std::string_view name)
    {
        // An IANA name, possibly behind a vendor prefix ("/freeassociation.sourceforge.net/Europe/Berlin").
        for (std::size_t pos = 0; pos < name.size();) {
            if (auto* tz = domain::find_zone(name.substr(pos))) return {tz, nullptr, false};
            auto slash = name.find('/', pos);
            if (slash == std::string_view::npos) break;
            pos = slash + 1;
        }
        if (auto iana = iana_name_for_windows_zone(name); !iana.empty())
            if (auto* tz = domain::find_zone(iana)) return {tz, nullptr, false};
        std::string id(name);
        if (icaltimezone* vtz = icalcomponent_get_timezone(calendar_, id.c_str())) return {nullptr, vtz, false};
        return {local_, nullptr, false}; // an unknown zone: as floating, in the expert's own zone
    }

    std::optional<instant> instant_of(const icaltimetype& t, const zone_ref& z)
    {
        auto wall = wall_clock(t);
        if (!wall) return std::nullopt;
        if (z.utc) return instant{wall->time_since_epoch()};
        if (t.is_date) return resolve(*wall, local_); // all-day: the expert's midnight
        if (z.vtimezone) {
            icaltimetype plain = t;
            plain.zone = nullptr;
            return instant{seconds(icaltime_as_timet_with_zone(plain, z.vtimezone))};
        }
        return resolve(*wall, z.tz ? z.tz : local_);
    }

    std::optional<instant> instant_of(icalproperty* p, const icaltimetype& t, const zone_ref* fallback)
    {
        return instant_of(t, zone_of(p, t, fallback));
    }

    /** How long each instance lasts: exact seconds for date-times, whole days for dates. */
    struct length {
        bool days = false;
        std::int64_t amount = 0; // seconds or days
    };

    std::optional<length> length_of(icalcomponent* e, const icaltimetype& start, const zone_ref& zone)
    {
        if (icalproperty* end = icalcomponent_get_first_property(e, ICAL_DTEND_PROPERTY)) {
            icaltimetype t = icalproperty_get_dtend(end);
            if (start.is_date) {
                auto a = wall_clock(start), b = wall_clock(t);
                if (!a || !b) return std::nullopt;
                return length{true, date::floor<date::days>(*b - *a).count()};
            }
            auto a = instant_of(start, zone);
            auto b = instant_of(end, t, &zone);
            if (!a || !b) return std::nullopt;
            return length{false, (*b - *a).count()};
        }
        if (icalproperty* d = icalcomponent_get_first_property(e, ICAL_DURATION_PROPERTY)) {
            std::int64_t secs = icaldurationtype_as_int(icalproperty_get_duration(d));
            if (start.is_date) return length{true, secs / 86400};
            return length{false, secs};
        }
        return start.is_date ? length{true, 1} : length{false, 0};
    }

    void keep(instant start, const length& len, const icaltimetype& wall)
    {
        instant end = start + seconds(len.amount);
        if (len.days) {
            auto day = date::year_month_day{date::floor<date::days>(*wall_clock(wall))};
            end = domain::start_of_local_day(date::year_month_day{date::sys_days{day} + date::days(len.amount)}, local_);
        }
        if (end <= start || end <= from_ || start >= to_) return;
        if (found_.size() >= limits_.max_instances) {
            fail("the calendar has more than " + std::to_string(limits_.max_instances) +
                 " busy times in the booking horizon");
            return;
        }
        found_.push_back({start, end});
    }

    void add_single(icalcomponent* e)
    {
        icalproperty* p = icalcomponent_get_first_property(e, ICAL_DTSTART_PROPERTY);
        if (!p) return;
        icaltimetype t = icalproperty_get_dtstart(p);
        zone_ref zone = zone_of(p, t, nullptr);
        auto start = instant_of(t, zone);
        auto len = length_of(e, t, zone);
        if (start && len) keep(*start, *len, t);
    }

    void add_series(icalcomponent* e)
    {
        icalproperty* p = icalcomponent_get_first_property(e, ICAL_DTSTART_PROPERTY);
        if (!p) return;
        icaltimetype first = icalproperty_get_dtstart(p);
        zone_ref zone = zone_of(p, first, nullptr);
        auto len = length_of(e, first, zone);
        auto first_at = instant_of(first, zone);
        if (!len || !first_at) return;
        const std::string uid = uid_of(e);

        std::set<instant> excluded;
        for (icalproperty* x = icalcomponent_get_first_property(e, ICAL_EXDATE_PROPERTY); x;
             x = icalcomponent_get_next_property(e, ICAL_EXDATE_PROPERTY))
            if (auto at = instant_of(x, icalproperty_get_exdate(x), &zone)) excluded.insert(*at);

        std::set<instant> seen;
        auto occurrence = [&](const icaltimetype& wall, const zone_ref& z) {
            auto at = instant_of(wall, z);
            if (!at || excluded.count(*at) || replaced_.count({uid, *at}) || !seen.insert(*at).second) return;
            keep(*at, *len, wall);
        };
        icaltimetype plain = first;
        plain.zone = nullptr;
        occurrence(plain, zone);

        for (icalproperty* r = icalcomponent_get_first_property(e, ICAL_RDATE_PROPERTY); r && error_.empty();
             r = icalcomponent_get_next_property(e, ICAL_RDATE_PROPERTY)) {
            icaldatetimeperiodtype rd = icalproperty_get_rdate(r);
            if (!icalperiodtype_is_null_period(rd.period)) {
                zone_ref z = zone_of(r, rd.period.start, &zone);
                auto s = instant_of(rd.period.start, z);
                if (!s) continue;
                auto e_at = icaltime_is_null_time(rd.period.end)
                                ? std::optional<instant>(*s + seconds(icaldurationtype_as_int(rd.period.duration)))
                                : instant_of(rd.period.end, z);
                if (e_at && *e_at > *s && *e_at > from_ && *s < to_ && !excluded.count(*s) && seen.insert(*s).second)
                    found_.push_back({*s, *e_at});
                continue;
            }
            icaltimetype w = rd.time;
            zone_ref z = zone_of(r, w, &zone);
            w.zone = nullptr;
            occurrence(w, z);
        }

        icalproperty* rule = icalcomponent_get_first_property(e, ICAL_RRULE_PROPERTY);
        if (!rule || !error_.empty()) return;
        icalrecurrencetype recur = icalproperty_get_rrule(rule);
        if (recur.freq == ICAL_NO_RECURRENCE) return;
        iterator_ptr it{icalrecur_iterator_new(recur, plain)};
        if (!it) return;
        // Jump close to the window when the rule allows it (not with COUNT, which counts
        // from the first instance): a weekly meeting since 2015 need not be walked.
        instant lead = from_ - seconds(len->days ? len->amount * 86400 : len->amount) - std::chrono::hours(48);
        if (recur.count == 0 && lead > *first_at) icalrecur_iterator_set_start(it.get(), to_wall_clock(lead, zone, local_, plain.is_date));
        for (;;) {
            if (++iterations_ > limits_.max_iterations) {
                fail("the calendar's repeating events have too many occurrences to read (more than " +
                     std::to_string(limits_.max_iterations) + " steps)");
                return;
            }
            icaltimetype next = icalrecur_iterator_next(it.get());
            if (icaltime_is_null_time(next)) return;
            next.zone = nullptr;
            auto at = instant_of(next, zone);
            if (!at || *at >= to_) return;
            occurrence(next, zone);
            if (!error_.empty()) return;
        }
    }

    void add_free_busy(icalcomponent* fb)
    {
        for (icalproperty* p = icalcomponent_get_first_property(fb, ICAL_FREEBUSY_PROPERTY); p && error_.empty();
             p = icalcomponent_get_next_property(fb, ICAL_FREEBUSY_PROPERTY)) {
            icalparameter* type = icalproperty_get_first_parameter(p, ICAL_FBTYPE_PARAMETER);
            if (type && icalparameter_get_fbtype(type) == ICAL_FBTYPE_FREE) continue;
            icalperiodtype period = icalproperty_get_freebusy(p);
            zone_ref z = zone_of(p, period.start, nullptr);
            auto s = instant_of(period.start, z);
            if (!s) continue;
            auto e = icaltime_is_null_time(period.end)
                         ? std::optional<instant>(*s + seconds(icaldurationtype_as_int(period.duration)))
                         : instant_of(period.end, z);
            if (!e || *e <= *s || *e <= from_ || *s >= to_) continue;
            if (found_.size() >= limits_.max_instances) {
                fail("the calendar has more than " + std::to_string(limits_.max_instances) +
                     " busy times in the booking horizon");
                return;
            }
            found_.push_back({*s, *e});
        }
    }

    void fail(std::string why)
    {
        if (error_.empty()) error_ = std::move(why);
    }

    icalcomponent* calendar_;
    instant from_, to_;
    const date::time_zone* local_;
    const busy_limits& limits_;
    std::map<std::string, zone_ref, std::less<>> zones_;
    std::set<std::pair<std::string, instant>> replaced_;
    std::vector<busy_interval> found_;
    std::size_t iterations_ = 0;
    std::string error_;
};

} // namespace

busy_reading read_busy_times(std::string_view ics, domain::instant from, domain::instant to,
                             const date::time_zone* local_zone, const busy_limits& limits)
{
    busy_reading out;
    if (!local_zone) local_zone = domain::find_zone("Europe/Berlin");
    std::string text(ics); // libical reads a C string
    if (text.find('\0') != std::string::npos) {
        out.error = "the address did not return a calendar (iCalendar file)";
        out.problem = feed_problem::not_a_calendar;
        return out;
    }
    std::lock_guard lock(libical_mutex());
    icalerror_set_errors_are_fatal(0);
    component_ptr root{icalparser_parse_string(text.c_str())};
    icalcomponent* calendar = root.get();
    if (calendar && icalcomponent_isa(calendar) == ICAL_XROOT_COMPONENT)
        calendar = icalcomponent_get_first_component(calendar, ICAL_VCALENDAR_COMPONENT);
    if (!calendar || icalcomponent_isa(calendar) != ICAL_VCALENDAR_COMPONENT) {
        icalerror_clear_errno();
        out.error = "the address did not return a calendar (iCalendar file)";
        out.problem = feed_problem::not_a_calendar;
        return out;
    }
    feed_reader reader(calendar, from, to, local_zone, limits);
    out.error = reader.read(out.busy);
    if (!out.error.empty()) { // the reader refuses only past its limits
        out.busy.clear();
        out.problem = feed_problem::too_many_events;
    }
    icalerror_clear_errno();
    return out;
}

} // namespace sp::calendar
