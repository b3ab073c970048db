#include "http/message.hpp"

#include "util/json_writer.hpp"

namespace sp::http {

response make_response(bhttp::status status, std::string body, std::string_view content_type)
{
    response res{status, 11};
    res.set(bhttp::field::content_type, content_type);
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

response make_json(bhttp::status status, std::string json)
{
    return make_response(status, std::move(json), "application/json");
}

response no_store(response res)
{
    res.set(bhttp::field::cache_control, "no-store");
    return res;
}

response make_problem(bhttp::status status, std::string_view type, std::string_view detail, std::string_view field)
{
    util::json_writer w;
    w.begin_object();
    w.key("type").value("urn:sprechstunde:problem:" + std::string(type));
    w.key("code").value(type);
    w.key("title").value(bhttp::obsolete_reason(status));
    w.key("status").value(static_cast<std::int64_t>(status));
    w.key("detail").value(detail);
    if (!field.empty()) w.key("field").value(field);
    w.end_object();
    return make_response(status, w.take(), "application/problem+json");
}

void add_request_id(response& res, std::string_view id)
{
    res.set("X-Request-Id", id);
    std::string& body = res.body();
    if (res.result_int() < 500 || res[bhttp::field::content_type] != "application/problem+json" || body.empty() ||
        body.back() != '}' || body.find("\"request_id\"") != std::string::npos)
        return;
    util::json_writer w; // escapes, although the ids the server accepts need none
    w.value(id);
    body.pop_back();
    body += ",\"request_id\":" + w.take() + "}";
    res.prepare_payload();
}

} // namespace sp::http
