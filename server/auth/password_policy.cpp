#include "auth/password_policy.hpp"

#include "util/text.hpp"

#include <array>

namespace sp::auth {
namespace {

// Common passwords of twelve characters or more (from public breach corpora), and the
// patterns people reach for when told "at least twelve".
constexpr std::array<std::string_view, 40> k_common{
    "123456789012", "1234567890123", "12345678901234", "123456789000", "qwertyuiopas", "qwertyuiop12",
    "qwertyuiop123", "qwerty123456", "qwertz123456", "password1234", "password12345", "passwort1234",
    "passwort12345", "iloveyou1234", "abcdefghijkl", "abc123456789", "111111111111", "000000000000",
    "1q2w3e4r5t6y", "1qaz2wsx3edc", "zaq12wsxcde3", "letmein12345", "welcome12345", "willkommen123",
    "sommer2024!!", "sommer2025!!", "winter2025!!", "passwordpassword", "administrator", "administrator1",
    "changeme1234", "trustno11234", "football1234", "monkey123456", "dragon123456", "sunshine1234",
    "princess1234", "hallo1234567", "geheim123456", "sprechstunde1"};

} // namespace

std::optional<std::string> password_problem(std::string_view password, std::string_view email)
{
    if (util::utf8_length(password) < 12) return "must be at least 12 characters long";
    if (password.size() > 1024) return "must be at most 1024 bytes long";
    std::string lower = util::lower_ascii(password);
    for (auto c : k_common)
        if (lower == c) return "is one of the most common passwords; choose another";
    bool all_same = true;
    for (char c : password) all_same = all_same && c == password.front();
    if (all_same) return "must not be one character repeated";
    std::string mail = util::lower_ascii(email);
    if (!mail.empty()) {
        if (lower == mail) return "must not be your e-mail address";
        auto at = mail.find('@');
        if (at != std::string::npos && at >= 4 && lower == mail.substr(0, at)) return "must not be your e-mail name";
    }
    return std::nullopt;
}

} // namespace sp::auth
