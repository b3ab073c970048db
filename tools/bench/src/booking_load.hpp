#pragma once
/**
 * Bookings over HTTP against a running server.
 *
 * B1 (all-out) and B1b (fixed rate): `connections` keep-alive connections book random
 * sessions from a list, each request a new founder. All-out: every connection sends its
 * next request as soon as the last one is answered (closed loop). Fixed rate: requests
 * are scheduled at rate/s and their latency counts from the scheduled moment, so a
 * stalled server cannot hide its queue (no coordinated omission).
 *
 * B2 (hot slot): `attempts` connections, opened first, each send one booking for the
 * same session at the same moment; exactly `seats` of them may succeed, every time.
 *
 * Each run owns its io_context and writes one JSON object.
 */
#include "common.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace sp::bench {

struct booking_load_options {
    std::uint16_t port = 0;
    int connections = 64;
    double duration_s = 5;
    double rate = 0; // requests per second; 0 = all-out
    std::vector<std::string> sessions;
    std::vector<std::string> pids; // "server=123", "redis=456"
    /** Not empty: GET this path instead of booking (a reference at the same rate). */
    std::string get_path;
};

void run_booking_load(const booking_load_options& o, json_out& out);

struct hot_slot_options {
    std::uint16_t port = 0;
    int attempts = 1000;
    int seats = 5;
    std::vector<std::string> sessions; // one burst each, all fresh sessions of `seats` seats
    std::vector<std::string> pids;
};

/** True when every burst booked exactly `seats` and the session shows them taken. */
bool run_hot_slot(const hot_slot_options& o, json_out& out);

} // namespace sp::bench
