// WebSocket client messages (/ws). Properties: a subscribe names its id and, if it
// resumes, a valid version; whatever the client sent, the server's answer (a snapshot
// or an error echoing the client's id) is well-formed JSON; versions order
// consistently.
#include "fuzz_check.hpp"
#include "live/protocol.hpp"

#include <variant>

using sp::fuzz::check;

namespace {

int sign(int v)
{
    return (v > 0) - (v < 0);
}

void check_versions(std::string_view text)
{
    auto half = text.size() / 2;
    std::string_view a = text.substr(0, half), b = text.substr(half);
    if (!sp::live::valid_version(a) || !sp::live::valid_version(b)) return;
    check(sp::live::compare_versions(a, a) == 0, "a version equals itself", a);
    check(sign(sp::live::compare_versions(a, b)) == -sign(sp::live::compare_versions(b, a)),
          "comparing versions is antisymmetric", text);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view text = sp::fuzz::text(data, size);
    auto msg = sp::live::parse_client_message(text);
    if (auto* s = std::get_if<sp::live::subscribe_msg>(&msg)) {
        check(!s->id.empty(), "a subscribe has an id");
        check(s->since.empty() || sp::live::valid_version(s->since), "a subscribe resumes from a valid version",
              s->since);
        check(!s->what.key().empty(), "a view has a key");
        auto answer = sp::live::snapshot_message(s->id, s->what, "1700000000000-0", {});
        check(sp::fuzz::parses_as_json(answer), "a snapshot is JSON", answer);
    } else if (auto* u = std::get_if<sp::live::unsubscribe_msg>(&msg)) {
        check(!u->id.empty(), "an unsubscribe has an id");
    } else if (auto* p = std::get_if<sp::live::ping_msg>(&msg)) {
        auto answer = sp::live::pong_message(p->id);
        check(sp::fuzz::parses_as_json(answer), "a pong is JSON", answer);
    } else {
        const auto& e = std::get<sp::live::protocol_error>(msg);
        check(!e.code.empty() && !e.detail.empty(), "an error has a code and a detail");
        auto answer = sp::live::error_message(e.code, e.detail, e.id);
        check(sp::fuzz::parses_as_json(answer), "an error message is JSON", answer);
    }
    check_versions(text);
    return 0;
}
