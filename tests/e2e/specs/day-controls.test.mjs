// The expert's controls during the day: on a running session the dashboard offers "End
// now" and "Extend by 10 min" beside "Running late". Extending shows the new end on the
// lobby within a second; when the next session the extension would reach is booked, the
// button is disabled and says why, live (the server would refuse it).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoProblems, axeViolations, newPage, ready, screenshot } from '../support/browser.mjs';
import { PASSWORD, bookOverHttp, eventually } from '../support/env.mjs';
import { signIn } from '../support/flows.mjs';
import { startCampDay, stopCampDay } from '../support/camp-day.mjs';

let day;
let server;
let browser;
let expert;
// "running" starts shortly after the server does and lasts 30 minutes; "following" is
// Anna's next session in the same room right after it, free.
const startAt = new Date(Math.ceil((Date.now() + 25000) / 1000) * 1000);
const endAt = new Date(startAt.getTime() + 30 * 60000);

const berlinTime = (d) =>
  new Intl.DateTimeFormat('de-DE', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Berlin' }).format(d);

before(async () => {
  day = await startCampDay({
    extra: [
      { id: 'running', title: 'Sprechstunde läuft', startAt, minutes: 30, seats: 2 },
      { id: 'following', title: 'Danach', startAt: endAt, minutes: 60, seats: 1 },
    ],
    started: async (s) => {
      await bookOverHttp(s.base, 'running', { name: 'Rita Redet', email: 'rita@example.org' });
    },
  });
  ({ server, browser } = day);
});

after(async () => {
  await expert?.context().close();
  await stopCampDay(day);
});

test('the expert extends a running session; the lobby shows the new end within 1 s', async () => {
  expert = await newPage(browser);
  await signIn(expert, server.base, 'expert', 'anna@example.org', PASSWORD);
  const card = expert.locator('.session-card[data-session-id="running"]');
  await card.waitFor({ state: 'visible', timeout: 10000 });
  const extend = card.locator('[data-action="extend"]');
  const endNow = card.locator('[data-action="end-open"]');
  // Before the start the server would refuse "End now": not offered.
  if (Date.now() < startAt.getTime() - 2000) assert.equal(await endNow.isHidden(), true);

  await eventually(async () => Date.now() > startAt.getTime() + 500, 60000, 'the session has started');
  await expert.reload();
  await ready(expert);
  await extend.waitFor({ state: 'visible', timeout: 10000 });
  assert.match(await extend.textContent(), /Um 10 Min\. verlängern/);
  assert.equal(await extend.isDisabled(), false);
  assert.match(await endNow.textContent(), /Jetzt beenden/);
  // "End now" asks first, and says the rest goes to walk-ins.
  await endNow.click();
  const confirm = card.locator('.end-panel');
  await confirm.waitFor({ state: 'visible' });
  assert.match(await confirm.textContent(), /Walk-ins/);
  await screenshot(expert, 'day-controls-expert-desktop-de');
  assert.deepEqual(await axeViolations(expert), []);
  await card.locator('[data-action="end-keep"]').click();
  assert.equal(await confirm.isHidden(), true);

  const lobby = await newPage(browser, { size: 'tv' });
  await lobby.goto(`${server.base}/lobby/bochum`);
  await ready(lobby);
  const now = lobby.locator('#rooms li.room', { hasText: 'Security Lab' }).locator('.now .what');
  await now.waitFor();
  const oldEnd = berlinTime(endAt);
  const newEnd = berlinTime(new Date(endAt.getTime() + 10 * 60000));
  await eventually(async () => (await now.textContent()).includes(`–${oldEnd}`), 10000, 'the lobby shows the running session');

  await extend.click();
  const clicked = Date.now();
  await lobby.waitForFunction((end) => {
    const line = [...document.querySelectorAll('#rooms li.room')].find((li) => li.textContent.includes('Security Lab'));
    return line && line.querySelector('.now .what').textContent.includes(`–${end}`);
  }, newEnd, { timeout: 1000 });
  assert.ok(Date.now() - clicked <= 1000);
  // The free session after it gave way: it now starts at the new end.
  await lobby.locator('#rooms li.room', { hasText: 'Security Lab' }).locator('.next .what', { hasText: newEnd })
    .waitFor({ timeout: 1000 });
  await card.locator('h3', { hasText: newEnd }).waitFor({ timeout: 2000 });
  await screenshot(lobby, 'day-controls-lobby-extended-tv-de', { fullPage: false });

  assertNoProblems(assert, lobby);
  await lobby.context().close();
});

test('with the next session booked, Extend is disabled and says why, live', async () => {
  const card = expert.locator('.session-card[data-session-id="running"]');
  const extend = card.locator('[data-action="extend"]');
  assert.equal(await extend.isDisabled(), false);
  // A founder books the session right after: the extension would reach it.
  await bookOverHttp(server.base, 'following', { name: 'Felix Folgt', email: 'felix@example.org' });
  await eventually(async () => extend.isDisabled(), 5000, 'Extend is disabled');
  const why = card.locator('.extend-why');
  await why.waitFor({ state: 'visible' });
  const newEnd = berlinTime(new Date(endAt.getTime() + 10 * 60000));
  assert.match(await why.textContent(), new RegExp(`Ihr Termin um ${newEnd} ist gebucht`));
  assert.equal(await extend.getAttribute('aria-describedby'), await why.getAttribute('id'));
  await screenshot(expert, 'day-controls-extend-blocked-desktop-de');
  assert.deepEqual(await axeViolations(expert), []);
  assertNoProblems(assert, expert);
});
