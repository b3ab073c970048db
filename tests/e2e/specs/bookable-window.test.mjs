// A slot whose booking window (the minimum notice) closes a minute after the pages open
// disappears from them within 2 s of the window closing, without a reload or a message
// from the server; an open booking dialog for it stops offering to book. free_only
// lists it while it is bookable and never after, when a booking is refused as too soon.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoProblems, axeViolations, launch, newPage, screenshot } from '../support/browser.mjs';
import { ApiClient, eventually, startRedis, startServer } from '../support/env.mjs';
import { openBookingPage, slot } from '../support/flows.mjs';
import { writeHub } from '../support/hub.mjs';

const NOTICE_MINUTES = 120; // the server's default booking.min_notice_minutes
// The window closes 30 s after this file loads: time to start the server and open two
// pages with a dialog (checked below), and no longer, as the test waits for it.
const startAt = new Date(Math.ceil((Date.now() + NOTICE_MINUTES * 60000 + 30000) / 1000) * 1000);

let redis;
let server;
let browser;

before(async () => {
  redis = await startRedis();
  server = await startServer({
    redisUrl: redis.url,
    seedFile: writeHub({ extra: [{ id: 'closing', title: 'Last Call', startAt, minutes: 30, seats: 3 }] }),
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await redis?.stop();
});

test('a slot disappears within 2 s of its booking window closing, and free_only agrees with the booking rules', async () => {
  const api = new ApiClient(server.base);
  const session = (await api.get('/api/v1/sessions/closing')).json;
  assert.equal(session.bookable, true);
  const until = Date.parse(session.bookable_until);
  assert.equal(until, startAt.getTime() - NOTICE_MINUTES * 60000);
  assert.ok(until - Date.now() > 8000, 'the test started too late to watch the window close');
  const freeIds = async () => (await api.get('/api/v1/sessions?camp=bochum&free_only=true')).json.sessions.map((s) => s.id);
  assert.ok((await freeIds()).includes('closing'), 'free_only lists it while it is bookable');

  const desk = await newPage(browser, { size: 'desktop', locale: 'de-DE' });
  const phone = await newPage(browser, { size: 'mobile', locale: 'en-US' });
  for (const page of [desk, phone]) {
    await openBookingPage(page, server.base, '?camp=bochum');
    await slot(page, 'closing').waitFor();
    await page.evaluate(() => {
      window.notReloaded = true;
    });
  }
  // The phone has the booking dialog open on it when the window closes.
  await slot(phone, 'closing').locator('button.slot-button').click();
  await phone.locator('#book-dialog').waitFor({ state: 'visible' });
  assert.equal(await phone.locator('#book-submit').isDisabled(), false);
  assert.ok(until - Date.now() > 1000, 'the pages were not ready before the window closed');

  const gone = (page) => page.waitForFunction(() => !document.querySelector('#days li[data-session-id="closing"]'),
    null, { timeout: until - Date.now() + 30000, polling: 50 }).then(() => Date.now());
  const [deskGone, phoneGone] = await Promise.all([gone(desk), gone(phone)]);
  for (const [name, at] of [['desktop', deskGone], ['phone', phoneGone]]) {
    assert.ok(at >= until, `${name}: gone ${until - at} ms before the window closed`);
    assert.ok(at - until <= 2000, `${name}: gone ${at - until} ms after the window closed`);
  }
  for (const page of [desk, phone]) assert.equal(await page.evaluate(() => window.notReloaded), true, 'no reload');

  // The open dialog no longer offers to book it.
  assert.equal(await phone.locator('#book-submit').isDisabled(), true);
  assert.equal(await phone.locator('#book-slot-note').textContent(), 'This session can no longer be booked.');
  await screenshot(phone, 'founder-window-closed-dialog-mobile-en', { fullPage: false });
  assert.deepEqual(await axeViolations(phone), []);

  // The server agrees: free_only no longer lists it, and a booking is refused as too soon.
  await eventually(async () => Date.now() > until + 1000, 5000, 'the next second');
  assert.ok(!(await freeIds()).includes('closing'), 'free_only lists it after its window closed');
  const refused = await api.post('/api/v1/sessions/closing/bookings',
    { name: 'Spät Dran', email: 'late@example.org', startup: 'Eile GmbH', consent: true });
  assert.equal(refused.status, 422);
  assert.equal(refused.json.code, 'too-soon');
  const after = (await api.get('/api/v1/sessions/closing')).json;
  assert.equal(after.bookable, false);
  assert.equal(after.not_bookable_reason, 'too-soon');

  // free_only never offers what a booking would refuse as too soon.
  const now = Date.now();
  for (const s of (await api.get('/api/v1/sessions?free_only=true')).json.sessions) {
    assert.ok(Date.parse(s.bookable_until) >= now - 1000, `${s.id} is offered after its window closed`);
  }
  assertNoProblems(assert, desk);
  assertNoProblems(assert, phone);
  await desk.context().close();
  await phone.context().close();
});
