// Checking in by the room's QR code: the code on the door (/rooms/<id>/qr, printable)
// opens /rooms/<id>; a founder who booked in this browser finds the booking there and
// checks in with one press, and the expert's dashboard shows it within a second; a
// founder on another device pastes the manage link; a booking in another room is named,
// not checked in.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoProblems, axeViolations, launch, newPage, ready, screenshot } from '../support/browser.mjs';
import { PASSWORD, bookOverHttp, expertAccount, firstAdmin, startRedis, startServer } from '../support/env.mjs';
import { signIn } from '../support/flows.mjs';
import { writeHub } from '../support/hub.mjs';

let redis;
let server;
let browser;

before(async () => {
  redis = await startRedis();
  // "soon" (in 30 min, room bochum-lab) is inside the 60-minute check-in window however
  // slow the machine; "later" (in 4 h) is not.
  server = await startServer({
    redisUrl: redis.url,
    seedFile: writeHub({ extra: [
      { id: 'soon', title: 'Sprechstunde gleich', startIn: 30, minutes: 120, seats: 3 },
      { id: 'later', title: 'Sprechstunde später', startIn: 240, seats: 3 },
    ] }),
    flags: ['--booking.min_notice_minutes=0', '--booking.checkin_open_minutes=60'],
  });
  browser = await launch();
  const admin = await firstAdmin(redis.url, server.base);
  await expertAccount(admin, server.base, 'anna@example.org', 'anna-schmidt');
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await redis?.stop();
});

/** Makes the page's browser remember a booking, as the booking dialog does after success. */
async function remember(page, booked, session) {
  await page.evaluate(({ url, s }) => {
    const list = JSON.parse(localStorage.getItem('sprechstunde.bookings') || '[]');
    list.push({ manage_url: url, start: s.start, end: s.end, zone: s.zone });
    localStorage.setItem('sprechstunde.bookings', JSON.stringify(list));
  }, { url: `${server.base}/b/${booked.manage_token}`, s: session });
}

test('the printable QR sheet of a room, and its code opening the check-in page', async () => {
  const svg = await fetch(`${server.base}/api/v1/rooms/bochum-lab/qr.svg`);
  assert.equal(svg.status, 200);
  assert.equal(svg.headers.get('content-type'), 'image/svg+xml');
  assert.match(await svg.text(), new RegExp(`QR code: ${server.base}/rooms/bochum-lab`));
  const missing = await fetch(`${server.base}/api/v1/rooms/nowhere/qr.svg`);
  assert.equal(missing.status, 404);
  assert.equal((await missing.json()).field, 'id');

  for (const [size, locale, text] of [['desktop', 'de-DE', /^Gebucht\? Scannen/], ['mobile', 'en-US', /^Booked\? Scan/]]) {
    const page = await newPage(browser, { size, locale });
    await page.goto(`${server.base}/rooms/bochum-lab/qr`);
    await ready(page);
    await page.locator('#sheet').waitFor({ state: 'visible' });
    assert.match(await page.locator('.qr-sheet-say').textContent(), text);
    await page.waitForFunction(() => document.querySelector('#sheet-qr').naturalWidth > 0);
    assert.match(await page.locator('#sheet-url').textContent(), /\/rooms\/bochum-lab$/);
    await screenshot(page, `room-qr-${size}-${locale.slice(0, 2)}`);
    assert.deepEqual(await axeViolations(page), []);
    assertNoProblems(assert, page);
    await page.context().close();
  }
});

test('a founder scans the code, checks in, and the expert sees it within a second', async () => {
  const here = await bookOverHttp(server.base, 'soon', { name: 'Rita Raum', email: 'rita@example.org' });
  const session = (await (await fetch(`${server.base}/api/v1/manage/${here.manage_token}`)).json()).session;

  const expert = await newPage(browser);
  await signIn(expert, server.base, 'expert', 'anna@example.org', PASSWORD);
  const rita = expert.locator('.session-card[data-session-id="soon"] li.booking', { hasText: 'Rita Raum' });
  await rita.waitFor({ timeout: 10000 });
  assert.equal(await rita.locator('.badge.checked-in').isHidden(), true);

  const founder = await newPage(browser);
  await founder.goto(`${server.base}/`);
  await remember(founder, here, session);
  await founder.goto(`${server.base}/rooms/bochum-lab`);
  await ready(founder);
  await founder.locator('#checkin-button').waitFor({ state: 'visible' });
  assert.equal(await founder.locator('#checkin-what').textContent(), 'Sprechstunde gleich');
  assert.equal(await founder.locator('#link-form').isHidden(), true);
  await screenshot(founder, 'room-checkin-desktop-de');
  assert.deepEqual(await axeViolations(founder), []);
  await founder.click('#checkin-button');
  const pressed = Date.now();
  await founder.locator('#checkin-done').waitFor({ state: 'visible', timeout: 5000 });
  await rita.locator('.badge.checked-in').waitFor({ state: 'visible', timeout: 5000 });
  assert.ok(Date.now() - pressed < 1000 + 2000, 'seen on the dashboard soon after'); // the 1 s, with the machine's margin
  assert.equal((await (await fetch(`${server.base}/api/v1/manage/${here.manage_token}`)).json()).checked_in, true);
  await screenshot(founder, 'room-checkin-done-desktop-de');
  assertNoProblems(assert, founder);
  assertNoProblems(assert, expert);
  await founder.context().close();
  await expert.context().close();
});

test('on another phone: the manage link pasted, a wrong room named, too early said plainly', async () => {
  const here = await bookOverHttp(server.base, 'soon', { name: 'Pia Paste', email: 'pia@example.org' });
  const later = await bookOverHttp(server.base, 'later', { name: 'Pia Paste', email: 'pia-later@example.org' });
  const page = await newPage(browser, { size: 'mobile', locale: 'en-US' });
  await page.goto(`${server.base}/rooms/bochum-1`);
  await ready(page);
  await page.locator('#link-form').waitFor({ state: 'visible' });
  await screenshot(page, 'room-checkin-link-phone-en');

  // Not a link: said at the field, in English, before anything is asked.
  await page.fill('#l-link', 'hello');
  await page.click('#link-form button[type="submit"]');
  await page.locator('#link-form .field-error').waitFor();
  assert.match(await page.locator('#link-form .field-error').textContent(), /^That is not a booking link/);

  // A booking in another room: named, no button.
  await page.fill('#l-link', `${server.base}/b/${here.manage_token}`);
  await page.click('#link-form button[type="submit"]');
  await page.waitForFunction(() => /another room: Security Lab/.test(document.querySelector('#link-form .field-error')?.textContent || ''));
  assert.equal(await page.locator('#checkin-booking').isHidden(), true);

  // The right room, but hours ahead: when it opens, and no button yet.
  await page.goto(`${server.base}/rooms/bochum-lab`);
  await ready(page);
  await page.locator('#link-form').waitFor({ state: 'visible' });
  await page.fill('#l-link', `${server.base}/b/${later.manage_token}`);
  await page.click('#link-form button[type="submit"]');
  await page.locator('#checkin-wait').waitFor({ state: 'visible' });
  assert.match(await page.locator('#checkin-wait').textContent(), /^Check-in opens at \d/);
  assert.equal(await page.locator('#checkin-button').isHidden(), true);
  assert.deepEqual(await axeViolations(page), []);
  assertNoProblems(assert, page);
  await page.context().close();
});
