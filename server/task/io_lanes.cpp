#include "task/io_lanes.hpp"

namespace asio = boost::asio;

namespace sp::task {
namespace {

thread_local std::size_t this_threads_lane = no_lane;

/** An io_context whose queued handlers can be destroyed once its thread has ended. */
class stoppable_io_context : public asio::io_context {
public:
    // One thread runs it: Asio keeps handlers posted from that thread in its private queue.
    stoppable_io_context() : asio::io_context(1) {}
    void destroy_pending_handlers() { shutdown(); }
};

} // namespace

std::size_t current_lane() { return this_threads_lane; }

struct io_lanes::lane {
    std::unique_ptr<stoppable_io_context> ioc = std::make_unique<stoppable_io_context>();
    asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(*ioc);
};

io_lanes::io_lanes(std::size_t count)
{
    for (std::size_t i = 0; i < std::max<std::size_t>(count, 1); ++i) lanes_.push_back(std::make_unique<lane>());
}

io_lanes::~io_lanes() { stop_and_join(); }

asio::io_context& io_lanes::context(std::size_t lane) { return *lanes_.at(lane)->ioc; }

asio::io_context::executor_type io_lanes::executor(std::size_t lane) const
{
    return lanes_.at(lane)->ioc->get_executor();
}

std::vector<asio::io_context*> io_lanes::contexts()
{
    std::vector<asio::io_context*> all;
    all.reserve(lanes_.size());
    for (const auto& l : lanes_) all.push_back(l->ioc.get());
    return all;
}

std::vector<asio::io_context::executor_type> io_lanes::executors() const
{
    std::vector<asio::io_context::executor_type> all;
    all.reserve(lanes_.size());
    for (const auto& l : lanes_) all.push_back(l->ioc->get_executor());
    return all;
}

void io_lanes::run()
{
    for (std::size_t i = 0; i < lanes_.size(); ++i)
        threads_.emplace_back([this, i] {
            this_threads_lane = i;
            lanes_[i]->ioc->run();
        });
}

void io_lanes::stop_and_join()
{
    for (auto& l : lanes_) {
        l->work.reset();
        l->ioc->stop();
    }
    for (auto& t : threads_) t.join();
    threads_.clear();
}

void io_lanes::destroy_pending_handlers()
{
    for (auto& l : lanes_) static_cast<stoppable_io_context&>(*l->ioc).destroy_pending_handlers();
}

} // namespace sp::task
