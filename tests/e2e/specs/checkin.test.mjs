// The day at the camp: a founder checks in from the manage page ("I'm here"), only while
// the window is open; the expert's dashboard shows "checked in" live and checks in a
// second founder with one click; the lobby shows a tick, never a name.

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
  // Check-in opens 60 minutes ahead here: "soon" (in 30 min) is inside the window,
  // "later" (in 4 h) is not, however slow the machine.
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

test('no "I\'m here" before the window opens', async () => {
  const later = await bookOverHttp(server.base, 'later', { name: 'Frida Früh', email: 'early@example.org' });
  const page = await newPage(browser);
  await page.goto(`${server.base}/b/${later.manage_token}`);
  await ready(page);
  assert.equal(await page.locator('#checkin').isHidden(), true);
  assert.equal(await page.locator('#checked-in').isHidden(), true);
  assertNoProblems(assert, page);
  await page.context().close();
});

test('a founder checks in; the expert sees it live and checks in another founder; the lobby shows a tick', async () => {
  const here = await bookOverHttp(server.base, 'soon', { name: 'Hanna Hier', email: 'here@example.org' });
  await bookOverHttp(server.base, 'soon', { name: 'Emil Eingang', email: 'door@example.org' });

  const expert = await newPage(browser);
  await signIn(expert, server.base, 'expert', 'anna@example.org', PASSWORD);
  const card = expert.locator('.session-card[data-session-id="soon"]');
  await card.waitFor({ state: 'visible', timeout: 10000 });
  const hanna = card.locator('li.booking', { hasText: 'Hanna Hier' });
  await hanna.waitFor();
  assert.equal(await hanna.locator('.badge.checked-in').isHidden(), true);
  assert.equal(await hanna.locator('[data-action="checkin"]').isVisible(), true);

  const founder = await newPage(browser);
  await founder.goto(`${server.base}/b/${here.manage_token}`);
  await ready(founder);
  await founder.locator('#checkin').waitFor({ state: 'visible' });
  await screenshot(founder, 'checkin-manage-desktop-de');
  assert.deepEqual(await axeViolations(founder), []);
  await founder.click('#checkin-button');
  await founder.locator('#checked-in').waitFor({ state: 'visible', timeout: 5000 });
  assert.equal(await founder.locator('#checkin').isHidden(), true);
  assert.match(await founder.locator('#checked-in').textContent(), /eingecheckt/);
  await screenshot(founder, 'checkin-manage-done-desktop-de');

  // Live on the dashboard, without a reload.
  await hanna.locator('.badge.checked-in').waitFor({ state: 'visible', timeout: 3000 });
  assert.match(await hanna.locator('.badge.checked-in').textContent(), /eingecheckt/);
  assert.equal(await hanna.locator('[data-action="checkin"]').isHidden(), true);

  // The expert checks the second founder in.
  const emil = card.locator('li.booking', { hasText: 'Emil Eingang' });
  await emil.locator('[data-action="checkin"]').click();
  await emil.locator('.badge.checked-in').waitFor({ state: 'visible', timeout: 5000 });
  await screenshot(expert, 'checkin-expert-desktop-de');
  assert.deepEqual(await axeViolations(expert), []);

  // The lobby: a tick on the room's line, no founder's name anywhere.
  const lobby = await newPage(browser, { size: 'tv' });
  await lobby.goto(`${server.base}/lobby/bochum`);
  await ready(lobby);
  const tick = lobby.locator('#rooms .tick:not([hidden])');
  await tick.first().waitFor({ state: 'visible', timeout: 5000 });
  const text = await lobby.locator('body').textContent();
  assert.equal(/Hanna|Emil/.test(text), false);
  await screenshot(lobby, 'checkin-lobby-tv-de', { fullPage: false });

  assertNoProblems(assert, founder);
  assertNoProblems(assert, expert);
  assertNoProblems(assert, lobby);
  await founder.context().close();
  await expert.context().close();
  await lobby.context().close();
});

test('in English and on a phone: the button, and the checked-in dashboard', async () => {
  const booked = await bookOverHttp(server.base, 'soon', { name: 'Paula Phone', email: 'phone@example.org' });
  const founder = await newPage(browser, { size: 'mobile', locale: 'en-US' });
  await founder.goto(`${server.base}/b/${booked.manage_token}`);
  await ready(founder);
  await founder.locator('#checkin').waitFor({ state: 'visible' });
  assert.match(await founder.locator('#checkin-button').textContent(), /I’m here/);
  await screenshot(founder, 'checkin-manage-phone-en');
  await founder.click('#checkin-button');
  await founder.locator('#checked-in').waitFor({ state: 'visible', timeout: 5000 });
  assert.match(await founder.locator('#checked-in').textContent(), /checked in/);
  await screenshot(founder, 'checkin-manage-done-phone-en');

  const expert = await newPage(browser, { size: 'mobile', locale: 'en-US' });
  await signIn(expert, server.base, 'expert', 'anna@example.org', PASSWORD);
  const paula = expert.locator('.session-card[data-session-id="soon"] li.booking', { hasText: 'Paula Phone' });
  await paula.locator('.badge.checked-in').waitFor({ state: 'visible', timeout: 10000 });
  assert.match(await paula.locator('.badge.checked-in').textContent(), /checked in/);
  await screenshot(expert, 'checkin-expert-phone-en');
  assertNoProblems(assert, founder);
  assertNoProblems(assert, expert);
  await founder.context().close();
  await expert.context().close();
});
