#pragma once
/**
 * What the integration tests need from the machine: free loopback ports, scratch
 * folders, a real redis-server on a free port, the real server binary, and a plain
 * HTTP client. Each helper stops what it started in its destructor, so a failing test
 * leaves no process behind.
 */
#include "util/child_process.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sp::test {

/** A TCP port on 127.0.0.1 that was free a moment ago. */
std::uint16_t free_port();
/** A blocking TCP connection to 127.0.0.1:`port`: its descriptor, or -1 when it failed.
 *  `receive_buffer` > 0 sets SO_RCVBUF first (a small one makes a client that reads slowly). */
int connect_loopback(std::uint16_t port, int receive_buffer = 0);

/** A new empty folder under the build tree's scratch space. */
std::string scratch_dir(const std::string& name);

/** Polls `pred` every 10 ms until it holds or `timeout` passes; returns the last value. */
template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout)
{
    auto end = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (pred()) return true;
        if (std::chrono::steady_clock::now() > end) return false;
        struct timespec ts{0, 10'000'000};
        nanosleep(&ts, nullptr);
    }
}

bool process_alive(pid_t pid);

/** A redis-server on a free loopback port, with its own data folder. */
class redis_server {
public:
    struct options {
        bool append_only = true;
        std::vector<std::string> extra_args;
        std::uint16_t port = 0; // 0: a free port
    };
    redis_server();
    explicit redis_server(options opts);
    ~redis_server();

    /** (Re)starts on the same port and data. After kill9() it first repairs the AOF the
     *  way the README tells operators to (redis-check-aof --fix): Redis 7.0 alone can bring
     *  back writes of a transaction the kill cut off (valkey-io/valkey#4342). */
    void start();
    void stop();    // SHUTDOWN-like: SIGTERM and wait
    void kill9();
    void pause();   // SIGSTOP: a stalled server
    void resume();  // SIGCONT

    std::uint16_t port() const { return port_; }
    std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }
    pid_t pid() const { return child_.pid(); }
    /** Sends all commands in one pipeline; the number of error replies. */
    int pipeline(const std::vector<std::vector<std::string>>& commands) const;
    /** The entries of a stream, each as its field/value map (plus "_id"). */
    std::vector<std::map<std::string, std::string>> stream(const std::string& key) const;
    /** Sends all commands in one pipeline; each reply as text, as cli() gives it. */
    std::vector<std::string> replies(const std::vector<std::vector<std::string>>& commands) const;
    /** Runs one command synchronously; returns the reply as text ("(nil)", integers as digits). */
    std::string cli(const std::vector<std::string>& args) const;
    /** What a request that "writes nothing" must leave unchanged: the names of every key
     *  without an expiry (the hub's data), sorted, and the outbox counter, which every queued
     *  message raises. Rate-limit buckets come and go on their own clock, the mail sender
     *  empties the outbox queue and fills the dead letters on its own, and the reminder
     *  sweep writes its cursor (`reminders`) whenever its first round comes, so those are
     *  left out: comparing DBSIZE or every key made such tests fail on a busy machine. */
    std::string footprint() const;

private:
    options opts_;
    std::uint16_t port_;
    std::string dir_;
    util::child_process child_;
    bool killed_ = false;
};

struct http_reply {
    int status = 0;
    std::map<std::string, std::string> headers; // lower-case names
    std::string body;
    std::string header(const std::string& name) const;
};

/** One request on a new connection (Connection: close). */
http_reply http_request(std::uint16_t port, const std::string& method, const std::string& target,
                        const std::map<std::string, std::string>& headers = {}, const std::string& body = {});
/** The status of GET `target`, or 0 when the server does not answer at all. */
int status_of(std::uint16_t port, const std::string& target);

inline http_reply http_get(std::uint16_t port, const std::string& target,
                           const std::map<std::string, std::string>& headers = {})
{
    return http_request(port, "GET", target, headers);
}

struct http_call {
    std::string method;
    std::string target;
    std::map<std::string, std::string> headers;
    std::string body;
};

/** Runs all calls at once, each on its own connection, from one io_context (so 200
 *  calls really race); replies in call order. A failed connection gives status 0. */
std::vector<http_reply> parallel_requests(std::uint16_t port, const std::vector<http_call>& calls);

/** Validates `json` against schema/<file> (optionally one of its $defs) with a real
 *  JSON Schema validator (python3-jsonschema); "" when valid, else the problems. */
std::string schema_problems(const std::string& file, const std::string& def, const std::string& json);

/** Sends raw bytes and returns everything the server answers until it closes (or 5 s). */
std::string raw_exchange(std::uint16_t port, const std::string& bytes);

/** What became of one HTTP request sent over a plain socket, step by step: the fault
 *  tests must tell "refused", "closed before any answer" and "cut off mid-answer" apart. */
struct exchange_result {
    bool connected = false;
    bool sent = false;          // every byte of the request went out
    std::size_t received = 0;   // bytes of the answer that arrived
    bool complete = false;      // a whole response: header block and Content-Length body
    http_reply reply;           // status 0 unless the header block arrived
    std::string error;
};

/** A TCP connection with deadlines, for tests that decide when each byte goes out. */
class tcp_connection {
public:
    /** Connects (up to `timeout`); connected() says whether it worked. */
    explicit tcp_connection(std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(2));
    ~tcp_connection();
    tcp_connection(const tcp_connection&) = delete;
    tcp_connection& operator=(const tcp_connection&) = delete;

    bool connected() const { return fd_ >= 0; }
    /** Sends all of `bytes` (up to `timeout`); false if the connection failed. */
    bool send(const std::string& bytes, std::chrono::milliseconds timeout = std::chrono::seconds(2));
    /** Reads one HTTP response until it is complete, the server closes, or `timeout`. */
    exchange_result read_response(std::chrono::milliseconds timeout);
    void close();

private:
    int fd_ = -1;
};

/** The bytes of an HTTP/1.1 request with Connection: close (Content-Length when there is a body or it is a POST). */
std::string http_request_text(const std::string& method, const std::string& target,
                              const std::map<std::string, std::string>& headers = {}, const std::string& body = {});

/** One request on a new connection, never blocking longer than `timeout`, with every step recorded. */
exchange_result http_exchange(std::uint16_t port, const std::string& method, const std::string& target,
                              const std::map<std::string, std::string>& headers, const std::string& body,
                              std::chrono::milliseconds timeout);

/** A sample without labels from the server's /metrics, or -1 when it is not there. */
long metric(std::uint16_t port, const std::string& name);

/** The sprechstunde binary, started with flags; waits until /healthz answers. */
class server_process {
public:
    /** `flags` are --section.key=value; the port is chosen here unless given. */
    /** `max_open_files` > 0 starts it with that RLIMIT_NOFILE (through prlimit(1), which execs: same pid). */
    explicit server_process(std::vector<std::string> flags, bool wait_healthy = true, std::string binary = {},
                            int max_open_files = 0);
    ~server_process();

    std::uint16_t port() const { return port_; }
    pid_t pid() const { return child_.pid(); }
    const std::string& log_path() const { return log_; }
    std::string log() const;
    /** SIGTERM, then waits up to `timeout`; the exit status, or nullopt if it hung. */
    std::optional<int> terminate(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    /** Waits for the process to exit by itself (e.g. a refused start). */
    std::optional<int> wait_exit(std::chrono::milliseconds timeout);

private:
    std::uint16_t port_;
    std::string dir_;
    std::string log_;
    util::child_process child_;
};

/** Runs one command on a Redis unix socket; the reply as text, like redis_server::cli. */
std::string redis_cli_unix(const std::string& socket, const std::vector<std::string>& args);

/** A value of a JSON document by JSON pointer, as text (strings unquoted, numbers and
 *  booleans as written, objects and arrays as JSON); "" when absent. */
std::string json_at(const std::string& json, const std::string& pointer);

/** Writes a hub file (the seed format of config/demo-hub.toml) with the Bochum camp and
 *  the expert "anna", plus `extra` TOML; returns its path. */
std::string bochum_hub_file(const std::string& extra = {});
/** An [[event]] entry for a hub file: in Bochum, `in_days` from today at `at` (local
 *  time) for `minutes`; an empty `host` makes an event without a host. */
std::string event_toml(const std::string& id, const std::string& host, const std::string& title, int seats,
                       int in_days = 3, const std::string& at = "18:00", int minutes = 120);
/** A [[rule]] entry: `expert`'s office hours in Bochum every day from `from` to `to`
 *  in 30-minute slots, in `room`, or online when `room` is empty. */
std::string daily_rule_toml(const std::string& id, const std::string& expert, const std::string& room,
                            const std::string& from, const std::string& to);

/** The start of most test hubs: one camp and one expert who works there, with the
 *  camp's focus as the expert's topic. */
std::string camp_and_expert_toml(const std::string& camp, const std::string& city, const std::string& focus,
                                 const std::string& address, const std::string& expert, const std::string& expert_name,
                                 const std::string& language);

/** Keys of the hub (prefix sp:{hub}:) that contain `part`, space-separated ("" if none). */
std::string redis_keys_with(const redis_server& redis, const std::string& part);

/** Every key of the Redis with everything in it (SCAN, then each value by its type, and
 *  the change stream entry by entry), as one text to search. */
std::string everything_in(const redis_server& redis);

/** Lowercase hex SHA-256, as the server uses for hashed key parts. */
std::string sha256_hex(const std::string& data);

/** The resident memory of a process in KiB (from /proc), or 0. */
long rss_kib(pid_t pid);

/** The CPU time (user + system) a process has used so far, in seconds (from /proc), or -1. */
double cpu_seconds(pid_t pid);

/** The server binary for tests that measure time or memory: an optimised build without
 *  sanitizers when the test command provides one (SP_PERF_SERVER), else the normal one.
 *  Sanitizers multiply time and memory, so such figures would say nothing. */
std::string perf_server_binary();

/** Exit code from a wait status, or -1 if it did not exit normally. */
int exit_code(int wait_status);

} // namespace sp::test
