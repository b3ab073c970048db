#include "http/static_handler.hpp"

#include "http/gzip.hpp"
#include "http/static_path.hpp"

namespace sp::http {

bool etag_matches(std::string_view header, std::string_view etag)
{
    while (!header.empty()) {
        auto comma = header.find(',');
        std::string_view item = header.substr(0, comma);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (item == "*") return true;
        if (item.starts_with("W/")) item.remove_prefix(2); // weak comparison, as RFC 9110 asks for 304
        if (item == etag) return true;
        if (comma == std::string_view::npos) break;
        header.remove_prefix(comma + 1);
    }
    return false;
}

handler make_static_handler(static_files& files, std::vector<page_alias> aliases)
{
    return [&files, aliases = std::move(aliases)](request_context& ctx) -> boost::asio::awaitable<response> {
        const request& req = ctx.req;
        if (req.method() != bhttp::verb::get && req.method() != bhttp::verb::head) {
            response res = make_problem(bhttp::status::method_not_allowed, "method-not-allowed",
                                        "static files accept GET and HEAD only");
            res.set(bhttp::field::allow, "GET, HEAD");
            co_return res;
        }
        std::variant<std::string, path_refused> resolved;
        if (auto page = aliased_page(aliases, req.target()))
            resolved = *page;
        else
            resolved = resolve_static_path(req.target());
        if (auto* refused = std::get_if<path_refused>(&resolved)) {
            co_return make_problem(static_cast<bhttp::status>(refused->status),
                                   refused->status == 400 ? "bad-path" : "not-found", refused->reason);
        }
        auto file = files.find(std::get<std::string>(resolved));
        if (!file) co_return make_problem(bhttp::status::not_found, "not-found", "no such file");

        // gzip when the client takes it; each encoding has its own ETag, and caches are
        // told the answer depends on Accept-Encoding.
        auto ae = req.find(bhttp::field::accept_encoding);
        bool gz = !file->gzip.empty() && ae != req.end() && accepts_gzip(ae->value());
        const std::string& etag = gz ? file->gzip_etag : file->etag;
        auto inm = req.find(bhttp::field::if_none_match);
        if (inm != req.end() && etag_matches(inm->value(), etag)) {
            response res{bhttp::status::not_modified, 11};
            res.set(bhttp::field::etag, etag);
            res.set(bhttp::field::cache_control, "no-cache");
            if (!file->gzip.empty()) res.set(bhttp::field::vary, "Accept-Encoding");
            co_return res;
        }
        response res = make_response(bhttp::status::ok, gz ? file->gzip : file->content, file->content_type);
        res.set(bhttp::field::etag, etag);
        res.set(bhttp::field::cache_control, "no-cache");
        if (gz) res.set(bhttp::field::content_encoding, "gzip");
        if (!file->gzip.empty()) res.set(bhttp::field::vary, "Accept-Encoding");
        co_return res;
    };
}

} // namespace sp::http
