// A founder named <img src=x onerror=alert(1)> books, and an event carries the same text
// as its title: on every page where either appears it shows literally, as text, no
// element is created from it and no script runs. Every response carries the CSP.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoProblems, launch, newPage, ready } from '../support/browser.mjs';
import { PASSWORD, expertAccount, firstAdmin, startRedis, startServer } from '../support/env.mjs';
import { bookThroughForm, openBookingPage, signIn, slot } from '../support/flows.mjs';
import { XSS, writeHub } from '../support/hub.mjs';

let redis;
let server;
let browser;
let admin;

before(async () => {
  redis = await startRedis();
  server = await startServer({ redisUrl: redis.url, seedFile: writeHub({ xssTitle: true }) });
  admin = await firstAdmin(redis.url, server.base);
  await expertAccount(admin, server.base, 'anna@example.org', 'anna-schmidt');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await redis?.stop();
});

/** No element came from the payload, and the text shows literally somewhere. */
async function assertLiteral(page, where, { mayBeHidden = false } = {}) {
  const found = await page.evaluate(([payload, hiddenOk]) => ({
    injected: document.querySelectorAll('img[src="x"], img[onerror]').length,
    shown: (hiddenOk ? document.body.textContent : document.body.innerText).includes(payload),
  }), [XSS, mayBeHidden]);
  assert.equal(found.injected, 0, `no <img> from the payload on ${where}`);
  assert.ok(found.shown, `the payload is shown as text on ${where}`);
}

test('the XSS name renders as text on every page it appears', async () => {
  // Booking page: the event title, and the founder's name in the confirmation.
  const founder = await newPage(browser);
  await openBookingPage(founder, server.base, '?camp=bochum');
  assert.equal(await slot(founder, 'xss-event').locator('.slot-title').textContent(), XSS);
  const manageUrl = await bookThroughForm(founder, 'talk', { name: XSS, email: 'mallory@example.org', question: XSS });
  assert.match(await founder.locator('#book-done-text').textContent(), /<img src=x onerror=alert\(1\)>/);
  await assertLiteral(founder, 'the booking page');

  // Manage page: the founder's own name and question.
  await founder.goto(manageUrl);
  await ready(founder);
  assert.equal(await founder.locator('#data-name').textContent(), XSS);
  assert.equal(await founder.locator('#data-question').textContent(), XSS);
  await assertLiteral(founder, 'the manage page');

  // Lobby: the event title (never the founder's name).
  const lobby = await newPage(browser, { size: 'tv' });
  await lobby.goto(`${server.base}/lobby/bochum`);
  await ready(lobby);
  // Attached, not necessarily shown: the TV shows the items that fit whole, and markup
  // would be parsed (an <img> made) in a hidden item all the same.
  await lobby.locator('#free li[data-session-id="xss-event"]').waitFor({ state: 'attached' });
  assert.equal(await lobby.locator('#free li[data-session-id="xss-event"] .free-title').textContent(), XSS);
  await assertLiteral(lobby, 'the lobby', { mayBeHidden: true });

  // Expert dashboard: the founder in the session, with the question.
  const expert = await newPage(browser);
  await signIn(expert, server.base, 'expert', 'anna@example.org', PASSWORD);
  await expert.locator('.session-card[data-session-id="talk"] .booking-name').waitFor();
  assert.equal(await expert.locator('.session-card[data-session-id="talk"] .booking-name').textContent(), XSS);
  await assertLiteral(expert, 'the expert dashboard');

  // Admin pages: the event in the events table, the founder in the expert's sessions.
  const adminPage = await newPage(browser);
  await signIn(adminPage, server.base, 'admin', 'manager@hub.example.org', PASSWORD);
  await adminPage.click('#admin-nav button[aria-controls="events"]');
  await adminPage.locator('#events tr[data-id="xss-event"]').waitFor();
  await assertLiteral(adminPage, 'the admin events table');
  await adminPage.click('#admin-nav button[aria-controls="experts"]');
  await adminPage.click('#experts tr[data-id="anna-schmidt"] button[data-action="extra-0"]');
  await adminPage.locator('#expert-sessions-body td', { hasText: 'onerror' }).first().waitFor();
  await assertLiteral(adminPage, "the admin's view of an expert's sessions");

  for (const page of [founder, lobby, expert, adminPage]) {
    assertNoProblems(assert, page); // includes: no alert() dialog opened
    await page.context().close();
  }
});

test('every page is served with a Content-Security-Policy without unsafe-inline', async () => {
  for (const path of ['/', '/b/x', '/expert', '/admin', '/lobby/bochum', '/invite/x', '/js/pages/booking.js']) {
    const res = await fetch(server.base + path);
    const csp = res.headers.get('content-security-policy') || '';
    assert.match(csp, /script-src 'self'/, path);
    assert.ok(!csp.includes('unsafe-inline'), path);
  }
});
