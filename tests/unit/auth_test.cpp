#include "auth/password_policy.hpp"
#include "http/cookies.hpp"

#include <catch2/catch.hpp>

using sp::auth::password_problem;

TEST_CASE("passwords need twelve characters, counted as characters, not bytes", "[auth][password]")
{
    CHECK(password_problem("elevenchars", "").has_value());
    CHECK_FALSE(password_problem("twelve chars", "").has_value());
    CHECK_FALSE(password_problem("äöüäöüäöüäöü", "").has_value()); // 12 characters, 24 bytes
    CHECK(password_problem("äöüäöüäöüäö", "").has_value());
}

TEST_CASE("common passwords, repeats and the e-mail itself are refused", "[auth][password]")
{
    CHECK_THAT(*password_problem("Password1234", ""), Catch::Contains("common"));
    CHECK_THAT(*password_problem("qwertyuiop123", ""), Catch::Contains("common"));
    CHECK_THAT(*password_problem("aaaaaaaaaaaaaaa", ""), Catch::Contains("repeated"));
    CHECK_THAT(*password_problem("anna.schmidt@example.org", "Anna.Schmidt@example.org"), Catch::Contains("e-mail"));
    CHECK_THAT(*password_problem("anna.schmidt", "anna.schmidt@example.org"), Catch::Contains("e-mail"));
    CHECK(password_problem(std::string(1025, 'x') + "y", "").has_value());
}

TEST_CASE("cookies are read by exact name and written with SameSite=Strict", "[auth][cookies]")
{
    using sp::http::cookie_value;
    CHECK(cookie_value("a=1; sp_session=abc; sp_session_x=no", "sp_session") == "abc");
    CHECK(cookie_value("xsp_session=no; sp_session=\"q\"", "sp_session") == "q");
    CHECK_FALSE(cookie_value("other=1", "sp_session").has_value());
    std::string c = sp::http::set_cookie("sp_session", "tok", {true, true, -1});
    CHECK(c == "sp_session=tok; Path=/; SameSite=Strict; HttpOnly; Secure");
    CHECK(sp::http::set_cookie("sp_csrf", "", {false, false, 0}) == "sp_csrf=; Path=/; SameSite=Strict; Max-Age=0");
}
