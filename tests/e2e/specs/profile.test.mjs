// An expert's public page (/experts/<id>): bio, topics, languages, camps, an initials
// avatar and the next bookable slots, each leading into the booking dialog, where the
// founder sees whom they book. At 1280×800 and 390×844, German and English.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoProblems, axeViolations, launch, newPage, ready, screenshot } from '../support/browser.mjs';
import { startRedis, startServer } from '../support/env.mjs';
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

const TEXT = {
  de: { topics: 'Themen', slots: 'Nächste freie Termine', done: /Gebucht, Paul Profil!/, unknown: /gibt es nicht/ },
  en: { topics: 'Topics', slots: 'Next free sessions', done: /Booked, Paul Profil!/, unknown: /no such expert/ },
};

for (const [size, locale] of [['desktop', 'de-DE'], ['mobile', 'en-US'], ['desktop', 'en-US'], ['mobile', 'de-DE']]) {
  const lang = locale.slice(0, 2);
  const text = TEXT[lang];
  describe(`${size}, ${lang}`, () => {
    test('the expert page shows bio, languages and the next slots, and books', async () => {
      const page = await newPage(browser, { size, locale });
      await page.goto(`${server.base}/experts/anna-schmidt`);
      await ready(page);
      assert.equal(await page.locator('#profile-name').textContent(), 'Dr. Anna Schmidt');
      assert.equal(await page.locator('#profile-title').textContent(), 'Informationssicherheit');
      assert.equal(await page.locator('#profile-bio').textContent(), 'Berät zu Sicherheitskonzepten.');
      assert.equal(await page.locator('#profile-languages').textContent(), 'Deutsch, English');
      assert.equal(await page.locator('#profile-topics').textContent(), 'IT-Sicherheit, Datenschutz');
      assert.equal(await page.locator('#profile-camps a').textContent(), 'Digital Camp Bochum');
      assert.equal(await page.locator('#profile-avatar').textContent(), 'AS');
      assert.equal(await page.locator('#slots-title').textContent(), text.slots);
      const talk = page.locator('#slots li[data-session-id="talk"] a');
      await talk.waitFor();
      await screenshot(page, `profile-${size}-${lang}`);
      assert.deepEqual(await axeViolations(page), []);

      await talk.click();
      await page.locator('#book-dialog').waitFor({ state: 'visible' });
      // The dialog says whom one books, with a way to the profile.
      const who = await page.locator('#book-slot .slot-who').textContent();
      assert.match(who, /Dr\. Anna Schmidt – Informationssicherheit · Deutsch, English/);
      assert.equal(await page.locator('#book-slot .slot-who a').getAttribute('href'), '/experts/anna-schmidt');
      assert.equal(await page.locator('#book-slot .slot-summary-title').textContent(), 'Security Night');
      await screenshot(page, `profile-booking-dialog-${size}-${lang}`, { fullPage: false });
      assert.deepEqual(await axeViolations(page), []);
      await page.fill('#b-name', 'Paul Profil');
      await page.fill('#b-email', `paul-${size}-${lang}@example.org`);
      await page.fill('#b-startup', 'Sig GmbH');
      await page.check('#b-consent');
      await page.click('#book-submit');
      await page.locator('#book-done').waitFor({ state: 'visible', timeout: 10000 });
      assert.match(await page.locator('#book-done-text').textContent(), text.done);
      assertNoProblems(assert, page);
      await page.context().close();
    });
  });
}

test('an unknown expert gets a plain message, not an empty page', async () => {
  const page = await newPage(browser, { size: 'desktop', locale: 'de-DE' });
  await page.goto(`${server.base}/experts/nobody-here`);
  await ready(page);
  assert.match(await page.locator('#profile-status').textContent(), TEXT.de.unknown);
  assert.equal(await page.locator('#profile').isVisible(), false);
  assertNoProblems(assert, page);
  await page.context().close();
});
