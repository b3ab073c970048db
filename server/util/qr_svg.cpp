#include "util/qr_svg.hpp"

#include "util/text.hpp"

#include <memory>
#include <qrencode.h>

namespace sp::util {
namespace {

constexpr int k_quiet_zone = 4;

} // namespace

std::optional<qr_matrix> qr_encode(std::string_view text)
{
    std::string data(text); // libqrencode wants a NUL-terminated string
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeData(static_cast<int>(data.size()), reinterpret_cast<const unsigned char*>(data.data()), 0,
                          QR_ECLEVEL_M),
        &QRcode_free);
    if (!code) return std::nullopt;
    qr_matrix m;
    m.width = code->width;
    m.dark.resize(static_cast<std::size_t>(m.width) * static_cast<std::size_t>(m.width));
    for (std::size_t i = 0; i < m.dark.size(); ++i) m.dark[i] = (code->data[i] & 1) != 0;
    return m;
}

std::string qr_svg(const qr_matrix& m, std::string_view title)
{
    int size = m.width + 2 * k_quiet_zone;
    std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(size) + " " +
                    std::to_string(size) + "\" shape-rendering=\"crispEdges\" role=\"img\"><title>";
    s += escape_html(title);
    s += "</title><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
    // One horizontal run per stretch of dark modules keeps the path short.
    for (int y = 0; y < m.width; ++y) {
        for (int x = 0; x < m.width;) {
            if (!m.at(x, y)) {
                ++x;
                continue;
            }
            int run = 1;
            while (x + run < m.width && m.at(x + run, y)) ++run;
            // Appended piece by piece: `"M" + std::to_string(...)` trips GCC 12's false
            // -Wrestrict at -O2 (bug 105329).
            s += 'M';
            s += std::to_string(x + k_quiet_zone);
            s += ' ';
            s += std::to_string(y + k_quiet_zone);
            s += 'h';
            s += std::to_string(run);
            s += "v1h-";
            s += std::to_string(run);
            s += 'z';
            x += run;
        }
    }
    s += "\"/></svg>";
    return s;
}

} // namespace sp::util
