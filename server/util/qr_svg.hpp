#pragma once
/**
 * A QR code as an SVG image (libqrencode does the encoding): one <path> of dark
 * modules on a white background with the four-module quiet zone the standard asks
 * for, scaled by the viewBox so it stays sharp at any size (a lobby TV or a phone).
 */
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sp::util {

/** The module matrix: row-major, true = dark. Empty when the text cannot be encoded. */
struct qr_matrix {
    int width = 0;
    std::vector<bool> dark;
    bool at(int x, int y) const { return dark[static_cast<std::size_t>(y * width + x)]; }
};

/** Encodes `text` (8-bit mode, error correction level M). nullopt if it is too long. */
std::optional<qr_matrix> qr_encode(std::string_view text);

/** The matrix as a standalone SVG document; `title` becomes its accessible name. */
std::string qr_svg(const qr_matrix& m, std::string_view title);

} // namespace sp::util
