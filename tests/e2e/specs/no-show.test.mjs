// The day at the camp: a founder who does not come is released by the expert's one click
// ("Nicht erschienen – freigeben"), offered only once the camp's release time has passed;
// the dashboard shows the no-show (and counts it beside the seats) and the session's page shows the seat free, each
// within a second, without a reload. A founder who comes late after all is marked attended: the seat stays given
// away, and the dashboard says so.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoProblems, axeViolations, newPage, ready, screenshot } from '../support/browser.mjs';
import { PASSWORD, bookOverHttp, eventually } from '../support/env.mjs';
import { signIn } from '../support/flows.mjs';
import { startCampDay, stopCampDay } from '../support/camp-day.mjs';

let day;
let server;
let browser;
let booked;
// Starts shortly after the server does; no-shows are released at the start itself here.
const startAt = new Date(Math.ceil((Date.now() + 25000) / 1000) * 1000);

before(async () => {
  day = await startCampDay({
    extra: [{ id: 'now', title: 'Sprechstunde jetzt', startAt, minutes: 60, seats: 1 }],
    flags: ['--booking.release_after_minutes=0', '--booking.auto_release=false'],
    started: async (s) => {
      booked = await bookOverHttp(s.base, 'now', { name: 'Nina Nichtda', email: 'away@example.org' });
    },
  });
  ({ server, browser } = day);
});

after(() => stopCampDay(day));

test('the expert releases a no-show with one click; the dashboard and the session page show it within 1 s', async () => {
  const expert = await newPage(browser);
  await signIn(expert, server.base, 'expert', 'anna@example.org', PASSWORD);
  const card = expert.locator('.session-card[data-session-id="now"]');
  await card.waitFor({ state: 'visible', timeout: 10000 });
  const nina = card.locator('li.booking', { hasText: 'Nina Nichtda' });
  await nina.waitFor();
  const release = nina.locator('[data-action="release"]');
  // Before the start the server would refuse: no button.
  if (Date.now() < startAt.getTime() - 2000) assert.equal(await release.isHidden(), true);

  await eventually(async () => Date.now() > startAt.getTime() + 500, 60000, 'the session has started');
  await expert.reload();
  await ready(expert);
  await release.waitFor({ state: 'visible', timeout: 20000 });
  assert.match(await release.textContent(), /Nicht erschienen – freigeben/);
  await screenshot(expert, 'no-show-expert-desktop-de');
  assert.deepEqual(await axeViolations(expert), []);

  const session = await newPage(browser);
  await session.goto(`${server.base}/events/now`);
  await ready(session);
  assert.match(await session.locator('#event-seats').textContent(), /Ausgebucht/);

  await release.click();
  const clicked = Date.now();
  await nina.locator('.status-badge.no_show').waitFor({ state: 'visible', timeout: 1000 });
  await session.waitForFunction(() => /frei/.test(document.querySelector('#event-seats').textContent), null,
    { timeout: Math.max(1, 1000 - (Date.now() - clicked)) });
  assert.equal(await release.isHidden(), true);
  assert.match(await nina.locator('.status-badge').textContent(), /Nicht erschienen/);
  // The seat count says why the listed founder holds no seat, rather than contradicting her.
  assert.match(await card.locator('.session-meta').textContent(), /0 von 1 gebucht · 1 nicht erschienen/);
  await screenshot(expert, 'no-show-expert-released-desktop-de');
  await screenshot(session, 'no-show-session-free-desktop-de');

  // The founder's own page says what happened.
  const founder = await newPage(browser, { size: 'mobile', locale: 'en-US' });
  await founder.goto(`${server.base}/b/${booked.manage_token}`);
  await ready(founder);
  assert.match(await founder.locator('body').textContent(), /No-show/);
  await screenshot(founder, 'no-show-manage-phone-en');

  // She turns up late after all: the dashboard said the seat was given away and how to
  // correct the mark; corrected, the seat stays given away and the no-show is gone.
  assert.match(await nina.locator('.attendance-hint').textContent(), /Der Platz wurde freigegeben/);
  await nina.locator('[data-status="attended"]').click();
  await nina.locator('.status-badge.attended').waitFor({ state: 'visible', timeout: 5000 });
  assert.match(await nina.locator('.attendance-hint').textContent(), /Nina Nichtda ist als anwesend erfasst/);
  assert.match(await card.locator('.session-meta').textContent(), /0 von 1 gebucht/);
  assert.doesNotMatch(await card.locator('.session-meta').textContent(), /nicht erschienen/);
  assert.match(await session.locator('#event-seats').textContent(), /frei/);
  await screenshot(expert, 'no-show-expert-corrected-desktop-de');

  // The same dashboard on the expert's phone, in English.
  const phone = await newPage(browser, { size: 'mobile', locale: 'en-US' });
  await signIn(phone, server.base, 'expert', 'anna@example.org', PASSWORD);
  const onPhone = phone.locator('.session-card[data-session-id="now"] li.booking', { hasText: 'Nina Nichtda' });
  await onPhone.locator('.status-badge.attended').waitFor({ state: 'visible', timeout: 10000 });
  assert.match(await onPhone.locator('.attendance-hint').textContent(), /The seat had been released/);
  await screenshot(phone, 'no-show-expert-corrected-phone-en');
  assert.deepEqual(await axeViolations(phone), []);

  assertNoProblems(assert, expert);
  assertNoProblems(assert, session);
  assertNoProblems(assert, founder);
  assertNoProblems(assert, phone);
  await expert.context().close();
  await session.context().close();
  await founder.context().close();
  await phone.context().close();
});
