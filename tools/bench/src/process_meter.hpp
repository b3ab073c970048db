#pragma once
/**
 * CPU time and memory of the processes in a measurement (the server instances, Redis,
 * this load generator), read from /proc/<pid>/stat (utime + stime, in clock ticks) and
 * /proc/<pid>/status (VmRSS, VmHWM). start() and stop() bracket a measurement; write()
 * gives each process's CPU seconds, CPU per operation and RSS at the end.
 */
#include "common.hpp"

#include <string>
#include <vector>

namespace sp::bench {

struct process_sample {
    double cpu_s = 0;  // utime + stime since the process started
    long rss_kib = 0;  // resident now
    long peak_kib = 0; // VmHWM: the most it was resident
    bool ok = false;
};

/** pid 0: this process. */
process_sample sample_process(int pid);

/** The whole machine's CPU time from /proc/stat: all cores together, in seconds. */
struct machine_sample {
    double busy_s = 0;  // user, nice, system, irq, softirq: work done in this machine
    double steal_s = 0; // a virtual machine's cores wanting to run while the host ran others
    double total_s = 0; // all of the above plus idle and iowait
    int cores = 0;
};
machine_sample sample_machine();

class process_meter {
public:
    /** Adds "name=pid" pairs; this process is always measured as "loadgen". */
    explicit process_meter(const std::vector<std::string>& named_pids);
    void start();
    void stop();
    double cpu_s(const std::string& name) const;
    long rss_kib(const std::string& name) const;
    int pid(const std::string& name) const;
    /** {"server":{"cpu_s":…,"cpu_us_per_op":…,"rss_kib":…,"peak_kib":…},…} */
    void write(json_out& out, double operations) const;

private:
    struct entry {
        std::string name;
        int pid = 0;
        process_sample before, after;
    };
    std::vector<entry> entries_;
};

} // namespace sp::bench
