#pragma once
/**
 * An e-mail as RFC 5322 / MIME text: From, To, Subject (RFC 2047, UTF-8), Date,
 * Message-ID, a multipart/alternative plain-text and HTML body, and optionally an
 * iCalendar attachment (text/calendar with its METHOD, so calendar clients offer to add
 * or remove the event). Bodies are base64 in 76-character lines. Pure.
 */
#include <string>

namespace sp::notify {

struct mail {
    std::string from;       // "Name <address>" or an address
    std::string to;         // an address
    std::string to_name;    // shown name ("" = none)
    std::string subject;
    std::string text;
    std::string html;
    std::string message_id; // without angle brackets, e.g. "m42.sprechstunde@hub.example.org"
    std::string ics;        // "" = no attachment
    std::string ics_method; // REQUEST | CANCEL
    long long date = 0;     // epoch seconds
};

/** The whole message, CRLF line ends. */
std::string compose(const mail& m);

/** The bare address of a From value ("Name <a@b>" -> "a@b"), for the SMTP envelope. */
std::string address_of(const std::string& from);

} // namespace sp::notify
