// A session is full; a second founder joins its waitlist through the form and keeps their
// manage page open. The first founder cancels from their manage link, and the waiting
// founder's page shows them confirmed, live.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoProblems, launch, newPage, ready } from '../support/browser.mjs';
import { bookOverHttp, startRedis, startServer } from '../support/env.mjs';
import { bookThroughForm, officeHourIds, openBookingPage, slot } from '../support/flows.mjs';
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

test("a founder cancels from the manage link; a waiting founder's page shows them confirmed", async () => {
  const first = await bookOverHttp(server.base, 'small', { name: 'Erste Gründerin', email: 'first@example.org' });

  // The second founder finds the session full and joins its waitlist through the form.
  const second = await newPage(browser);
  await openBookingPage(second, server.base, '?camp=bochum');
  const button = slot(second, 'small').locator('button.slot-button');
  assert.equal(await button.textContent(), 'Auf die Warteliste');
  const manageUrl = await bookThroughForm(second, 'small', { name: 'Zweiter Gründer', email: 'second@example.org' });
  assert.match(await second.locator('#book-done-text').textContent(), /Warteliste/);
  // A waitlist place holds no seat: no "move or cancel your booking", no "so someone else
  // gets the seat", and calendar entries say it is a waitlist place.
  const done = await second.locator('#book-done').textContent();
  assert.doesNotMatch(done, /verschieben|damit jemand anderes den Platz bekommt/);
  assert.match(await second.locator('#book-keep-link').textContent(), /Ihren Platz auf der Warteliste und können die Warteliste wieder verlassen/);
  assert.match(await second.locator('#book-next-change').textContent(), /Warteliste jederzeit verlassen/);
  for (const [id, param] of [['#book-google', 'text'], ['#book-outlook', 'subject']]) {
    const href = new URL(await second.locator(id).getAttribute('href'));
    assert.match(href.searchParams.get(param), /^Warteliste: /, `${id} names the waitlist`);
  }

  await second.goto(manageUrl);
  await ready(second);
  assert.equal(await second.locator('#booking-badge').textContent(), 'Auf der Warteliste');
  assert.match(await second.locator('#booking-plain').textContent(), /^Sie stehen ganz vorn auf der Warteliste/);
  await second.evaluate(() => {
    window.notReloaded = true;
  });

  // The first founder cancels on their own manage page, with the confirm step.
  const firstPage = await newPage(browser);
  await firstPage.goto(`${server.base}/b/${first.manage_token}`);
  await ready(firstPage);
  assert.equal(await firstPage.locator('#booking-badge').textContent(), 'Bestätigt');
  await firstPage.click('#cancel-open');
  await firstPage.click('#cancel-yes');
  await firstPage.locator('#action-result').waitFor({ state: 'visible' });
  assert.equal(await firstPage.locator('#booking-badge').textContent(), 'Storniert');

  // The waiting founder's page turns confirmed by itself.
  await second.waitForFunction(() => document.querySelector('#booking-badge').textContent === 'Bestätigt', null, { timeout: 3000 });
  assert.equal(await second.evaluate(() => window.notReloaded), true, 'the page did not reload');
  assert.match(await second.locator('#booking-plain').textContent(), /von der Warteliste nachgerückt/);
  // Screen readers hear it through the polite live region, without focus moving.
  await second.waitForFunction(() => /Bestätigt/.test(document.querySelector('#announcer').textContent), null, { timeout: 2000 });
  assert.equal(await second.evaluate(() => document.activeElement === document.body), true);
  // Opened again later, the page still says the seat came from the waitlist.
  await second.reload();
  await ready(second);
  assert.match(await second.locator('#booking-plain').textContent(), /von der Warteliste nachgerückt/);
  assertNoProblems(assert, second);
  assertNoProblems(assert, firstPage);
  await second.context().close();
  await firstPage.context().close();
});

test('a founder moves their booking to another free slot of the same expert, exports and erases their data', async () => {
  // Anna's 09:30 office hour; the 09:00 one is the same kind and length, so it is offered.
  const [nine, halfPast] = await officeHourIds(server.base, 'anna-schmidt');
  const booked = await bookOverHttp(server.base, halfPast, { name: 'Mara Mover', email: 'mara@example.org' });
  const page = await newPage(browser);
  await page.goto(`${server.base}/b/${booked.manage_token}`);
  await ready(page);
  await page.evaluate(() => {
    window.notReloaded = true;
  });
  const before = await page.locator('#booking-when').textContent();

  // Reschedule: the free slots of the same expert, same kind and length, each named in
  // full (the 60-minute talk Anna also gives is not offered); moving asks first.
  await page.click('#reschedule-open');
  const choice = page.locator('#reschedule-list button').first();
  await choice.waitFor();
  // Every weekly 30-minute slot of hers over the booking horizon (8 weeks × 2, minus this
  // one: more than the old cap of 12), and nothing of another length, found day by day
  // through the month view, which opens on the first day with a free time.
  assert.match(await page.locator('#reschedule-status').textContent(), /^15 freie Termine/);
  const offered = [];
  for (;;) {
    const days = page.locator('#move-cal-grid .day-button.has-slots');
    for (let i = 0; i < await days.count(); i += 1) {
      await days.nth(i).click();
      await page.locator('#reschedule-day').filter({ hasText: /\d/ }).waitFor();
      offered.push(...await page.locator('#reschedule-list button').allTextContents());
    }
    if (await page.locator('#move-cal-next').isDisabled()) break;
    await page.click('#move-cal-next');
  }
  assert.equal(offered.length, 15, offered.join(' | '));
  for (const text of offered) assert.match(text, /(09:00–09:30|09:30–10:00) (MEZ|MESZ)$/);
  // Back to the first month and its first marked day: the next free time.
  while (!await page.locator('#move-cal-prev').isDisabled()) await page.click('#move-cal-prev');
  await page.locator('#move-cal-grid .day-button.has-slots').first().click();
  assert.match(await choice.getAttribute('aria-label'), /^Verschieben auf, \w+, \d+\. \w+ \d{4}, 09:00–09:30 (MEZ|MESZ), Sprechstunde mit Dr. Anna Schmidt/);
  await choice.click();
  await page.locator('#move-confirm').waitFor({ state: 'visible' });
  assert.match(await page.locator('#move-question').textContent(), /^Auf \w+, \d+\. \w+ \d{4}, 09:00–09:30 (MEZ|MESZ) verschieben\?/);
  assert.equal((await (await fetch(`${server.base}/api/v1/manage/${booked.manage_token}`)).json()).session.id, halfPast,
    'nothing moved before the founder said yes');
  await page.click('#move-yes');
  await page.locator('#action-result').waitFor({ state: 'visible' });
  assert.match(await page.locator('#action-result').textContent(), /^Verschoben auf /);
  assert.notEqual(await page.locator('#booking-when').textContent(), before);
  assert.match(await page.locator('#booking-when').textContent(), /09:00–09:30/);
  assert.equal(await page.locator('#booking-badge').textContent(), 'Bestätigt');
  const moved = await (await fetch(`${server.base}/api/v1/manage/${booked.manage_token}`)).json();
  assert.equal(moved.session.id, nine);

  // Export: a JSON download with this booking in it.
  const download = page.waitForEvent('download');
  await page.click('#export');
  const file = await download;
  const chunks = [];
  for await (const chunk of await file.createReadStream()) chunks.push(chunk);
  const exported = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  assert.ok(JSON.stringify(exported).includes('mara@example.org'));

  // Erase, with a confirm step; the link stops working.
  await page.click('#erase-open');
  await page.click('#erase-yes');
  await page.waitForFunction(() => document.body.dataset.status === 'erased');
  assert.match(await page.locator('#manage-status').textContent(), /gelöscht/);
  const after = await fetch(`${server.base}/api/v1/manage/${booked.manage_token}`);
  assert.equal(after.status, 404);
  assert.equal(await page.evaluate(() => window.notReloaded), true);
  assertNoProblems(assert, page);
  await page.context().close();
});
