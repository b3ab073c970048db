#include "live/protocol.hpp"

#include "util/json_duplicates.hpp"
#include "util/json_writer.hpp"
#include "util/text.hpp"
#include "views/domain_json.hpp"

#include <simdjson.h>

namespace sp::live {
namespace {

simdjson::dom::parser& thread_parser()
{
    thread_local simdjson::dom::parser parser;
    return parser;
}

std::string text_field(simdjson::dom::object o, std::string_view key)
{
    std::string_view v;
    if (o[key].get(v) != simdjson::SUCCESS) return {};
    return std::string(v);
}

bool client_id_ok(std::string_view id)
{
    if (id.size() > 64) return false;
    for (unsigned char c : id)
        if (c < 0x20 || c == 0x7f) return false;
    return true;
}

std::variant<view, std::string> parse_view(simdjson::dom::object o)
{
    view v;
    std::string type = text_field(o, "type");
    auto need_id = [&](std::string_view key, std::string& out) -> std::string {
        out = text_field(o, key);
        if (!util::valid_id(out)) return std::string(key) + " must be an id (a-z, 0-9, -)";
        return {};
    };
    auto need_date = [&]() -> std::string {
        auto d = domain::parse_date(text_field(o, "date"));
        if (!d) return "date must be YYYY-MM-DD";
        v.day = *d;
        return {};
    };
    std::string problem;
    if (type == "camp_day") {
        v.type = view::kind::camp_day;
        problem = need_id("camp", v.camp);
        if (problem.empty()) problem = need_date();
    } else if (type == "expert") {
        v.type = view::kind::expert;
        problem = need_id("expert", v.expert);
        simdjson::dom::element priv;
        if (problem.empty() && o["private"].get(priv) == simdjson::SUCCESS &&
            priv.get(v.with_bookings) != simdjson::SUCCESS)
            problem = "private must be true or false";
    } else if (type == "event") {
        v.type = view::kind::event;
        problem = need_id("event", v.event);
    } else if (type == "camp_events") {
        v.type = view::kind::camp_events;
        problem = need_id("camp", v.camp);
    } else if (type == "lobby") {
        v.type = view::kind::lobby;
        problem = need_id("camp", v.camp);
    } else if (type == "hub_day") {
        v.type = view::kind::hub_day;
        problem = need_date();
    } else if (type == "walkins") {
        v.type = view::kind::walkins;
        problem = need_id("camp", v.camp);
    } else {
        problem = "view.type must be camp_day, expert, event, camp_events, lobby, hub_day or walkins";
    }
    if (!problem.empty()) return problem;
    return v;
}

} // namespace

bool valid_version(std::string_view v)
{
    auto dash = v.find('-');
    if (dash == std::string_view::npos || dash == 0 || dash + 1 >= v.size() || v.size() > 41) return false;
    for (std::size_t i = 0; i < v.size(); ++i)
        if (i != dash && (v[i] < '0' || v[i] > '9')) return false;
    return true;
}

int compare_versions(std::string_view a, std::string_view b)
{
    auto pa = order_of(a), pb = order_of(b);
    return pa < pb ? -1 : pa > pb ? 1 : 0;
}

client_message parse_client_message(std::string_view text)
{
    simdjson::padded_string padded(text);
    simdjson::dom::element doc;
    if (thread_parser().parse(padded).get(doc) != simdjson::SUCCESS)
        return protocol_error{"malformed-json", "the message is not valid JSON", ""};
    simdjson::dom::object o;
    if (doc.get(o) != simdjson::SUCCESS) return protocol_error{"malformed-json", "the message must be a JSON object", ""};
    if (auto twice = util::first_duplicate_key(doc); !twice.empty()) {
        std::string id = text_field(o, "id"); // named back only when it is not the key in question
        return protocol_error{"duplicate-key", twice + " appears more than once in the message",
                              twice != "id" && client_id_ok(id) ? id : ""};
    }
    std::string id = text_field(o, "id");
    if (!client_id_ok(id)) return protocol_error{"invalid-id", "id must be at most 64 printable characters", ""};
    std::string op = text_field(o, "op");
    if (op == "ping") return ping_msg{id};
    if (op == "unsubscribe") {
        if (id.empty()) return protocol_error{"invalid-id", "unsubscribe needs the id of the subscription", ""};
        return unsubscribe_msg{id};
    }
    if (op == "subscribe") {
        if (id.empty()) return protocol_error{"invalid-id", "subscribe needs an id (your name for it)", ""};
        simdjson::dom::object vo;
        if (o["view"].get(vo) != simdjson::SUCCESS)
            return protocol_error{"invalid-view", "subscribe needs a view object", id};
        auto parsed = parse_view(vo);
        if (auto* problem = std::get_if<std::string>(&parsed)) return protocol_error{"invalid-view", *problem, id};
        subscribe_msg m{id, std::get<view>(parsed), text_field(o, "since")};
        if (!m.since.empty() && !valid_version(m.since))
            return protocol_error{"invalid-since", "since must be a version the server sent", id};
        return m;
    }
    return protocol_error{"unknown-op", "op must be subscribe, unsubscribe or ping", id};
}

namespace {
/** An answer's opening: {"op":…,"id":…,"view":…,"version":…, (the rest follows). */
util::json_writer begin_answer(std::string_view op, std::string_view id, const view& v, std::string_view version)
{
    util::json_writer w;
    w.begin_object();
    w.key("op").value(op);
    w.key("id").value(id);
    w.key("view").value(v.key());
    w.key("version").value(version);
    return w;
}

} // namespace

std::string snapshot_message(std::string_view id, const view& v, std::string_view version,
                             const std::vector<domain::session>& sessions)
{
    util::json_writer w = begin_answer("snapshot", id, v, version);
    w.key("sessions").begin_array();
    for (const auto& s : sessions) views::write_session(w, s);
    w.end_array();
    w.end_object();
    return w.take();
}

std::string walkins_snapshot_message(std::string_view id, const view& v, std::string_view version,
                                     std::string_view summary_json)
{
    util::json_writer w = begin_answer("snapshot", id, v, version);
    w.key("sessions").begin_array().end_array();
    w.key("walkins").raw(summary_json);
    w.end_object();
    return w.take();
}

std::string walkins_message(std::string_view camp, std::string_view version, std::string_view summary_json)
{
    util::json_writer w;
    w.begin_object();
    w.key("op").value("walkins");
    w.key("camp").value(camp);
    w.key("version").value(version);
    w.key("summary").raw(summary_json);
    w.end_object();
    return w.take();
}

namespace {
void write_changes(util::json_writer& w, const std::vector<change>& changes)
{
    w.key("changes").begin_array();
    for (const auto& c : changes) {
        w.begin_object();
        w.key("version").value(c.version);
        w.key("type").value(c.type);
        w.key("session");
        views::write_session(w, c.session);
        w.end_object();
    }
    w.end_array();
}
} // namespace

std::string resume_message(std::string_view id, const view& v, std::string_view version,
                           const std::vector<change>& changes)
{
    util::json_writer w = begin_answer("resume", id, v, version);
    write_changes(w, changes);
    w.end_object();
    return w.take();
}

std::string changes_message(const std::vector<change>& changes)
{
    util::json_writer w;
    w.begin_object();
    w.key("op").value("changes");
    write_changes(w, changes);
    w.end_object();
    return w.take();
}

std::string merge_changes_messages(const std::vector<std::shared_ptr<const std::string>>& messages)
{
    // changes_message() writes exactly this around the array's elements.
    static constexpr std::string_view prefix = R"({"op":"changes","changes":[)";
    static constexpr std::string_view suffix = "]}";
    std::string out(prefix);
    bool first = true;
    for (const auto& m : messages) {
        std::string_view text(*m);
        if (text.size() < prefix.size() + suffix.size() || !text.starts_with(prefix) || !text.ends_with(suffix))
            return {};
        std::string_view inner = text.substr(prefix.size(), text.size() - prefix.size() - suffix.size());
        if (inner.empty()) continue;
        if (!first) out += ',';
        out += inner;
        first = false;
    }
    out += suffix;
    return out;
}

std::string resync_message(std::string_view reason)
{
    util::json_writer w;
    w.begin_object().key("op").value("resync").key("reason").value(reason).end_object();
    return w.take();
}

std::string error_message(std::string_view code, std::string_view detail, std::string_view id)
{
    util::json_writer w;
    w.begin_object().key("op").value("error").key("code").value(code).key("detail").value(detail);
    if (!id.empty()) w.key("id").value(id);
    w.end_object();
    return w.take();
}

std::string bookings_message(std::string_view id, std::string_view session_id,
                             const std::vector<domain::booking>& bookings)
{
    util::json_writer w;
    w.begin_object().key("op").value("bookings").key("id").value(id).key("session").value(session_id);
    w.key("bookings").begin_array();
    for (const auto& b : bookings) {
        w.begin_object().key("id").value(b.id).key("status").value(b.status).key("name").value(b.name);
        w.key("email").value(b.email).key("startup").value(b.startup).key("question").value(b.question);
        w.key("lang").value(b.lang).key("checked_in").value(b.checked_in).key("released").value(b.released);
        w.end_object();
    }
    w.end_array().end_object();
    return w.take();
}

std::string pong_message(std::string_view id)
{
    util::json_writer w;
    w.begin_object().key("op").value("pong").key("id").value(id).end_object();
    return w.take();
}

} // namespace sp::live
