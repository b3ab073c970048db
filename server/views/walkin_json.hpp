#pragma once
/**
 * The public JSON of a camp's walk-in queue (GET /api/v1/camps/{camp}/walkins and the
 * live view `walkins`): how many wait, the open offers by ticket, and the camp's walk-in
 * settings. Never a name: the lobby's screen shows it. Pure.
 */
#include "domain/day_settings.hpp"
#include "domain/walkin_rules.hpp"
#include "util/json_writer.hpp"

#include <string_view>

namespace sp::views {

void write_walkin_summary(util::json_writer& w, std::string_view camp_id, const domain::walkin_summary& s,
                          const domain::day_settings& day, std::string_view zone);

} // namespace sp::views
