#include "notify/templates.hpp"

#include "util/text.hpp"

#include <array>
#include <cstdio>
#include <date/tz.h>

namespace sp::notify {
namespace {

constexpr std::array k_weekday_de{"So.", "Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa."};
constexpr std::array k_weekday_en{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array k_month_de{"Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sep.", "Okt.", "Nov.", "Dez."};
constexpr std::array k_month_en{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

using util::escape_html;

struct builder {
    const message_facts& f;
    bool de;
    std::string text, html;

    void para(const std::string& line)
    {
        text += line + "\n\n";
        html += "<p>" + escape_html(line) + "</p>\n";
    }
    void link(const std::string& label, const std::string& url)
    {
        if (url.empty()) return;
        text += label + ": " + url + "\n\n";
        html += "<p><a href=\"" + escape_html(url) + "\">" + escape_html(label) + "</a></p>\n";
    }
    void details()
    {
        para((de ? "Wann: " : "When: ") + when(f, f.start, f.end));
        if (!f.place.empty()) para((de ? "Wo: " : "Where: ") + f.place);
        if (!f.online_url.empty()) link(de ? "Online-Raum" : "Online room", f.online_url);
    }
    void manage()
    {
        if (!f.manage_url.empty())
            link(de ? "Buchung ansehen, verschieben oder stornieren" : "See, move or cancel your booking", f.manage_url);
        else
            para(de ? "Verschieben oder stornieren können Sie über den Link in Ihrer Bestätigungs-E-Mail."
                    : "To move or cancel, use the link in your confirmation e-mail.");
    }
    rendered done(std::string subject)
    {
        std::string sign = de ? "Ihr Team der Sprechstunde" : "Your Sprechstunde team";
        text += sign + "\n";
        html = "<!doctype html><html lang=\"" + std::string(de ? "de" : "en") +
               "\"><body style=\"font-family:sans-serif\">\n" + html + "<p>" + escape_html(sign) + "</p>\n</body></html>\n";
        return {std::move(subject), std::move(text), std::move(html)};
    }
    /** Signs a mail about one session; its subject is `prefix`, what and when. */
    rendered done_about(const std::string& prefix) { return done(prefix + f.what + ", " + when(f, f.start, f.end)); }
    /** A mail about the founder's booking: `lead`, the session's details, how to manage it. */
    rendered booking_news(const std::string& lead, const std::string& subject_prefix)
    {
        para(lead);
        details();
        manage();
        return done_about(subject_prefix);
    }
};

} // namespace

std::string when(const message_facts& f, domain::instant start, domain::instant end)
{
    const auto* zone = domain::find_zone(f.zone);
    if (!zone) zone = domain::find_zone("Europe/Berlin");
    auto ls = zone->to_local(start);
    auto le = zone->to_local(end);
    auto day = date::floor<date::days>(ls);
    date::year_month_day ymd{day};
    unsigned wd = date::weekday{day}.c_encoding();
    auto hs = date::hh_mm_ss<std::chrono::seconds>(ls - day);
    auto he = date::hh_mm_ss<std::chrono::seconds>(le - date::floor<date::days>(le));
    std::string abbrev = zone->get_info(start).abbrev;
    bool de = f.lang != "en";
    char buf[160];
    unsigned m = static_cast<unsigned>(ymd.month()) - 1;
    if (de)
        std::snprintf(buf, sizeof buf, "%s, %u. %s %d, %02ld:%02ld–%02ld:%02ld Uhr (%s)", k_weekday_de[wd],
                      static_cast<unsigned>(ymd.day()), k_month_de[m], static_cast<int>(ymd.year()),
                      static_cast<long>(hs.hours().count()), static_cast<long>(hs.minutes().count()),
                      static_cast<long>(he.hours().count()), static_cast<long>(he.minutes().count()), abbrev.c_str());
    else
        std::snprintf(buf, sizeof buf, "%s, %u %s %d, %02ld:%02ld–%02ld:%02ld (%s)", k_weekday_en[wd],
                      static_cast<unsigned>(ymd.day()), k_month_en[m], static_cast<int>(ymd.year()),
                      static_cast<long>(hs.hours().count()), static_cast<long>(hs.minutes().count()),
                      static_cast<long>(he.hours().count()), static_cast<long>(he.minutes().count()), abbrev.c_str());
    return buf;
}

std::optional<rendered> render(std::string_view name, const message_facts& f)
{
    bool de = f.lang != "en";
    builder b{f, de, {}, {}};
    std::string hello = de ? "Hallo " + f.founder_name + "," : "Hello " + f.founder_name + ",";
    std::string on = when(f, f.start, f.end);
    if (name == "invitation") {
        b.para(de ? "Hallo," : "Hello,");
        b.para(de ? std::string("Sie sind eingeladen, die Sprechstunde des Digital Hubs als ") +
                        (f.role == "admin" ? "Community-Manager:in" : "Expert:in") + " mitzugestalten."
                  : std::string("You are invited to join the digital hub's Sprechstunde as ") +
                        (f.role == "admin" ? "a community manager." : "an expert."));
        b.link(de ? "Passwort festlegen (der Link gilt 7 Tage und einmal)" : "Set your password (the link works once, for 7 days)",
               f.invitation_url);
        return b.done(de ? "Ihre Einladung zur Sprechstunde" : "Your invitation to Sprechstunde");
    }
    b.para(hello);
    if (name == "expert_conflict") {
        std::string n = std::to_string(f.seats_taken);
        b.para(de ? "Ihr eigener Kalender ist jetzt zur selben Zeit belegt wie ein Termin, der schon gebucht ist: " +
                        f.what + ", " + on + " (" + n + (f.seats_taken == 1 ? " Buchung)." : " Buchungen).")
                  : "Your own calendar is now busy at the time of a session that is already booked: " + f.what + ", " +
                        on + " (" + n + (f.seats_taken == 1 ? " booking)." : " bookings)."));
        b.para(de ? "Der Termin und seine Buchungen bleiben bestehen; weitere Buchungen nimmt er nicht mehr an. "
                    "Verlegen Sie den anderen Termin, oder sagen Sie diesen im Dashboard ab (die Gründer:innen werden "
                    "benachrichtigt)."
                  : "The session and its bookings stay; it takes no further bookings. Move your other appointment, "
                    "or cancel this session on your dashboard (its founders are told).");
        b.link(de ? "Zum Dashboard" : "Open your dashboard", f.dashboard_url);
        return b.done_about(de ? "Überschneidung mit Ihrem Kalender: " : "Clash with your calendar: ");
    }
    if (name == "confirmation") {
        b.para(de ? "Ihre Buchung ist bestätigt: " + f.what + "." : "Your booking is confirmed: " + f.what + ".");
        b.details();
        b.para(de ? "Die Kalenderdatei im Anhang trägt den Termin in Ihren Kalender ein."
                  : "The calendar file attached adds it to your calendar.");
        b.manage();
        return b.done_about(de ? "Bestätigt: " : "Confirmed: ");
    }
    if (name == "waitlisted")
        return b.booking_news(de ? "Sie stehen auf der Warteliste für " + f.what +
                                       ". Wird ein Platz frei, bekommen Sie ihn automatisch und eine E-Mail."
                                 : "You are on the waitlist for " + f.what +
                                       ". If a seat opens, it is yours automatically and we e-mail you.",
                              de ? "Warteliste: " : "Waitlist: ");
    if (name == "promotion")
        return b.booking_news(de ? "Ein Platz ist frei geworden – Ihre Buchung ist jetzt bestätigt: " + f.what + "."
                                 : "A seat opened – your booking is now confirmed: " + f.what + ".",
                              de ? "Platz frei – bestätigt: " : "A seat opened – confirmed: ");
    if (name == "cancellation") {
        b.para(de ? "Ihre Buchung ist storniert: " + f.what + ", " + on + "."
                  : "Your booking is cancelled: " + f.what + ", " + on + ".");
        b.para(de ? "Die Kalenderdatei im Anhang entfernt den Termin aus Ihrem Kalender."
                  : "The calendar file attached removes it from your calendar.");
        return b.done_about(de ? "Storniert: " : "Cancelled: ");
    }
    if (name == "released") {
        b.para(de ? "Sie haben zu Ihrem Termin nicht eingecheckt: " + f.what + ", " + on +
                        ". Ihr Platz wurde deshalb freigegeben, damit jemand anderes ihn nutzen kann."
                  : "You did not check in for your session: " + f.what + ", " + on +
                        ". Your seat was therefore released so that someone else can use it.");
        b.para(de ? "Wer mehrmals nicht erscheint, kann eine Zeit lang nur einen kommenden Termin halten."
                  : "A founder who misses several sessions may hold only one upcoming booking for a while.");
        b.link(de ? "Einen neuen Termin buchen" : "Book another session", f.booking_page_url);
        return b.done_about(de ? "Nicht erschienen – freigegeben: " : "Missed – seat released: ");
    }
    if (name == "rescheduled") {
        if (f.previous_start.time_since_epoch().count() > 0)
            b.para(de ? "Ihre Buchung wurde verschoben (vorher: " + when(f, f.previous_start, f.previous_start) + ")."
                      : "Your booking was moved (before: " + when(f, f.previous_start, f.previous_start) + ").");
        else
            b.para(de ? "Ihre Buchung wurde verschoben." : "Your booking was moved.");
        b.details();
        b.manage();
        return b.done_about(de ? "Verschoben: " : "Moved: ");
    }
    if (name == "session_cancelled") {
        b.para(de ? f.expert_name + " musste den Termin absagen: " + f.what + ", " + on + ". Ihre Buchung ist storniert."
                  : f.expert_name + " had to cancel: " + f.what + ", " + on + ". Your booking is cancelled.");
        if (!f.message.empty()) b.para((de ? "Nachricht: " : "Message: ") + f.message);
        b.link(de ? "Einen neuen Termin buchen" : "Book another session", f.booking_page_url);
        return b.done_about(de ? "Abgesagt: " : "Cancelled by the expert: ");
    }
    if (name == "late") {
        std::string n = std::to_string(f.late_minutes);
        b.para(de ? f.expert_name + " verspätet sich um etwa " + n + " Minuten. Ihr Termin: " + on + "."
                  : f.expert_name + " is running about " + n + " minutes late. Your session: " + on + ".");
        b.manage();
        return b.done(de ? f.expert_name + " verspätet sich um " + n + " Minuten"
                         : f.expert_name + " is running " + n + " minutes late");
    }
    if (name == "reminder")
        return b.booking_news(de ? "Zur Erinnerung: " + f.what + "." : "A reminder: " + f.what + ".",
                              de ? "Erinnerung: " : "Reminder: ");
    return std::nullopt;
}

} // namespace sp::notify
