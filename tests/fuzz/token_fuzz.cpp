// sp::util::plausible_token, the pre-check before any manage, feed or invitation token
// reaches Redis. Property: it accepts exactly 43 base64url characters, and every token
// the server makes.
#include "fuzz_check.hpp"
#include "util/secrets.hpp"

using sp::fuzz::check;

namespace {

bool base64url_43(std::string_view s)
{
    if (s.size() != 43) return false;
    for (unsigned char c : s)
        if (!std::isalnum(c) && c != '-' && c != '_') return false;
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view text = sp::fuzz::text(data, size);
    check(sp::util::plausible_token(text) == base64url_43(text), "plausible_token is 43 base64url characters", text);

    static const std::string made = [] {
        sp::util::secrets_init();
        return sp::util::random_token();
    }();
    check(sp::util::plausible_token(made), "a token the server makes is plausible", made);
    return 0;
}
