#include "store/change_log_store.hpp"

#include "store/reply_helpers.hpp"
#include "store/scripts/read_scripts.hpp"

namespace asio = boost::asio;

namespace sp::store {

asio::awaitable<result<std::vector<log_entry>>> change_log_store::log_after(std::string version, std::size_t count)
{
    result<std::vector<log_entry>> out;
    redis::command_args cmd{"XRANGE", keys_.changes(), "(" + version, "+", "COUNT", std::to_string(count)};
    redis::result r = co_await runner_.redis().command(std::move(cmd));
    if (usable(r, out)) out.value = parse_log_entries(*r);
    co_return out;
}

asio::awaitable<result<log_position>> change_log_store::log_bounds(std::string since)
{
    scripts::log_bounds::input in{std::move(since)};
    auto r = co_await runner_.run<scripts::log_bounds>(std::move(in));
    auto out = result<log_position>::failed(r);
    out.value = {r.value.first, r.value.last, r.value.since_in_log};
    co_return out;
}

asio::awaitable<result<std::vector<log_entry>>> change_log_store::audit(std::string before, std::size_t limit)
{
    result<std::vector<log_entry>> out;
    // Most entries are bookings (no `by`: founders have no account). Read back in pages
    // until enough attributed entries are found, but never more than 50 pages per call.
    std::string end = before.empty() ? "+" : "(" + before;
    for (int page = 0; page < 50 && out.value.size() < limit; ++page) {
        redis::command_args cmd{"XREVRANGE", keys_.changes(), end, "-", "COUNT", "500"};
        redis::result r = co_await runner_.redis().command(std::move(cmd));
        if (!usable(r, out)) co_return out;
        auto entries = parse_log_entries(*r);
        for (auto& entry : entries) {
            if (out.value.size() == limit) break;
            std::string by = entry.field("by");
            if (!by.empty() && by != "founder") out.value.push_back(std::move(entry)); // founders have no account
        }
        if (entries.size() < 500) break;
        end = "(" + entries.back().id;
    }
    co_return out;
}

} // namespace sp::store
