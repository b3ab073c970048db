#include "domain/photo_format.hpp"

namespace sp::domain {

std::optional<std::string_view> photo_content_type(std::string_view b)
{
    using namespace std::string_view_literals;
    // JPEG: SOI marker followed by the start of another marker (FF D8 FF).
    if (b.size() >= 4 && b.substr(0, 3) == "\xFF\xD8\xFF"sv) return "image/jpeg";
    // PNG: the 8-byte signature, then the IHDR chunk that must come first.
    if (b.size() >= 16 && b.substr(0, 8) == "\x89PNG\r\n\x1A\n"sv && b.substr(12, 4) == "IHDR"sv) return "image/png";
    // WebP: a RIFF container of form type WEBP with a VP8, VP8L or VP8X chunk.
    if (b.size() >= 16 && b.substr(0, 4) == "RIFF"sv && b.substr(8, 4) == "WEBP"sv && b.substr(12, 3) == "VP8"sv)
        return "image/webp";
    return std::nullopt;
}

} // namespace sp::domain
