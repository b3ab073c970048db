#pragma once
/**
 * What an uploaded expert photo is, judged by its bytes alone (the Content-Type a client
 * sends is not trusted): JPEG, PNG or WebP, each by its signature. Everything else,
 * SVG above all (it can carry script), is refused. Pure.
 */
#include <optional>
#include <string_view>

namespace sp::domain {

/** "image/jpeg", "image/png" or "image/webp"; nullopt for anything else. */
std::optional<std::string_view> photo_content_type(std::string_view bytes);

} // namespace sp::domain
