// A community manager works through the admin pages against the real admin API: a new
// room and a new event (in the camp's local time), a camp that is still in use refuses to
// go, an invitation whose link an expert then follows to set a password, and a founder's
// data erased by e-mail.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoProblems, launch, newPage, ready, screenshot } from '../support/browser.mjs';
import { PASSWORD, bookOverHttp, firstAdmin, startRedis, startServer } from '../support/env.mjs';
import { signIn } from '../support/flows.mjs';
import { berlinDay, writeHub } from '../support/hub.mjs';

let redis;
let server;
let browser;

before(async () => {
  redis = await startRedis();
  server = await startServer({ redisUrl: redis.url, seedFile: writeHub() });
  await firstAdmin(redis.url, server.base);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await redis?.stop();
});

const section = (page, name) => page.click(`#admin-nav button[aria-controls="${name}"]`);

test('rooms and events are created through the forms; a camp in use is not deleted', async () => {
  const page = await newPage(browser, { allowStatus: [401, 404, 409] });
  await signIn(page, server.base, 'admin', 'manager@hub.example.org', PASSWORD);

  await section(page, 'rooms');
  await page.click('#rooms button.primary');
  await page.fill('#rooms form [name="name"]', 'Werkraum Süd');
  assert.equal(await page.inputValue('#rooms form [name="id"]'), 'werkraum-sued', 'the id follows the name');
  await page.selectOption('#rooms form [name="camp_id"]', 'bochum');
  await page.fill('#rooms form [name="capacity"]', '8');
  await page.click('#rooms form button[type="submit"]');
  await page.locator('#rooms tr[data-id="werkraum-sued"]').waitFor();
  assert.match(await page.locator('#admin-result').textContent(), /Werkraum Süd/);

  await section(page, 'events');
  await page.click('#events button.primary');
  const { date } = berlinDay(3);
  await page.fill('#events form [name="title"]', 'Admin Night');
  await page.fill('#events form [name="id"]', 'admin-night');
  await page.selectOption('#events form [name="camp_id"]', 'bochum');
  await page.selectOption('#events form [name="room_id"]', 'werkraum-sued');
  await page.selectOption('#events form [name="expert_id"]', 'anna-schmidt');
  await page.fill('#events form [name="start"]', `${date}T18:00`);
  await page.fill('#events form [name="end"]', `${date}T20:00`);
  await page.fill('#events form [name="topic"]', 'IT-Sicherheit');
  await page.fill('#events form [name="seats"]', '8');
  await page.click('#events form button[type="submit"]');
  await page.locator('#events tr[data-id="admin-night"]').waitFor();
  assert.match(await page.locator('#events tr[data-id="admin-night"]').textContent(), /18:00–20:00 ME(S)?Z/);
  // Entered in the camp's local time, stored as that instant.
  const session = await (await fetch(`${server.base}/api/v1/sessions/admin-night`)).json();
  assert.match(session.start, new RegExp(`^${date}T18:00:00\\+0[12]:00$`));
  assert.equal(session.room_id, 'werkraum-sued');

  // A camp with rooms and sessions refuses to go; the problem is shown and the row stays.
  await section(page, 'camps');
  const row = page.locator('#camps tr[data-id="bochum"]');
  await row.locator('button[data-action="delete"]').click();
  await row.locator('button[data-action="yes"]').click();
  await page.waitForFunction(() => !document.querySelector('#admin-result').hidden);
  assert.match(await page.locator('#admin-result').textContent(), /noch verwendet|in use/i);
  assert.equal(await row.count(), 1);
  assertNoProblems(assert, page);
  await page.context().close();
});

/** The field errors of a form: each with the field that names it in aria-describedby. */
async function fieldErrors(page, form) {
  return page.locator(form).evaluate((f) => Array.from(f.querySelectorAll('.field-error'), (note) => {
    const field = Array.from(f.elements).find((el) => (el.getAttribute('aria-describedby') || '').split(' ').includes(note.id));
    const a = field?.getBoundingClientRect();
    const b = note.getBoundingClientRect();
    return {
      id: note.id, text: note.textContent, field: field?.name ?? null,
      // under its field: starts at the field's left edge, below it
      under: Boolean(a) && Math.abs(a.left - b.left) < 2 && b.top >= a.bottom,
    };
  }));
}

test('the new-event form names every empty field at once, under the field, and says why in German', async () => {
  const page = await newPage(browser, { allowStatus: [401, 404, 422] });
  await signIn(page, server.base, 'admin', 'manager@hub.example.org', PASSWORD);
  await section(page, 'events');
  await page.click('#events button.primary');
  const form = '#events form';

  // The room select shows its longest option whole at desktop width.
  const clipped = await page.locator(`${form} [name="room_id"]`).evaluate((select) => {
    const probe = document.createElement('span');
    probe.style.cssText = `font:${getComputedStyle(select).font};white-space:nowrap;position:absolute`;
    probe.textContent = Array.from(select.options, (o) => o.text).sort((a, b) => b.length - a.length)[0];
    document.body.append(probe);
    const need = probe.getBoundingClientRect().width + 40; // padding and the arrow
    probe.remove();
    return need > select.clientWidth ? `${select.clientWidth}px for ${Math.round(need)}px` : '';
  });
  assert.equal(clipped, '', 'the room select is clipped');

  await page.click(`${form} button[type="submit"]`);
  let errors = await fieldErrors(page, form);
  assert.deepEqual(errors.map((e) => e.field).sort(), ['end', 'id', 'start', 'title', 'topic'], JSON.stringify(errors));
  for (const e of errors) {
    assert.doesNotMatch(e.id, /object/, 'an error id made from an element');
    assert.ok(e.under, `the error of ${e.field} sits under it`);
    assert.match(e.text, /Bitte/);
  }
  assert.equal(await page.evaluate(() => document.activeElement.name), 'id', 'focus on the first empty field');
  await screenshot(page, 'admin-newevent-empty-desktop-de');

  const { date } = berlinDay(4);
  await page.fill(`${form} [name="title"]`, 'Pitch-Check');
  await page.fill(`${form} [name="id"]`, 'pitch-check');
  await page.selectOption(`${form} [name="camp_id"]`, 'bochum');
  await page.selectOption(`${form} [name="room_id"]`, 'bochum-1'); // Raum Kemnade holds 4
  await page.fill(`${form} [name="topic"]`, 'Finanzierung');
  await page.fill(`${form} [name="start"]`, `${date}T17:00`);
  await page.fill(`${form} [name="end"]`, `${date}T18:00`);
  await page.fill(`${form} [name="seats"]`, '10');
  await page.click(`${form} button[type="submit"]`);
  errors = await fieldErrors(page, form);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].field, 'seats');
  assert.match(errors[0].text, /Raum Kemnade fasst nur 4 Personen/);
  assert.ok(errors[0].under, 'the seats error sits under the seats field');
  await screenshot(page, 'admin-newevent-overcap-desktop-de');

  await page.fill(`${form} [name="seats"]`, '4');
  await page.fill(`${form} [name="end"]`, `${date}T16:00`);
  await page.click(`${form} button[type="submit"]`);
  errors = await fieldErrors(page, form);
  assert.deepEqual(errors.map((e) => [e.field, e.text]), [['end', 'Das Ende muss nach dem Beginn liegen; eine Veranstaltung dauert höchstens 24 Stunden.']]);

  // A refusal only the server knows of (a start in the past) reads in German, at its field.
  await page.fill(`${form} [name="start"]`, `${berlinDay(-2).date}T17:00`);
  await page.fill(`${form} [name="end"]`, `${berlinDay(-2).date}T18:00`);
  await page.click(`${form} button[type="submit"]`);
  await page.locator(`${form} .field-error`).waitFor();
  errors = await fieldErrors(page, form);
  assert.deepEqual(errors.map((e) => [e.field, e.text]), [['start', 'Der Beginn muss in der Zukunft liegen.']]);
  assertNoProblems(assert, page);
  await page.context().close();
});

test("an invitation link lets an expert choose a password; a founder's data is erased by e-mail", async () => {
  await bookOverHttp(server.base, 'talk', { name: 'Fiona Forget', email: 'fiona@example.org' });
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', 'manager@hub.example.org', PASSWORD);

  await section(page, 'invitations');
  await page.fill('#i-email', 'mira@example.org');
  await page.selectOption('#i-role', 'expert');
  await page.selectOption('#i-expert', 'mira-okafor');
  await page.click('#invite-form button[type="submit"]');
  await page.locator('#invite-done').waitFor({ state: 'visible' });
  const link = await page.inputValue('#invite-url');
  assert.match(link, new RegExp(`^${server.base}/invite/[A-Za-z0-9_-]{43}$`));

  const expert = await newPage(browser);
  await expert.goto(link);
  await ready(expert);
  assert.match(await expert.locator('#invite-for').textContent(), /mira@example\.org/);
  await expert.fill('#p1', 'short');
  await expert.fill('#p2', 'short');
  await expert.click('#invite-form button[type="submit"]');
  await expert.locator('.field-error').waitFor();
  await expert.fill('#p1', 'mira chooses a long passphrase');
  await expert.fill('#p2', 'mira chooses a long passphrase');
  await expert.click('#invite-form button[type="submit"]');
  await expert.waitForURL(`${server.base}/expert`);
  await expert.locator('#app').waitFor({ state: 'visible' });
  assert.equal(await expert.locator('#account-name').textContent(), 'mira@example.org');

  await section(page, 'erasure');
  await page.fill('#er-email', 'fiona@example.org');
  await page.click('#erase-form button[type="submit"]');
  await page.locator('#erase-form .field-error').waitFor(); // the confirm box first
  await page.check('#er-confirm');
  await page.click('#erase-form button[type="submit"]');
  await page.waitForFunction(() => /Gelöscht: 1 Buchung/.test(document.querySelector('#admin-result').textContent));

  await section(page, 'audit');
  await page.locator('#audit-body tr').first().waitFor();
  assert.ok(await page.locator('#audit-body tr').count() > 0);
  assertNoProblems(assert, page);
  assertNoProblems(assert, expert);
  await page.context().close();
  await expert.context().close();
});
