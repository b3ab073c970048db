// An event's public page (/events/<id>): what it is about, when and where, who hosts it,
// the seats left (live), and the way into the booking form while it can be booked.

import { get, query, seg } from '../api.js';
import { hasFreeSeat, heldForWalkin, windowOpen, windowTimer } from '../bookable.js';
import { Catalog } from '../catalog.js';
import { h, replaceChildren, setText } from '../dom.js';
import { placeText, seatsText } from '../describe.js';
import { dayKey, formatDay, formatTimeRange } from '../format.js';
import { problemText } from '../forms.js';
import { initI18n, onLanguageChange, t } from '../i18n.js';
import { LiveFeed, compareVersions } from '../live.js';

const $ = (id) => document.getElementById(id);
const id = decodeURIComponent(location.pathname.split('/')[2] || '');

let catalog;
let event;
let session;

function render() {
  if (!event) return;
  const s = session;
  document.title = `${event.title} – Sprechstunde`;
  $('event').hidden = false;
  setText($('event-title'), event.title);
  setText($('event-topic'), event.topic);
  setText($('event-description'), event.description);
  $('event-description').hidden = !event.description;
  setText($('event-when'), `${formatDay(s.start, s.zone)}, ${formatTimeRange(s.start, s.end, s.zone)}`);
  setText($('event-where'), placeText(s, catalog));
  const camp = catalog.camp(s.camp_id);
  const address = !s.online && camp?.address ? camp.address : '';
  $('event-address').hidden = $('event-address-label').hidden = !address;
  setText($('event-address-text'), address);
  $('event-map').href = `https://www.openstreetmap.org/search?query=${encodeURIComponent(address)}`;
  const host = catalog.expert(event.expert_id);
  $('event-host').hidden = $('event-host-label').hidden = !host;
  if (host) replaceChildren($('event-host'), h('a', { href: `/experts/${seg(host.id)}`, text: `${host.name} – ${host.title}` }));
  setText($('event-seats'), s.status === 'cancelled' ? t('manage.session_cancelled') : seatsText(s));

  // The button only while the server would take a booking or a waitlist place; otherwise why not.
  const held = heldForWalkin(s); // the seat says until when (seatsText); the button waits
  const open = windowOpen(s) && !held;
  const book = $('event-book');
  book.hidden = !open;
  if (open) {
    book.href = `/${query({ camp: s.camp_id, date: dayKey(s.start, s.zone), session: s.id })}`;
    setText(book, hasFreeSeat(s) ? t('event.book') : t('booking.waitlist'));
  }
  const reason = s.status !== 'open' ? 'session-not-open' : open ? '' : held ? 'walkin-offer' : s.busy ? 'expert-busy'
    : s.not_bookable_reason === 'beyond-horizon' ? 'beyond-horizon'
    : Date.parse(s.start) <= Date.now() ? 'in-past' : 'too-soon';
  setText($('event-closed'), reason ? t(`problem.${reason}`) : '');
  document.body.dataset.ready = 'true';
}

function onSessionChange(sessions) {
  const mine = sessions.find((x) => x.id === id);
  if (!mine || compareVersions(mine.version, session.version) < 0) return;
  // The live feed does not carry the booking window: keep the one the page read.
  session = { ...session, ...mine };
  render();
}

async function main() {
  await initI18n();
  catalog = await Catalog.load();
  try {
    event = await get(`/api/v1/events/${seg(id)}`);
  } catch (err) {
    setText($('event-status'), problemText(err.status === 404 ? { code: 'unknown-event' } : err));
    document.body.dataset.ready = 'true';
    return;
  }
  session = event.session;
  render();
  onLanguageChange(render);
  const live = new LiveFeed({
    onSnapshot: (view, sessions) => onSessionChange(sessions),
    onChanges: (changes) => onSessionChange(changes.map((c) => c.session)),
  });
  live.watchOnly({ event: { type: 'event', event: id } });
  live.start();
  // The button goes when the booking window closes, without a reload.
  windowTimer(() => [session], render).reschedule();
}

main().catch((err) => {
  setText($('event-status'), problemText(err));
  document.body.dataset.ready = 'error';
});
