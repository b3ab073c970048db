#pragma once
/**
 * A hub described in a TOML file: camps, rooms, experts, office-hour rules and events.
 * config/demo-hub.toml is the demo the run command loads; admins use the same format
 * with tools/admin. Parsing is pure (errors name the entry and field); applying is
 * app/seed_apply.hpp.
 *
 * Rules without valid_from start today. Events give either absolute times (start, end
 * in RFC 3339) or times relative to the day the file is applied (in_days, at, minutes),
 * so a demo never runs out of future events. A `[demo]` table with `admin_email` asks
 * for a demo community-manager account (never in a real hub's file).
 */
#include "domain/hub.hpp"
#include "domain/office_hours.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace sp::app {

struct seed_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct seed_rule {
    domain::office_hour_rule rule;
    std::vector<domain::rule_exception> exceptions;
};

struct hub_seed {
    std::vector<domain::camp> camps;
    std::vector<domain::room> rooms;
    std::vector<domain::expert> experts;
    std::vector<seed_rule> rules;
    std::vector<domain::event> events;
    /** [demo] admin_email: a demo hub's community manager, created with a generated
     *  password that the server prints once (app/demo_admin). Empty: none. */
    std::string demo_admin_email;
};

/** Parses the TOML text; `today` fills rules without valid_from and relative events.
 *  Throws seed_error naming the entry and field. */
hub_seed parse_seed(std::string_view toml_text, std::string_view source_name, domain::instant now);
hub_seed read_seed_file(const std::string& path, domain::instant now);

} // namespace sp::app
