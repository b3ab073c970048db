// app/seed_file.cpp both parses a seed (fuzzed) and writes it through the store
// (apply_seed, never called here). These stand-ins for the store calls apply_seed makes
// let the seed_file target link without the Redis layer; reaching one is a bug in the
// target, so they abort.
#include "store/hub_store.hpp"

#include <cstdlib>

namespace sp::store {

boost::asio::awaitable<result<bool>> hub_store::put_camp(domain::camp, std::string)
{
    std::abort();
}
boost::asio::awaitable<result<bool>> hub_store::put_room(domain::room, std::string)
{
    std::abort();
}
boost::asio::awaitable<result<bool>> hub_store::put_expert(domain::expert, std::string)
{
    std::abort();
}
boost::asio::awaitable<result<expansion_counts>>
hub_store::put_rule(domain::office_hour_rule, std::vector<domain::rule_exception>, domain::instant, std::string)
{
    std::abort();
}
boost::asio::awaitable<result<expansion_counts>> hub_store::put_event(domain::event, domain::instant, std::string)
{
    std::abort();
}

} // namespace sp::store
