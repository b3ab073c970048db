#include "util/text.hpp"

namespace sp::util {

std::size_t utf8_length(std::string_view s)
{
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xc0) != 0x80) ++n;
    return n;
}

bool valid_id(std::string_view id)
{
    if (id.empty() || id.size() > 100) return false;
    for (char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    return true;
}

std::string escape_html(std::string_view s)
{
    std::string out;
    for (char c : s) {
        switch (c) {
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '&': out += "&amp;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string lower_ascii(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool plausible_email(std::string_view e)
{
    if (e.size() < 3 || e.size() > 254) return false;
    auto at = e.rfind('@');
    if (at == std::string_view::npos || at == 0 || at > 64) return false;
    std::string_view domain = e.substr(at + 1);
    auto dot = domain.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 2 > domain.size()) return false;
    for (unsigned char c : e)
        if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == '"' || c == ',' || c == ';') return false;
    return e.find('@') == at && domain.find("..") == std::string_view::npos;
}

} // namespace sp::util
