// After booking: a confirmation that reassures (the manage link with a copy button,
// add-to-calendar links built from the booking, what happens next, and "a confirmation
// is on its way" only when the hub has a mail server), and "My bookings" on the booking
// page listing what this browser booked. At 1280×800 and 390×844, German and English.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoProblems, axeViolations, launch, newPage, ready, screenshot } from '../support/browser.mjs';
import { startRedis, startServer } from '../support/env.mjs';
import { bookThroughForm, openBookingPage, slot } from '../support/flows.mjs';
import { writeHub } from '../support/hub.mjs';

const TEXT = {
  de: { mail: (e) => `Eine Bestätigung ist unterwegs an ${e}.`, copied: 'Kopiert.', mine: 'Meine Buchungen' },
  en: { mail: (e) => `A confirmation is on its way to ${e}.`, copied: 'Copied.', mine: 'My bookings' },
};

let redis;
let server;
let mailRedis;
let mailServer;
let browser;

before(async () => {
  redis = await startRedis();
  // `pitch`: one seat, for "your own booking is yours, not fully booked".
  const pitch = { id: 'pitch', room: 'bochum-1', host: 'jonas-becker', title: 'Pitch Clinic', startIn: 300, seats: 1, topic: 'Cloud' };
  server = await startServer({ redisUrl: redis.url, seedFile: writeHub({ extra: [pitch] }) });
  // A hub with a mail server configured (nothing listens there: only the promise on screen is tested).
  mailRedis = await startRedis();
  mailServer = await startServer({ redisUrl: mailRedis.url, seedFile: writeHub(), flags: ['--mail.smtp_url=smtp://127.0.0.1:9'] });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await mailServer?.stop();
  await redis?.stop();
  await mailRedis?.stop();
});

for (const [size, locale] of [['desktop', 'de-DE'], ['mobile', 'en-US'], ['desktop', 'en-US'], ['mobile', 'de-DE']]) {
  const lang = locale.slice(0, 2);
  const text = TEXT[lang];
  describe(`${size}, ${lang}`, () => {
    test('the confirmation offers the link with a copy button and calendar links, promises no e-mail without a mail server, and "My bookings" lists the booking', async () => {
      const page = await newPage(browser, { size, locale });
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
      await openBookingPage(page, server.base, '?camp=bochum');
      const email = `conf-${size}-${lang}@example.org`;
      const manageUrl = await bookThroughForm(page, 'talk', { name: 'Clara Confirm', email });
      const session = await (await fetch(`${server.base}/api/v1/sessions/talk`)).json();

      assert.equal(await page.locator('#book-mail').isVisible(), false, 'no mail server: no e-mail promised');
      assert.equal(await page.locator('#book-next-reminder').isVisible(), false, 'no mail server: no reminder promised');
      assert.ok(!(await page.locator('#book-done').textContent()).includes(email));

      await page.click('#book-copy');
      await page.waitForFunction((want) => document.getElementById('book-copied').textContent === want, text.copied);
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), manageUrl);

      const google = new URL(await page.locator('#book-google').getAttribute('href'));
      assert.equal(google.host, 'calendar.google.com');
      assert.equal(google.searchParams.get('text'), 'Security Night');
      const stamp = (iso) => new Date(iso).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
      assert.equal(google.searchParams.get('dates'), `${stamp(session.start)}/${stamp(session.end)}`);
      assert.match(google.searchParams.get('location'), /Security Lab, Digital Camp Bochum, Universitätsstraße 142/);
      assert.ok(!google.href.includes(manageUrl.split('/').pop()), 'the manage token never goes to Google');
      const outlook = new URL(await page.locator('#book-outlook').getAttribute('href'));
      assert.equal(outlook.host, 'outlook.live.com');
      assert.equal(outlook.searchParams.get('subject'), 'Security Night');
      assert.equal(Date.parse(outlook.searchParams.get('startdt')), Date.parse(session.start));
      await screenshot(page, `confirmation-${size}-${lang}`, { fullPage: false });
      assert.deepEqual(await axeViolations(page), []);

      // A later visit in the same browser lists the booking under "My bookings".
      await page.goto(`${server.base}/`);
      await ready(page);
      await page.locator('#mine').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#mine-title').textContent(), text.mine);
      const links = await page.locator('#mine-list a').evaluateAll((as) => as.map((a) => a.href));
      assert.deepEqual(links, [manageUrl]);
      assert.equal(await page.locator('#mine-list time').getAttribute('datetime'), session.start);
      const stored = await page.evaluate(() => localStorage.getItem('sprechstunde.bookings'));
      assert.ok(!stored.includes(email) && !stored.includes('Clara'), `only links and times are kept: ${stored}`);
      await screenshot(page, `my-bookings-${size}-${lang}`, { fullPage: false });
      assert.deepEqual(await axeViolations(page), []);
      assertNoProblems(assert, page);
      await page.context().close();
    });

    test('with a mail server, the confirmation says the e-mail is on its way, to the address given', async () => {
      const page = await newPage(browser, { size, locale });
      await openBookingPage(page, mailServer.base, '?camp=bochum');
      const email = `mail-${size}-${lang}@example.org`;
      await bookThroughForm(page, 'talk', { name: 'Mia Mail', email });
      assert.equal(await page.locator('#book-mail').textContent(), text.mail(email));
      assert.equal(await page.locator('#book-mail').isVisible(), true);
      assert.equal(await page.locator('#book-next-reminder').isVisible(), true);
      assertNoProblems(assert, page);
      await page.context().close();
    });
  });
}

test('the founder\'s own booking is theirs on the booking page, not "fully booked", and bookable again once cancelled', async () => {
  const page = await newPage(browser, { size: 'desktop', locale: 'de-DE' });
  await openBookingPage(page, server.base, '?camp=bochum');
  const manageUrl = await bookThroughForm(page, 'pitch', { name: 'Olga Own', email: 'olga@example.org' });
  await page.click('#book-close');
  // The one seat is hers: the slot says so and opens her booking, no "fully booked", no waitlist.
  const card = slot(page, 'pitch');
  await page.waitForFunction(() => document.querySelector('#days li[data-session-id="pitch"] .slot-seats')?.textContent === 'Ihr Platz');
  assert.equal(await card.locator('button.slot-button').textContent(), 'Buchung ansehen');
  assert.equal(await card.locator('button.slot-button').evaluate((b) => b.classList.contains('waitlist')), false);
  assert.doesNotMatch(await card.textContent(), /Ausgebucht|Warteliste/);
  assert.match(await page.locator('#mine-list li').textContent(), /Pitch Clinic/);
  await screenshot(page, 'my-booking-in-list-desktop-de', { fullPage: false });
  assert.deepEqual(await axeViolations(page), []);

  await card.locator('button.slot-button').click();
  await page.waitForURL(manageUrl);
  await ready(page);
  await page.click('#cancel-open');
  await page.click('#cancel-yes');
  await page.locator('#action-result').waitFor({ state: 'visible' });

  // Cancelled on the manage page: the booking page no longer calls the seat hers.
  await page.goto(`${server.base}/?camp=bochum`);
  await ready(page);
  await page.waitForFunction(() => /frei/.test(document.querySelector('#days li[data-session-id="pitch"] .slot-seats')?.textContent || ''));
  assert.equal(await card.locator('button.slot-button').textContent(), 'Buchen');
  assert.equal(await page.locator('#mine').isVisible(), false);
  assertNoProblems(assert, page);
  await page.context().close();
});
