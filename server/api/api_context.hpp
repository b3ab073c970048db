#pragma once
/** What the API handlers share: the hub's stores, the clock (tests may not change it,
 *  but it is one place), and the public base URL manage links are built from. */
#include "store/hub_stores.hpp"

#include <cstddef>
#include <functional>
#include <string>

namespace sp::api {

struct api_context {
    explicit api_context(store::hub_stores& s, std::string url)
        : reader(s.reader),
          catalog(s.catalog),
          schedule(s.schedule),
          bookings(s.bookings),
          founders(s.founders),
          walkins(s.walkins),
          changes(s.changes),
          settings(s.settings),
          public_url(std::move(url))
    {
    }

    store::record_reader& reader; // sessions and their bookings
    store::catalog_store& catalog;
    store::schedule_store& schedule;
    store::booking_store& bookings;
    store::founder_store& founders;
    store::walkin_store& walkins;
    store::change_log_store& changes;
    const store::store_settings& settings;
    std::string public_url; // no trailing slash
    std::size_t max_upload_bytes = 512 * 1024; // http.max_upload_bytes: the largest photo
    bool mail_enabled = false; // an SMTP server is configured: founders get their confirmation by e-mail
    std::function<domain::instant()> now = [] {
        return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    };
};

} // namespace sp::api
