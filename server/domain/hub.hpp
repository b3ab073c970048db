#pragma once
/**
 * The hub's records as plain values: camps (one per city, with a focus topic, an
 * address, rooms and a time zone), rooms, experts, events, sessions (the bookable
 * units) and bookings. No behaviour beyond what the values mean; validation lives with
 * the commands that create them.
 */
#include "domain/zoned_time.hpp"

#include <optional>
#include <string>
#include <vector>

namespace sp::domain {

struct camp {
    std::string id;      // server-made or from seed data: [a-z0-9-]{1,40}
    std::string name;    // "Digital Camp Bochum"
    std::string city;
    std::string focus;   // focus topic, e.g. "IT security"
    std::string address;
    std::string zone = "Europe/Berlin";
    // How the camp releases no-shows; unset: the hub's default ([booking] of the config).
    std::optional<int> release_after_minutes = std::nullopt;
    std::optional<bool> auto_release = std::nullopt;
};

struct room {
    std::string id;
    std::string camp_id;
    std::string name;
    int capacity = 1;
};

struct expert {
    std::string id;
    std::string name;
    std::string title;
    std::string bio;
    std::vector<std::string> topics;
    std::vector<std::string> languages; // "de", "en"
    std::vector<std::string> camp_ids;
    bool has_photo = false; // served at /api/v1/experts/<id>/photo
};

struct event {
    std::string id;
    std::string camp_id;
    std::string room_id;
    std::string expert_id; // host
    std::string title;
    std::string description;
    std::string topic;
    instant start;
    instant end;
    int seats = 20;
};

enum class session_kind { office_hour, event };

struct session {
    std::string id;
    session_kind kind = session_kind::office_hour;
    std::string owner_id; // rule or event
    std::string expert_id;
    std::string camp_id;
    std::string room_id;
    std::string online_url;
    std::string title;
    std::string topic;
    std::string zone = "Europe/Berlin";
    instant start;
    instant end;
    int seats = 1;
    int taken = 0;
    int waiting = 0;
    std::string status = "open"; // open | cancelled | orphaned
    int late_minutes = 0;        // the expert runs late by this much
    int attended = 0;            // bookings the expert marked attended
    int no_show = 0;             // ... and marked no-show
    int checked_in = 0;          // founders who checked in (the lobby's tick)
    bool busy = false;           // overlaps the expert's own busy time (with the rule's buffer)
    bool walkin_only = false;    // the rest of a session its expert ended early: for walk-ins only
    std::string version;         // change-stream id of its last change
    // A free seat offered to a walk-in founder (reserved until the offer ends).
    std::string offer_entry;     // the walk-in entry holding it ("" = no open offer)
    int offer_ticket = 0;        // ... its ticket (what the lobby may show)
    instant offer_until{};       // ... and its deadline
    /** Seats held for a walk-in offer: neither free nor bookable until the offer ends. */
    int offered_seats() const { return offer_entry.empty() ? 0 : 1; }
};

struct booking {
    std::string id;
    std::string session_id;
    std::string status; // confirmed | waitlisted | cancelled | attended | no_show
    std::string name;
    std::string email;
    std::string startup;
    std::string question;
    std::string lang;
    instant created_at;
    int sequence = 0;             // raised on every change (the .ics SEQUENCE)
    std::string cancel_message;   // the expert's words when they cancelled the session
    std::string rescheduled_from; // the session it was moved from, if it was
    instant promoted_at{};        // when it moved up from the waitlist (epoch 0: it never did)
    bool walkin = false;          // got the seat through the camp's walk-in queue (offer taken, or called in)
    int waitlist_position = 0;    // 1 = next in line; 0 when not on the waitlist (read on request)
    bool checked_in = false;      // the founder said "I'm here" (or the expert for them)
    bool released = false;        // released as a no-show: the seat went to someone else
};

} // namespace sp::domain
