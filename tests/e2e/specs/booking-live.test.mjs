// A founder books through the form while a lobby screen watches: the lobby's free count
// for that slot drops within a second, without a reload.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { assertNoProblems, launch, newPage, ready } from '../support/browser.mjs';
import { startRedis, startServer } from '../support/env.mjs';
import { bookThroughForm, openBookingPage, slot } from '../support/flows.mjs';
import { writeHub } from '../support/hub.mjs';

let redis;
let server;
let browser;

before(async () => {
  redis = await startRedis();
  server = await startServer({ redisUrl: redis.url, seedFile: writeHub() });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await redis?.stop();
});

test('a founder books a slot through the form; a lobby in another browser context shows its free count drop within 1 s, without a reload', async () => {
  const lobby = await newPage(browser, { size: 'tv' });
  await lobby.goto(`${server.base}/lobby/bochum`);
  await ready(lobby);
  const seats = lobby.locator('#free li[data-session-id="talk"] .seats');
  await assert.doesNotReject(seats.waitFor({ timeout: 5000 }));
  assert.equal(await seats.textContent(), '5 frei');
  await lobby.evaluate(() => {
    window.notReloaded = true;
  });

  const founder = await newPage(browser);
  await openBookingPage(founder, server.base, '?camp=bochum');
  assert.match(await slot(founder, 'talk').locator('.slot-seats').textContent(), /5 von 5/);
  const booked = founder.waitForResponse((r) => r.url().endsWith('/api/v1/sessions/talk/bookings') && r.status() === 201);
  const manageUrl = await bookThroughForm(founder, 'talk', { name: 'Jana Gründerin', email: 'jana@example.org' });
  await booked;
  const t0 = Date.now();
  await lobby.waitForFunction(() => document.querySelector('#free li[data-session-id="talk"] .seats')?.textContent === '4 frei',
    null, { timeout: 1000, polling: 20 });
  const elapsed = Date.now() - t0;
  assert.ok(elapsed <= 1000, `the lobby updated after ${elapsed} ms`);
  assert.equal(await lobby.evaluate(() => window.notReloaded), true, 'the lobby did not reload');

  // The founder's own page calls the slot hers now, and the success view has the private link.
  assert.match(manageUrl, new RegExp(`^${server.base}/b/[A-Za-z0-9_-]{43}$`));
  assert.match(await founder.locator('#book-done-text').textContent(), /Jana Gründerin/);
  assert.equal(await slot(founder, 'talk').locator('.slot-seats').textContent(), 'Ihr Platz');
  // "Add to calendar" shows when the server has the booking's .ics, and never leads to a 404.
  const icsPath = `/api/v1/manage/${manageUrl.split('/').pop()}/booking.ics`;
  const ics = await fetch(server.base + icsPath, { method: 'HEAD' });
  if (ics.status === 200) {
    await founder.locator('#book-ics').waitFor({ state: 'visible' });
    assert.equal(await founder.locator('#book-ics-link').getAttribute('href'), icsPath);
  } else {
    assert.equal(ics.status, 404);
    assert.equal(await founder.locator('#book-ics').isVisible(), false);
  }

  assertNoProblems(assert, lobby);
  assertNoProblems(assert, founder);
  await lobby.context().close();
  await founder.context().close();
});

test('a booking made with curl appears in two open tabs within a second, without a reload', async () => {
  const tabs = [await newPage(browser), await newPage(browser)];
  for (const tab of tabs) {
    await openBookingPage(tab, server.base, '?camp=bochum');
    await tab.evaluate(() => {
      window.notReloaded = true;
    });
  }
  const before = await slot(tabs[0], 'talk').locator('.slot-seats').textContent();
  const free = Number(before.match(/(\d+) von 5/)[1]);
  const status = execFileSync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-X', 'POST',
    '-H', 'Content-Type: application/json',
    '-d', JSON.stringify({ name: 'Curl Gründer', email: 'curl@example.org', startup: 'Shell GmbH', consent: true }),
    `${server.base}/api/v1/sessions/talk/bookings`]).toString();
  assert.equal(status, '201');
  const t0 = Date.now();
  for (const tab of tabs) {
    await tab.waitForFunction(
      (want) => document.querySelector('#days li[data-session-id="talk"] .slot-seats')?.textContent.includes(want),
      `${free - 1} von 5`, { timeout: 1000, polling: 20 });
    assert.equal(await tab.evaluate(() => window.notReloaded), true, 'the tab did not reload');
    assertNoProblems(assert, tab);
  }
  const elapsed = Date.now() - t0;
  assert.ok(elapsed <= 1000, `both tabs updated after ${elapsed} ms`);
  for (const tab of tabs) await tab.context().close();
});
