#include "calendar/windows_zones.hpp"

#include <array>
#include <utility>

namespace sp::calendar {
namespace {

using entry = std::pair<std::string_view, std::string_view>;

// From CLDR windowsZones.xml, territory 001. IANA names as Debian's tzdata knows them
// (Asia/Kolkata for Asia/Calcutta and the like are links of each other there).
constexpr std::array k_zones{
    entry{"Dateline Standard Time", "Etc/GMT+12"},
    entry{"UTC-11", "Etc/GMT+11"},
    entry{"Hawaiian Standard Time", "Pacific/Honolulu"},
    entry{"Alaskan Standard Time", "America/Anchorage"},
    entry{"Pacific Standard Time", "America/Los_Angeles"},
    entry{"US Mountain Standard Time", "America/Phoenix"},
    entry{"Mountain Standard Time", "America/Denver"},
    entry{"Central America Standard Time", "America/Guatemala"},
    entry{"Central Standard Time", "America/Chicago"},
    entry{"Central Standard Time (Mexico)", "America/Mexico_City"},
    entry{"Canada Central Standard Time", "America/Regina"},
    entry{"SA Pacific Standard Time", "America/Bogota"},
    entry{"Eastern Standard Time", "America/New_York"},
    entry{"Venezuela Standard Time", "America/Caracas"},
    entry{"Atlantic Standard Time", "America/Halifax"},
    entry{"Pacific SA Standard Time", "America/Santiago"},
    entry{"Newfoundland Standard Time", "America/St_Johns"},
    entry{"E. South America Standard Time", "America/Sao_Paulo"},
    entry{"Argentina Standard Time", "America/Argentina/Buenos_Aires"},
    entry{"SA Eastern Standard Time", "America/Cayenne"},
    entry{"UTC-02", "Etc/GMT+2"},
    entry{"Azores Standard Time", "Atlantic/Azores"},
    entry{"Cape Verde Standard Time", "Atlantic/Cape_Verde"},
    entry{"UTC", "Etc/UTC"},
    entry{"GMT Standard Time", "Europe/London"},
    entry{"Greenwich Standard Time", "Atlantic/Reykjavik"},
    entry{"Morocco Standard Time", "Africa/Casablanca"},
    entry{"W. Europe Standard Time", "Europe/Berlin"},
    entry{"Central Europe Standard Time", "Europe/Budapest"},
    entry{"Romance Standard Time", "Europe/Paris"},
    entry{"Central European Standard Time", "Europe/Warsaw"},
    entry{"W. Central Africa Standard Time", "Africa/Lagos"},
    entry{"GTB Standard Time", "Europe/Bucharest"},
    entry{"E. Europe Standard Time", "Europe/Chisinau"},
    entry{"FLE Standard Time", "Europe/Kiev"},
    entry{"Jordan Standard Time", "Asia/Amman"},
    entry{"Middle East Standard Time", "Asia/Beirut"},
    entry{"Syria Standard Time", "Asia/Damascus"},
    entry{"Israel Standard Time", "Asia/Jerusalem"},
    entry{"Egypt Standard Time", "Africa/Cairo"},
    entry{"South Africa Standard Time", "Africa/Johannesburg"},
    entry{"Kaliningrad Standard Time", "Europe/Kaliningrad"},
    entry{"Turkey Standard Time", "Europe/Istanbul"},
    entry{"Belarus Standard Time", "Europe/Minsk"},
    entry{"Arabic Standard Time", "Asia/Baghdad"},
    entry{"Arab Standard Time", "Asia/Riyadh"},
    entry{"Russian Standard Time", "Europe/Moscow"},
    entry{"E. Africa Standard Time", "Africa/Nairobi"},
    entry{"Iran Standard Time", "Asia/Tehran"},
    entry{"Arabian Standard Time", "Asia/Dubai"},
    entry{"Azerbaijan Standard Time", "Asia/Baku"},
    entry{"Georgian Standard Time", "Asia/Tbilisi"},
    entry{"Afghanistan Standard Time", "Asia/Kabul"},
    entry{"Ekaterinburg Standard Time", "Asia/Yekaterinburg"},
    entry{"Pakistan Standard Time", "Asia/Karachi"},
    entry{"West Asia Standard Time", "Asia/Tashkent"},
    entry{"India Standard Time", "Asia/Kolkata"},
    entry{"Sri Lanka Standard Time", "Asia/Colombo"},
    entry{"Nepal Standard Time", "Asia/Kathmandu"},
    entry{"Bangladesh Standard Time", "Asia/Dhaka"},
    entry{"Myanmar Standard Time", "Asia/Yangon"},
    entry{"SE Asia Standard Time", "Asia/Bangkok"},
    entry{"N. Central Asia Standard Time", "Asia/Novosibirsk"},
    entry{"North Asia Standard Time", "Asia/Krasnoyarsk"},
    entry{"China Standard Time", "Asia/Shanghai"},
    entry{"Singapore Standard Time", "Asia/Singapore"},
    entry{"W. Australia Standard Time", "Australia/Perth"},
    entry{"Taipei Standard Time", "Asia/Taipei"},
    entry{"Tokyo Standard Time", "Asia/Tokyo"},
    entry{"Korea Standard Time", "Asia/Seoul"},
    entry{"Yakutsk Standard Time", "Asia/Yakutsk"},
    entry{"Cen. Australia Standard Time", "Australia/Adelaide"},
    entry{"AUS Central Standard Time", "Australia/Darwin"},
    entry{"E. Australia Standard Time", "Australia/Brisbane"},
    entry{"AUS Eastern Standard Time", "Australia/Sydney"},
    entry{"Tasmania Standard Time", "Australia/Hobart"},
    entry{"Vladivostok Standard Time", "Asia/Vladivostok"},
    entry{"New Zealand Standard Time", "Pacific/Auckland"},
    entry{"Fiji Standard Time", "Pacific/Fiji"},
    entry{"Tonga Standard Time", "Pacific/Tongatapu"},
    entry{"Samoa Standard Time", "Pacific/Apia"},
    // Display names some Outlook versions write instead of the key name.
    entry{"(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "Europe/Berlin"},
    entry{"(UTC+01:00) Brussels, Copenhagen, Madrid, Paris", "Europe/Paris"},
    entry{"(UTC+01:00) Belgrade, Bratislava, Budapest, Ljubljana, Prague", "Europe/Budapest"},
    entry{"(UTC+01:00) Sarajevo, Skopje, Warsaw, Zagreb", "Europe/Warsaw"},
    entry{"(UTC+00:00) Dublin, Edinburgh, Lisbon, London", "Europe/London"},
    entry{"(UTC) Dublin, Edinburgh, Lisbon, London", "Europe/London"},
    entry{"(UTC) Coordinated Universal Time", "Etc/UTC"},
};

} // namespace

std::string_view iana_name_for_windows_zone(std::string_view windows_name)
{
    for (const auto& [windows, iana] : k_zones)
        if (windows == windows_name) return iana;
    return {};
}

} // namespace sp::calendar
