// The hub the end-to-end tests run against: two camps, three experts and events at times
// relative to now (so every test finds bookable sessions on any day, at any hour), in the
// seed format of config/demo-hub.toml.

import fs from 'node:fs';
import path from 'node:path';
import { scratchDir } from './env.mjs';

export const XSS = '<img src=x onerror=alert(1)>';

/** An instant `minutes` from now, on a five-minute boundary, in RFC 3339 (UTC). */
export function fromNow(minutes) {
  const t = new Date(Date.now() + minutes * 60000);
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(Math.ceil(t.getUTCMinutes() / 5) * 5);
  return t.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** The weekday (mon..sun) and date in Berlin `days` from now. */
export function berlinDay(days) {
  const t = new Date(Date.now() + days * 86400000);
  const weekday = new Intl.DateTimeFormat('en-US', { weekday: 'short', timeZone: 'Europe/Berlin' }).format(t).toLowerCase();
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(t);
  return { weekday, date };
}

const q = (s) => JSON.stringify(s); // TOML basic strings share JSON's escapes for what we use

function event({ id, camp = 'bochum', room = 'bochum-lab', host = 'anna-schmidt', title, startIn, startAt, minutes = 60, seats, topic = 'IT-Sicherheit' }) {
  // startAt (a Date) pins the start to the second, for tests about the booking window.
  const start = startAt ? startAt.toISOString().replace(/\.\d{3}Z$/, '+00:00') : fromNow(startIn);
  const end = startAt ? new Date(startAt.getTime() + minutes * 60000).toISOString().replace(/\.\d{3}Z$/, '+00:00')
    : fromNow(startIn + minutes);
  return `
[[event]]
id = ${q(id)}
camp = ${q(camp)}
room = ${q(room)}
host = ${q(host)}
title = ${q(title)}
topic = ${q(topic)}
description = "A test event."
start = ${q(start)}
end = ${q(end)}
seats = ${seats}
`;
}

/**
 * Writes the hub file and returns its path and the ids the tests use:
 *   talk      5 seats, 3 h from now (bookable: the minimum notice is 2 h), in the lobby view
 *   small     1 seat, 4 h from now (for the waitlist)
 *   workshop  12 seats, 5 days from now (an upcoming event)
 *   anna-schmidt-weekly-*  two office-hour slots two days from now, 09:00 and 09:30 Berlin
 * With `xssTitle` one more event carries the XSS string as its title; `extra` adds events
 * (objects as event() takes them: id, title, startIn minutes, seats, …).
 */
export function writeHub({ xssTitle = false, extra = [] } = {}) {
  const dir = scratchDir('hub');
  let text = `
[[camp]]
id = "bochum"
name = "Digital Camp Bochum"
city = "Bochum"
focus = "IT-Sicherheit"
address = "Universitätsstraße 142, 44799 Bochum"
zone = "Europe/Berlin"

[[camp]]
id = "essen"
name = "Digital Camp Essen"
city = "Essen"
focus = "Design"
address = "Gelsenkirchener Straße 209, 45309 Essen"

[[room]]
id = "bochum-1"
camp = "bochum"
name = "Raum Kemnade"
capacity = 4

[[room]]
id = "bochum-lab"
camp = "bochum"
name = "Security Lab"
capacity = 20

[[room]]
id = "essen-1"
camp = "essen"
name = "Atelier"
capacity = 12

[[expert]]
id = "anna-schmidt"
name = "Dr. Anna Schmidt"
title = "Informationssicherheit"
bio = "Berät zu Sicherheitskonzepten."
topics = ["IT-Sicherheit", "Datenschutz"]
languages = ["de", "en"]
camps = ["bochum"]

[[expert]]
id = "jonas-becker"
name = "Jonas Becker"
title = "Cloud-Security"
bio = "Härtet Cloud-Infrastrukturen."
topics = ["IT-Sicherheit", "Cloud"]
languages = ["de"]
camps = ["bochum"]

[[expert]]
id = "mira-okafor"
name = "Mira Okafor"
title = "UX-Design"
bio = "Gestaltet digitale Produkte."
topics = ["Design", "UX"]
languages = ["en", "de"]
camps = ["essen"]
`;
  // Anna also holds office hours two days ahead, so a booking with her can move.
  text += `
[[rule]]
id = "anna-schmidt-weekly"
expert = "anna-schmidt"
camp = "bochum"
room = "bochum-1"
windows = [ { day = ${q(berlinDay(2).weekday)}, start = "09:00", end = "10:00" } ]
slot_minutes = 30
`;
  text += event({ id: 'talk', title: 'Security Night', startIn: 180, seats: 5 });
  text += event({ id: 'small', room: 'bochum-1', host: 'jonas-becker', title: 'Cloud Clinic', startIn: 240, seats: 1, topic: 'Cloud' });
  text += event({ id: 'workshop', camp: 'essen', room: 'essen-1', host: 'mira-okafor', title: 'UX Workshop', startIn: 5 * 1440, minutes: 120, seats: 12, topic: 'Design' });
  if (xssTitle) text += event({ id: 'xss-event', title: XSS, startIn: 200, seats: 3 });
  for (const e of extra) text += event(e);
  const file = path.join(dir, 'hub.toml');
  fs.writeFileSync(file, text);
  return file;
}
