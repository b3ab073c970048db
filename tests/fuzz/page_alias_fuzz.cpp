// sp::http::aliased_page with the server's own aliases (app/application.cpp).
// Property: a target maps to a page only when its path is the alias itself (an exact
// alias, with or without a trailing slash) or one segment below a prefix alias, that
// segment optionally followed by one of the alias's sub-pages.
#include "fuzz_check.hpp"
#include "http/page_aliases.hpp"

#include <algorithm>

using sp::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const std::vector<sp::http::page_alias> aliases{{"/b/", "manage.html"},
                                                           {"/invite/", "invite.html"},
                                                           {"/lobby/", "lobby.html"},
                                                           {"/rooms/", "room.html", {"qr"}},
                                                           {"/expert", "expert.html"},
                                                           {"/admin", "admin.html"}};
    std::string_view target = sp::fuzz::text(data, size);
    auto page = sp::http::aliased_page(aliases, target);
    if (!page) return 0;
    std::string_view path = target.substr(0, target.find_first_of("?#"));
    bool explained = false;
    for (const auto& a : aliases) {
        if (a.file != *page) continue;
        if (a.path.ends_with('/')) {
            std::string_view below = path.starts_with(a.path) ? path.substr(a.path.size()) : std::string_view{};
            auto slash = below.find('/');
            explained = !below.empty() && slash != 0 &&
                        (slash == std::string_view::npos ||
                         std::find(a.sub.begin(), a.sub.end(), below.substr(slash + 1)) != a.sub.end());
        } else {
            explained = path == a.path || path == a.path + "/";
        }
    }
    check(explained, "a page alias matches only its own paths", target);
    return 0;
}
