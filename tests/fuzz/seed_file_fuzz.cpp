// The hub seed file (config/demo-hub.toml's format) that tools/run and the admin tool
// apply. Properties: a seed that parses holds only valid rules, events that end after
// they start, and ids as the hub makes them; anything else is a seed_error.
#include "api/json_input.hpp"
#include "app/seed_file.hpp"
#include "fuzz_check.hpp"

#include <cstdlib>
#include <toml++/toml.h>

using sp::fuzz::check;


extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    // A fixed "now" keeps a failing input reproducible: 2026-11-29T09:00:00Z.
    const sp::domain::instant now{std::chrono::seconds{1795942800}};
    try {
        auto seed = sp::app::parse_seed(sp::fuzz::text(data, size), "fuzz.toml", now);
        for (const auto& r : seed.rules)
            check(sp::domain::validate(r.rule).empty(), "a parsed rule is valid", r.rule.id);
        for (const auto& e : seed.events) {
            check(e.end > e.start, "an event ends after it starts", e.id);
            check(sp::api::valid_id(e.id), "an event id is an id", e.id);
        }
        for (const auto& c : seed.camps)
            check(sp::api::valid_id(c.id), "a camp id is an id", c.id);
        for (const auto& x : seed.experts)
            check(sp::api::valid_id(x.id), "an expert id is an id", x.id);
    } catch (const sp::app::seed_error& e) {
        check(*e.what() != '\0', "a seed error says what is wrong");
    }
    return 0;
}
