#pragma once
/**
 * The HTTP message types every handler speaks, and what a handler gets to see of its
 * request. Included by the http folder and by API handlers, never by the domain or
 * the Redis layer.
 */
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <map>
#include <string>
#include <string_view>

namespace sp::http {

namespace bhttp = boost::beast::http;
using request = bhttp::request<bhttp::string_body>;
using response = bhttp::response<bhttp::string_body>;

struct request_context {
    const request& req;
    std::string_view request_id;
    std::string_view peer; // client address, without port
    std::map<std::string, std::string, std::less<>> params; // {name} segments of the route
};

/** Response with a body and its content type; Content-Length is set. */
response make_response(bhttp::status status, std::string body, std::string_view content_type);
response make_json(bhttp::status status, std::string json);
/** `res` with Cache-Control: no-store, for what carries personal data or a secret link
 *  (a booking, a walk-in page, an expert's calendars): never cached anywhere. */
response no_store(response res);

/** An RFC 9457 problem: `application/problem+json` with type (a URN built from
 *  `code`), the machine-readable code itself, title, status, detail, and the offending
 *  field when there is one. */
response make_problem(bhttp::status status, std::string_view code, std::string_view detail,
                      std::string_view field = {});

/** Sets X-Request-Id, and for a server error (5xx) also puts it into the problem body as
 *  `request_id`, so that a person reporting the error can quote what the log lines carry.
 *  `id` is a request id as the server accepts or makes them (letters, digits, - _ .). */
void add_request_id(response& res, std::string_view id);

} // namespace sp::http
