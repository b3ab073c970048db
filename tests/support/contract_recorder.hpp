#pragma once
/**
 * Records every HTTP exchange the integration tests make with the server's API (and
 * health) routes, so that each one is checked against the OpenAPI document when the
 * test process ends (tests/support/validate_openapi.py): the contract is tested by
 * every answer the tests receive, not by a chosen few. Thread-safe (a mutex around the
 * file); one file per test process in the scratch space.
 */
#include <string>

namespace sp::test {

/** Appends one exchange; targets outside /api/, /feeds/ and the health routes are ignored. */
void record_exchange(const std::string& method, const std::string& target, int status,
                     const std::string& content_type, const std::string& body);

/** Validates what was recorded against the document; "" when all conforms (or nothing
 *  was recorded), else the validator's report. Called once at the end of the process. */
std::string recorded_exchange_problems();

} // namespace sp::test
