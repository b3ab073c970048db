#include "http/static_path.hpp"

#include "util/percent_encoding.hpp"

namespace sp::http {
std::variant<std::string, path_refused> resolve_static_path(std::string_view target)
{
    // The path ends at the query or fragment.
    target = target.substr(0, target.find_first_of("?#"));
    if (target.empty() || target.front() != '/') return path_refused{400, "the path must start with /"};

    std::string decoded;
    if (!util::percent_decode(target, decoded)) return path_refused{400, "the path has an invalid percent-encoding"};

    std::string out;
    std::size_t start = 1;
    bool trailing_slash = decoded.back() == '/';
    while (start <= decoded.size()) {
        std::size_t end = decoded.find('/', start);
        if (end == std::string::npos) end = decoded.size();
        std::string_view seg(decoded.data() + start, end - start);
        start = end + 1;
        if (seg.empty()) continue; // "//" collapses
        for (unsigned char c : seg) {
            if (c < 0x20 || c == 0x7f) return path_refused{400, "the path contains a control character"};
            if (c == '\\' || c == ':') return path_refused{404, "not found"};
        }
        if (seg.front() == '.') return path_refused{404, "not found"}; // "..", ".", dot-files
        if (!out.empty()) out += '/';
        out += seg;
    }
    if (out.empty()) return std::string("index.html");
    if (trailing_slash) out += "/index.html";
    return out;
}

} // namespace sp::http
