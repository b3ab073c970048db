#pragma once
/**
 * Error codes of the Redis link. A server-side error reply to a command is not an
 * error_code: it arrives as a reply of kind::error, because it carries meaning for the
 * caller. The exception is a Lua script that fails (client::eval): our scripts answer
 * refusals as values, so an error raised inside one is a defect, errc::script_failed.
 */
#include <boost/system/error_code.hpp>

namespace sp::redis {

enum class errc {
    not_connected = 1, // no usable connection right now (connecting, reconnecting)
    timeout,           // no reply within the command's deadline; outcome unknown
    connection_lost,   // the connection dropped with the command in flight; outcome unknown
    overloaded,        // too many commands in flight on this connection
    shut_down,         // the connection was stopped
    unexpected_reply,  // a reply of the wrong shape
    not_primary,       // -READONLY: the node became a replica (failover); the command did not run
    not_replicated,    // the write ran on the primary, but WAIT saw fewer replicas than required
    script_failed,     // a Lua script raised an error (ERR/WRONGTYPE): a defect of the server, not an outage
};

const boost::system::error_category& error_category();

inline boost::system::error_code make_error_code(errc e)
{
    return {static_cast<int>(e), error_category()};
}

} // namespace sp::redis

template <>
struct boost::system::is_error_code_enum<sp::redis::errc> : std::true_type {};
