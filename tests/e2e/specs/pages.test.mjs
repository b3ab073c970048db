// Every page at desktop and phone size (the lobby at 1920×1080): axe-core finds no
// serious or critical violation, a phone never scrolls sideways, and a screenshot of each
// goes to build/screenshots/ for people to look at. Also: the language switch.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoProblems, axeViolations, launch, newPage, ready, screenshot } from '../support/browser.mjs';
import { PASSWORD, bookOverHttp, expertAccount, firstAdmin, inviteExpert, startRedis, startServer } from '../support/env.mjs';
import { officeHourIds, openBookingPage, signIn, slot } from '../support/flows.mjs';
import { writeHub } from '../support/hub.mjs';

let redis;
let server;
let browser;
let admin;
let manageToken;
let inviteToken;

before(async () => {
  redis = await startRedis();
  server = await startServer({ redisUrl: redis.url, seedFile: writeHub() });
  admin = await firstAdmin(redis.url, server.base);
  await expertAccount(admin, server.base, 'anna@example.org', 'anna-schmidt');
  inviteToken = await inviteExpert(admin, 'mira@example.org', 'mira-okafor');
  // An office hour, so the manage page has another slot of the same kind and length to offer.
  const booked = await bookOverHttp(server.base, (await officeHourIds(server.base, 'anna-schmidt'))[1], {
    name: 'Jana Gründerin', email: 'jana@example.org', startup: 'Ruhrwerk GmbH',
  });
  manageToken = booked.manage_token;
  await bookOverHttp(server.base, 'small', { name: 'Ole Okay', email: 'ole@example.org' });
  await admin.post('/api/v1/admin/invitations', { email: 'second@hub.example.org', role: 'admin' });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await redis?.stop();
});

async function check(page, name, { fullPage = true } = {}) {
  await screenshot(page, name, { fullPage }); // first, so a failing check still leaves the picture
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `axe on ${name}: ${JSON.stringify(violations, null, 1)}`);
  if (page.viewportSize().width <= 360) {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${name} scrolls sideways by ${overflow}px at 360 px`);
  }
  assertNoProblems(assert, page);
}

for (const size of ['desktop', 'phone']) {
  describe(`at ${size} size`, () => {
    test('the booking page with its dialog and confirmation, the manage page, the invitation page', async () => {
      const page = await newPage(browser, { size });
      await openBookingPage(page, server.base);
      await check(page, `booking-${size}`);
      await slot(page, 'talk').locator('button.slot-button').click();
      await page.locator('#book-dialog').waitFor({ state: 'visible' });
      await page.click('#book-submit'); // empty: the problems show at their fields
      await page.locator('.field-error').first().waitFor();
      await check(page, `booking-dialog-${size}`, { fullPage: false }); // a modal: the viewport is what one sees
      await page.fill('#b-name', 'Lea Layout');
      await page.fill('#b-email', `lea-${size}@example.org`);
      await page.fill('#b-startup', 'Pixel & Co');
      await page.check('#b-consent');
      await page.click('#book-submit');
      await page.locator('#book-done').waitFor({ state: 'visible' });
      await check(page, `booking-done-${size}`, { fullPage: false });

      await page.goto(`${server.base}/b/${manageToken}`);
      await ready(page);
      await page.click('#reschedule-open');
      await page.locator('#reschedule-list button').first().waitFor();
      await check(page, `manage-${size}`);

      await page.goto(`${server.base}/invite/${inviteToken}`);
      await ready(page);
      await page.locator('#invite').waitFor({ state: 'visible' });
      await check(page, `invite-${size}`);
      await page.context().close();
    });

    test('the expert dashboard, signed out and in, with the office-hours editor', async () => {
      const page = await newPage(browser, { size });
      await page.goto(`${server.base}/expert`);
      await ready(page);
      await check(page, `expert-signin-${size}`);
      await signIn(page, server.base, 'expert', 'anna@example.org', PASSWORD);
      await page.locator('.session-card').first().waitFor();
      await check(page, `expert-${size}`);
      await page.click('#rule-new');
      await page.waitForFunction(() => /\d/.test(document.querySelector('#rule-preview [data-preview="status"]').textContent));
      await check(page, `expert-editor-${size}`);
      await page.context().close();
    });

    test('the admin pages, every section', async () => {
      const page = await newPage(browser, { size });
      await page.goto(`${server.base}/admin`);
      await ready(page);
      await check(page, `admin-signin-${size}`);
      await signIn(page, server.base, 'admin', 'manager@hub.example.org', PASSWORD);
      for (const section of ['camps', 'rooms', 'experts', 'events', 'invitations', 'statistics', 'audit', 'erasure']) {
        await page.click(`#admin-nav button[aria-controls="${section}"]`);
        await page.locator(`#${section}`).waitFor({ state: 'visible' });
        if (section === 'events') await page.locator('#events tbody tr').first().waitFor();
        if (section === 'statistics') await page.locator('#stats-table').waitFor({ state: 'visible' });
        if (section === 'audit') await page.locator('#audit-body tr').first().waitFor();
        if (section === 'camps') {
          await page.click('#camps button.primary');
          await page.locator('#camps form.editor').waitFor({ state: 'visible' });
        }
        await check(page, `admin-${section}-${size}`);
      }
      await page.context().close();
    });

  });
}

test('the lobby display at 1920×1080 and on a phone', async () => {
  const page = await newPage(browser, { size: 'tv' });
  await page.goto(`${server.base}/lobby/bochum`);
  await ready(page);
  await page.waitForFunction(() => document.body.dataset.connection === 'live');
  await page.locator('#qr').evaluate((img) => img.complete || new Promise((r) => img.addEventListener('load', r)));
  const fits = await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight);
  assert.ok(fits, 'the lobby fits the TV screen without scrolling');
  assert.ok(await page.locator('#qr').evaluate((img) => img.naturalWidth > 0), 'the QR code loaded');
  await check(page, 'lobby-tv');
  await page.setViewportSize({ width: 360, height: 740 });
  await check(page, 'lobby-phone');
  await page.context().close();
});

test('the language switch changes every string and is remembered', async () => {
  const page = await newPage(browser, { locale: 'de-DE' });
  await openBookingPage(page, server.base);
  assert.equal(await page.locator('h1').textContent(), 'Sprechstunden und Workshops buchen');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'de');
  await page.click('#lang-switch button[data-lang="en"]');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.equal(await page.locator('h1').textContent(), 'Book office hours and workshops');
  assert.match(await slot(page, 'talk').locator('button').getAttribute('aria-label'), /^Book, \w+day,? \d+ \w+ \d{4}, \d\d:\d\d–\d\d:\d\d (CET|CEST), /);
  await page.reload();
  await ready(page);
  assert.equal(await page.locator('h1').textContent(), 'Book office hours and workshops', 'remembered');
  await page.context().close();

  // An English browser starts in English.
  const english = await newPage(browser, { locale: 'en-GB' });
  await openBookingPage(english, server.base);
  assert.equal(await english.locator('h1').textContent(), 'Book office hours and workshops');
  await check(english, 'booking-en-desktop');
  await english.context().close();
});
