#pragma once
/**
 * Windows time-zone names, as Outlook and Exchange write them into TZID
 * ("W. Europe Standard Time"), mapped to IANA names ("Europe/Berlin") following the
 * Unicode CLDR table windowsZones.xml (its "001" territory, the zone Windows means when
 * no country is given). Also the display names Outlook sometimes uses instead
 * ("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"). Pure, thread-safe.
 */
#include <string_view>

namespace sp::calendar {

/** The IANA name for a Windows zone name or display name, or "" when it is not one. */
std::string_view iana_name_for_windows_zone(std::string_view windows_name);

} // namespace sp::calendar
