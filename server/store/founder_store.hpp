#pragma once
/**
 * Founders' personal data (GDPR) in Redis: finding everything a founder booked,
 * exporting it, erasing it on request, and erasing it after the retention period.
 * See redis/scripts/founder_erase.lua.
 * Thread-safety: all members may be called concurrently from any strand.
 */
#include "store/booking_store.hpp"
#include "store/outcome.hpp"
#include "store/record_reader.hpp"
#include "store/store_settings.hpp"

#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

namespace sp::store {

class founder_store {
public:
    founder_store(script_runner& runner, record_reader& reader, booking_store& bookings, const store_settings& settings)
        : runner_(runner), reader_(reader), bookings_(bookings), settings_(settings), keys_(runner.key())
    {
    }

    /** The key that stands for a founder: their e-mail, hashed. */
    std::string founder_key_for_email(std::string_view normalised_email) const;
    /** The founder a manage token belongs to; refusal unknown_token. */
    boost::asio::awaitable<result<std::string>> founder_of_token(std::string token);
    /** Every booking of a founder that still carries their data, by session start. */
    boost::asio::awaitable<result<std::vector<managed_booking>>> founder_bookings(std::string founder_key);
    /** Erases everything of a founder; places in coming sessions are cancelled first.
     *  The value is how many bookings were erased. */
    boost::asio::awaitable<result<int>> erase_founder(std::string founder_key, std::string by, domain::instant now);
    /** Erases up to one batch of bookings whose session ended before `cutoff`. */
    boost::asio::awaitable<result<int>> erase_expired(domain::instant cutoff, domain::instant now);

private:
    /** Runs founder_erase for `booking_ids` ("founder" or "retention" mode). */
    boost::asio::awaitable<result<int>> erase_bookings(std::vector<std::string> booking_ids, std::string mode,
                                                       domain::instant cutoff, std::string by, domain::instant now);

    script_runner& runner_;
    record_reader& reader_;
    booking_store& bookings_;
    const store_settings& settings_;
    const keys& keys_;
};

} // namespace sp::store
