#pragma once
/**
 * Which pages may open a live connection. Browsers send Origin with every WebSocket
 * handshake; a page from a foreign site must not ride on a visitor's connection
 * (cross-site WebSocket hijacking). Allowed: the configured origins, and the server's
 * own origin (Origin's host:port equals the Host header). Clients that are not browsers
 * send no Origin and are allowed: they could forge any header anyway. Pure.
 */
#include <string>
#include <string_view>
#include <vector>

namespace sp::http {

bool origin_allowed(std::string_view origin, std::string_view host, const std::vector<std::string>& allowed);

/** Splits the space- or comma-separated live.allowed_origins option. */
std::vector<std::string> split_origins(std::string_view list);

} // namespace sp::http
