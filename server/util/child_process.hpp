#pragma once
/**
 * A child process we start and must never leave behind: it runs in its own process
 * group (a terminal's Ctrl-C reaches only us, so we decide the stop order), gets
 * SIGTERM if we die (PR_SET_PDEATHSIG), and inherits no descriptors but 0-2.
 * exit_descriptor() is a pidfd that becomes readable when the child exits, so an
 * io_context can wait for it without a thread or SIGCHLD handler.
 * Not thread-safe; one owner.
 */
#include <chrono>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace sp::util {

class child_process {
public:
    child_process() = default;
    /** Starts argv[0] (looked up in PATH) with the given arguments; stdout and stderr go
     *  to `output_file` (appended) unless empty. Throws std::runtime_error on failure. */
    static child_process spawn(const std::vector<std::string>& argv, const std::string& output_file = {});

    child_process(child_process&& other) noexcept;
    child_process& operator=(child_process&& other) noexcept;
    ~child_process(); // kills (SIGKILL) and reaps a child that is still running

    pid_t pid() const { return pid_; }
    bool valid() const { return pid_ > 0; }
    int exit_descriptor() const { return pidfd_; }

    void signal(int sig) const;
    /** Reaps the child if it has exited: its wait status, or nullopt if still running. */
    std::optional<int> try_reap();
    /** Blocks up to `timeout` for the child to exit (start-up and shutdown only). */
    std::optional<int> wait_for(std::chrono::milliseconds timeout);
    /** SIGTERM, wait up to `grace`, then SIGKILL; reaps. */
    int terminate(std::chrono::milliseconds grace);

private:
    void reset();
    pid_t pid_ = -1;
    int pidfd_ = -1;
};

/** "exited with 1", "killed by signal 9". */
std::string describe_wait_status(int status);

} // namespace sp::util
