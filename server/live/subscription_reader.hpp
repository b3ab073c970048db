#pragma once
/**
 * What a subscription's answer says, read from the store with no socket: a resume (the
 * changes this view missed since `since`, in log order) when `since` is an entry of the
 * change log and not too far back, otherwise a snapshot of the view at the log's newest
 * version. Reads go through the shared recent_reads caches, so a storm of sockets
 * opening the same view or resuming from the same version reads Redis once.
 *
 * The caller (websocket_session) registers the views and holds its mailbox before it
 * calls this, and hands the answer to session_mailbox::answer(). Runs on any io thread;
 * the sources must outlive the call.
 */
#include "live/protocol.hpp"
#include "live/recent_reads.hpp"
#include "live/update_queue.hpp"
#include "store/change_log_store.hpp"
#include "store/hub_stores.hpp"
#include "store/record_reader.hpp"

#include <boost/asio/awaitable.hpp>
#include <string>
#include <unordered_map>
#include <vector>

namespace sp::live {

struct subscription_sources {
    store::hub_stores& stores; // the walk-in summary of a walkins view
    store::change_log_store& changes;
    store::record_reader& reader;
    recent_reads<std::vector<change>>& recent_changes;
    recent_reads<std::vector<domain::session>>& recent_snapshots;
    std::size_t resume_max_entries;
};

struct subscription_answer {
    /** The `snapshot` or `resume` message; null when the store could not be read. */
    shared_bytes reply;
    /** When `reply` is null: the `error` message to send instead. */
    std::string error;
    bool resumed = false;
    /** The newest version of each session the answer carries. */
    std::unordered_map<std::string, version_order> carried;
    /** The change-log version the answer is up to date with. */
    version_order upto{0, 0};
    /** The sessions whose founders a private subscription sends after the answer (in
     *  this order): the changed ones of a resume, every one of a snapshot. */
    std::vector<std::string> sessions;
};

/** A camp's walk-in summary as JSON (views::write_walkin_summary), read from the store:
 *  what a walkins view's snapshot and its updates carry. unknown_camp for no such camp. */
boost::asio::awaitable<store::result<std::string>> read_walkin_summary(store::hub_stores& stores, std::string camp);

boost::asio::awaitable<subscription_answer> read_subscription(const subscription_sources& from, std::string id,
                                                              view v, std::string since);

} // namespace sp::live
