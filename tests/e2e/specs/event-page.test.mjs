// An event's own page (/events/<id>): description, when and where with a map link, the
// host with a link to their page, seats that change live, and a button straight into
// the booking form; a full event offers the waitlist, and an unknown one says so.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoProblems, axeViolations, launch, newPage, ready, screenshot } from '../support/browser.mjs';
import { bookOverHttp, startRedis, startServer } from '../support/env.mjs';
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
  de: { book: 'Platz buchen', waitlist: 'Auf die Warteliste', details: 'Details', unknown: 'Diese Veranstaltung gibt es nicht (mehr).' },
  en: { book: 'Book a seat', waitlist: 'Join waitlist', details: 'Details', unknown: 'This event does not exist (any more).' },
};

for (const [size, locale] of [['desktop', 'de-DE'], ['mobile', 'en-US'], ['desktop', 'en-US'], ['mobile', 'de-DE']]) {
  const lang = locale.slice(0, 2);
  const text = TEXT[lang];
  describe(`${size}, ${lang}`, () => {
    test('the event page shows what, when, where and who, its seats live, and leads into the booking form', async () => {
      const page = await newPage(browser, { size, locale });
      await page.goto(`${server.base}/events/talk`);
      await ready(page);
      assert.equal(await page.locator('#event-title').textContent(), 'Security Night');
      assert.equal(await page.locator('#event-description').textContent(), 'A test event.');
      assert.match(await page.locator('#event-where').textContent(), /Digital Camp Bochum/);
      assert.match(await page.locator('#event-map').getAttribute('href'), /^https:\/\/www\.openstreetmap\.org\/search\?query=/);
      assert.equal(await page.locator('#event-host a').getAttribute('href'), '/experts/anna-schmidt');
      assert.match(await page.locator('#event-host a').textContent(), /^Dr\. Anna Schmidt – /);
      const seats = await page.locator('#event-seats').textContent();
      assert.equal(await page.locator('#event-book').textContent(), text.book);
      await screenshot(page, `event-${size}-${lang}`);
      assert.deepEqual(await axeViolations(page), []);

      // Someone books elsewhere: the seats change here without a reload.
      await bookOverHttp(server.base, 'talk', { name: `Eva ${size} ${lang}`, email: `eva-${size}-${lang}@example.org` });
      await page.waitForFunction((before) => document.querySelector('#event-seats').textContent !== before, seats,
        { timeout: 3000 });

      // The button opens the booking form for this event, which links back to this page.
      await page.click('#event-book');
      await page.locator('#book-dialog').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#book-slot .slot-summary-title').textContent(), 'Security Night');
      assert.equal(await page.locator('#book-slot .slot-details').getAttribute('href'), '/events/talk');
      assert.equal(await page.locator('#book-slot .slot-details').textContent(), text.details);
      assertNoProblems(assert, page);
      await page.context().close();
    });
  });
}

test('a full event offers the waitlist, and an unknown event says so in plain words', async () => {
  await bookOverHttp(server.base, 'small', { name: 'Erste', email: 'erste-small@example.org' });
  const page = await newPage(browser, { size: 'desktop', locale: 'de-DE' });
  await page.goto(`${server.base}/events/small`);
  await ready(page);
  assert.equal(await page.locator('#event-book').textContent(), TEXT.de.waitlist);
  await page.goto(`${server.base}/events/nope`);
  await ready(page);
  assert.equal(await page.locator('#event-status').textContent(), TEXT.de.unknown);
  assert.equal(await page.locator('#event').isVisible(), false);
  await page.context().close();
});
