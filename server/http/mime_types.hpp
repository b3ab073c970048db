#pragma once
/** The Content-Type for a file name, by extension (case-insensitive). Unknown types get
 *  application/octet-stream, which browsers never execute or render as HTML. */
#include <string_view>

namespace sp::http {

std::string_view mime_type_for(std::string_view file_name);

} // namespace sp::http
