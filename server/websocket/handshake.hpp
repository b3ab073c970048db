#pragma once
/**
 * The server side of the WebSocket opening handshake (RFC 6455 §4.2), on plain strings:
 * the caller copies the request's fields out of its HTTP parser, and sends either the
 * 101 response built here or the refusal (400, or 426 with "Sec-WebSocket-Version: 13").
 * Pure functions; thread-safe.
 */
#include <string>
#include <string_view>

namespace sp::websocket {

struct upgrade_request {
    std::string_view method;   // "GET"
    unsigned http_version = 0; // 11 for HTTP/1.1 (major * 10 + minor)
    std::string_view upgrade, connection, version, key; // the header fields' values ("" if absent)
};

struct handshake_result {
    bool ok = false;
    unsigned status = 0;  // when !ok: 400, or 426 for a version other than 13 (add "Sec-WebSocket-Version: 13")
    std::string field;    // when !ok: what is at fault: "method", "HTTP version" or the header's name
    std::string detail;   // when !ok: a short English explanation for the response body or the log
    std::string accept;   // when ok: the Sec-WebSocket-Accept value
};

/** Checks an upgrade request: GET, HTTP/1.1 or later, Upgrade lists the token
 *  "websocket" and Connection the token "upgrade" (comma-separated, case-insensitive),
 *  Sec-WebSocket-Version is 13, Sec-WebSocket-Key is the base64 of exactly 16 bytes. */
handshake_result check_upgrade(const upgrade_request& request);

/** base64(SHA-1(client_key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")) (RFC 6455 §4.2.2). */
std::string accept_key(std::string_view client_key);

/** The complete 101 response: status line, Upgrade, Connection, Sec-WebSocket-Accept
 *  and the empty line. */
std::string switching_protocols_response(std::string_view accept);

} // namespace sp::websocket
