#pragma once
/** What the API handlers share: the store, the clock (tests may not change it, but it
 *  is one place), and the public base URL manage links are built from. */
#include "store/hub_store.hpp"

#include <functional>
#include <string>

namespace sp::api {

struct api_context {
    store::hub_store& store;
    std::string public_url; // no trailing slash
    bool mail_enabled = false; // an SMTP server is configured: founders get their confirmation by e-mail
    std::function<domain::instant()> now = [] {
        return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    };
};

} // namespace sp::api
