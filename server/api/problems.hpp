#pragma once
/** Turns a store outcome that is not ok into the problem response the API answers with:
 *  the HTTP status, the machine-readable code, the field it concerns and a sentence. */
#include "http/message.hpp"
#include "store/hub_store.hpp"

namespace sp::api {

http::response problem_for(const store::outcome& o);

} // namespace sp::api
