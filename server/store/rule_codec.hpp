#pragma once
/**
 * An office-hour rule with its exceptions as JSON, both ways: the form the store keeps
 * (the rule's `spec` field) and the form experts send (issue: accounts). Decoding names
 * the offending field on every problem. Pure.
 */
#include "domain/office_hours.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace sp::store {

struct rule_spec {
    domain::office_hour_rule rule;
    std::vector<domain::rule_exception> exceptions;
};

std::string encode_rule(const rule_spec& spec);

/** The spec, or the problems (field + message) that make it unusable. */
struct decoded_rule {
    rule_spec spec;
    std::vector<domain::rule_problem> problems;
};
decoded_rule decode_rule(std::string_view json);

/** "mon".."sun" <-> weekday. */
std::string_view weekday_name(date::weekday d);
bool parse_weekday(std::string_view name, date::weekday& out);

} // namespace sp::store
