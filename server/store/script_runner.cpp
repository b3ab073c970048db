#include "store/script_runner.hpp"

#include "log/logger.hpp"
#include "store/reply_helpers.hpp"

namespace sp::store {

void script_runner::add_outbox(redis::script_call& call) const
{
    // redis/scripts/lib/outbox.lua: the outbox and its sequence are the last two keys,
    // whether webhooks are on the last argument.
    call.keys.push_back(keys_.outbox());
    call.keys.push_back(keys_.outbox_seq());
    call.args.push_back(webhooks_ ? "1" : "0");
}

bool script_runner::judge(std::string_view script, const redis::result& r, outcome& out)
{
    if (!usable(r, out)) return false;
    if (r->type != redis::reply::kind::array || r->elements.empty() || r->elements[0].str != "err") return true;
    std::string code = str_at(*r, 1);
    if (auto known = refusal_from_code(code)) {
        out.refused = *known;
        out.detail = str_at(*r, 2);
        return false;
    }
    // A code the server does not know is a script and server out of step: a defect.
    out.defect = true;
    out.detail = "script " + std::string(script) + " refused with an unknown code " + code;
    log::error("script_unknown_refusal", {{"script", script}, {"code", code}});
    return false;
}

void script_runner::unreadable(std::string_view script, outcome& out)
{
    out.defect = true;
    out.detail = "script " + std::string(script) + " answered in an unexpected shape";
    log::error("script_reply_unreadable", {{"script", script}});
}

} // namespace sp::store
