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

} // namespace sp::http
