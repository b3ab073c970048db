// Booking with the keyboard alone, from page load to the confirmation: Tab to a slot,
// Enter, type, Space for the consent, Enter to submit. Focus is always visible.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoProblems, launch, newPage, ready } from '../support/browser.mjs';
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

/** What has focus, and whether it shows a visible outline. */
const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    cls: el.className,
    label: el.getAttribute('aria-label') || el.textContent.trim().slice(0, 60),
    session: el.closest('li[data-session-id]')?.dataset.sessionId || '',
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
  };
});

test('keyboard-only booking works from page load to the confirmation', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.base}/`);
  await ready(page);

  // Tab until the first slot button; every stop on the way shows where focus is.
  let now = null;
  for (let i = 0; i < 30; i += 1) {
    await page.keyboard.press('Tab');
    now = await focused(page);
    assert.ok(now.outline || now.tag === 'body', `focus on ${now.tag}#${now.id}.${now.cls} is visible`);
    if (now.cls.includes('slot-button')) break;
  }
  assert.ok(now.cls.includes('slot-button'), 'a slot button is reachable with Tab');
  assert.match(now.label, /^Buchen, /);
  const sessionId = now.session;

  await page.keyboard.press('Enter');
  await page.locator('#book-dialog').waitFor({ state: 'visible' });
  assert.equal((await focused(page)).id, 'b-name', 'the dialog puts focus on the first field');
  await page.keyboard.type('Kim Keyboard');
  await page.keyboard.press('Tab');
  await page.keyboard.type('kim@example.org');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Tastatur AG');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Geht das ohne Maus?');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).id, 'b-consent');
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).id, 'book-submit');
  await page.keyboard.press('Enter');

  await page.locator('#book-done').waitFor({ state: 'visible', timeout: 10000 });
  assert.equal((await focused(page)).id, 'book-done-text', 'focus moves to the confirmation');
  assert.match(await page.locator('#book-done-text').textContent(), /Gebucht, Kim Keyboard!/);
  // Tab reaches the manage link, Escape closes the dialog and focus returns to the slot.
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).id, 'book-manage-link');
  await page.keyboard.press('Escape');
  await page.locator('#book-dialog').waitFor({ state: 'hidden' });
  const back = await focused(page);
  assert.equal(back.session, sessionId, 'focus is back on the booked slot');
  const booked = await (await fetch(`${server.base}/api/v1/sessions/${sessionId}`)).json();
  assert.equal(booked.seats_taken, 1);
  assertNoProblems(assert, page);
  await page.context().close();
});
