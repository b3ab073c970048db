#include "redis/connection_rules.hpp"

#include "redis/error.hpp"

namespace sp::redis {

std::vector<std::vector<std::string>> compose_setup(const endpoint& where, const std::string& client_name)
{
    std::vector<std::vector<std::string>> steps;
    if (!where.password.empty()) {
        if (where.user.empty()) steps.push_back({"AUTH", where.password});
        else steps.push_back({"AUTH", where.user, where.password});
    }
    if (where.db != 0) steps.push_back({"SELECT", std::to_string(where.db)});
    steps.push_back({"CLIENT", "SETNAME", client_name});
    if (where.kind == endpoint::transport::sentinel) steps.push_back({"ROLE"});
    steps.push_back({"PING"});
    return steps;
}

std::optional<std::string> judge_setup_reply(std::string_view command, const boost::system::error_code& ec,
                                             const reply& r)
{
    bool optional = command == "CLIENT" || (command == "ROLE" && r.is_error_code("NOPERM"));
    if (ec || (r.is_error() && !optional)) return std::string(command) + " failed: " + (ec ? ec.message() : r.str);
    if (command == "ROLE" && !r.is_error() &&
        (r.type != reply::kind::array || r.elements.empty() || r.elements[0].str != "master")) {
        std::string role = r.elements.empty() ? std::string("unknown") : r.elements[0].str;
        return "the sentinels named a node that is not the primary (role " + role + ")";
    }
    return std::nullopt;
}

std::optional<std::string> judge_health_ping(const boost::system::error_code& ec, const reply& r)
{
    if (ec == errc::shut_down) return std::nullopt;
    if (ec == errc::timeout) return std::string("health ping timed out");
    if (!ec && r.is_error() && !r.is_error_code("LOADING")) return "health ping: " + r.str;
    return std::nullopt;
}

deadline_sweep sweep_deadlines(std::span<const std::optional<deadline_clock::time_point>> deadlines,
                               deadline_clock::time_point now)
{
    deadline_sweep out;
    for (std::size_t i = 0; i < deadlines.size(); ++i) {
        if (!deadlines[i]) continue;
        if (*deadlines[i] <= now) out.expired.push_back(i);
        else if (*deadlines[i] < out.next) out.next = *deadlines[i];
    }
    return out;
}

} // namespace sp::redis
