// Finding a slot: a month view over the whole booking horizon (the WAI-ARIA date-picker
// grid) marks the days with bookable sessions; choosing a day shows compact time
// buttons grouped by expert; everything chosen is in the URL. At 1280×800 and 390×844,
// German and English, with axe-core and screenshots.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoProblems, axeViolations, launch, newPage, ready, screenshot } from '../support/browser.mjs';
import { startRedis, startServer } from '../support/env.mjs';
import { openBookingPage, slot } from '../support/flows.mjs';
import { berlinDay, writeHub } from '../support/hub.mjs';

const WORKSHOP = { id: 'itsec-ws', title: 'Workshop: IT-Sicherheit für Gründer:innen', startIn: 1440 + 120, minutes: 120, seats: 20 };
const FAR = { id: 'far40', room: 'bochum-1', host: 'jonas-becker', title: 'Scale-up Review', startIn: 40 * 1440, minutes: 45, seats: 4, topic: 'Cloud' };

let redis;
let server;
let browser;

before(async () => {
  redis = await startRedis();
  server = await startServer({ redisUrl: redis.url, seedFile: writeHub({ extra: [FAR, WORKSHOP] }) });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await redis?.stop();
});

const farDay = () => {
  const start = new Date(Date.now() + 40 * 86400000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(start);
};

async function pressUntil(page, key, pred, max, what) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate(pred)) return;
    await page.keyboard.press(key);
  }
  assert.ok(await page.evaluate(pred), `${what} not reached with ${max} × ${key}`);
}

test('a slot 40 days ahead is found through the month view and booked, by keyboard only', async () => {
  const page = await newPage(browser, { size: 'desktop', locale: 'de-DE' });
  await openBookingPage(page, server.base);
  const target = farDay();
  await pressUntil(page, 'Tab', () => Boolean(document.activeElement?.closest('#cal-grid')), 40, 'the month grid');
  // One tab stop: the focused day is today.
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-current')), 'date');
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown');
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.day), target);
  // The month's marks arrive over HTTP after the move; until then the day names no count.
  await page.waitForFunction(() => /frei/.test(document.activeElement.getAttribute('aria-label') || ''), null, { timeout: 10000 })
    .catch(() => {});
  const label = await page.evaluate(() => document.activeElement.getAttribute('aria-label'));
  assert.match(label, /1 freier Termin/, `the day is marked: ${label}`);
  await page.keyboard.press('Enter');
  await page.waitForFunction((d) => new URL(location.href).searchParams.get('date') === d, target);
  await slot(page, FAR.id).waitFor();
  assert.match(await page.locator('#results-status').textContent(), /1 Termin am/);
  await pressUntil(page, 'Tab', (id) => document.activeElement?.closest(`li[data-session-id="far40"]`) !== null
    && document.activeElement?.tagName === 'BUTTON', 30, 'the time button');
  await page.keyboard.press('Enter');
  await page.locator('#book-dialog').waitFor({ state: 'visible' });
  assert.equal(await page.evaluate(() => document.activeElement.id), 'b-name');
  await page.keyboard.type('Kim Tastatur');
  await page.keyboard.press('Tab');
  await page.keyboard.type('kim@example.org');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Keys GmbH');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'b-consent');
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'book-submit');
  await page.keyboard.press('Enter');
  await page.locator('#book-done').waitFor({ state: 'visible', timeout: 10000 });
  assert.match(await page.locator('#book-done-text').textContent(), /Kim Tastatur/);
  assertNoProblems(assert, page);
  await page.context().close();
});

test('the URL after choosing camp, topic and day opens the same view in a new page', async () => {
  const page = await newPage(browser, { size: 'desktop', locale: 'de-DE' });
  await openBookingPage(page, server.base);
  await page.selectOption('#f-camp', 'bochum');
  await page.selectOption('#f-topic', 'IT-Sicherheit');
  const day = berlinDay(2).date; // Anna's office hours
  await page.locator(`#cal-grid button[data-day="${day}"].has-slots`).click();
  await page.waitForFunction((d) => new URL(location.href).searchParams.get('date') === d, day);
  // The URL changes at the click, the list when the day's sessions have arrived: until then it
  // still shows the next days (grouped by day), so wait for the day's list (grouped by expert).
  await page.locator('#days[data-mode="expert"] li[data-session-id]').first().waitFor();
  const url = page.url();
  const params = new URL(url).searchParams;
  assert.equal(params.get('camp'), 'bochum');
  assert.equal(params.get('topic'), 'IT-Sicherheit');
  assert.equal(params.get('date'), day);
  const shown = await page.locator('#days li[data-session-id]').evaluateAll((els) => els.map((e) => e.dataset.sessionId));
  const heads = await page.locator('#days .expert-name').allTextContents();

  const again = await newPage(browser, { size: 'mobile', locale: 'de-DE' });
  await again.goto(url);
  await ready(again);
  await again.locator('#days[data-mode="expert"] li[data-session-id]').first().waitFor();
  assert.equal(await again.locator('#f-camp').inputValue(), 'bochum');
  assert.equal(await again.locator('#f-topic').inputValue(), 'IT-Sicherheit');
  assert.equal(await again.locator('#cal-grid td[aria-selected="true"] button').getAttribute('data-day'), day);
  assert.deepEqual(await again.locator('#days li[data-session-id]').evaluateAll((els) => els.map((e) => e.dataset.sessionId)), shown);
  assert.deepEqual(await again.locator('#days .expert-name').allTextContents(), heads);
  assert.deepEqual(heads, ['Dr. Anna Schmidt']);
  assertNoProblems(assert, page);
  assertNoProblems(assert, again);
  await page.context().close();
  await again.context().close();
});

for (const [size, locale] of [['desktop', 'de-DE'], ['mobile', 'de-DE'], ['desktop', 'en-US'], ['mobile', 'en-US']]) {
  const lang = locale.slice(0, 2);
  describe(`${size}, ${lang}`, () => {
    test('the month view and a chosen day: marked days, times grouped by expert, no serious axe violation', async () => {
      const page = await newPage(browser, { size, locale });
      await openBookingPage(page, server.base, `?camp=bochum&date=${berlinDay(2).date}`);
      await page.locator('#days .expert-group').first().waitFor();
      await page.locator('#cal-grid button.has-slots').first().waitFor();
      // The office hour's first slot (the spec's workshop starts 26 h from now: late in the
      // evening it falls on this day too, at midnight, ahead of the office hours).
      const text = await page.locator('#days li[data-session-id^="anna-schmidt-weekly"] button').first().textContent();
      assert.match(text, /09:00/, `a time button reads its time: ${text}`);
      assert.match(text, /Raum Kemnade/, 'and its room');
      await screenshot(page, `finder-day-${size}-${lang}`);
      assert.deepEqual(await axeViolations(page), []);
      if (size === 'mobile') {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `scrolls sideways by ${overflow}px`);
      }
      assertNoProblems(assert, page);
      await page.context().close();
    });
  });
}

test("an event's title gets the width it needs at 1280×800: no line per word", async () => {
  const page = await newPage(browser, { size: 'desktop', locale: 'de-DE' });
  await openBookingPage(page, server.base, '?camp=bochum&expert=anna-schmidt');
  const row = slot(page, WORKSHOP.id);
  await row.waitFor({ timeout: 10000 });
  const title = row.locator('.slot-title');
  assert.equal(await title.textContent(), WORKSHOP.title);
  // Every word (hyphenated ones whole) on one line, and the title in at most two lines.
  const { broken, lines, width } = await title.evaluate((el) => {
    const text = el.firstChild;
    const linesOf = (from, to) => {
      const range = document.createRange();
      range.setStart(text, from);
      range.setEnd(text, to);
      return new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size;
    };
    const broken = [...text.data.matchAll(/\S+/g)].filter((m) => linesOf(m.index, m.index + m[0].length) > 1).map((m) => m[0]);
    return { broken, lines: linesOf(0, text.data.length), width: el.getBoundingClientRect().width };
  });
  assert.deepEqual(broken, [], `words broken across lines in ${Math.round(width)} px`);
  assert.ok(lines <= 2, `the title takes ${lines} lines in ${Math.round(width)} px`);
  assert.ok(width >= 300, `the title column is ${Math.round(width)} px wide`);
  await row.scrollIntoViewIfNeeded();
  await screenshot(page, 'finder-eventrow-desktop-de', { fullPage: false });
  assertNoProblems(assert, page);
  await page.context().close();
});
