#pragma once
/**
 * The floor under "CPU per reconnect" on this machine: `sockets` loopback TCP connections
 * dropped at once with a reset and opened again, `rounds` times, each reconnect making the
 * same exchange as a live client's resume (request, response, subscribe, reply: the
 * sizes are options) between this process (the clients) and a forked server process,
 * both non-blocking with edge-triggered epoll, with no HTTP or WebSocket parsing, no
 * framing and no application logic. The CPU time of each side per reconnect (this
 * thread's CLOCK_THREAD_CPUTIME_ID, the server process's own CPU clock: other processes
 * do not count) is the least a server and a client spend on one; the wall time of a round
 * is how fast this machine brings the sockets back when nothing else is busy.
 */
#include "common.hpp"

namespace sp::bench {

struct reconnect_floor_options {
    int sockets = 10000;
    int rounds = 3;
    int in_flight = 512; // connections the client has open but not yet back, at most
    // A storm's reconnect as the load generator makes it (tools/bench/run RECONNECT_BYTES).
    int request = 156;   // the WebSocket upgrade request
    int response = 129;  // its 101 response
    int subscribe = 119; // the subscribe message with `since`
    int reply = 556;     // the resume's reply
};

void run_reconnect_floor(const reconnect_floor_options& o, json_out& out);

} // namespace sp::bench
