#pragma once
/**
 * Drives one hiredis redisAsyncContext from Asio: maps hiredis' addRead/delRead/
 * addWrite/delWrite/cleanup hooks onto posix::stream_descriptor::async_wait.
 *
 * - hiredis owns the file descriptor: the descriptor object releases it, never closes it.
 * - "wants to read/write" is kept apart from "a wait is pending", so hiredis calling
 *   addRead again from inside a read handler never stacks a second wait.
 * - hiredis may free the context inside a read handler (cleanup hook): the handler
 *   checks before it touches the context again.
 * All hooks and handlers run on the owning connection's strand. Lifetime: attach()
 * returns nothing to own; the adapter keeps itself alive until hiredis calls cleanup,
 * and pending waits hold a reference until they complete.
 * Internal to the redis folder: nothing outside it includes hiredis.
 */
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <memory>

struct redisAsyncContext;

namespace sp::redis {

class hiredis_asio_adapter : public std::enable_shared_from_this<hiredis_asio_adapter> {
public:
    /** Installs the hooks on `ctx`. Call before setting the connect callback. Returns
     *  false if the context already failed. */
    static bool attach(redisAsyncContext* ctx, boost::asio::any_io_executor strand);

    hiredis_asio_adapter(redisAsyncContext* ctx, boost::asio::any_io_executor strand, int fd);

private:
    static void add_read(void* self);
    static void del_read(void* self);
    static void add_write(void* self);
    static void del_write(void* self);
    static void cleanup(void* self);

    void arm_read();
    void arm_write();
    void on_readable(const boost::system::error_code& ec);
    void on_writable(const boost::system::error_code& ec);

    redisAsyncContext* ctx_;
    boost::asio::posix::stream_descriptor descriptor_;
    bool want_read_ = false;
    bool want_write_ = false;
    bool read_pending_ = false;
    bool write_pending_ = false;
    std::shared_ptr<hiredis_asio_adapter> self_; // released in cleanup()
};

} // namespace sp::redis
