#include "redis/hiredis_asio_adapter.hpp"

#include <boost/asio/bind_executor.hpp>
#include <hiredis/async.h>

namespace asio = boost::asio;

namespace sp::redis {

hiredis_asio_adapter::hiredis_asio_adapter(redisAsyncContext* ctx, asio::any_io_executor strand, int fd)
    : ctx_(ctx), descriptor_(strand, fd)
{
}

bool hiredis_asio_adapter::attach(redisAsyncContext* ctx, asio::any_io_executor strand)
{
    if (ctx->err || ctx->c.fd < 0) return false;
    auto adapter = std::make_shared<hiredis_asio_adapter>(ctx, strand, ctx->c.fd);
    adapter->self_ = adapter;
    ctx->ev.data = adapter.get();
    ctx->ev.addRead = &add_read;
    ctx->ev.delRead = &del_read;
    ctx->ev.addWrite = &add_write;
    ctx->ev.delWrite = &del_write;
    ctx->ev.cleanup = &cleanup;
    return true;
}

void hiredis_asio_adapter::add_read(void* p)
{
    auto* self = static_cast<hiredis_asio_adapter*>(p);
    self->want_read_ = true;
    self->arm_read();
}

void hiredis_asio_adapter::del_read(void* p) { static_cast<hiredis_asio_adapter*>(p)->want_read_ = false; }

void hiredis_asio_adapter::add_write(void* p)
{
    auto* self = static_cast<hiredis_asio_adapter*>(p);
    self->want_write_ = true;
    self->arm_write();
}

void hiredis_asio_adapter::del_write(void* p) { static_cast<hiredis_asio_adapter*>(p)->want_write_ = false; }

void hiredis_asio_adapter::cleanup(void* p)
{
    auto* self = static_cast<hiredis_asio_adapter*>(p);
    auto keep_alive = std::move(self->self_); // may be the last reference: destroyed on return
    self->ctx_ = nullptr;
    self->want_read_ = self->want_write_ = false;
    boost::system::error_code ignored;
    self->descriptor_.cancel(ignored);
    self->descriptor_.release(); // hiredis closes the fd itself
}

void hiredis_asio_adapter::arm_read()
{
    if (read_pending_ || !want_read_ || !ctx_) return;
    read_pending_ = true;
    descriptor_.async_wait(asio::posix::stream_descriptor::wait_read,
                           asio::bind_executor(descriptor_.get_executor(),
                                               [self = shared_from_this()](const boost::system::error_code& ec) {
                                                   self->on_readable(ec);
                                               }));
}

void hiredis_asio_adapter::arm_write()
{
    if (write_pending_ || !want_write_ || !ctx_) return;
    write_pending_ = true;
    descriptor_.async_wait(asio::posix::stream_descriptor::wait_write,
                           asio::bind_executor(descriptor_.get_executor(),
                                               [self = shared_from_this()](const boost::system::error_code& ec) {
                                                   self->on_writable(ec);
                                               }));
}

void hiredis_asio_adapter::on_readable(const boost::system::error_code& ec)
{
    read_pending_ = false;
    if (!ctx_ || ec == asio::error::operation_aborted || !want_read_) return;
    redisAsyncHandleRead(ctx_); // may free the context: cleanup() clears ctx_
    arm_read();
}

void hiredis_asio_adapter::on_writable(const boost::system::error_code& ec)
{
    write_pending_ = false;
    if (!ctx_ || ec == asio::error::operation_aborted || !want_write_) return;
    redisAsyncHandleWrite(ctx_); // may free the context too
    arm_write();
}

} // namespace sp::redis
