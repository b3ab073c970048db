#include "http/page_aliases.hpp"

namespace sp::http {

std::optional<std::string> aliased_page(const std::vector<page_alias>& aliases, std::string_view target)
{
    std::string_view path = target.substr(0, target.find_first_of("?#"));
    for (const auto& a : aliases) {
        if (a.path.ends_with('/')) {
            if (!path.starts_with(a.path)) continue;
            std::string_view rest = path.substr(a.path.size());
            auto slash = rest.find('/');
            if (slash == 0 || rest.empty()) continue;
            if (slash == std::string_view::npos) return a.file;
            for (const auto& sub : a.sub)
                if (rest.substr(slash + 1) == sub) return a.file;
        } else if (path == a.path || (path.size() == a.path.size() + 1 && path.starts_with(a.path) && path.back() == '/')) {
            return a.file;
        }
    }
    return std::nullopt;
}

} // namespace sp::http
