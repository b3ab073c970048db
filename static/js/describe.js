// How a session reads to a person: its title, place, seats and a full label for
// assistive technology. Shared by the booking, manage, expert and lobby pages.

import { t } from './i18n.js';
import { formatDay, formatTime, formatTimeRange } from './format.js';
import { heldForWalkin } from './bookable.js';

/** "Workshop: …" for events, "Sprechstunde mit Dr. Anna Schmidt" for office hours. */
export function sessionTitle(s, catalog) {
  const expert = catalog.expert(s.expert_id);
  if (s.kind === 'event' && s.title) return s.title;
  return t('session.office_hour_with', { expert: expert ? expert.name : s.expert_id });
}

export function expertName(s, catalog) {
  const expert = catalog.expert(s.expert_id);
  return expert ? expert.name : s.expert_id;
}

/** "Raum Kemnade, Digital Camp Bochum" or "Online". */
export function placeText(s, catalog, { withCamp = true } = {}) {
  const camp = catalog.camp(s.camp_id);
  const room = s.room_id ? catalog.room(s.room_id) : null;
  const where = s.online ? t('session.online') : room ? room.name : '';
  const parts = [where, withCamp && camp ? camp.name : ''].filter(Boolean);
  return parts.join(', ');
}

export function topicsText(s, catalog) {
  if (s.topic) return s.topic;
  const expert = catalog.expert(s.expert_id);
  return expert ? expert.topics.join(', ') : '';
}

export function seatsText(s) {
  if (s.status === 'cancelled') return t('session.cancelled');
  if (s.seats_free > 0) return t('session.seats_free', { n: s.seats_free, total: s.seats });
  if (heldForWalkin(s)) return t('session.offered', { time: formatTime(s.offer.until, s.zone) });
  return s.waiting > 0 ? t('session.full_waiting', { n: s.waiting }) : t('session.full');
}

export function lateText(s) {
  return s.late_minutes > 0 ? t('session.late', { n: s.late_minutes }) : '';
}

/** The whole slot in words: weekday, date, time with zone, expert, place, seats. */
export function slotLabel(s, catalog, action) {
  const when = `${formatDay(s.start, s.zone)}, ${formatTimeRange(s.start, s.end, s.zone)}`;
  const parts = [action, when, sessionTitle(s, catalog)];
  if (s.kind === 'event') parts.push(expertName(s, catalog));
  parts.push(placeText(s, catalog), seatsText(s));
  return parts.filter(Boolean).join(', ');
}

/** Matches the server's topic filter: the session's own topic or its expert's. */
export function hasTopic(s, topic, catalog) {
  if (!topic) return true;
  if (s.topic === topic) return true;
  const expert = catalog.expert(s.expert_id);
  return Boolean(expert && expert.topics.includes(topic));
}

/** "Dr. Anna Schmidt" -> "AS": the first letters of the first and last name, no titles. */
export function initials(name) {
  const words = name.split(/\s+/).filter((w) => w && !/\.$/.test(w));
  const picked = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return picked.map((w) => Array.from(w)[0].toUpperCase()).join('');
}
