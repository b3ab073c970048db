// sprechstunde-bench: the load generator of tools/bench/run. Each command runs one
// measurement against servers and a Redis the run script started, prints one JSON object
// on stdout (progress on stderr) and exits 0, or 1 when a correctness check failed
// (oversell, lost/duplicated/reordered update, not exactly the seats in a hot slot),
// or 2 on a usage or set-up error.
//
//   book-http  --port --redis-port [--connections 64] [--duration 5] [--rate 0] [--camp bench]
//              [--get PATH: GET this path instead of booking, a reference at the same rate]
//   book-redis --redis-port --script FILE [--connections 64] [--duration 5] [--rate 0] [--camp bench]
//   hot        --port --sessions a,b,… [--attempts 1000] [--seats 5]
//   live       --ports a[,b] --redis-port --date YYYY-MM-DD --plan STEPS [--sockets 1000] [--camp fan]
//              [--book-port P]  (bookings through P, e.g. our server while the sockets are on the Node peer)
//              [--management-port P: the first instance's management listener, probed in the storm too]
//   idle       --port --event ID --steps 1000,5000,10000
//   check      --redis-port                     (no session oversold, bookings = seats taken)
//   sessions   --redis-port [--camp bench]      (how many open sessions there are to book)
//   send-floor [--sockets 1000] [--messages 200000] [--size 520]   (kernel cost of one delivery)
//   reconnect-floor [--sockets 10000] [--rounds 3] [--in-flight 512]
//              [--request B] [--response B] [--subscribe B] [--reply B]   (kernel cost of one reconnect)
// Every command takes --prefix (default sp:{hub}:) and --pid name=PID (repeatable): the
// processes whose CPU time and RSS the result reports.
#include "book_script_driver.hpp"
#include "booking_load.hpp"
#include "live_fleet.hpp"
#include "redis_checks.hpp"
#include "reconnect_floor.hpp"
#include "send_floor.hpp"

#include <chrono>
#include <cstdio>
#include <exception>
#include <map>
#include <stdexcept>
#include <sys/resource.h>

using namespace sp::bench;

namespace {

struct args {
    std::string command;
    std::multimap<std::string, std::string> named;

    std::string get(const std::string& k, const std::string& fallback = {}) const
    {
        auto it = named.find(k);
        return it == named.end() ? fallback : it->second;
    }
    std::string need(const std::string& k) const
    {
        auto it = named.find(k);
        if (it == named.end()) throw std::invalid_argument("--" + k + " is required");
        return it->second;
    }
    double num(const std::string& k, double fallback) const
    {
        auto v = get(k);
        return v.empty() ? fallback : std::stod(v);
    }
    std::uint16_t port(const std::string& k) const { return static_cast<std::uint16_t>(std::stoi(need(k))); }
    std::vector<std::string> all(const std::string& k) const
    {
        std::vector<std::string> out;
        auto [a, b] = named.equal_range(k);
        for (auto it = a; it != b; ++it)
            out.push_back(it->second);
        return out;
    }
};

args parse(int argc, char** argv)
{
    args a;
    if (argc < 2) throw std::invalid_argument("usage: sprechstunde-bench COMMAND --key=value …");
    a.command = argv[1];
    for (int i = 2; i < argc; ++i) {
        std::string s = argv[i];
        if (s.rfind("--", 0) != 0) throw std::invalid_argument("unexpected argument " + s);
        auto eq = s.find('=');
        if (eq != std::string::npos) {
            a.named.emplace(s.substr(2, eq - 2), s.substr(eq + 1));
        } else if (i + 1 < argc) {
            a.named.emplace(s.substr(2), argv[++i]);
        } else {
            throw std::invalid_argument("missing value for " + s);
        }
    }
    return a;
}

void raise_file_limit()
{
    rlimit r{};
    if (::getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
        r.rlim_cur = r.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &r);
    }
}

std::int64_t epoch_now()
{
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/** Open sessions of a camp that start at least an hour from now (none passes mid-run). */
std::vector<std::string> bookable(const args& a)
{
    auto ids = list_sessions(a.port("redis-port"), a.get("prefix", "sp:{hub}:"),
                             "camp:" + a.get("camp", "bench") + ":sessions", epoch_now() + 3600);
    if (ids.empty()) throw std::runtime_error("no bookable sessions in camp " + a.get("camp", "bench"));
    return ids;
}

int run(const args& a)
{
    json_out out;
    bool ok = true;
    const std::string prefix = a.get("prefix", "sp:{hub}:");
    if (a.command == "book-http") {
        booking_load_options o;
        o.port = a.port("port");
        o.connections = static_cast<int>(a.num("connections", 64));
        o.duration_s = a.num("duration", 5);
        o.rate = a.num("rate", 0);
        o.get_path = a.get("get");
        if (o.get_path.empty()) o.sessions = bookable(a);
        o.pids = a.all("pid");
        run_booking_load(o, out);
    } else if (a.command == "book-redis") {
        book_script_options o;
        o.redis_port = a.port("redis-port");
        o.connections = static_cast<int>(a.num("connections", 64));
        o.duration_s = a.num("duration", 5);
        o.rate = a.num("rate", 0);
        o.script_path = a.need("script");
        o.prefix = prefix;
        o.sessions = bookable(a);
        o.min_notice_s = static_cast<std::int64_t>(a.num("min-notice-s", 0));
        o.horizon_s = static_cast<std::int64_t>(a.num("horizon-s", 60 * 86400));
        o.max_upcoming = static_cast<std::int64_t>(a.num("max-upcoming", 100));
        o.max_per_week = static_cast<std::int64_t>(a.num("max-per-week", 50));
        o.pids = a.all("pid");
        run_book_script(o, out);
    } else if (a.command == "hot") {
        hot_slot_options o;
        o.port = a.port("port");
        o.attempts = static_cast<int>(a.num("attempts", 1000));
        o.seats = static_cast<int>(a.num("seats", 5));
        o.sessions = split(a.need("sessions"), ',');
        o.pids = a.all("pid");
        ok = run_hot_slot(o, out);
    } else if (a.command == "live") {
        live_options o;
        for (const auto& p : split(a.need("ports"), ','))
            o.ports.push_back(static_cast<std::uint16_t>(std::stoi(p)));
        o.redis_port = a.port("redis-port");
        o.management_port = static_cast<std::uint16_t>(a.num("management-port", 0));
        o.book_port = static_cast<std::uint16_t>(a.num("book-port", 0));
        o.prefix = prefix;
        o.camp = a.get("camp", "fan");
        o.date = a.need("date");
        o.sockets = static_cast<int>(a.num("sockets", 1000));
        o.plan = a.need("plan");
        o.pids = a.all("pid");
        ok = run_live(o, out);
    } else if (a.command == "idle") {
        idle_options o;
        o.port = a.port("port");
        o.event = a.need("event");
        for (const auto& s : split(a.need("steps"), ','))
            o.steps.push_back(std::stoi(s));
        o.pids = a.all("pid");
        run_idle(o, out);
    } else if (a.command == "check") {
        ok = check_no_oversell(a.port("redis-port"), prefix, out);
    } else if (a.command == "send-floor") {
        send_floor_options o;
        o.sockets = static_cast<int>(a.num("sockets", 1000));
        o.messages = static_cast<int>(a.num("messages", 200000));
        o.size = static_cast<int>(a.num("size", 520));
        run_send_floor(o, out);
    } else if (a.command == "reconnect-floor") {
        reconnect_floor_options o;
        o.sockets = static_cast<int>(a.num("sockets", o.sockets));
        o.rounds = static_cast<int>(a.num("rounds", o.rounds));
        o.in_flight = static_cast<int>(a.num("in-flight", o.in_flight));
        o.request = static_cast<int>(a.num("request", o.request));
        o.response = static_cast<int>(a.num("response", o.response));
        o.subscribe = static_cast<int>(a.num("subscribe", o.subscribe));
        o.reply = static_cast<int>(a.num("reply", o.reply));
        run_reconnect_floor(o, out);
    } else if (a.command == "sessions") {
        out.begin_object().key("open_sessions").value(static_cast<std::int64_t>(bookable(a).size())).end_object();
    } else {
        throw std::invalid_argument("unknown command " + a.command);
    }
    std::printf("%s\n", out.str().c_str());
    return ok ? 0 : 1;
}

} // namespace

int main(int argc, char** argv)
{
    try {
        raise_file_limit();
        return run(parse(argc, argv));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "sprechstunde-bench: %s\n", e.what());
        return 2;
    }
}
