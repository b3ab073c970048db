#pragma once
/**
 * A booking as messages and calendar files show it: the booking, its session, the
 * expert's name and where it takes place, read from the store in one go; and the
 * booking as an iCalendar event (UID from the booking id, SEQUENCE from the booking's
 * change count, CANCELLED once it or its session is cancelled).
 */
#include "calendar/ics.hpp"
#include "store/booking_store.hpp"
#include "store/catalog_store.hpp"

#include <boost/asio/awaitable.hpp>
#include <map>

namespace sp::notify {

struct booking_view {
    store::managed_booking b;
    std::string expert_name;
    std::string camp_name;
    std::string place; // "Room 1, Digital Camp Bochum, Universitätsstraße 142" or "Online"
};

/** The names of the hub's experts, camps (and their addresses) and rooms, by id. */
struct hub_names {
    std::map<std::string, std::string> expert, camp, address, room;
};
boost::asio::awaitable<store::result<hub_names>> load_hub_names(store::catalog_store& hub);

/** Refusal unknown_booking when there is no such booking. */
boost::asio::awaitable<store::result<booking_view>> load_booking_view(store::catalog_store& catalog,
                                                                      store::booking_store& bookings,
                                                                      std::string booking_id);

/** "Sprechstunde mit Anna Schmidt" / "Office hour with …", or an event's title. */
std::string booking_title(const booking_view& v, bool german);

calendar::ics_event booking_ics_event(const booking_view& v, const std::string& organizer_email,
                                      const std::string& manage_url, domain::instant stamp);

} // namespace sp::notify
