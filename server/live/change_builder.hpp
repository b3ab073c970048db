#pragma once
/**
 * Turns change-log entries into the changes live clients receive: for every entry that
 * touches a session, the session's public state as of that entry (the current record,
 * with the seat counts the entry recorded), tagged with the entry's version. A session
 * that was removed is rebuilt from what its entry kept, with status "removed".
 */
#include "live/protocol.hpp"
#include "store/change_log.hpp"
#include "store/record_reader.hpp"

#include <boost/asio/awaitable.hpp>

namespace sp::live {

boost::asio::awaitable<store::result<std::vector<change>>> build_changes(store::record_reader& store,
                                                                         const std::vector<store::log_entry>& entries);

} // namespace sp::live
