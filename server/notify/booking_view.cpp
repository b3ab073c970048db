#include "notify/booking_view.hpp"

namespace asio = boost::asio;

namespace sp::notify {

asio::awaitable<store::result<hub_names>> load_hub_names(store::catalog_store& hub)
{
    store::result<hub_names> out;
    auto experts = co_await hub.experts();
    auto camps = co_await hub.camps();
    auto rooms = co_await hub.rooms();
    if (!experts.ok() || !camps.ok() || !rooms.ok()) {
        out.unavailable = true;
        out.detail = "the hub's records could not be read";
        co_return out;
    }
    for (const auto& e : experts.value) out.value.expert[e.id] = e.name;
    for (const auto& c : camps.value) {
        out.value.camp[c.id] = c.name;
        out.value.address[c.id] = c.address;
    }
    for (const auto& r : rooms.value) out.value.room[r.id] = r.name;
    co_return out;
}

asio::awaitable<store::result<booking_view>> load_booking_view(store::catalog_store& catalog, store::booking_store& bookings,
                                                                std::string booking_id)
{
    store::result<booking_view> out;
    auto b = co_await bookings.booking_by_id(booking_id);
    if (!b.ok()) co_return store::result<booking_view>::failed(b);
    out.value.b = std::move(b.value);
    const auto& s = out.value.b.session;
    auto names = co_await load_hub_names(catalog);
    if (!names.ok()) co_return store::result<booking_view>::failed(names);
    out.value.expert_name = names.value.expert[s.expert_id];
    out.value.camp_name = names.value.camp[s.camp_id];
    std::string address = names.value.address[s.camp_id];
    std::string room = names.value.room[s.room_id];
    if (!s.online_url.empty() && room.empty()) out.value.place = "Online";
    else out.value.place = (room.empty() ? out.value.camp_name : room + ", " + out.value.camp_name) +
                           (address.empty() ? "" : ", " + address);
    co_return out;
}

std::string booking_title(const booking_view& v, bool german)
{
    if (v.b.session.kind == domain::session_kind::event && !v.b.session.title.empty()) return v.b.session.title;
    return (german ? "Sprechstunde mit " : "Office hour with ") + v.expert_name;
}

calendar::ics_event booking_ics_event(const booking_view& v, const std::string& organizer_email,
                                      const std::string& manage_url, domain::instant stamp)
{
    const auto& b = v.b.booking;
    const auto& s = v.b.session;
    calendar::ics_event e;
    e.uid = b.id + "@sprechstunde";
    e.sequence = b.sequence;
    bool cancelled = b.status == "cancelled" || s.status == "cancelled";
    e.status = cancelled ? "CANCELLED" : b.status == "waitlisted" ? "TENTATIVE" : "CONFIRMED";
    e.start = s.start;
    e.end = s.end;
    e.zone = s.zone;
    // A place in line is not an appointment: its calendar entry says so in its title too
    // (many calendars do not show TENTATIVE), and loses the prefix once promoted.
    bool waitlisted = !cancelled && b.status == "waitlisted";
    e.summary = (waitlisted ? (b.lang != "en" ? "Warteliste: " : "Waitlist: ") : "") + booking_title(v, b.lang != "en");
    e.description = b.question;
    if (!manage_url.empty()) e.description += (e.description.empty() ? "" : "\n\n") + manage_url;
    e.location = b.status == "confirmed" && !s.online_url.empty() ? s.online_url : v.place;
    e.url = manage_url;
    e.organizer_name = v.expert_name;
    e.organizer_email = organizer_email;
    e.attendee_name = b.name;
    e.attendee_email = b.email;
    e.stamp = stamp;
    return e;
}

} // namespace sp::notify
