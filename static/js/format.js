// Dates and times, always in the camp's IANA zone (never the browser's), with Intl.
// A "day key" is a calendar date written YYYY-MM-DD; instants are Date objects.

import { currentLanguage } from './i18n.js';

const formatters = new Map(); // bounded: one per (language, zone, style) in use

// English as written in Europe: 24-hour clock, day before month, "CET" for Berlin.
const LOCALES = { de: 'de-DE', en: 'en-GB' };
export const locale = () => LOCALES[currentLanguage()] || currentLanguage();

function formatter(zone, style) {
  const lang = locale();
  const key = `${lang}|${zone}|${style}`;
  let f = formatters.get(key);
  if (!f) {
    const options = { ...STYLES[style], timeZone: zone };
    f = new Intl.DateTimeFormat(style === 'key' ? 'en-CA' : lang, options);
    if (formatters.size > 200) formatters.clear();
    formatters.set(key, f);
  }
  return f;
}

const STYLES = {
  key: { year: 'numeric', month: '2-digit', day: '2-digit' },
  time: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  clock: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  zone: { timeZoneName: 'short' },
  day: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' },
  dayShort: { weekday: 'short', day: 'numeric', month: 'short' },
  dayMedium: { weekday: 'long', day: 'numeric', month: 'long' },
  weekdayShort: { weekday: 'short' },
  weekdayLong: { weekday: 'long' },
  dateTime: { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  parts: {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    hourCycle: 'h23',
  },
};

export const toDate = (value) => (value instanceof Date ? value : new Date(value));

/** The calendar date of `instant` in `zone`, as YYYY-MM-DD. */
export function dayKey(instant, zone) {
  return formatter(zone, 'key').format(toDate(instant));
}

export function todayKey(zone) {
  return dayKey(new Date(), zone);
}

/** Calendar arithmetic on day keys (no zone involved). */
export function addDays(key, n) {
  const [y, m, d] = key.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d + n));
  return date.toISOString().slice(0, 10);
}

export function formatTime(instant, zone) {
  return formatter(zone, 'time').format(toDate(instant));
}

/** The zone's short name at that instant, e.g. "MEZ" / "CET" or "GMT+1". */
export function zoneAbbreviation(instant, zone) {
  const part = formatter(zone, 'zone').formatToParts(toDate(instant)).find((p) => p.type === 'timeZoneName');
  return part ? part.value : zone;
}

/** "14:00–14:30 MEZ" */
export function formatTimeRange(start, end, zone) {
  return `${formatTime(start, zone)}–${formatTime(end, zone)} ${zoneAbbreviation(start, zone)}`;
}

/** "Montag, 30. November 2026" */
export function formatDay(instant, zone) {
  return formatter(zone, 'day').format(toDate(instant));
}

/** "Mo., 30. Nov." */
export function formatDayShort(instant, zone) {
  return formatter(zone, 'dayShort').format(toDate(instant));
}

/** "Montag, 30. November" */
export function formatDayMedium(instant, zone) {
  return formatter(zone, 'dayMedium').format(toDate(instant));
}

export function formatDateTime(instant, zone) {
  return formatter(zone, 'dateTime').format(toDate(instant));
}

/** A day key shown as a date, read at noon so no zone shifts it to another day. */
export function formatDayKey(key, style = 'day') {
  const [y, m, d] = key.split('-').map(Number);
  return formatter('UTC', style).format(new Date(Date.UTC(y, m - 1, d, 12)));
}

/** The offset of `zone` from UTC at `instant`, in minutes (e.g. +60 for Berlin in winter). */
export function zoneOffsetMinutes(instant, zone) {
  const parts = {};
  for (const p of formatter(zone, 'parts').formatToParts(toDate(instant))) parts[p.type] = p.value;
  const asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour % 24, +parts.minute, +parts.second);
  const whole = Math.floor(toDate(instant).getTime() / 1000) * 1000;
  return Math.round((asUtc - whole) / 60000);
}

/** The instant at which the wall clock in `zone` reads `key` `hhmm` ("14:00"). On a
 *  spring-forward gap the result is pushed past the gap; on the fall-back overlap it is
 *  the first occurrence, as the server does for office hours. */
export function zonedInstant(key, hhmm, zone) {
  const [y, m, d] = key.split('-').map(Number);
  const [hh, mm] = hhmm.split(':').map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  let guess = wall - zoneOffsetMinutes(new Date(wall), zone) * 60000;
  const second = wall - zoneOffsetMinutes(new Date(guess), zone) * 60000;
  // Two candidates differ around a change: the earlier one that reads right wins.
  const candidates = [Math.min(guess, second), Math.max(guess, second)];
  for (const c of candidates) {
    if (wallClock(new Date(c), zone) === `${key}T${hhmm}`) return new Date(c);
  }
  return new Date(Math.max(guess, second));
}

/** "2026-12-01T14:00" as the wall clock in `zone` shows it. */
export function wallClock(instant, zone) {
  const parts = {};
  for (const p of formatter(zone, 'parts').formatToParts(toDate(instant))) parts[p.type] = p.value;
  return `${parts.year}-${parts.month}-${parts.day}T${String(+parts.hour % 24).padStart(2, '0')}:${parts.minute}`;
}

/** RFC 3339 with the zone's offset at that instant: 2026-12-01T14:00:00+01:00 */
export function rfc3339(instant, zone) {
  const offset = zoneOffsetMinutes(instant, zone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${wallClock(instant, zone)}:00${sign}${hh}:${mm}`;
}

/** Milliseconds until the next midnight in `zone` (at least one second). */
export function msUntilMidnight(zone, now = new Date()) {
  const tomorrow = addDays(dayKey(now, zone), 1);
  const midnight = zonedInstant(tomorrow, '00:00', zone);
  return Math.max(1000, midnight.getTime() - now.getTime());
}

export function formatNumber(n) {
  return new Intl.NumberFormat(locale()).format(n);
}

export function formatPercent(fraction) {
  return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 1 }).format(fraction);
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** The weekday's name in the page language ("mon" → "Montag" / "Monday"). */
export function weekdayName(code, style = 'long') {
  const index = WEEKDAYS.indexOf(code);
  // 2024-01-01 was a Monday.
  return new Intl.DateTimeFormat(locale(), { weekday: style, timeZone: 'UTC' })
    .format(new Date(Date.UTC(2024, 0, 1 + index, 12)));
}
