// An expert connects their own calendar on the dashboard, presses "refresh now" and reads
// "last imported 12:03, 1 busy time"; the booking page, open in another browser, stops
// offering the office-hour slot the calendar is busy in (and offers it again once the
// calendar is removed). A slot a founder booked already stays, and the dashboard warns of
// the clash. Screenshots of the dashboard panel, desktop and phone, de and en.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { assertNoProblems, axeViolations, launch, newPage, screenshot } from '../support/browser.mjs';
import { PASSWORD, bookOverHttp, expertAccount, firstAdmin, startRedis, startServer } from '../support/env.mjs';
import { officeHourIds, openBookingPage, signIn, slot } from '../support/flows.mjs';
import { berlinDay, writeHub } from '../support/hub.mjs';

let redis;
let server;
let browser;
let feeds;
let feedBase;
let busyIcs = '';

const ics = (d) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

before(async () => {
  // The expert's calendar server (Google, Outlook, Nextcloud stand-in) on loopback.
  feeds = http.createServer((req, res) => {
    if (req.url.includes('/gone')) { // an address the calendar server has reset
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/calendar; charset=utf-8' });
    res.end(busyIcs);
  });
  await new Promise((resolve) => feeds.listen(0, '127.0.0.1', resolve));
  feedBase = `http://127.0.0.1:${feeds.address().port}`;
  redis = await startRedis();
  server = await startServer({ redisUrl: redis.url, seedFile: writeHub(),
    // Anna signs in six times within minutes (each layout and language, then the conflict
    // twice): one more than the default of five sign-ins per account and window.
    flags: ['--calendar.allow_private_addresses=true', '--calendar.fetch_timeout_seconds=5',
      '--auth.login_attempts_per_account=10'] });
  const admin = await firstAdmin(redis.url, server.base);
  await expertAccount(admin, server.base, 'anna@example.org', 'anna-schmidt');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await redis?.stop();
  await new Promise((resolve) => (feeds ? feeds.close(resolve) : resolve()));
});

const TEXT = {
  de: { imported: /^Zuletzt gelesen \d{2}:\d{2}, 1 belegte Zeit$/, removed: /entfernt/ },
  en: { imported: /^Last imported \d{2}:\d{2}, 1 busy time$/, removed: /removed/ },
};

for (const [size, locale] of [['desktop', 'de-DE'], ['mobile', 'en-US'], ['desktop', 'en-US'], ['mobile', 'de-DE']]) {
  const lang = locale.slice(0, 2);
  describe(`${size}, ${lang}`, () => {
    test('the expert connects a calendar and refreshes it; the booking page stops offering the clashing slot', async () => {
      // Anna's 09:00 office hour two days ahead; a client meeting 09:00-09:20 clashes with it only.
      const [first, second] = await officeHourIds(server.base, 'anna-schmidt');
      const session = await (await fetch(`${server.base}/api/v1/sessions/${first}`)).json();
      const start = new Date(session.start);
      busyIcs = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Google Inc//Google Calendar 70.9054//EN',
        'BEGIN:VEVENT', 'UID:client@google.com', 'DTSTAMP:20260101T000000Z', `DTSTART:${ics(start)}`,
        `DTEND:${ics(new Date(start.getTime() + 20 * 60000))}`, 'SUMMARY:Client meeting', 'END:VEVENT',
        'END:VCALENDAR', ''].join('\r\n');

      const founder = await newPage(browser, { size, locale });
      await openBookingPage(founder, server.base, `?expert=anna-schmidt&date=${berlinDay(2).date}`);
      await slot(founder, first).waitFor({ timeout: 10000 });
      await slot(founder, second).waitFor({ timeout: 10000 });

      const expert = await newPage(browser, { size, locale });
      await signIn(expert, server.base, 'expert', 'anna@example.org', PASSWORD);
      const panel = expert.locator('#own-calendars');
      await panel.waitFor({ state: 'visible' });
      await expert.fill('#c-url', `${feedBase}/${size}-${lang}/basic.ics`);
      await expert.click('#calendar-form button[type="submit"]');
      const item = panel.locator('.calendar-item');
      await item.waitFor();
      // The address is shown shortened, never in full.
      assert.equal(await item.locator(".calendar-url").textContent(), `${feedBase}/….ics`);
      await expert.click('#own-calendars [data-action="refresh"]');
      await expert.waitForFunction((re) => new RegExp(re).test(document.querySelector('.calendar-state')?.textContent),
        TEXT[lang].imported.source, { timeout: 15000 });

      // The booking page, open all along, drops the clashing slot by itself; the other stays.
      await slot(founder, first).waitFor({ state: 'detached', timeout: 5000 });
      assert.equal(await slot(founder, second).count(), 1);
      assert.equal(await slot(founder, first).count(), 0);

      await panel.scrollIntoViewIfNeeded();
      await screenshot(expert, `expert-calendars-${size}-${lang}`);
      assert.deepEqual(await axeViolations(expert, '#own-calendars'), []);

      // Removed: the slot is offered again.
      await item.locator('[data-action="remove"]').click();
      await expert.waitForFunction((re) => new RegExp(re).test(document.querySelector('#calendars-status').textContent),
        TEXT[lang].removed.source);
      await slot(founder, first).waitFor({ timeout: 5000 });
      // The confirmation stays after the list has been read again (it used to give way at
      // once to "no calendars", too fast to be read).
      await expert.waitForFunction(() => document.querySelector('#own-calendars .calendar-item') === null);
      assert.match(await expert.locator('#calendars-status').textContent(), TEXT[lang].removed);
      // The dashboard stops saying the slot is not offered, live, as the booking page does.
      await expert.locator('.badge.busy').waitFor({ state: 'detached', timeout: 5000 });
      await screenshot(expert, `expert-calendars-removed-${size}-${lang}`);
      // Switched to the other language, the status line says the same result in it.
      const other = lang === 'de' ? 'en' : 'de';
      await expert.click(`#lang-switch button[data-lang="${other}"]`);
      await expert.waitForFunction((re) => new RegExp(re).test(document.querySelector('#calendars-status').textContent),
        TEXT[other].removed.source, { timeout: 5000 });
      assertNoProblems(assert, expert);
      assertNoProblems(assert, founder);
      await expert.context().close();
      await founder.context().close();
    });
  });
}

test('a booked slot that the calendar makes busy stays, and the dashboard warns of the clash', async () => {
  const [first] = await officeHourIds(server.base, 'anna-schmidt');
  const session = await (await fetch(`${server.base}/api/v1/sessions/${first}`)).json();
  await bookOverHttp(server.base, first, { name: 'Jana Gründerin', email: 'jana@example.org' });
  const start = new Date(session.start);
  busyIcs = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'UID:board@example.org', 'DTSTAMP:20260101T000000Z',
    `DTSTART:${ics(start)}`, `DTEND:${ics(new Date(start.getTime() + 60 * 60000))}`, 'END:VEVENT', 'END:VCALENDAR', '']
    .join('\r\n');
  for (const [size, locale, warning] of [['desktop', 'de-DE', /überschneidet sich mit Ihrem eigenen Kalender/],
    ['mobile', 'en-US', /clashes with your own calendar/]]) {
    const expert = await newPage(browser, { size, locale });
    await signIn(expert, server.base, 'expert', 'anna@example.org', PASSWORD);
    await expert.locator('#own-calendars').waitFor({ state: 'visible' });
    if (size === 'desktop') {
      await expert.fill('#c-url', `${feedBase}/board.ics`);
      await expert.click('#calendar-form button[type="submit"]');
    }
    // Live: the warning and the session's badge appear without a reload.
    await expert.locator('#conflicts').waitFor({ state: 'visible', timeout: 15000 });
    assert.match(await expert.locator('#conflicts').textContent(), warning);
    await expert.locator(`.session-card[data-session-id="${first}"] .badge.conflict`).waitFor();
    assert.equal(await expert.locator(`.session-card[data-session-id="${first}"] .booking`).count(), 1);
    await screenshot(expert, `expert-conflict-${size}-${locale.slice(0, 2)}`);
    assert.deepEqual(await axeViolations(expert, '#main'), []);
    assertNoProblems(assert, expert);
    await expert.context().close();
  }
});

test('a calendar that fails reads why in German, and the page says "updated" only when it is', async () => {
  const expert = await newPage(browser, { allowStatus: [400, 401, 404] });
  await signIn(expert, server.base, 'expert', 'anna@example.org', PASSWORD);
  const panel = expert.locator('#own-calendars');
  await panel.waitFor({ state: 'visible' });

  // A bare word: the page says what an address looks like.
  await expert.fill('#c-url', 'kalender');
  await expert.click('#calendar-form button[type="submit"]');
  await expert.locator('#calendar-form .field-error').waitFor();
  assert.match(await expert.locator('#calendar-form .field-error').textContent(), /https:\/\/ oder webcal:\/\//);

  // An address the calendar server does not know: connected, but not read, and why in German.
  await expert.fill('#c-url', `${feedBase}/gone.ics`);
  await expert.click('#calendar-form button[type="submit"]');
  const state = panel.locator('.calendar-item .calendar-state.calendar-error');
  await state.waitFor({ timeout: 15000 });
  await expert.waitForFunction(() => !/gelesen …$/.test(document.querySelector('#calendars-status').textContent));
  const reason = /Der Kalenderserver kennt diese Adresse nicht \(mehr\)/;
  assert.match(await state.textContent(), reason);
  assert.doesNotMatch(await state.textContent(), /calendar server|address|could not/i, 'no English detail');
  let status = await expert.locator('#calendars-status').textContent();
  assert.doesNotMatch(status, /aktualisiert/);
  assert.match(status, /^Kalender verbunden, aber nicht gelesen: Der Kalenderserver kennt/);
  await screenshot(expert, 'expert-calendar-failed-desktop-de');

  // "Refresh now" with the clash test's calendar still connected (it reads fine) and this one.
  assert.equal(await panel.locator('.calendar-item').count(), 2);
  await expert.click('#own-calendars [data-action="refresh"]');
  await expert.waitForFunction(() => !/gelesen …$/.test(document.querySelector('#calendars-status').textContent), null,
    { timeout: 15000 });
  assert.equal(await expert.locator('#calendars-status').textContent(),
    '1 von 2 Kalendern konnte nicht gelesen werden; der Grund steht beim Kalender.');

  // A failure the page has no words for (a code from a newer server, or none: recorded
  // before the server sent codes) reads as a general failure, never as the server's sentence.
  const general = await expert.evaluate(async () => {
    const { stateText } = await import('/js/own-calendars.js');
    const at = new Date().toISOString();
    return [{ error: 'a brand-new kind of failure', error_code: 'brand-new', fetched_at: at, busy_count: 0 },
      { error: 'the calendar server had a problem (500)', fetched_at: at, busy_count: 0 }].map(stateText);
  });
  for (const text of general) assert.match(text, /fehlgeschlagen: Der Kalender konnte nicht gelesen werden\.$/);

  await panel.locator('.calendar-item', { has: expert.locator('.calendar-error') }).locator('[data-action="remove"]').click();
  await state.waitFor({ state: 'detached' });
  // Alone, the failing calendar's refresh says why in one sentence.
  await expert.fill('#c-url', `${feedBase}/gone-again.ics`);
  await expert.click('#calendar-form button[type="submit"]');
  await state.waitFor({ timeout: 15000 });
  await panel.locator('.calendar-item', { hasNot: expert.locator('.calendar-error') }).locator('[data-action="remove"]').click();
  await expert.waitForFunction(() => document.querySelectorAll('#own-calendars .calendar-item').length === 1);
  await expert.click('#own-calendars [data-action="refresh"]');
  await expert.waitForFunction(() => /^Nicht aktualisiert: Der Kalenderserver kennt/.test(document.querySelector('#calendars-status').textContent),
    null, { timeout: 15000 });
  await panel.locator('.calendar-item [data-action="remove"]').click();
  await expert.waitForFunction(() => document.querySelector('#own-calendars .calendar-item') === null);
  assertNoProblems(assert, expert);
  await expert.context().close();
});

test('the subscription link: "the old link stops working" only when there was one; the button looks like its neighbour', async () => {
  const expert = await newPage(browser);
  await signIn(expert, server.base, 'expert', 'anna@example.org', PASSWORD);
  await expert.locator('#calendar-feed').waitFor({ state: 'visible' });
  const look = (sel) => expert.locator(sel).evaluate((b) => {
    const c = getComputedStyle(b);
    return [c.borderTopColor, c.borderTopWidth, c.borderRadius, c.backgroundColor, c.color, c.fontWeight, c.minHeight].join(' ');
  });
  assert.equal(await look('#feed-new'), await look('#feed-revoke'), 'styled like the other secondary button');

  const status = () => expert.locator('#feed-status').textContent();
  // Anna had no link yet: the server says so (`replaced: false`), and nothing is said about
  // an old link.
  await expert.click('#feed-new');
  await expert.locator('#feed-url').waitFor();
  assert.equal(await status(), 'Neuer Link erstellt.');
  await screenshot(expert, 'expert-feed-desktop-de');
  await expert.click('#feed-new');
  await expert.waitForFunction(() => /vorige/.test(document.querySelector('#feed-status').textContent));
  assert.equal(await status(), 'Neuer Link erstellt. Der vorige Link funktioniert nicht mehr.');
  await expert.click('#feed-revoke');
  await expert.waitForFunction(() => /widerrufen/.test(document.querySelector('#feed-status').textContent));
  await expert.click('#feed-new');
  await expert.waitForFunction(() => /^Neuer Link/.test(document.querySelector('#feed-status').textContent));
  assert.equal(await status(), 'Neuer Link erstellt.');
  assertNoProblems(assert, expert);
  await expert.context().close();
});
