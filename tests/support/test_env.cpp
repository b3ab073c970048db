#include "support/test_env.hpp"

#include "support/contract_recorder.hpp"

#include "util/secrets.hpp"

#include <arpa/inet.h>
#include <atomic>
#include <functional>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/dynamic_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <catch2/catch.hpp>
#include <cerrno>
#include <cstring>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <hiredis/hiredis.h>
#include <simdjson.h>
#include <netinet/in.h>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <utility>

namespace fs = std::filesystem;
namespace bhttp = boost::beast::http;

namespace sp::test {

std::uint16_t free_port()
{
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) throw std::runtime_error("bind failed");
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

int connect_loopback(std::uint16_t port, int receive_buffer)
{
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (receive_buffer > 0) ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

std::string scratch_dir(const std::string& name)
{
    static std::atomic<int> counter{0};
    fs::path p = fs::path(SP_SCRATCH_DIR) / (name + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(p);
    fs::create_directories(p);
    return p.string();
}

bool process_alive(pid_t pid) { return pid > 0 && (::kill(pid, 0) == 0 || errno != ESRCH); }

int exit_code(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }

// ---------------------------------------------------------------- redis_server

redis_server::redis_server() : redis_server(options{}) {}

redis_server::redis_server(options opts)
    : opts_(std::move(opts)), port_(opts_.port ? opts_.port : free_port()), dir_(scratch_dir("redis"))
{
    start();
}

redis_server::~redis_server()
{
    resume();
    child_.terminate(std::chrono::seconds(5));
}

void redis_server::start()
{
    std::string manifest = dir_ + "/appendonlydir/appendonly.aof.manifest";
    if (std::exchange(killed_, false) && fs::exists(manifest)) {
        // redis-check-aof asks "Continue? [y/N]" before it truncates.
        auto check = util::child_process::spawn(
            {"sh", "-c", "echo y | redis-check-aof --fix \"$1\"", "sh", manifest}, dir_ + "/redis-check-aof.log");
        auto status = check.wait_for(std::chrono::seconds(10));
        if (!status || !WIFEXITED(*status) || WEXITSTATUS(*status) != 0)
            throw std::runtime_error("redis-check-aof --fix failed; see " + dir_ + "/redis-check-aof.log");
    }
    std::vector<std::string> argv{"redis-server", "--port", std::to_string(port_), "--bind", "127.0.0.1",
                                  "--dir", dir_, "--save", "", "--appendonly", opts_.append_only ? "yes" : "no",
                                  "--daemonize", "no", "--logfile", ""};
    argv.insert(argv.end(), opts_.extra_args.begin(), opts_.extra_args.end());
    child_ = util::child_process::spawn(argv, dir_ + "/redis.log");
    bool up = eventually(
        [&] {
            std::string pong = cli({"PING"});
            return pong == "PONG" || pong.starts_with("NOAUTH"); // up, with a password set
        },
        std::chrono::seconds(10));
    if (!up) throw std::runtime_error("test redis-server did not start on port " + std::to_string(port_));
}

void redis_server::stop() { child_.terminate(std::chrono::seconds(5)); }

void redis_server::kill9()
{
    child_.terminate(std::chrono::milliseconds(0));
    killed_ = true;
}

void redis_server::pause() { child_.signal(SIGSTOP); }

void redis_server::resume() { child_.signal(SIGCONT); }

namespace {
std::string reply_text(const redisReply* r)
{
    std::string out;
    if (!r) out = "(error)";
    else if (r->type == REDIS_REPLY_INTEGER) out = std::to_string(r->integer);
    else if (r->type == REDIS_REPLY_NIL) out = "(nil)";
    else if (r->type == REDIS_REPLY_ARRAY) {
        for (std::size_t i = 0; i < r->elements; ++i) {
            if (i) out += ' ';
            const redisReply* e = r->element[i];
            out += e->type == REDIS_REPLY_INTEGER ? std::to_string(e->integer) : std::string(e->str ? e->str : "", e->len);
        }
    }
    else out.assign(r->str, r->len);
    return out;
}

std::string run_command(redisContext* c, const std::vector<std::string>& args)
{
    timeval tv{1, 0};
    if (!c || c->err) {
        if (c) redisFree(c);
        return "(connect failed)";
    }
    redisSetTimeout(c, tv);
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    for (const auto& a : args) {
        argv.push_back(a.data());
        lens.push_back(a.size());
    }
    auto* r = static_cast<redisReply*>(redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data()));
    std::string out = reply_text(r);
    if (r) freeReplyObject(r);
    redisFree(c);
    return out;
}
} // namespace

std::string redis_server::cli(const std::vector<std::string>& args) const
{
    timeval tv{1, 0};
    return run_command(redisConnectWithTimeout("127.0.0.1", port_, tv), args);
}

std::string redis_server::footprint() const
{
    return cli({"EVAL",
                "local out = {} "
                "for _, k in ipairs(redis.call('KEYS', '*')) do "
                "  local sender_owned = k:sub(-7) == ':outbox' or k:sub(-12) == ':outbox:dead' "
                "  local sweep_owned = k:sub(-10) == ':reminders' "
                "  if redis.call('PTTL', k) == -1 and not sender_owned and not sweep_owned then out[#out + 1] = k end "
                "  if k:sub(-11) == ':outbox:seq' then out[#out + 1] = k .. '=' .. redis.call('GET', k) end "
                "end "
                "table.sort(out) return table.concat(out, ' ')",
                "0"});
}

namespace {

/** Sends every command in one pipeline and hands each reply, in order, to `on_reply`
 *  (null from the first one that did not arrive on). False when it could not connect. */
bool send_pipeline(std::uint16_t port, const std::vector<std::vector<std::string>>& commands,
                   const std::function<void(std::size_t, const redisReply*)>& on_reply)
{
    timeval tv{10, 0};
    redisContext* c = redisConnectWithTimeout("127.0.0.1", port, tv);
    if (!c || c->err) {
        if (c) redisFree(c);
        return false;
    }
    redisSetTimeout(c, tv);
    for (const auto& args : commands) {
        std::vector<const char*> argv;
        std::vector<size_t> lens;
        for (const auto& a : args) {
            argv.push_back(a.data());
            lens.push_back(a.size());
        }
        redisAppendCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data());
    }
    bool broken = false;
    for (std::size_t i = 0; i < commands.size(); ++i) {
        void* r = nullptr;
        if (broken || redisGetReply(c, &r) != REDIS_OK || !r) {
            broken = true;
            on_reply(i, nullptr);
            continue;
        }
        on_reply(i, static_cast<redisReply*>(r));
        freeReplyObject(r);
    }
    redisFree(c);
    return true;
}

} // namespace

int redis_server::pipeline(const std::vector<std::vector<std::string>>& commands) const
{
    int errors = 0;
    bool connected = send_pipeline(port_, commands, [&](std::size_t, const redisReply* r) {
        if (!r || r->type == REDIS_REPLY_ERROR) ++errors;
    });
    return connected ? errors : static_cast<int>(commands.size());
}

std::vector<std::string> redis_server::replies(const std::vector<std::vector<std::string>>& commands) const
{
    std::vector<std::string> out;
    bool connected = send_pipeline(port_, commands, [&](std::size_t, const redisReply* r) {
        out.push_back(r ? reply_text(r) : "(error)");
    });
    if (!connected) out.assign(commands.size(), "(connect failed)");
    return out;
}

std::string json_at(const std::string& json, const std::string& pointer)
{
    simdjson::dom::parser p;
    simdjson::dom::element doc;
    if (p.parse(json).get(doc) != simdjson::SUCCESS) return "(invalid json)";
    simdjson::dom::element e;
    if (doc.at_pointer(pointer).get(e) != simdjson::SUCCESS) return "";
    if (e.is_string()) return std::string(std::string_view(e.get_string()));
    if (e.is_int64()) return std::to_string(int64_t(e.get_int64()));
    if (e.is_bool()) return bool(e.get_bool()) ? "true" : "false";
    return simdjson::to_string(e);
}

std::string bochum_hub_file(const std::string& extra)
{
    std::string path = scratch_dir("hub") + "/hub.toml";
    std::ofstream(path) << R"([[camp]]
id = "bochum"
name = "Digital Camp Bochum"
city = "Bochum"
focus = "IT-Sicherheit"
address = "Universitätsstraße 142"

[[expert]]
id = "anna"
name = "Anna Schmidt"
topics = ["IT-Sicherheit"]
languages = ["de"]
camps = ["bochum"]
)" << extra;
    return path;
}

std::string event_toml(const std::string& id, const std::string& host, const std::string& title, int seats, int in_days,
                       const std::string& at, int minutes)
{
    return "\n[[event]]\nid = \"" + id + "\"\ncamp = \"bochum\"\nhost = \"" + host + "\"\ntitle = \"" + title +
           "\"\nin_days = " + std::to_string(in_days) + "\nat = \"" + at + "\"\nminutes = " + std::to_string(minutes) +
           "\nseats = " + std::to_string(seats) + "\n";
}

std::string daily_rule_toml(const std::string& id, const std::string& expert, const std::string& room,
                            const std::string& from, const std::string& to)
{
    std::string windows;
    for (const char* day : {"mon", "tue", "wed", "thu", "fri", "sat", "sun"})
        windows += std::string(windows.empty() ? "" : ", ") + "{ day = \"" + day + "\", start = \"" + from +
                   "\", end = \"" + to + "\" }";
    return "\n[[rule]]\nid = \"" + id + "\"\nexpert = \"" + expert + "\"\ncamp = \"bochum\"\n" +
           (room.empty() ? "online_url = \"https://meet.example.org/" + expert + "\"\n" : "room = \"" + room + "\"\n") +
           "slot_minutes = 30\nwindows = [ " + windows + " ]\n";
}

std::string redis_keys_with(const redis_server& redis, const std::string& part)
{
    return redis.cli({"KEYS", "sp:{hub}:*" + part + "*"});
}

std::string everything_in(const redis_server& redis)
{
    const std::string dump = R"(
local out, cursor = {}, '0'
repeat
  local r = redis.call('SCAN', cursor, 'COUNT', 1000)
  cursor = r[1]
  for _, k in ipairs(r[2]) do
    out[#out + 1] = k
    local t = redis.call('TYPE', k)['ok']
    local v = {}
    if t == 'string' then v = {redis.call('GET', k)}
    elseif t == 'hash' then v = redis.call('HGETALL', k)
    elseif t == 'set' then v = redis.call('SMEMBERS', k)
    elseif t == 'zset' then v = redis.call('ZRANGE', k, 0, -1)
    elseif t == 'list' then v = redis.call('LRANGE', k, 0, -1)
    elseif t == 'stream' then
      for _, e in ipairs(redis.call('XRANGE', k, '-', '+')) do
        for _, f in ipairs(e[2]) do v[#v + 1] = f end
      end
    end
    for _, x in ipairs(v) do out[#out + 1] = x end
  end
until cursor == '0'
return table.concat(out, '\n'))";
    return redis.cli({"EVAL", dump, "0"});
}

std::string sha256_hex(const std::string& data) { return sp::util::sha256_hex(data); }

long rss_kib(pid_t pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    return 0;
}

double cpu_seconds(pid_t pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat;
    std::getline(in, stat);
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    auto close = stat.rfind(')');
    if (close == std::string::npos) return -1;
    std::istringstream rest(stat.substr(close + 2));
    std::string field;
    double ticks = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i)
        if (i == 14 || i == 15) ticks += std::stod(field); // utime, stime
    return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

std::vector<std::map<std::string, std::string>> redis_server::stream(const std::string& key) const
{
    std::vector<std::map<std::string, std::string>> out;
    timeval tv{2, 0};
    redisContext* c = redisConnectWithTimeout("127.0.0.1", port_, tv);
    if (!c || c->err) {
        if (c) redisFree(c);
        return out;
    }
    auto* r = static_cast<redisReply*>(redisCommand(c, "XRANGE %s - +", key.c_str()));
    if (r && r->type == REDIS_REPLY_ARRAY) {
        for (std::size_t i = 0; i < r->elements; ++i) {
            const redisReply* entry = r->element[i];
            std::map<std::string, std::string> m;
            m["_id"] = std::string(entry->element[0]->str, entry->element[0]->len);
            const redisReply* fields = entry->element[1];
            for (std::size_t k = 0; k + 1 < fields->elements; k += 2)
                m[std::string(fields->element[k]->str, fields->element[k]->len)] =
                    std::string(fields->element[k + 1]->str, fields->element[k + 1]->len);
            out.push_back(std::move(m));
        }
    }
    if (r) freeReplyObject(r);
    redisFree(c);
    return out;
}

std::string redis_cli_unix(const std::string& socket, const std::vector<std::string>& args)
{
    timeval tv{1, 0};
    return run_command(redisConnectUnixWithTimeout(socket.c_str(), tv), args);
}

// ---------------------------------------------------------------- http

std::string http_reply::header(const std::string& name) const
{
    auto it = headers.find(name);
    return it == headers.end() ? std::string{} : it->second;
}

http_reply http_request(std::uint16_t port, const std::string& method, const std::string& target,
                        const std::map<std::string, std::string>& headers, const std::string& body)
{
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket socket(ioc);
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
    req.set(bhttp::field::host, "127.0.0.1:" + std::to_string(port));
    req.set(bhttp::field::connection, "close");
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") req.prepare_payload();
    bhttp::write(socket, req);
    boost::beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    if (method == "HEAD") parser.skip(true);
    bhttp::read(socket, buffer, parser);
    auto res = parser.release();
    http_reply out;
    out.status = res.result_int();
    for (const auto& f : res) {
        std::string name(f.name_string());
        for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        // Repeated fields (Set-Cookie) are kept, one per line.
        std::string& slot = out.headers[name];
        if (!slot.empty()) slot += '\n';
        slot += std::string(f.value());
    }
    out.body = res.body();
    record_exchange(method, target, out.status, out.header("content-type"), out.body);
    return out;
}

int status_of(std::uint16_t port, const std::string& target)
{
    try {
        return http_get(port, target).status;
    } catch (const std::exception&) {
        return 0;
    }
}

std::vector<http_reply> parallel_requests(std::uint16_t port, const std::vector<http_call>& calls)
{
    namespace asio = boost::asio;
    asio::io_context ioc;
    std::vector<http_reply> replies(calls.size());
    for (std::size_t i = 0; i < calls.size(); ++i) {
        asio::co_spawn(
            ioc,
            [&, i]() -> asio::awaitable<void> {
                const http_call& c = calls[i];
                try {
                    asio::ip::tcp::socket socket(co_await asio::this_coro::executor);
                    co_await socket.async_connect({asio::ip::make_address("127.0.0.1"), port}, asio::use_awaitable);
                    bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(c.method), c.target, 11};
                    req.set(bhttp::field::host, "127.0.0.1");
                    req.set(bhttp::field::connection, "close");
                    for (const auto& [k, v] : c.headers) req.set(k, v);
                    req.body() = c.body;
                    req.prepare_payload();
                    co_await bhttp::async_write(socket, req, asio::use_awaitable);
                    boost::beast::flat_buffer buffer;
                    bhttp::response<bhttp::string_body> res;
                    co_await bhttp::async_read(socket, buffer, res, asio::use_awaitable);
                    replies[i].status = res.result_int();
                    for (const auto& f : res) {
                        std::string name(f.name_string());
                        for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
                        replies[i].headers[name] = std::string(f.value());
                    }
                    replies[i].body = res.body();
                    record_exchange(c.method, c.target, replies[i].status, replies[i].header("content-type"),
                                    replies[i].body);
                } catch (const std::exception& e) {
                    replies[i].status = 0;
                    replies[i].body = e.what();
                }
            },
            asio::detached);
    }
    ioc.run();
    return replies;
}

std::string schema_problems(const std::string& file, const std::string& def, const std::string& json)
{
    std::string input = scratch_dir("schema") + "/doc.json";
    {
        std::ofstream out(input);
        out << json;
    }
    std::string cmd = std::string("/usr/bin/python3 ") + SP_SOURCE_DIR + "/tests/support/validate_json.py " +
                      SP_SOURCE_DIR + "/schema/" + file + (def.empty() ? "" : " " + def) + " < " + input +
                      " 2>&1";
    std::string out;
    if (FILE* p = ::popen(cmd.c_str(), "r")) {
        char buf[512];
        while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
        int status = ::pclose(p);
        if (status == 0) return {};
        return out.empty() ? "validator failed" : out;
    }
    return "cannot run the validator";
}

std::string raw_exchange(std::uint16_t port, const std::string& bytes)
{
    int fd = connect_loopback(port);
    if (fd < 0) throw std::runtime_error("connect failed");
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break; // the server may close early (e.g. 431): read what it said
        sent += static_cast<std::size_t>(n);
    }
    std::string out;
    char buf[4096];
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < end) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return out;
}

// ---------------------------------------------------------------- tcp_connection

namespace {
int ms_left(std::chrono::steady_clock::time_point end)
{
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now()).count();
    return left > 0 ? static_cast<int>(left) : 0;
}

std::string lower(std::string s)
{
    for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
}

/** Parses what arrived so far; true once the header block and its Content-Length body are in. */
bool parse_response(const std::string& data, http_reply& out)
{
    auto head_end = data.find("\r\n\r\n");
    if (head_end == std::string::npos) return false;
    std::istringstream head(data.substr(0, head_end));
    std::string line;
    std::getline(head, line);
    if (line.rfind("HTTP/1.", 0) != 0 || line.size() < 12) return false;
    out.status = std::atoi(line.c_str() + 9);
    out.headers.clear();
    while (std::getline(head, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        out.headers[lower(line.substr(0, colon))] = value;
    }
    out.body = data.substr(head_end + 4);
    auto cl = out.headers.find("content-length");
    if (cl == out.headers.end()) return false; // the server always sends one
    return out.body.size() >= static_cast<std::size_t>(std::stoull(cl->second));
}
} // namespace

tcp_connection::tcp_connection(std::uint16_t port, std::chrono::milliseconds timeout)
{
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        if (errno != EINPROGRESS) {
            ::close(fd);
            return;
        }
        pollfd p{fd, POLLOUT, 0};
        int err = 0;
        socklen_t len = sizeof err;
        if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1 ||
            ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
            ::close(fd);
            return;
        }
    }
    fd_ = fd;
}

tcp_connection::~tcp_connection() { close(); }

void tcp_connection::close()
{
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

bool tcp_connection::send(const std::string& bytes, std::chrono::milliseconds timeout)
{
    if (fd_ < 0) return false;
    auto end = std::chrono::steady_clock::now() + timeout;
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EINTR) return false;
        pollfd p{fd_, POLLOUT, 0};
        if (::poll(&p, 1, ms_left(end)) != 1) return false;
    }
    return true;
}

exchange_result tcp_connection::read_response(std::chrono::milliseconds timeout)
{
    exchange_result out;
    out.connected = fd_ >= 0;
    if (fd_ < 0) {
        out.error = "not connected";
        return out;
    }
    auto end = std::chrono::steady_clock::now() + timeout;
    std::string data;
    char buf[8192];
    for (;;) {
        ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n > 0) {
            data.append(buf, static_cast<std::size_t>(n));
            if (parse_response(data, out.reply)) {
                out.complete = true;
                break;
            }
            continue;
        }
        if (n == 0) {
            out.error = "closed by the server";
            break;
        }
        if (errno == EINTR) continue;
        if (errno != EAGAIN) {
            out.error = std::strerror(errno);
            break;
        }
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, ms_left(end)) != 1) {
            out.error = "timed out";
            break;
        }
    }
    out.received = data.size(); // a header block without its whole body keeps its status, not complete
    return out;
}

std::string http_request_text(const std::string& method, const std::string& target,
                              const std::map<std::string, std::string>& headers, const std::string& body)
{
    std::string text = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    for (const auto& [k, v] : headers) text += k + ": " + v + "\r\n";
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH")
        text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    return text + "\r\n" + body;
}

std::string camp_and_expert_toml(const std::string& camp, const std::string& city, const std::string& focus,
                                 const std::string& address, const std::string& expert, const std::string& expert_name,
                                 const std::string& language)
{
    return "[[camp]]\nid = \"" + camp + "\"\nname = \"Digital Camp " + city + "\"\ncity = \"" + city +
           "\"\nfocus = \"" + focus + "\"\naddress = \"" + address + "\"\n\n[[expert]]\nid = \"" + expert +
           "\"\nname = \"" + expert_name + "\"\ntopics = [\"" + focus + "\"]\nlanguages = [\"" + language +
           "\"]\ncamps = [\"" + camp + "\"]\n";
}

long metric(std::uint16_t port, const std::string& name)
{
    auto r = http_exchange(port, "GET", "/metrics", {}, {}, std::chrono::seconds(2));
    auto at = r.reply.body.find("\n" + name + " ");
    return at == std::string::npos ? -1 : std::stol(r.reply.body.substr(at + name.size() + 2));
}

exchange_result http_exchange(std::uint16_t port, const std::string& method, const std::string& target,
                              const std::map<std::string, std::string>& headers, const std::string& body,
                              std::chrono::milliseconds timeout)
{
    auto end = std::chrono::steady_clock::now() + timeout;
    tcp_connection c(port, timeout);
    if (!c.connected()) {
        exchange_result out;
        out.error = "connect failed";
        return out;
    }
    bool sent = c.send(http_request_text(method, target, headers, body),
                       std::chrono::milliseconds(std::max(1, ms_left(end))));
    exchange_result out = c.read_response(std::chrono::milliseconds(ms_left(end)));
    out.sent = sent;
    return out;
}

// ---------------------------------------------------------------- server_process

std::string perf_server_binary()
{
    const char* perf = std::getenv("SP_PERF_SERVER");
    return perf && *perf ? perf : SP_SERVER_BINARY;
}

server_process::server_process(std::vector<std::string> flags, bool wait_healthy, std::string binary,
                               int max_open_files)
    : port_(free_port()), dir_(scratch_dir("server"))
{
    log_ = dir_ + "/server.log";
    std::vector<std::string> argv;
    if (max_open_files > 0) argv = {"prlimit", "--nofile=" + std::to_string(max_open_files), "--"};
    argv.push_back(binary.empty() ? std::string(SP_SERVER_BINARY) : binary);
    bool has_port = false, has_static = false, has_embedded_dir = false;
    for (const auto& f : flags) {
        has_port = has_port || f.starts_with("--http.port=");
        has_static = has_static || f.starts_with("--http.static_dir=");
        has_embedded_dir = has_embedded_dir || f.starts_with("--redis.embedded_dir=");
    }
    if (has_port) {
        for (const auto& f : flags)
            if (f.starts_with("--http.port=")) port_ = static_cast<std::uint16_t>(std::stoi(f.substr(12)));
    } else {
        argv.push_back("--http.port=" + std::to_string(port_));
    }
    if (!has_static) argv.push_back(std::string("--http.static_dir=") + SP_SOURCE_DIR + "/static");
    if (!has_embedded_dir) argv.push_back("--redis.embedded_dir=" + dir_ + "/redis");
    argv.insert(argv.end(), flags.begin(), flags.end());
    child_ = util::child_process::spawn(argv, log_);
    if (!wait_healthy) return;
    bool up = eventually([&] { return status_of(port_, "/healthz") == 200; }, std::chrono::seconds(20));
    if (!up) throw std::runtime_error("server did not become healthy; log:\n" + log());
}

server_process::~server_process()
{
    child_.terminate(std::chrono::seconds(10));
    // A data race the server ran into fails the test that drove it (the ThreadSanitizer
    // build; with halt_on_error the server also stopped at the first one).
    std::string text = log();
    auto race = text.find("WARNING: ThreadSanitizer:");
    if (race != std::string::npos) FAIL_CHECK("the server reported:\n" << text.substr(race, 6000));
}

std::string server_process::log() const
{
    std::ifstream in(log_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::optional<int> server_process::terminate(std::chrono::milliseconds timeout)
{
    child_.signal(SIGTERM);
    return child_.wait_for(timeout);
}

std::optional<int> server_process::wait_exit(std::chrono::milliseconds timeout) { return child_.wait_for(timeout); }

} // namespace sp::test
