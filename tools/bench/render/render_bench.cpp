// What one confirmation costs to write: the templates (text and HTML), the .ics and the
// MIME message, each timed in CPU time of this thread over many rounds, printed as JSON.
// The baseline, measured in the same run, is copying the finished message's bytes (the
// least any sender does with it). Built with the server's code (target
// sprechstunde-render-bench, -DSPRECHSTUNDE_BENCH=ON); tools/bench/run runs it.
//
//   sprechstunde-render-bench [ROUNDS]
#include "calendar/ics.hpp"
#include "notify/booking_view.hpp"
#include "notify/mime.hpp"
#include "notify/templates.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

namespace {

double thread_cpu_us()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

double median(std::vector<double> xs)
{
    std::sort(xs.begin(), xs.end());
    return xs[xs.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    using namespace sp;
    const int rounds = argc > 1 ? std::max(100, std::atoi(argv[1])) : 20000;
    auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());

    // A booking as the sender reads it: an office hour in two days, in Berlin.
    notify::booking_view v;
    v.b.booking.id = "b8f3a9c2";
    v.b.booking.name = "Jana Gründerin";
    v.b.booking.email = "jana@example.org";
    v.b.booking.status = "confirmed";
    v.b.booking.lang = "de";
    v.b.session.id = "s-anna-20261207-0900";
    v.b.session.start = now + std::chrono::hours(48);
    v.b.session.end = v.b.session.start + std::chrono::minutes(30);
    v.b.session.zone = "Europe/Berlin";
    v.b.session.status = "open";
    v.expert_name = "Dr. Anna Schmidt";
    v.camp_name = "Digital Camp Bochum";
    v.place = "Raum Kemnade, Digital Camp Bochum, Universitätsstraße 142, 44799 Bochum";
    const std::string manage_url = "https://hub.example.org/b/Zq3xT0m8mVbJ4kTq1wH2cN7aR5sE9uYdL6pG0fK3iXo";
    const std::string from = "Sprechstunde <no-reply@hub.example.org>";

    std::vector<double> templates, ics, mime, copy;
    std::size_t bytes = 0, sink = 0;
    for (int i = 0; i < rounds; ++i) {
        double t0 = thread_cpu_us();
        notify::message_facts f;
        f.lang = "de";
        f.founder_name = v.b.booking.name;
        f.what = notify::booking_title(v, true);
        f.expert_name = v.expert_name;
        f.start = v.b.session.start;
        f.end = v.b.session.end;
        f.zone = v.b.session.zone;
        f.place = v.place;
        f.manage_url = manage_url;
        f.booking_page_url = "https://hub.example.org/";
        auto r = notify::render("confirmation", f);
        double t1 = thread_cpu_us();
        auto event = notify::booking_ics_event(v, notify::address_of(from), manage_url, now);
        std::string calendar_file = calendar::make_calendar(calendar::ics_method::request, {event});
        double t2 = thread_cpu_us();
        notify::mail out{from, v.b.booking.email, v.b.booking.name, r->subject, r->text, r->html,
                         "m" + std::to_string(i) + "." + v.b.booking.id + "@sprechstunde", std::move(calendar_file),
                         "REQUEST", now.time_since_epoch().count()};
        std::string message = notify::compose(out);
        double t3 = thread_cpu_us();
        std::string copied(message);
        sink += static_cast<unsigned char>(copied[copied.size() / 2]);
        double t4 = thread_cpu_us();
        if (i < rounds / 10) continue; // warm-up: caches, allocator, time-zone data
        templates.push_back(t1 - t0);
        ics.push_back(t2 - t1);
        mime.push_back(t3 - t2);
        copy.push_back(t4 - t3);
        bytes = message.size();
    }
    double total = median(templates) + median(ics) + median(mime);
    std::printf("{\"rounds\": %d, \"message_bytes\": %zu, \"templates_us\": %.2f, \"ics_us\": %.2f, \"mime_us\": %.2f, "
                "\"total_us\": %.2f, \"copy_us\": %.3f, \"sink\": %zu}\n",
                rounds, bytes, median(templates), median(ics), median(mime), total, median(copy), sink);
    return 0;
}
