#pragma once
/**
 * What a password must be: at least 12 characters (counted as Unicode characters), at
 * most 1024 bytes, not on a short built-in list of common passwords, not the account's
 * e-mail or its local part, and not one character repeated. Pure.
 */
#include <optional>
#include <string>
#include <string_view>

namespace sp::auth {

/** The problem with `password`, phrased for the person choosing it, or nullopt. */
std::optional<std::string> password_problem(std::string_view password, std::string_view email);

} // namespace sp::auth
