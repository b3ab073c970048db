#include "util/child_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace sp::util {

child_process child_process::spawn(const std::vector<std::string>& argv, const std::string& output_file)
{
    if (argv.empty()) throw std::runtime_error("spawn: empty command");
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);

    int out_fd = -1;
    if (!output_file.empty()) {
        out_fd = ::open(output_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (out_fd < 0) throw std::runtime_error("spawn: cannot open " + output_file + ": " + std::strerror(errno));
    }
    // A pipe closed on exec tells the parent whether exec succeeded.
    int status_pipe[2];
    if (::pipe2(status_pipe, O_CLOEXEC) != 0) throw std::runtime_error("spawn: pipe failed");

    pid_t parent = ::getpid();
    pid_t pid = ::fork();
    if (pid < 0) {
        int e = errno;
        ::close(status_pipe[0]);
        ::close(status_pipe[1]);
        if (out_fd >= 0) ::close(out_fd);
        throw std::runtime_error(std::string("spawn: fork failed: ") + std::strerror(e));
    }
    if (pid == 0) {
        // Child: only async-signal-safe calls until exec.
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent) ::_exit(127);
        if (out_fd >= 0) {
            ::dup2(out_fd, 1);
            ::dup2(out_fd, 2);
        }
        int null_fd = ::open("/dev/null", O_RDONLY);
        if (null_fd >= 0) ::dup2(null_fd, 0);
        // Everything else (listening sockets, Redis connections) stays with us.
        for (int fd = 3; fd < 1024; ++fd)
            if (fd != status_pipe[1]) ::close(fd);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        ::execvp(args[0], args.data());
        int e = errno;
        [[maybe_unused]] auto n = ::write(status_pipe[1], &e, sizeof e);
        ::_exit(127);
    }
    ::close(status_pipe[1]);
    if (out_fd >= 0) ::close(out_fd);
    int exec_errno = 0;
    ssize_t n;
    do {
        n = ::read(status_pipe[0], &exec_errno, sizeof exec_errno);
    } while (n < 0 && errno == EINTR);
    ::close(status_pipe[0]);
    if (n == sizeof exec_errno) {
        ::waitpid(pid, nullptr, 0);
        throw std::runtime_error("cannot run " + argv[0] + ": " + std::strerror(exec_errno));
    }

    child_process c;
    c.pid_ = pid;
    c.pidfd_ = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    return c;
}

child_process::child_process(child_process&& o) noexcept : pid_(o.pid_), pidfd_(o.pidfd_)
{
    o.pid_ = -1;
    o.pidfd_ = -1;
}

child_process& child_process::operator=(child_process&& o) noexcept
{
    if (this != &o) {
        if (valid()) terminate(std::chrono::milliseconds{0});
        reset();
        pid_ = o.pid_;
        pidfd_ = o.pidfd_;
        o.pid_ = -1;
        o.pidfd_ = -1;
    }
    return *this;
}

child_process::~child_process()
{
    if (valid()) terminate(std::chrono::milliseconds{0});
    reset();
}

void child_process::reset()
{
    if (pidfd_ >= 0) ::close(pidfd_);
    pidfd_ = -1;
    pid_ = -1;
}

void child_process::signal(int sig) const
{
    if (pid_ > 0) ::kill(pid_, sig);
}

std::optional<int> child_process::try_reap()
{
    if (pid_ <= 0) return std::nullopt;
    int status = 0;
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
        reset();
        return status;
    }
    return std::nullopt;
}

std::optional<int> child_process::wait_for(std::chrono::milliseconds timeout)
{
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (auto s = try_reap()) return s;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        if (pidfd_ >= 0) {
            pollfd p{pidfd_, POLLIN, 0};
            ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 100)));
        } else {
            ::usleep(10'000);
        }
    }
}

int child_process::terminate(std::chrono::milliseconds grace)
{
    if (!valid()) return 0;
    if (grace.count() > 0) {
        signal(SIGTERM);
        if (auto s = wait_for(grace)) return *s;
    }
    signal(SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    reset();
    return status;
}

std::string describe_wait_status(int status)
{
    if (WIFEXITED(status)) return "exited with " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
    return "stopped";
}

} // namespace sp::util
