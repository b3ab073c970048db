// An expert signs in, adds a weekly office hour with the editor (its preview shows the
// sessions first), and an open booking page shows the new sessions within a second.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoProblems, launch, newPage, ready, waitForLive } from '../support/browser.mjs';
import { PASSWORD, bookOverHttp, eventually, expertAccount, firstAdmin, startRedis, startServer } from '../support/env.mjs';
import { openBookingPage, signIn } from '../support/flows.mjs';
import { berlinDay, writeHub } from '../support/hub.mjs';

let redis;
let server;
let browser;
let admin;

before(async () => {
  redis = await startRedis();
  // A week's notice for running late: the race test below says it of the workshop five days ahead.
  server = await startServer({ redisUrl: redis.url, seedFile: writeHub(), flags: ['--booking.late_notice_minutes=10080'] });
  admin = await firstAdmin(redis.url, server.base);
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
  // On the way to the button (focus has left the select) a founder joins the waitlist and
  // the card is redrawn live: the choice not yet sent stays (it was reset to "on time",
  // and the click then told the founder nothing, seen under load).
  await card.locator('button[data-action="late"]').focus();
  await bookOverHttp(server.base, 'small', { name: 'Wera Wait', email: 'wera@example.org' }, true);
  await card.locator('.booking-name', { hasText: 'Wera Wait' }).waitFor();
  assert.equal(await card.locator('select[name="minutes"]').inputValue(), '10');
  const told = expert.waitForResponse((r) => r.url().endsWith('/api/v1/expert/sessions/small/late'));
  await card.locator('button[data-action="late"]').click();
  const sent = await told;
  assert.equal(sent.status(), 204);
  assert.deepEqual(sent.request().postDataJSON(), { minutes: 10 });
  await waitForLive(founder, () => !document.querySelector('#booking-late').hidden, null, { what: 'running late' });
  assert.equal(await founder.locator('#booking-late').textContent(), 'Die Expertin oder der Experte verspätet sich um 10 Min.');

  // A session nobody booked: no message to write, and the button says just that.
  const empty = expert.locator('.session-card[data-session-id^="jonas-becker-"]').filter({ hasNot: expert.locator('.booking') }).first();
  const emptyId = await empty.getAttribute('data-session-id');
  await empty.locator('button[data-action="cancel-open"]').click();
  assert.equal(await empty.locator('textarea[name="message"]').isVisible(), false, 'no message field with nobody to tell');
  assert.equal(await empty.locator('button[data-action="cancel"]').textContent(), 'Absagen');
  const cancelSent = expert.waitForResponse((r) => r.url().endsWith(`/api/v1/expert/sessions/${emptyId}/cancel`));
  await empty.locator('button[data-action="cancel"]').click();
  const cancelAnswer = await cancelSent;
  assert.equal(cancelAnswer.status(), 200);
  assert.deepEqual(cancelAnswer.request().postDataJSON(), {}, 'no made-up message is sent for nobody');
  await expert.locator(`.session-card[data-session-id="${emptyId}"] .badge.cancelled`).waitFor();
  // With a founder booked: the message is asked for, and the button says who is told.
  await card.locator('button[data-action="cancel-open"]').click();
  assert.equal(await card.locator('textarea[name="message"]').isVisible(), true);
  assert.match(await card.locator('button[data-action="cancel"]').textContent(), /^Absagen und \d Personen? benachrichtigen$/);
  await card.locator('textarea[name="message"]').fill('Ich bin krank, bitte entschuldigen Sie.');
  await card.locator('button[data-action="cancel"]').click();
  await card.locator('.badge.cancelled').first().waitFor();
  await waitForLive(founder, () => document.querySelector('#booking-badge').textContent === 'Storniert', null, { what: 'the cancelled session' });
  assert.equal(await founder.locator('#booking-seats').textContent(), 'Dieser Termin wurde abgesagt.');
  assertNoProblems(assert, founder);
  assertNoProblems(assert, expert);
  await founder.context().close();
  await expert.context().close();
});

test("a read of the booking that was overtaken by a live change cannot take the change back on the manage page", async () => {
  // The manage page re-reads the booking after every change of its session. Here the
  // re-read after another founder's booking is held back until the expert's "running
  // late" has arrived live and been re-read too; when the old answer finally lands, the
  // page must keep showing what is true.
  const mira = await expertAccount(admin, server.base, 'mira@example.org', 'mira-okafor');
  const booked = await bookOverHttp(server.base, 'workshop', { name: 'Rita Race', email: 'rita@example.org' });
  const founder = await newPage(browser);
  await founder.goto(`${server.base}/b/${booked.manage_token}`);
  await ready(founder);
  await founder.waitForFunction(() => document.querySelector('#live-status').dataset.state === 'live', null, { timeout: 10000 });
  assert.equal(await founder.locator('#booking-late').isVisible(), false);

  let heldRead = null;
  let releaseHeld;
  const released = new Promise((resolve) => { releaseHeld = resolve; });
  await founder.route(`**/api/v1/manage/${booked.manage_token}`, async (route) => {
    if (heldRead) return route.continue();
    heldRead = route.fetch(); // read now, before the expert's change
    const answer = await heldRead;
    await released;
    await route.fulfill({ response: answer });
  });
  await bookOverHttp(server.base, 'workshop', { name: 'Other Founder', email: 'other@example.org' });
  await eventually(() => heldRead !== null, 10000, 'the manage page re-reads the booking after the change');
  await heldRead;

  const reread = founder.waitForResponse((r) => r.url().endsWith(`/api/v1/manage/${booked.manage_token}`) && r.status() === 200);
  const late = await mira.post('/api/v1/expert/sessions/workshop/late', { minutes: 15 });
  assert.equal(late.status, 204);
  await waitForLive(founder, () => !document.querySelector('#booking-late').hidden, null, { what: 'running late' });
  await reread;
  releaseHeld();
  await founder.waitForResponse((r) => r.url().endsWith(`/api/v1/manage/${booked.manage_token}`), { timeout: 5000 }).catch(() => {});
  // Still true a second later: nothing took the change back.
  const start = Date.now();
  while (Date.now() - start < 1000) {
    assert.equal(await founder.locator('#booking-late').isVisible(), true, 'the late notice stays');
    await founder.waitForTimeout(50);
  }
  assert.equal(await founder.locator('#booking-late').textContent(), 'Die Expertin oder der Experte verspätet sich um 15 Min.');
  await founder.unroute(`**/api/v1/manage/${booked.manage_token}`);
  assertNoProblems(assert, founder);
  await founder.context().close();
});

test('deleting office hours keeps a booked session and tells the expert what to do with it', async () => {
  // After the tests above: Jonas's weekly rule from the first, one of its sessions cancelled.
  const expert = await newPage(browser);
  await signIn(expert, server.base, 'expert', 'jonas@example.org', PASSWORD);
  await expert.locator('#rules .rule-summary').first().waitFor();
  // A founder books one of its sessions; the expert deletes the rule. The booked session stays,
  // and the expert is told where it is and what to do, in plain words.
  const free = await (await fetch(`${server.base}/api/v1/sessions?expert=jonas-becker&free_only=true`)).json();
  const booked = free.sessions.find((x) => x.id.startsWith('jonas-becker-')).id;
  const booking = await fetch(`${server.base}/api/v1/sessions/${booked}/bookings`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Rita Regel', email: 'regel@example.org', startup: 'S', consent: true }),
  });
  assert.equal(booking.status, 201);
  const rule = expert.locator('#rules li').first();
  await rule.locator('[data-action="delete"]').click();
  await rule.locator('[data-action="delete-yes"]').click();
  await expert.waitForFunction(() => /^Gelöscht/.test(document.getElementById('rules-result').textContent));
  assert.match(await expert.locator('#rules-result').textContent(), new RegExp(
    '^Gelöscht – entfernte freie Termine: \\d+\\. Ein gebuchter Termin liegt jetzt außerhalb Ihrer Sprechzeiten: Er '
    + 'bleibt für die gebuchte Person bestehen und ist unten mit „Außerhalb der Regel“ markiert\\. Sagen Sie ihn dort '
    + 'ab \\(mit einer Nachricht\\), wenn Sie ihn nicht halten\\.$'));
  await expert.locator(`.session-card[data-session-id="${booked}"] .badge.orphaned`).waitFor();
  assertNoProblems(assert, expert);
  await expert.context().close();
});
