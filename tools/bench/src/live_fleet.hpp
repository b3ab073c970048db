#pragma once
/**
 * Many live clients on one or two server instances watching one view (a camp's day
 * with K sessions), a booking driver that changes those sessions at a fixed rate, and
 * the bookkeeping that turns both into figures:
 *
 * - every booking's send time is kept by (session, seats taken after it); each change a
 *   client receives is timed against it (per-delivery latency), and the last client to
 *   receive an update gives the update's fan-out time;
 * - bookings go round-robin over the K sessions, one in flight per session, so in a
 *   healthy fan-out nothing may be merged: a jump in seats taken is a lost intermediate
 *   update, an old or repeated version a reordering or duplicate, and at the end every
 *   client must hold every session's true state.
 *
 * Phases (run in the order of the plan, on one fleet):
 *   rate:R:T:label     B3/B6: bookings at R/s for T s, then drain;
 *   stall:R:T:F        B7: a fraction F of the clients is replaced by clients that stop
 *                      reading (small receive buffers), then a rate phase;
 *   storm:R            B5: every client drops its connection at once (RST) and
 *                      reconnects with jittered backoff and `since` while bookings go on
 *                      at R/s; /healthz is probed on a fresh connection every 20 ms.
 * Single-threaded: the fleet, its clients and the driver share one io_context.
 */
#include "common.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace sp::bench {

class founder_factory;
class http_connection;
class live_client;
class process_meter;

struct live_options {
    std::vector<std::uint16_t> ports; // one per instance; clients are split between them
    std::uint16_t management_port = 0; // the first instance's management listener (0: none)
    // Where bookings and the truth go (0: the instance of the client, as usual). Set when
    // the sockets are on a peer that does not book (the reference Node.js peer): the
    // bookings go through our server and reach the peer through the change log.
    std::uint16_t book_port = 0;
    std::uint16_t redis_port = 0;
    std::string prefix = "sp:{hub}:";
    std::string camp = "fan"; // the view: this camp's day `date`
    std::string date;
    int sockets = 1000;
    std::string plan;              // e.g. "rate:1:8:b3,rate:10:6:b3,stall:10:8:0.01,storm:10"
    std::vector<std::string> pids; // "server=…", "server2=…", "redis=…"
};

/** Runs the plan; true when nothing was lost, duplicated or reordered. */
bool run_live(const live_options& o, json_out& out);

struct idle_options {
    std::uint16_t port = 0;
    std::string event;             // each idle socket watches this event
    std::vector<int> steps;        // socket counts, ascending
    std::vector<std::string> pids; // "server=…" is the one measured
};

/** B4: server RSS per idle (subscribed) socket at each step. */
void run_idle(const idle_options& o, json_out& out);

class live_fleet {
public:
    live_fleet(asio::any_io_executor ex, std::vector<std::uint16_t> ports, std::string subscribe_text,
               std::vector<std::string> session_ids);
    ~live_fleet();

    // ---- what clients call
    int index_of(std::string_view session_id) const;
    std::size_t sessions() const { return ids_.size(); }
    std::uint16_t port(int instance) const { return ports_[static_cast<std::size_t>(instance)]; }
    /** The first instance's management listener: the storm probes its /healthz too. */
    void set_management_port(std::uint16_t port) { management_port_ = port; }
    /** Bookings and the truth through `port` instead of the clients' instances. */
    void set_book_port(std::uint16_t port) { book_port_ = port; }
    const std::string& subscribe_text() const { return subscribe_; }
    bool reconnect_enabled() const { return reconnect_; }
    bool strict() const { return strict_; }
    /** A change (s, taken) reached a client of `instance` at `at`. */
    void delivered(int s, int taken, int instance, clock::time_point at);
    void count_duplicate() { ++duplicates_; }
    void count_reorder() { ++reorders_; }
    void count_skipped(int n) { skipped_ += n; }
    void count_overlap() { ++overlaps_; }
    void count_resync() { ++resyncs_; }
    void count_message() { ++messages_; }
    void count_error(std::string_view text);
    void count_connect_failure(const std::string& why)
    {
        ++connect_failures_;
        if (first_connect_failure_.empty()) first_connect_failure_ = why;
    }
    void live_changed(bool now_live) { live_count_ += now_live ? 1 : -1; }
    void opening(bool begins) { opening_ += begins ? 1 : -1; }
    void client_ended() { --running_; }

    // ---- what the scenarios call
    /** Opens clients until there are `n` (at most `parallel` opening at once) and waits
     *  until all are live; false on timeout. */
    asio::awaitable<bool> grow_to(int n, int receive_buffer = 0, bool stall_when_live = false, int parallel = 256);
    asio::awaitable<void> close_clients(std::size_t first, std::size_t count);
    asio::awaitable<void> close_all();
    /** Reads every session's seats taken through the API: the truth to check against. */
    asio::awaitable<bool> load_truth();
    /** Writes the phase's fields into the object the caller has begun. */
    asio::awaitable<void> rate_phase(json_out& out, const std::string& label, double rate, double duration_s,
                                     process_meter& meter);
    asio::awaitable<void> stall_phase(json_out& out, double rate, double duration_s, double fraction,
                                      process_meter& meter);
    asio::awaitable<void> storm_phase(json_out& out, double rate, process_meter& meter);
    std::size_t size() const { return clients_.size(); }
    int live_count() const { return live_count_; }
    std::uint64_t connect_failures() const { return connect_failures_; }
    bool ok() const { return ok_; }
    void write_totals(json_out& out) const;

private:
    struct update_track {
        clock::time_point sent{};
        int instance = 0;
        int arrivals = 0;
        clock::time_point last{};
    };
    void reset_phase();
    /** Books at `rate`/s until `stop` (or `duration`), round-robin over the sessions. */
    asio::awaitable<void> drive(double rate, clock::time_point until, const bool* stop);
    struct pooled {
        std::unique_ptr<http_connection> conn;
        bool busy = false;
    };
    asio::awaitable<void> book_one(int s, int instance);
    /** A keep-alive connection to `instance` with no request in flight (made if none). */
    pooled& idle_connection(int instance);
    /** Clients that should receive every update: live, reading, never reconnected. */
    int steady_clients() const;
    /** Waits until every tracked update reached every steady client (or the timeout). */
    asio::awaitable<void> drain(clock::duration timeout);
    /** Reads the sessions whose last booking failed without an answer (until `deadline`). */
    asio::awaitable<void> refresh_uncertain(clock::time_point deadline);
    /** Counts sessions where a live, reading client differs from the truth. */
    int lost_states() const;
    /** Checks /healthz every 20 ms on a fresh connection until `stop`, from `ex` (its own
     *  thread: the fleet's loop is busy in a storm, and its backlog is not the server's). */
    static asio::awaitable<void> healthz_probe(std::uint16_t port, const std::atomic<bool>* stop, samples& out,
                                               int& failures);
    asio::awaitable<std::string> metrics_text();

    asio::any_io_executor ex_;
    std::uint16_t management_port_ = 0;
    std::vector<std::uint16_t> ports_;
    std::uint16_t book_port_ = 0;
    std::string subscribe_;
    std::vector<std::string> ids_;
    std::unordered_map<std::string, int> index_;
    std::vector<std::shared_ptr<live_client>> clients_;
    std::vector<std::vector<std::unique_ptr<pooled>>> pool_; // per instance
    random_source rng_{fresh_seed()};
    std::unique_ptr<founder_factory> founders_;

    // truth and tracking
    std::vector<int> truth_;
    std::vector<bool> in_flight_;
    std::vector<bool> uncertain_;                  // a booking failed without an answer: re-read before the next
    std::vector<std::vector<update_track>> track_; // [session][taken]
    std::vector<std::pair<int, int>> phase_updates_;
    bool tracking_ = false;

    // phase counters
    samples delivery_, same_, cross_, booking_; // booking_: each booking's own HTTP round trip
    std::uint64_t deliveries_ = 0, messages_ = 0;
    std::uint64_t duplicates_ = 0, reorders_ = 0, skipped_ = 0, overlaps_ = 0, errors_ = 0, resyncs_ = 0;
    std::uint64_t bookings_ = 0, booking_failures_ = 0, mismatches_ = 0, driver_skips_ = 0;
    std::uint64_t connect_failures_ = 0;
    std::string first_error_, first_connect_failure_;

    int live_count_ = 0, opening_ = 0, running_ = 0;
    // Clients reconnect as the front end does (with `since`), whoever closed them.
    bool reconnect_ = true, strict_ = true, ok_ = true;
    std::uint64_t total_duplicates_ = 0, total_reorders_ = 0, total_lost_ = 0, total_skipped_ = 0;
    friend class live_client;
};

} // namespace sp::bench
