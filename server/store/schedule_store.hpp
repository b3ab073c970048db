#pragma once
/**
 * The hub's schedule in Redis: office-hour rules with their exceptions, events, and the
 * sessions both expand into over the rolling horizon; cancelling a session with everyone
 * in it, and "running late". Every write is one script with its change-log entry.
 * Reading sessions is record_reader's.
 * Thread-safety: all members may be called concurrently from any strand.
 */
#include "domain/day_settings.hpp"
#include "domain/hub.hpp"
#include "domain/office_hours.hpp"
#include "store/outcome.hpp"
#include "store/record_reader.hpp"
#include "store/store_settings.hpp"

#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

namespace sp::store {

struct expansion_counts {
    int created = 0, updated = 0, removed = 0, orphaned = 0;
};

class schedule_store {
public:
    schedule_store(script_runner& runner, record_reader& reader, const store_settings& settings)
        : runner_(runner), reader_(reader), settings_(settings), keys_(runner.key())
    {
    }

    /** Saves the rule and its exceptions, then re-expands its future sessions. Refusal
     *  invalid_rule (detail "field: sentence"). */
    boost::asio::awaitable<result<expansion_counts>> put_rule(domain::office_hour_rule rule,
                                                              std::vector<domain::rule_exception> exceptions,
                                                              domain::instant now, std::string by);
    /** Deletes a rule: its unbooked future sessions go, booked ones stay as 'orphaned'
     *  until their expert cancels or keeps them. Refusal unknown_rule. */
    boost::asio::awaitable<result<expansion_counts>> delete_rule(std::string rule_id, domain::instant now,
                                                                 std::string by);
    /** An expert's office-hour rules with their exceptions (as stored JSON). */
    boost::asio::awaitable<result<std::vector<std::string>>> rule_specs_of(std::string expert_id);
    /** The expert a rule belongs to; refusal unknown_rule. */
    boost::asio::awaitable<result<std::string>> rule_owner(std::string rule_id);
    /** Re-expands every rule for the rolling horizon (idempotent; run periodically). */
    boost::asio::awaitable<result<expansion_counts>> expand_all(domain::instant now);

    /** Saves an event and its one session. Refusal unknown_camp. */
    boost::asio::awaitable<result<expansion_counts>> put_event(domain::event e, domain::instant now, std::string by);
    /** Cancels an event's session (with everyone in it, told `message`) and deletes the
     *  event; the value is how many bookings were cancelled. Refusals unknown_record,
     *  event_started. */
    boost::asio::awaitable<result<int>> delete_event(std::string id, std::string message, domain::instant now,
                                                     std::string by);

    /** Cancels a session and every booking in it; the value is how many bookings. */
    boost::asio::awaitable<result<int>> cancel_session(std::string session_id, std::string message, std::string by,
                                                       domain::instant now);
    /** The expert runs `minutes` late (0 clears it); shown live. */
    boost::asio::awaitable<outcome> set_late(std::string session_id, int minutes, std::string by, domain::instant now);
    /** "End now": the running session ends at `now`; the rest, when at least
     *  `d.min_walkin`, becomes an open one-seat walk-in session, whose id is the value
     *  ("" when the rest was too short). Refusals unknown_session, session_not_open,
     *  not_running. */
    boost::asio::awaitable<result<std::string>> end_early(std::string session_id, std::string by,
                                                          domain::day_settings d, domain::instant now);
    /** "Extend": the session's end moves by `d.extend_by` (the new end is the value); free
     *  later sessions of the expert it reaches start later or close. Refusals
     *  unknown_session, session_not_open, session_over, next_session_booked (detail: the
     *  id of the booked session it would reach). */
    boost::asio::awaitable<result<domain::instant>> extend(std::string session_id, std::string by,
                                                           domain::day_settings d, domain::instant now);

private:
    boost::asio::awaitable<result<expansion_counts>> upsert_sessions(std::string owner_id,
                                                                     std::vector<std::string> common,
                                                                     std::vector<domain::planned_session> plan,
                                                                     std::string camp_id, std::string expert_id,
                                                                     std::string week_zone, domain::instant now);

    script_runner& runner_;
    record_reader& reader_;
    const store_settings& settings_;
    const keys& keys_;
};

} // namespace sp::store
