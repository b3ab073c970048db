#include "http/router.hpp"

#include "util/percent_encoding.hpp"

#include <algorithm>

namespace sp::http {
namespace {

std::vector<std::string_view> split_path(std::string_view path)
{
    std::vector<std::string_view> out;
    std::size_t start = 1;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        out.push_back(path.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

} // namespace

void router::add(bhttp::verb method, std::string pattern, handler h)
{
    route r{method, {}, std::move(h)};
    for (std::string_view s : split_path(pattern)) r.segments.emplace_back(s);
    routes_.push_back(std::move(r));
}

std::size_t router::wrap(std::string_view prefix, const std::function<handler(handler)>& wrapper)
{
    auto want = split_path(prefix);
    std::size_t wrapped = 0;
    for (route& r : routes_) {
        if (r.segments.size() < want.size()) continue;
        if (!std::equal(want.begin(), want.end(), r.segments.begin())) continue;
        r.h = wrapper(std::move(r.h));
        ++wrapped;
    }
    return wrapped;
}

std::vector<router::route_entry> router::table() const
{
    std::vector<route_entry> out;
    for (const route& r : routes_) {
        std::string pattern;
        for (const auto& s : r.segments) pattern += "/" + s;
        out.push_back({r.method, pattern.empty() ? "/" : pattern});
    }
    return out;
}

bool router::match(const route& r, std::string_view path, request_context* ctx)
{
    auto parts = split_path(path);
    if (parts.size() != r.segments.size()) return false;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const std::string& seg = r.segments[i];
        if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
            std::string value;
            if (parts[i].empty() || !util::percent_decode(parts[i], value)) return false;
            if (ctx) ctx->params[seg.substr(1, seg.size() - 2)] = std::move(value);
        } else if (seg != parts[i]) {
            return false;
        }
    }
    return true;
}

boost::asio::awaitable<response> router::dispatch(request_context& ctx) const
{
    std::string_view target = ctx.req.target();
    std::string_view path = target.substr(0, target.find('?'));
    bhttp::verb method = ctx.req.method() == bhttp::verb::head ? bhttp::verb::get : ctx.req.method();

    std::string allowed;
    for (const route& r : routes_) {
        if (!match(r, path, nullptr)) continue;
        if (r.method == method) {
            match(r, path, &ctx);
            co_return co_await r.h(ctx);
        }
        if (!allowed.empty()) allowed += ", ";
        allowed += std::string(bhttp::to_string(r.method));
        if (r.method == bhttp::verb::get) allowed += ", HEAD";
    }
    if (!allowed.empty()) {
        response res = make_problem(bhttp::status::method_not_allowed, "method-not-allowed",
                                    "this resource does not accept " + std::string(ctx.req.method_string()));
        res.set(bhttp::field::allow, allowed);
        co_return res;
    }
    if (fallback_) co_return co_await fallback_(ctx);
    co_return make_problem(bhttp::status::not_found, "not-found", "no such resource");
}

} // namespace sp::http
