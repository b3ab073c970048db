// An expert signs in, adds a weekly office hour with the editor (its preview shows the
// sessions first), and an open booking page shows the new sessions within a second.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoProblems, launch, newPage, ready } from '../support/browser.mjs';
import { PASSWORD, bookOverHttp, expertAccount, firstAdmin, startRedis, startServer } from '../support/env.mjs';
import { openBookingPage, signIn } from '../support/flows.mjs';
import { berlinDay, writeHub } from '../support/hub.mjs';

let redis;
let server;
let browser;

before(async () => {
  redis = await startRedis();
  server = await startServer({ redisUrl: redis.url, seedFile: writeHub() });
  const admin = await firstAdmin(redis.url, server.base);
  await expertAccount(admin, server.base, 'jonas@example.org', 'jonas-becker');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await redis?.stop();
});

test('an expert signs in, adds a weekly office hour, and the new sessions appear on an open booking page within 1 s', async () => {
  const founder = await newPage(browser);
  await openBookingPage(founder, server.base);
  await founder.evaluate(() => {
    window.notReloaded = true;
  });
  assert.equal(await founder.locator('#days li[data-session-id^="jonas-becker-"]').count(), 0);

  const expert = await newPage(browser);
  await signIn(expert, server.base, 'expert', 'jonas@example.org', PASSWORD);
  await expert.click('#rule-new');
  await expert.locator('#rule-editor').waitFor({ state: 'visible' });
  // Two days ahead, so the sessions are bookable and inside the page's 14 days.
  const { weekday, date } = berlinDay(2);
  await expert.selectOption('select[name="windows[0].day"]', weekday);
  await expert.fill('input[name="windows[0].start"]', '10:00');
  await expert.fill('input[name="windows[0].end"]', '11:00');
  await expert.selectOption('#r-room', 'bochum-1');
  // The preview shows the resulting sessions before anything is saved.
  await expert.waitForFunction(() => {
    const status = document.querySelector('#rule-preview [data-preview="status"]').textContent;
    const first = document.querySelector('#rule-preview [data-preview="list"] li')?.textContent || '';
    return /^[1-9]\d* (Termin|Termine) /.test(status) && first.endsWith('10:00, 10:30');
  }, null, { timeout: 5000 });

  const saved = expert.waitForResponse((r) => /\/api\/v1\/expert\/rules\/jonas-becker-[0-9a-f]+$/.test(r.url()) && r.request().method() === 'PUT');
  await expert.click('#rule-form button[type="submit"]');
  const response = await saved;
  assert.equal(response.status(), 201);
  const t0 = Date.now();
  await founder.waitForFunction(
    () => document.querySelectorAll('#days li[data-session-id^="jonas-becker-"]').length >= 2, null, { timeout: 1000, polling: 20 });
  const elapsed = Date.now() - t0;
  assert.ok(elapsed <= 1000, `the booking page showed the sessions after ${elapsed} ms`);
  assert.equal(await founder.evaluate(() => window.notReloaded), true, 'the booking page did not reload');
  const heading = await founder.locator(`#day-${date} h3, section[aria-labelledby="day-${date}"] h3`).first().textContent();
  assert.ok(heading.length > 0);
  // The slot's button names everything about it.
  const label = await founder.locator('#days li[data-session-id^="jonas-becker-"] button').first().getAttribute('aria-label');
  assert.match(label, /Buchen, \w+, \d+\. \w+ \d{4}, 10:00–10:30 (MEZ|MESZ), Sprechstunde mit Jonas Becker, Raum Kemnade, Digital Camp Bochum, 1 von 1 Platz frei/);

  // The dashboard lists the rule and its sessions.
  await expert.locator('#rules .rule-summary').first().waitFor();
  assert.match(await expert.locator('#rules .rule-summary').first().textContent(), /10:00–11:00/);
  assertNoProblems(assert, founder);
  assertNoProblems(assert, expert);
  await founder.context().close();
  await expert.context().close();
});

test("the expert runs late and then cancels: the founder's manage page shows both live", async () => {
  const booked = await bookOverHttp(server.base, 'small', { name: 'Lina Late', email: 'lina@example.org' });
  const founder = await newPage(browser);
  await founder.goto(`${server.base}/b/${booked.manage_token}`);
  await ready(founder);
  assert.equal(await founder.locator('#booking-late').isVisible(), false);

  const expert = await newPage(browser);
  await signIn(expert, server.base, 'expert', 'jonas@example.org', PASSWORD);
  const card = expert.locator('.session-card[data-session-id="small"]');
  await card.locator('.booking-name', { hasText: 'Lina Late' }).waitFor();
  // Attendance waits for the session to start.
  assert.equal(await card.locator('button[data-status="attended"]').isVisible(), false);
  await card.locator('select[name="minutes"]').selectOption('10');
  const told = expert.waitForResponse((r) => r.url().endsWith('/api/v1/expert/sessions/small/late'));
  await card.locator('button[data-action="late"]').click();
  assert.equal((await told).status(), 204);
  await founder.waitForFunction(() => !document.querySelector('#booking-late').hidden, null, { timeout: 5000 });
  assert.equal(await founder.locator('#booking-late').textContent(), 'Die Expertin oder der Experte verspätet sich um 10 Min.');

  await card.locator('button[data-action="cancel-open"]').click();
  await card.locator('textarea[name="message"]').fill('Ich bin krank, bitte entschuldigen Sie.');
  await card.locator('button[data-action="cancel"]').click();
  await card.locator('.badge.cancelled').first().waitFor();
  await founder.waitForFunction(() => document.querySelector('#booking-badge').textContent === 'Storniert', null, { timeout: 5000 });
  assert.equal(await founder.locator('#booking-seats').textContent(), 'Dieser Termin wurde abgesagt.');
  assertNoProblems(assert, founder);
  assertNoProblems(assert, expert);
  await founder.context().close();
  await expert.context().close();
});
