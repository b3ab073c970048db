#include "util/json_writer.hpp"

#include <cstdio>

namespace sp::util {

namespace {
// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid.
std::size_t utf8_sequence(std::string_view s, std::size_t i)
{
    auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = b(i);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (n == 0 || i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k)
        if ((b(i + k) & 0xc0) != 0x80) return 0;
    if (n == 2 && c < 0xc2) return 0;                           // overlong
    if (n == 3 && c == 0xe0 && b(i + 1) < 0xa0) return 0;       // overlong
    if (n == 3 && c == 0xed && b(i + 1) >= 0xa0) return 0;      // surrogates
    if (n == 4 && c == 0xf0 && b(i + 1) < 0x90) return 0;       // overlong
    if (n == 4 && (c > 0xf4 || (c == 0xf4 && b(i + 1) >= 0x90))) return 0; // > U+10FFFF
    return n;
}
} // namespace

void append_json_string(std::string& out, std::string_view s)
{
    out += '"';
    for (std::size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        switch (c) {
        case '"': out += "\\\""; ++i; continue;
        case '\\': out += "\\\\"; ++i; continue;
        case '\n': out += "\\n"; ++i; continue;
        case '\r': out += "\\r"; ++i; continue;
        case '\t': out += "\\t"; ++i; continue;
        default: break;
        }
        if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
            ++i;
            continue;
        }
        std::size_t n = utf8_sequence(s, i);
        if (n == 0) {
            out += "\xef\xbf\xbd";
            ++i;
            continue;
        }
        out.append(s.substr(i, n));
        i += n;
    }
    out += '"';
}

void json_writer::before_value()
{
    if (need_comma_) out_ += ',';
    need_comma_ = true;
}

json_writer& json_writer::open(char bracket)
{
    before_value();
    out_ += bracket;
    need_comma_ = false;
    return *this;
}

json_writer& json_writer::close(char bracket)
{
    out_ += bracket;
    need_comma_ = true;
    return *this;
}

json_writer& json_writer::begin_object() { return open('{'); }
json_writer& json_writer::end_object() { return close('}'); }
json_writer& json_writer::begin_array() { return open('['); }
json_writer& json_writer::end_array() { return close(']'); }

json_writer& json_writer::key(std::string_view k)
{
    before_value();
    append_json_string(out_, k);
    out_ += ':';
    need_comma_ = false;
    return *this;
}

json_writer& json_writer::value(std::string_view v)
{
    before_value();
    append_json_string(out_, v);
    return *this;
}

json_writer& json_writer::value(std::int64_t v)
{
    before_value();
    out_ += std::to_string(v);
    return *this;
}

json_writer& json_writer::value(bool v)
{
    before_value();
    out_ += v ? "true" : "false";
    return *this;
}

json_writer& json_writer::null()
{
    before_value();
    out_ += "null";
    return *this;
}

json_writer& json_writer::raw(std::string_view json)
{
    before_value();
    out_ += json;
    return *this;
}

} // namespace sp::util
