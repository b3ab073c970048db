// sp::http::resolve_static_path, between a request target and the static folder.
// Properties: an accepted path is relative, has no empty, `.`, `..` or dot-file
// segment, no backslash, colon or control byte; a refusal is a 400 or a 404.
#include "fuzz_check.hpp"
#include "http/static_path.hpp"

#include <variant>

using sp::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    auto result = sp::http::resolve_static_path(sp::fuzz::text(data, size));
    if (auto* refused = std::get_if<sp::http::path_refused>(&result)) {
        check(refused->status == 400 || refused->status == 404, "a refusal is 400 or 404", refused->reason);
        check(!refused->reason.empty(), "a refusal has a reason");
        return 0;
    }
    const std::string& path = std::get<std::string>(result);
    check(!path.empty() && path.front() != '/', "the path is relative", path);
    std::string_view rest = path;
    while (true) {
        auto slash = rest.find('/');
        std::string_view seg = rest.substr(0, slash);
        check(!seg.empty(), "no empty segment", path);
        check(seg.front() != '.', "no '.', '..' or dot-file segment", path);
        for (unsigned char c : seg)
            check(c >= 0x20 && c != 0x7f && c != '\\' && c != ':', "no control byte, backslash or colon", path);
        if (slash == std::string_view::npos) break;
        rest.remove_prefix(slash + 1);
    }
    return 0;
}
