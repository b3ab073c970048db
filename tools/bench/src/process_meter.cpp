#include "process_meter.hpp"

#include <fstream>
#include <sstream>
#include <unistd.h>

namespace sp::bench {

process_sample sample_process(int pid)
{
    process_sample s;
    std::string base = pid ? "/proc/" + std::to_string(pid) : std::string("/proc/self");
    std::ifstream stat(base + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    // The command name (field 2) may hold spaces: fields are counted after its ')'.
    auto close = text.rfind(')');
    if (close == std::string::npos) return s;
    std::istringstream in(text.substr(close + 2));
    std::string field;
    long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && in >> field; ++i) {
        if (i == 14) utime = std::stol(field);
        if (i == 15) stime = std::stol(field);
    }
    static const double tick = static_cast<double>(::sysconf(_SC_CLK_TCK));
    s.cpu_s = static_cast<double>(utime + stime) / tick;
    std::ifstream status(base + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) s.rss_kib = std::stol(line.substr(6));
        if (line.rfind("VmHWM:", 0) == 0) s.peak_kib = std::stol(line.substr(6));
    }
    s.ok = true;
    return s;
}

machine_sample sample_machine()
{
    machine_sample m;
    std::ifstream stat("/proc/stat");
    std::string line;
    static const double tick = static_cast<double>(::sysconf(_SC_CLK_TCK));
    while (std::getline(stat, line)) {
        if (line.rfind("cpu", 0) != 0) break;
        if (line.rfind("cpu ", 0) == 0) {
            std::istringstream in(line.substr(4));
            // user nice system idle iowait irq softirq steal (guest time is inside user)
            long v[8] = {};
            for (long& x : v)
                in >> x;
            m.busy_s = static_cast<double>(v[0] + v[1] + v[2] + v[5] + v[6]) / tick;
            m.steal_s = static_cast<double>(v[7]) / tick;
            m.total_s = m.busy_s + m.steal_s + static_cast<double>(v[3] + v[4]) / tick;
        } else {
            ++m.cores;
        }
    }
    return m;
}

process_meter::process_meter(const std::vector<std::string>& named_pids)
{
    for (const auto& np : named_pids) {
        auto eq = np.find('=');
        if (eq == std::string::npos) continue;
        entries_.push_back({np.substr(0, eq), std::stoi(np.substr(eq + 1)), {}, {}});
    }
    entries_.push_back({"loadgen", 0, {}, {}});
}

void process_meter::start()
{
    for (auto& e : entries_)
        e.before = sample_process(e.pid);
}

void process_meter::stop()
{
    for (auto& e : entries_)
        e.after = sample_process(e.pid);
}

double process_meter::cpu_s(const std::string& name) const
{
    for (const auto& e : entries_)
        if (e.name == name) return e.after.cpu_s - e.before.cpu_s;
    return 0;
}

long process_meter::rss_kib(const std::string& name) const
{
    for (const auto& e : entries_)
        if (e.name == name) return e.after.rss_kib;
    return 0;
}

int process_meter::pid(const std::string& name) const
{
    for (const auto& e : entries_)
        if (e.name == name) return e.pid;
    return -1;
}

void process_meter::write(json_out& out, double operations) const
{
    out.begin_object();
    for (const auto& e : entries_) {
        if (!e.before.ok || !e.after.ok) continue;
        double cpu = e.after.cpu_s - e.before.cpu_s;
        out.key(e.name).begin_object();
        out.key("cpu_s").value(cpu);
        out.key("cpu_us_per_op").value(operations > 0 ? cpu * 1e6 / operations : 0.0);
        out.key("rss_kib").value(static_cast<std::int64_t>(e.after.rss_kib));
        out.key("rss_before_kib").value(static_cast<std::int64_t>(e.before.rss_kib));
        out.key("peak_kib").value(static_cast<std::int64_t>(e.after.peak_kib));
        out.end_object();
    }
    out.end_object();
}

} // namespace sp::bench
