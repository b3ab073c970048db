#pragma once
/**
 * Small helpers the store classes share for reading Redis replies. Internal to store/.
 */
#include "domain/hub.hpp"
#include "domain/zoned_time.hpp"
#include "redis/client.hpp"

#include <map>
#include <string>

namespace sp::store {

struct outcome;

/** Turns a Redis failure (no reply, or an error reply from a script) into an outcome;
 *  true if `r` is a usable reply. */
bool usable(const redis::result& r, outcome& o);
/** Element `i` of an array reply as text ("" when absent). */
std::string str_at(const redis::reply& r, std::size_t i);
/** Element `i` of an array reply as a number (0 when absent). */
int int_at(const redis::reply& r, std::size_t i);
/** One Redis hash as field -> value (a Redis hash). */
using field_map = std::map<std::string, std::string, std::less<>>;
/** A flat [field, value, ...] reply (HGETALL) as a map. */
field_map to_map(const redis::reply& flat);
/** A field's value ("" when absent). */
std::string get(const field_map& m, std::string_view k);
/** A field's value as a number (0 when absent or not a number). */
std::int64_t get_int(const field_map& m, std::string_view k);
/** A booking hash as a value. */
domain::booking booking_from(const field_map& m);
/** Epoch seconds as text, as the scripts take times. */
inline std::string epoch(domain::instant t) { return std::to_string(t.time_since_epoch().count()); }

} // namespace sp::store
