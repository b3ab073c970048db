#pragma once
/**
 * The floor under "CPU per delivered message" on this machine: `messages` writes of
 * `size` bytes spread round-robin over `sockets` loopback TCP connections, read by a
 * peer thread with epoll, with no framing, no queue and no application logic at all.
 * The writing thread's CPU time per write (the kernel's TCP send, loopback delivery
 * included) is what any server must spend at least per live update it sends; the
 * reading thread's is what each receiving client spends at least. Measured with
 * CLOCK_THREAD_CPUTIME_ID, so other processes do not count.
 */
#include "common.hpp"

namespace sp::bench {

struct send_floor_options {
    int sockets = 1000;
    int messages = 200000;
    int size = 520; // about one "changes" message of a session
};

void run_send_floor(const send_floor_options& o, json_out& out);

} // namespace sp::bench
