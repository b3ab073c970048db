// JSON request bodies through sp::api::json_input, read the way the booking, waitlist
// and admin handlers read them. Properties: every value handed to a handler respects
// the limits it asked for, and every problem is a 4xx with a well-formed JSON body.
#include "api/json_input.hpp"
#include "fuzz_check.hpp"

using sp::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    sp::http::request req{sp::http::bhttp::verb::post, "/api/v1/sessions/s1/bookings", 11};
    req.set(sp::http::bhttp::field::content_type, "application/json");
    req.body() = std::string(sp::fuzz::text(data, size));
    req.prepare_payload();

    sp::api::json_input in(req);
    in.allow_only({"name", "email", "startup", "question", "consent", "lang", "seats", "topics"});
    auto name = in.string("name", true, 100);
    auto question = in.string("question", false, 500);
    auto consent = in.boolean("consent", false);
    auto seats = in.integer("seats", false, 1, 500);
    auto topics = in.string_list("topics", false, 10, 60);

    if (!in.failed()) {
        check(name.has_value(), "a required field is present when nothing failed");
        for (const auto* s : {&name, &question}) {
            if (!s->has_value()) continue;
            const std::string& v = **s;
            check(sp::api::utf8_length(v) <= (s == &name ? 100u : 500u), "a string respects its limit", v);
            if (!v.empty()) {
                check(v.front() != ' ' && v.back() != ' ' && v.front() != '\n' && v.back() != '\n',
                      "a string is trimmed", v);
            }
        }
        if (seats) check(*seats >= 1 && *seats <= 500, "an integer lies in its range");
        if (topics) {
            check(topics->size() <= 10, "a list respects its item limit");
            for (const auto& t : *topics)
                check(!t.empty() && sp::api::utf8_length(t) <= 60, "list items are non-empty and within limit", t);
        }
        (void)consent;
        if (name) (void)sp::api::plausible_email(*name);
        return 0;
    }
    auto problem = in.take_problem();
    unsigned status = problem.result_int();
    check(status >= 400 && status < 500, "a problem is a client error");
    check(sp::fuzz::parses_as_json(problem.body()), "a problem body is JSON", problem.body());
    return 0;
}
