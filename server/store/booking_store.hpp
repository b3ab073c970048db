#pragma once
/**
 * Founders' places in sessions, in Redis: booking (or joining the waitlist), cancelling,
 * moving, reading a booking by its manage link, and the expert's attendance marks.
 * Every change is one script; cancel and move rerun when the waitlist they saw moved.
 * Thread-safety: all members may be called concurrently from any strand.
 */
#include "domain/day_settings.hpp"
#include "domain/hub.hpp"
#include "store/outcome.hpp"
#include "store/record_reader.hpp"
#include "store/store_settings.hpp"

#include <boost/asio/awaitable.hpp>
#include <string>

namespace sp::store {

struct book_request {
    std::string session_id;
    bool waitlist = false;
    std::string name;
    std::string email; // normalised (trimmed, lower-case) by the caller
    std::string startup;
    std::string question;
    std::string lang;
    std::string idempotency_key; // empty: none
    std::string fingerprint;     // identifies the request body, for idempotency conflicts
};

struct managed_booking {
    domain::booking booking;
    domain::session session;
};

struct book_result {
    std::string booking_id;
    std::string token; // the manage token (only here: the store keeps its hash)
    std::string status;
    int taken = 0;
    int waiting = 0;
    std::string version;
    bool replayed = false;
    managed_booking view; // the booking and its session as they are now
};

/** A no-show to release: the camp's day settings and the session's zone (the no-show
 *  counts for the founder's limit `no_show_window` calendar days there). */
struct release_request {
    std::string booking_id, session_id;
    std::string zone;
    domain::day_settings day;
    std::string by; // "auto" (the sweep) or the expert's account id
};

struct cancel_result {
    std::string previous_status;
    std::string promoted_booking; // the waitlisted booking that got the seat, if any
    int taken = 0;
    int waiting = 0;
    std::string version;
};

class booking_store {
public:
    booking_store(script_runner& runner, record_reader& reader, const store_settings& settings)
        : runner_(runner), reader_(reader), settings_(settings), keys_(runner.key())
    {
    }

    boost::asio::awaitable<result<book_result>> book(book_request req, domain::instant now);
    boost::asio::awaitable<result<cancel_result>> cancel_by_token(std::string token, domain::instant now);
    /** Cancels one booking (a freed seat goes to the waitlist head); `by` is recorded. */
    boost::asio::awaitable<result<cancel_result>> cancel_booking(std::string booking_id, domain::instant now,
                                                                 std::string by);
    boost::asio::awaitable<result<cancel_result>> reschedule_by_token(std::string token, std::string new_session_id,
                                                                      domain::instant now);

    boost::asio::awaitable<result<managed_booking>> booking_by_token(std::string token); // unknown_token
    boost::asio::awaitable<result<managed_booking>> booking_by_id(std::string id);       // unknown_booking
    /** The booking a manage token belongs to; refusal unknown_token. */
    boost::asio::awaitable<result<std::string>> booking_id_for(std::string token);
    /** The session a booking is in; refusal unknown_booking. */
    boost::asio::awaitable<result<std::string>> booking_session(std::string booking_id);
    /** Records attended / no_show for a confirmed booking of `session_id`. */
    boost::asio::awaitable<outcome> set_attendance(std::string booking_id, std::string session_id, std::string status,
                                                   std::string by, domain::instant now);
    /** Checks a confirmed booking of `session_id` in (founder or expert, named by `by`);
     *  refusals too_early, session_over, already_checked_in, not_confirmed, session_not_open. */
    boost::asio::awaitable<outcome> check_in(std::string booking_id, std::string session_id, std::string by,
                                             domain::instant now);

    /** Releases a confirmed founder who has not checked in (release.lua); refusals
     *  checked_in, not_due, already_released, not_confirmed, session_over, session_not_open. */
    boost::asio::awaitable<result<cancel_result>> release(release_request req, domain::instant now);

private:
    /** Where a booking stands now: its session, its founder's key, and the head of that
     *  session's waitlist (what cancel and reschedule pass their script to verify). */
    struct booking_place {
        std::string session_id;
        std::string founder_key;
        std::string waitlist_head; // "" when nobody waits
    };
    boost::asio::awaitable<result<booking_place>> place_of(std::string booking_id);

    script_runner& runner_;
    record_reader& reader_;
    const store_settings& settings_;
    const keys& keys_;
};

} // namespace sp::store
