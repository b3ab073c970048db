// The day at the camp, walk-ins: a founder without a booking joins the camp's queue on
// the phone (from the lobby's QR code) and sees their place in line; a booked founder
// does not come, is released at the start, the seat shows on the lobby as "free now"
// and is offered to the walk-in founder's open page, who takes it – each step within a
// second, without a reload. The lobby shows whose turn it is by ticket number only, never
// a name; the expert's dashboard lists the queue with the names behind sign-in.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoProblems, axeViolations, newPage, ready, screenshot, waitForLive } from '../support/browser.mjs';
import { PASSWORD, bookOverHttp, eventually } from '../support/env.mjs';
import { signIn } from '../support/flows.mjs';
import { startCampDay, stopCampDay } from '../support/camp-day.mjs';

let day;
let server;
let browser;
// Starts shortly after the server does; a founder not here is released at the start.
const startAt = new Date(Math.ceil((Date.now() + 30000) / 1000) * 1000);

before(async () => {
  day = await startCampDay({
    extra: [{ id: 'now', title: 'Sprechstunde jetzt', startAt, minutes: 60, seats: 1 }],
    flags: ['--booking.release_after_minutes=0', '--booking.release_sweep_seconds=1'],
    started: async (s) => {
      await bookOverHttp(s.base, 'now', { name: 'Nina Nichtda', email: 'away@example.org' });
    },
  });
  ({ server, browser } = day);
});

after(() => stopCampDay(day));

async function sessionState(id) {
  const res = await fetch(`${server.base}/api/v1/sessions/${id}`);
  return res.json();
}

test('a walk-in founder joins the queue, a no-show is released, the lobby shows it free now and the founder is offered it and takes it, within 1 s each', async () => {
  const lobby = await newPage(browser, { size: 'tv', locale: 'en-US' });
  await lobby.goto(`${server.base}/lobby/bochum?lang=en`);
  await ready(lobby);
  await lobby.waitForFunction(() => document.body.dataset.connection === 'live');

  // The founder scans the lobby's walk-in code: it opens /walkin/bochum.
  const qr = await lobby.locator('#walkin-qr').getAttribute('src');
  const svg = await (await fetch(`${server.base}${qr}`)).text();
  assert.match(svg, /\/walkin\/bochum/);

  const founder = await newPage(browser, { size: 'mobile', locale: 'en-US' });
  await founder.goto(`${server.base}/walkin/bochum`);
  await ready(founder);
  // A name is needed; the page says so in its language, next to the field.
  await founder.locator('#join-form button[type="submit"]').click();
  assert.match(await founder.locator('#join-form .field-error').textContent(), /name/i);
  await founder.fill('#w-name', 'Walter Walkin');
  await founder.locator('#join-form button[type="submit"]').click();
  await founder.locator('#ticket').waitFor({ state: 'visible', timeout: 5000 });
  const ticket = (await founder.locator('#ticket-number').textContent()).trim();
  assert.match(ticket, /^\d+$/);
  assert.match(await founder.locator('#ticket-state').textContent(), /next in line/);
  assert.deepEqual(await axeViolations(founder), []);
  await screenshot(founder, 'walkin-waiting-phone-en');

  // The lobby counts the queue (no name).
  await lobby.waitForFunction(() => /1 waiting/.test(document.querySelector('#walkin-queue').textContent), null,
    { timeout: 1000 });

  // Nina does not come: released at the start, and the seat is offered to the ticket.
  let released = 0;
  await eventually(async () => {
    const s = await sessionState('now');
    if (s.seats_free > 0 || s.offer) {
      released = Date.now();
      return true;
    }
    return false;
  }, 90000, 'the no-show released');
  await lobby.locator('#walkin-free li[data-session-id="now"]').waitFor({ state: 'visible', timeout: Math.max(1, 1000 - (Date.now() - released)) });

  let offered = 0;
  await eventually(async () => {
    const s = await sessionState('now');
    if (s.offer) offered = Date.now();
    return Boolean(s.offer);
  }, 5000, 'the seat offered');
  lobby.noteLive('the server has the offer');
  await founder.locator('#offer').waitFor({ state: 'visible', timeout: Math.max(1, 1000 - (Date.now() - offered)) });
  await waitForLive(lobby, (t) => new RegExp(`Ticket ${t}: your turn`).test(
    document.querySelector('#walkin-free li[data-session-id="now"] .seats')?.textContent || ''), ticket,
  { timeout: Math.max(1, 1000 - (Date.now() - offered)), what: 'the offer on the lobby' });
  // The events panel says the same of this event: offered to the ticket, not "1 free" (a
  // booking is refused while the offer stands) and not "fully booked".
  await waitForLive(lobby, (t) => new RegExp(`Ticket ${t}: your turn`).test(
    document.querySelector('#events li[data-session-id="now"] .event-seats')?.textContent || ''), ticket,
  { timeout: Math.max(1, 1000 - (Date.now() - offered)), what: 'the offer in the events panel' });
  // The title reads whole on the TV: one line, not broken inside a word by the offer text.
  assert.equal(await lobby.locator('#walkin-free li[data-session-id="now"] .free-title')
    .evaluate((el) => el.getClientRects().length), 1);
  assert.match(await founder.locator('#offer-deadline').textContent(), /Take it within \d:\d\d/);
  // No name on the TV, ever.
  assert.doesNotMatch(await lobby.locator('body').textContent(), /Walter|Nina/);
  await screenshot(founder, 'walkin-offer-phone-en');
  await screenshot(lobby, 'lobby-walkin-tv-en', { fullPage: false });

  await founder.locator('#offer-take').click();
  const took = Date.now();
  lobby.noteLive('the founder took the offer');
  await founder.locator('#booked').waitFor({ state: 'visible', timeout: 1000 });
  assert.match(await founder.locator('#booked-what').textContent(), /You are booked/);
  assert.match(await founder.locator('#booked-manage').getAttribute('href'), /^\/b\//);
  // The lobby no longer offers the seat.
  await waitForLive(lobby, () => !document.querySelector('#walkin-free li[data-session-id="now"]'), null,
    { timeout: Math.max(1, 1000 - (Date.now() - took)), what: 'the taken seat gone from the lobby' });
  await screenshot(founder, 'walkin-booked-phone-en');

  // The expert sees the walk-in founder among the session's founders.
  const expert = await newPage(browser);
  await signIn(expert, server.base, 'expert', 'anna@example.org', PASSWORD);
  const card = expert.locator('.session-card[data-session-id="now"]');
  await card.locator('li.booking', { hasText: 'Walter Walkin' }).waitFor({ timeout: 10000 });

  for (const page of [lobby, founder, expert]) {
    assertNoProblems(assert, page);
    await page.context().close();
  }
});

test('the expert sees the queue with names and calls a founder in; an admin removes an entry; the lobby stays nameless', async () => {
  // Two founders wait (German page); the expert's session "now" is full, so no "call in" yet.
  const joins = [];
  for (const name of ['Greta Gast', 'Hugo Hereinspaziert']) {
    const res = await fetch(`${server.base}/api/v1/camps/bochum/walkins`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name, lang: 'de' }),
    });
    assert.equal(res.status, 201);
    joins.push(await res.json());
  }
  const expert = await newPage(browser);
  await signIn(expert, server.base, 'expert', 'anna@example.org', PASSWORD);
  const greta = expert.locator('#walkin-queue li.queue-entry', { hasText: 'Greta Gast' });
  await greta.waitFor({ timeout: 10000 });
  assert.equal(await greta.locator('button').isHidden(), true, 'no seat free: no "call in" button');
  assert.match(await expert.locator('#walkin-queue .empty').textContent(), /freien Platz/);
  await screenshot(expert, 'walkin-queue-expert-desktop-de');

  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', 'manager@hub.example.org', PASSWORD);
  await page.goto(`${server.base}/admin#walkins`);
  await ready(page);
  const hugo = page.locator('#walkins li.queue-entry', { hasText: 'Hugo Hereinspaziert' });
  await hugo.waitFor({ timeout: 10000 });
  await hugo.locator('button').click();
  await hugo.waitFor({ state: 'detached', timeout: 1000 });
  // The expert's list follows live.
  await expert.locator('#walkin-queue li.queue-entry', { hasText: 'Hugo' }).waitFor({ state: 'detached', timeout: 1000 });
  assert.deepEqual(await axeViolations(page), []);
  await screenshot(page, 'walkin-queue-admin-desktop-de');

  // The founder whose entry was removed sees it on their page.
  const removed = await newPage(browser);
  await removed.goto(`${server.base}/walkin/bochum#${joins[1].token}`);
  await ready(removed);
  await eventually(async () => !(await removed.locator('#join-form').isHidden()), 5000, 'the join form again');
  for (const p of [expert, page, removed]) {
    assertNoProblems(assert, p);
    await p.context().close();
  }
});

test('the lobby at 1920×1080 and upright at 1080×1920 with now, next, free now and the queue', async () => {
  for (const size of ['tv', 'tvPortrait']) {
    const lobby = await newPage(browser, { size, locale: 'de-DE' });
    await lobby.goto(`${server.base}/lobby/bochum`);
    await ready(lobby);
    await lobby.waitForFunction(() => document.body.dataset.connection === 'live');
    await lobby.waitForFunction(() => /warte/.test(document.querySelector('#walkin-queue').textContent));
    // A room with nothing running says so; "free" is for what founders can take (the
    // walk-in block beside it), never for an empty room.
    const idle = await lobby.locator('.room:not(.running) .now .what').allTextContents();
    assert.ok(idle.length > 0 && idle.every((text) => text === 'Gerade kein Termin'), `idle rooms: ${idle}`);
    // Nothing scrolls on the TV.
    const overflow = await lobby.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
    assert.ok(overflow <= 0, `the ${size} lobby scrolls by ${overflow} px`);
    // No item is cut at its panel's edge, and no heading is cut at its side: a list shows
    // the items that fit whole.
    const cut = await lobby.evaluate(() => {
      const found = [];
      for (const item of document.querySelectorAll('#walkin-free > li, #free > li, #events > li')) {
        if (item.hidden) continue;
        const panel = item.closest('section').getBoundingClientRect();
        if (item.getBoundingClientRect().bottom > panel.bottom) found.push(item.textContent);
      }
      for (const heading of document.querySelectorAll('.lobby h2')) {
        if (heading.scrollWidth > heading.clientWidth) found.push(heading.textContent);
      }
      return found;
    });
    assert.deepEqual(cut, [], `cut on the ${size} lobby`);
    await screenshot(lobby, `lobby-walkin-${size === 'tv' ? 'tv' : 'portrait'}-de`, { fullPage: false });
    assertNoProblems(assert, lobby);
    await lobby.context().close();
  }
});
