#pragma once
/** Turns a store outcome that is not ok into the problem response the API answers with:
 *  the HTTP status, the machine-readable code, the field it concerns and a sentence. */
#include "http/message.hpp"
#include "store/outcome.hpp"

namespace sp::api {

http::response problem_for(const store::outcome& o);

/** How a refusal is answered: status, code and the field it concerns ("" = none). */
struct problem_mapping {
    http::bhttp::status status;
    std::string_view code;
    std::string_view field;
};
problem_mapping problem_of(store::refusal r);

} // namespace sp::api
