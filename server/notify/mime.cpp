#include "notify/mime.hpp"

#include <ctime>
#include <openssl/evp.h>
#include <sodium.h>

namespace sp::notify {
namespace {

std::string base64(std::string_view data)
{
    std::string out(sodium_base64_ENCODED_LEN(data.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}

/** `data` in base64, appended as lines of 76 characters: 57 bytes make exactly 76
 *  characters, so each line is encoded straight into place. libcrypto's encoder, not
 *  libsodium's: a mail body is not a secret, and libsodium's constant-time encoder took
 *  more than half of the MIME step of a confirmation (R1 in tools/bench: 16 -> 6 us). */
void append_base64_lines(std::string& out, std::string_view data)
{
    constexpr std::size_t per_line = 57;
    unsigned char line[76 + 1]; // EVP_EncodeBlock ends with a NUL
    for (std::size_t i = 0; i < data.size(); i += per_line) {
        std::string_view part = data.substr(i, per_line);
        int n = EVP_EncodeBlock(line, reinterpret_cast<const unsigned char*>(part.data()), static_cast<int>(part.size()));
        out.append(reinterpret_cast<const char*>(line), static_cast<std::size_t>(n)).append("\r\n");
    }
}

bool plain_ascii(std::string_view s)
{
    for (unsigned char c : s)
        if (c < 0x20 || c >= 0x7f) return false;
    return true;
}

/** RFC 2047 encoded-words for headers that are not plain ASCII: each word at most 75
 *  characters (45 bytes of UTF-8, never split inside a character), folded onto
 *  continuation lines. */
std::string header_text(std::string_view s)
{
    if (plain_ascii(s)) return std::string(s);
    std::string out;
    while (!s.empty()) {
        std::size_t n = std::min<std::size_t>(45, s.size());
        while (n < s.size() && n > 0 && (static_cast<unsigned char>(s[n]) & 0xc0) == 0x80) --n;
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?" + base64(s.substr(0, n)) + "?=";
        s.remove_prefix(n);
    }
    return out;
}

/** No CR or LF can reach a header from a value. */
std::string one_line(std::string_view s)
{
    std::string out;
    for (char c : s) out += (c == '\r' || c == '\n') ? ' ' : c;
    return out;
}

std::string rfc5322_date(long long epoch)
{
    std::time_t t = static_cast<std::time_t>(epoch);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    return buf;
}

} // namespace

std::string address_of(const std::string& from)
{
    auto lt = from.rfind('<');
    auto gt = from.rfind('>');
    if (lt != std::string::npos && gt != std::string::npos && gt > lt) return from.substr(lt + 1, gt - lt - 1);
    return from;
}

std::string compose(const mail& m)
{
    const std::string mixed = "=_sp_mixed_" + m.message_id;
    const std::string alt = "=_sp_alt_" + m.message_id;
    std::string from_name = m.from.substr(0, m.from.find('<'));
    while (!from_name.empty() && from_name.back() == ' ') from_name.pop_back();
    std::string out;
    // Headers and boundaries take about 1 KiB; base64 in lines makes 78 of every 57 bytes.
    out.reserve(1024 + (m.text.size() + m.html.size() + m.ics.size()) * 78 / 57 + 78 * 3);
    out += "From: " + (from_name.empty() ? "" : header_text(one_line(from_name)) + " ") + "<" +
           one_line(address_of(m.from)) + ">\r\n";
    out += "To: " + (m.to_name.empty() ? "" : header_text(one_line(m.to_name)) + " ") + "<" + one_line(m.to) + ">\r\n";
    out += "Subject: " + header_text(one_line(m.subject)) + "\r\n";
    out += "Date: " + rfc5322_date(m.date) + "\r\n";
    out += "Message-ID: <" + one_line(m.message_id) + ">\r\n";
    out += "MIME-Version: 1.0\r\n";
    out += "Auto-Submitted: auto-generated\r\n";
    out += "Content-Type: multipart/mixed; boundary=\"" + mixed + "\"\r\n\r\n";
    out += "--" + mixed + "\r\n";
    out += "Content-Type: multipart/alternative; boundary=\"" + alt + "\"\r\n\r\n";
    out += "--" + alt + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    append_base64_lines(out, m.text);
    out += "--" + alt + "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    append_base64_lines(out, m.html);
    out += "--" + alt + "--\r\n";
    if (!m.ics.empty()) {
        out += "--" + mixed + "\r\nContent-Type: text/calendar; charset=utf-8; method=" + one_line(m.ics_method) +
               "; name=\"booking.ics\"\r\nContent-Disposition: attachment; filename=\"booking.ics\"\r\n"
               "Content-Transfer-Encoding: base64\r\n\r\n";
        append_base64_lines(out, m.ics);
    }
    out += "--" + mixed + "--\r\n";
    return out;
}

} // namespace sp::notify
