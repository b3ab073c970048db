// A community manager works through the admin pages against the real admin API: a new
// room and a new event (in the camp's local time), a camp that is still in use refuses to
// go, an invitation whose link an expert then follows to set a password, and a founder's
// data erased by e-mail. The experts table names each expert's camps and fits a desktop
// screen with its row buttons, delete included. On a phone every admin table reads as
// cards, each cell after its column's name.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SIZES, assertNoProblems, launch, newPage, ready, screenshot } from '../support/browser.mjs';
import { PASSWORD, bookOverHttp, firstAdmin, startRedis, startServer } from '../support/env.mjs';
import { signIn } from '../support/flows.mjs';
import { berlinDay, writeHub } from '../support/hub.mjs';

let redis;
let server;
let browser;
let admin;

before(async () => {
  redis = await startRedis();
  server = await startServer({ redisUrl: redis.url, seedFile: writeHub(),
    // The manager signs in once per test, more often within five minutes than the
    // default five sign-ins per account allow; Anna's calendar below is on this machine.
    flags: ['--auth.login_attempts_per_account=20', '--calendar.allow_private_addresses=true'] });
  admin = await firstAdmin(redis.url, server.base);
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

/** Where the experts table's row buttons are: each row's delete (or, while asked, its
 *  "yes, delete") against the table's visible area and the page, and whether anything of
 *  the table lies outside that area. */
function expertsLayout(page) {
  return page.locator('[data-entity="experts"] .table-wrap').evaluate((wrap) => {
    const area = wrap.getBoundingClientRect();
    const rows = Array.from(wrap.querySelectorAll('tbody tr'), (row) => {
      const button = row.querySelector('[data-confirm]:not([hidden]) [data-action="yes"]')
        || row.querySelector('[data-action="delete"]');
      const b = button.getBoundingClientRect();
      return {
        id: row.dataset.id,
        shown: b.left >= area.left - 0.5 && b.right <= area.right + 0.5 && b.right <= window.innerWidth,
      };
    });
    return {
      rows,
      tableScrolls: wrap.scrollWidth > wrap.clientWidth + 1,
      pageScrolls: document.documentElement.scrollWidth > window.innerWidth,
    };
  });
}

test("the experts table names each expert's camps and shows every row's delete button at 1280×800 and on a phone", async () => {
  // A second camp in Essen, a camp in Gelsenkirchen, and an expert whose title, topics and
  // camps take room, as in the demo hub.
  for (const [id, name, city] of [['essen-sued', 'Digital Camp Essen-Süd', 'Essen'],
    ['gelsenkirchen', 'Digital Camp Gelsenkirchen', 'Gelsenkirchen']]) {
    const res = await admin.put(`/api/v1/admin/camps/${id}`, {
      name, city, focus: 'Gesundheitswirtschaft', address: `Hauptstraße 1, ${city}`, zone: 'Europe/Berlin',
    });
    assert.ok(res.status === 201 || res.status === 200, res.text);
  }
  const res = await admin.put('/api/v1/admin/experts/thomas-krueger', {
    name: 'Thomas Krüger', title: 'Datenschutz im Gesundheitswesen', bio: 'Berät Kliniken.',
    topics: ['Datenschutz', 'Gesundheitswirtschaft', 'Medizinprodukte'], languages: ['de'],
    camp_ids: ['gelsenkirchen', 'bochum'],
  });
  assert.ok(res.status === 201 || res.status === 200, res.text);

  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', 'manager@hub.example.org', PASSWORD);
  await section(page, 'experts');
  // Mira Okafor works at both Essen camps from now on: ticked in her form.
  const mira = page.locator('#experts tr[data-id="mira-okafor"]');
  await mira.locator('button[data-action="edit"]').click();
  await page.check('#experts form input[name="camp_ids"][value="essen-sued"]');
  await page.click('#experts form button[type="submit"]');
  await page.waitForFunction(() => /Süd/.test(document.querySelector('#experts tr[data-id="mira-okafor"]')?.textContent));

  // The camps by name, one a line: two camps in one city are two different names.
  const camps = (id) => page.locator(`#experts tr[data-id="${id}"] td:nth-child(4)`);
  assert.equal(await camps('mira-okafor').innerText(), 'Digital Camp Essen,\nDigital Camp Essen-Süd');
  assert.equal(await camps('thomas-krueger').innerText(), 'Digital Camp Gelsenkirchen,\nDigital Camp Bochum');
  assert.equal(await camps('anna-schmidt').innerText(), 'Digital Camp Bochum');

  for (const lang of ['de', 'en']) {
    if (lang === 'en') {
      assert.equal(await page.locator('#admin-result').textContent(), 'Mira Okafor wurde gespeichert.');
      await page.click('#lang-switch button[data-lang="en"]');
      await page.waitForFunction(() => document.querySelector('#experts-title').textContent === 'Experts');
      // The last result is said again in the new language, not left in the old one.
      assert.equal(await page.locator('#admin-result').textContent(), 'Mira Okafor was saved.');
    }
    const layout = await expertsLayout(page);
    assert.equal(layout.rows.length, 4);
    assert.deepEqual(layout.rows.filter((r) => !r.shown), [], `${lang}: a delete button outside the table's visible area`);
    assert.equal(layout.tableScrolls, false, `${lang}: the experts table is wider than its area at 1280×800`);
    assert.equal(layout.pageScrolls, false, `${lang}: the page scrolls sideways`);
    await screenshot(page, `admin-experts-desktop-${lang}`);
  }
  // Asked "really delete?", the answer's buttons are in view too; then nothing is deleted.
  const thomas = page.locator('#experts tr[data-id="thomas-krueger"]');
  await thomas.locator('button[data-action="delete"]').click();
  assert.deepEqual((await expertsLayout(page)).rows.filter((r) => !r.shown), []);
  await screenshot(page, 'admin-experts-confirm-desktop-en');
  await thomas.locator('button[data-action="no"]').click();
  assert.equal(await thomas.count(), 1);

  // On a phone the table reads as cards (the last test), never scrolling the page; each
  // delete button can be scrolled to. (The same page, made narrow: the server allows five
  // sign-ins per account in five minutes.)
  await page.setViewportSize(SIZES.mobile);
  for (const lang of ['en', 'de']) {
    if (lang === 'de') {
      await page.click('#lang-switch button[data-lang="de"]');
      await page.waitForFunction(() => document.querySelector('#experts-title').textContent === 'Expert:innen');
    }
    await page.evaluate(() => {
      window.scrollTo(0, 0);
      document.querySelector('[data-entity="experts"] .table-wrap').scrollLeft = 0;
    });
    assert.equal((await expertsLayout(page)).pageScrolls, false, `${lang}: the page scrolls sideways on a phone`);
    await screenshot(page, `admin-experts-mobile-${lang}`);
    await thomas.locator('button[data-action="delete"]').scrollIntoViewIfNeeded();
    const layout = await expertsLayout(page);
    assert.ok(layout.rows.find((r) => r.id === 'thomas-krueger').shown, `${lang}: delete scrolled into view on a phone`);
    assert.equal(layout.pageScrolls, false);
    await screenshot(page, `admin-experts-mobile-${lang}-scrolled`, { fullPage: false });
  }
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

/** What a person sees of the admin tables shown in section `name`: whether the page or a
 *  table scrolls sideways, whether a table's header row shows (and is there at all), how
 *  tall the rows' buttons are, and the parts whose table role is not spelled out (WebKit
 *  reads a display: block table to VoiceOver as a table only through explicit roles). */
function tablesSeen(page, name) {
  return page.locator(`#${name}`).evaluate((section) => {
    const shown = (el) => el.getClientRects().length > 0;
    const wraps = Array.from(section.querySelectorAll('.table-wrap')).filter(shown);
    return {
      pageScrolls: document.scrollingElement.scrollWidth > window.innerWidth,
      tables: wraps.map((wrap) => {
        const head = wrap.querySelector('thead').getBoundingClientRect();
        return {
          in: wrap.closest('section').id,
          scrolls: wrap.scrollWidth > wrap.clientWidth,
          headerShown: head.width > 1 && head.height > 1,
          headers: wrap.querySelectorAll('thead th').length,
          rows: wrap.querySelectorAll('tbody tr').length,
          roleless: [['table', 'table'], ['thead, tbody, tfoot', 'rowgroup'], ['tr', 'row'],
            ['thead th', 'columnheader'], ['tbody th, tfoot th', 'rowheader'], ['td', 'cell']]
            .flatMap(([sel, role]) => Array.from(wrap.querySelectorAll(sel))
              .filter((el) => el.getAttribute('role') !== role)
              .map((el) => `${el.outerHTML.slice(0, 60)} (not ${role})`)),
        };
      }),
      buttons: Array.from(section.querySelectorAll('.table-wrap tbody button')).filter(shown)
        .map((b) => ({ text: b.textContent, height: b.getBoundingClientRect().height })),
    };
  });
}

/** A cell as a person sees it: the column name shown before its value (null: none), its
 *  text, whether it shows at all and whether it still lays out as a table cell. */
function cellSeen(page, selector) {
  return page.locator(selector).evaluate((cell) => {
    const before = getComputedStyle(cell, '::before');
    const labelShown = !['none', 'normal'].includes(before.content) && before.display !== 'none';
    return {
      label: labelShown ? cell.dataset.label ?? '' : null,
      text: cell.innerText,
      shown: cell.getClientRects().length > 0,
      tableCell: getComputedStyle(cell).display === 'table-cell',
    };
  });
}

test('a slow answer for the expert opened before never shows under the expert opened after', async () => {
  // Anna has a calendar of her own (on a port nobody answers), Jonas none: their panels differ.
  const added = await admin.post('/api/v1/admin/experts/anna-schmidt/calendars', { url: 'http://127.0.0.1:9/anna.ics' });
  assert.equal(added.status, 201, added.text);
  const page = await newPage(browser, { size: 'desktop' });
  await signIn(page, server.base, 'admin', 'manager@hub.example.org', PASSWORD);
  await section(page, 'experts');
  const open = (id) => page.locator(`#experts tr[data-id="${id}"] button[data-action="extra-0"]`).click();
  // What the two panels say, read in the page (the waits and the watch below use it too).
  await page.evaluate(() => {
    window.panelsNow = () => JSON.stringify({
      title: document.querySelector('#expert-sessions-title').textContent,
      sessions: document.querySelector('#expert-sessions-body').innerText,
      calendars: document.querySelector('#expert-calendars').innerText,
    });
  });
  const panels = () => page.evaluate(() => window.panelsNow());
  const loaded = () => page.waitForFunction(() => {
    const loading = (el) => /Wird geladen|Loading/.test(el.innerText);
    return !loading(document.querySelector('#expert-sessions-body')) && !loading(document.querySelector('#expert-calendars'))
      && document.querySelector('#expert-calendars').innerText.trim() !== '';
  }, null, { timeout: 15000 });
  const shows = (want) => page.waitForFunction((w) => window.panelsNow() === w, want, { timeout: 15000 });

  // Each expert's panels as they read when nothing is slow.
  await open('anna-schmidt');
  await page.locator('#expert-calendars .calendar-item').waitFor();
  await loaded();
  const anna = await panels();
  await open('jonas-becker');
  await page.locator('#expert-calendars .calendar-item').waitFor({ state: 'detached' });
  await loaded();
  const jonas = await panels();
  assert.notEqual(JSON.parse(anna).title, JSON.parse(jonas).title);
  assert.notEqual(JSON.parse(anna).calendars, JSON.parse(jonas).calendars);

  // Anna's two answers held back; Jonas opened while they are on their way.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  const annas = /\/api\/v1\/admin\/experts\/anna-schmidt\/(sessions|calendars)(\?.*)?$/;
  let waiting = 0;
  let bothAsked;
  const asked = new Promise((resolve) => { bothAsked = resolve; });
  await page.route(annas, async (route) => {
    if (++waiting === 2) bothAsked();
    await held;
    await route.continue();
  });
  await open('anna-schmidt');
  await asked;
  await open('jonas-becker');
  await shows(jonas);

  // Anna's answers arrive; the page reads them and draws nothing of them.
  const finished = Promise.all([0, 1].map(() => page.waitForEvent('requestfinished', (r) => annas.test(r.url()))));
  release();
  await finished;
  const strayed = await page.evaluate((w) => new Promise((resolve) => {
    const seen = [];
    const check = () => {
      const now = window.panelsNow();
      if (now !== w) seen.push(now);
    };
    const watch = new MutationObserver(check);
    for (const id of ['expert-sessions', 'expert-calendars']) {
      watch.observe(document.getElementById(id), { subtree: true, childList: true, characterData: true, attributes: true });
    }
    setTimeout(() => { watch.disconnect(); check(); resolve(seen); }, 1000);
  }), jonas);
  assert.deepEqual(strayed, [], "Anna's answers were drawn under Jonas's name");
  await page.unroute(annas);
  assertNoProblems(assert, page);
  await page.context().close();
});

test('on a phone each admin table reads as cards: every cell after its column name, in the language shown, buttons big enough to tap', async () => {
  // A camp without rooms: its empty rooms cell shows no name without a value.
  const res = await admin.put('/api/v1/admin/camps/herne', {
    name: 'Digital Camp Herne', city: 'Herne', focus: 'Energie', address: 'Bahnhofstraße 1, Herne', zone: 'Europe/Berlin',
  });
  assert.ok(res.status === 201 || res.status === 200, res.text);

  const page = await newPage(browser, { size: 'mobile' });
  await signIn(page, server.base, 'admin', 'manager@hub.example.org', PASSWORD);
  const SECTIONS = ['camps', 'experts', 'events', 'statistics', 'audit'];
  const open = async (name) => {
    await section(page, name);
    await page.locator(`#${name}`).waitFor({ state: 'visible' });
    if (name === 'experts') {
      // An expert's sessions: one more table, below the experts.
      await page.locator('#experts tr[data-id="anna-schmidt"] button[data-action="extra-0"]').click();
      await page.locator('#expert-sessions-body td[data-label]').first().waitFor();
    }
    if (name === 'events') await page.locator('#events tr[data-id="talk"]').waitFor();
    if (name === 'statistics') await page.locator('#stats-foot td').first().waitFor();
    if (name === 'audit') await page.locator('#audit-body tr').first().waitFor();
  };
  // Cells looked at: [section, cell, its value, its column's name in German, in English].
  const CELLS = [
    ['camps', '#camps tr[data-id="bochum"] td:nth-child(2)', 'Bochum', 'Stadt', 'City'],
    ['experts', '#experts tr[data-id="anna-schmidt"] td:nth-child(2)', 'Informationssicherheit', 'Titel', 'Title'],
    ['experts', '#expert-sessions-body tr:first-child td:nth-child(3)', /^\d+\/\d+$/, 'Gebucht', 'Booked'],
    ['events', '#events tr[data-id="talk"] td:nth-child(4)', 'Dr. Anna Schmidt', 'Leitung', 'Host'],
    ['events', '#events tr[data-id="talk"] td.num', '5', 'Plätze', 'Seats'],
    ['statistics', '#stats-body tr:first-child td:nth-child(6)', /^\d+$/, 'Buchungen', 'Bookings'],
    ['statistics', '#stats-foot td:nth-child(4)', /^\d+$/, 'Buchungen', 'Bookings'], // the totals
    ['audit', '#audit-body tr:first-child td:nth-child(2)', /\S/, 'Ereignis', 'Event'],
  ];

  for (const lang of ['de', 'en']) {
    if (lang === 'en') {
      await page.click('#lang-switch button[data-lang="en"]');
      await page.waitForFunction(() => document.querySelector('#experts-title').textContent === 'Experts');
      // The expert's sessions read in German before the switch are in English now, without
      // being opened again: title, status and the own calendars' title.
      assert.equal(await page.locator('#expert-sessions-title').textContent(), 'Sessions of Dr. Anna Schmidt');
      assert.equal(await page.locator('#expert-calendars-title').textContent(), 'Own calendars of Dr. Anna Schmidt');
      assert.match(await page.locator('#expert-sessions-body tr:first-child td:nth-child(2)').textContent(),
        /^(Open|Cancelled|Outside the rule)$/);
    }
    for (const name of SECTIONS) {
      await open(name);
      const seen = await tablesSeen(page, name);
      const where = `${lang}, ${name} on a phone`;
      assert.equal(seen.pageScrolls, false, `${where}: the page scrolls sideways`);
      assert.ok(seen.tables.length > 0, `${where}: no table shown`);
      for (const table of seen.tables) {
        assert.equal(table.scrolls, false, `${where}: the table in #${table.in} scrolls sideways`);
        assert.equal(table.headerShown, false, `${where}: the header row of #${table.in} shows above the cards`);
        assert.ok(table.headers > 0, `${where}: the header row of #${table.in} is gone (a screen reader needs it)`);
        assert.ok(table.rows > 0, `${where}: #${table.in} has no rows`);
        assert.deepEqual(table.roleless, [], `${where}: parts of #${table.in} without their table role`);
      }
      if (['camps', 'experts', 'events'].includes(name)) assert.ok(seen.buttons.length > 0, `${where}: no row buttons`);
      assert.deepEqual(seen.buttons.filter((b) => b.height < 44), [], `${where}: row buttons lower than 44 px`);
      for (const [, cell, value, de, en] of CELLS.filter((c) => c[0] === name)) {
        // The statistics are fetched again in the new language: wait for their names.
        await page.waitForFunction(([sel, label]) => document.querySelector(sel)?.dataset.label === label,
          [cell, lang === 'de' ? de : en], { timeout: 15000 });
        const c = await cellSeen(page, cell);
        assert.equal(c.label, lang === 'de' ? de : en, `${where}: the column name before ${cell}`);
        assert.match(c.text, value instanceof RegExp ? value : new RegExp(`^${value}$`), `${where}: ${cell}`);
      }
      if (name === 'camps') {
        // Herne's empty rooms: no name standing alone; its city shows with its name.
        assert.equal((await cellSeen(page, '#camps tr[data-id="herne"] td:nth-child(5)')).shown, false, `${where}: an empty cell shows`);
        assert.equal((await cellSeen(page, '#camps tr[data-id="herne"] td:nth-child(2)')).label, lang === 'de' ? 'Stadt' : 'City');
        // Still a table to a screen reader: the header names the column, the cell reads its value only.
        const tree = await page.locator('#camps table').ariaSnapshot();
        assert.match(tree, new RegExp(`columnheader "${lang === 'de' ? 'Stadt' : 'City'}"`), tree);
        assert.match(tree, /cell "Bochum"/, tree);
        // Asked "really delete?": the answer's buttons as big, the card no wider.
        const herne = page.locator('#camps tr[data-id="herne"]');
        await herne.locator('button[data-action="delete"]').click();
        const asked = await tablesSeen(page, name);
        assert.equal(asked.pageScrolls || asked.tables.some((t) => t.scrolls), false, `${where}: asked, the card is too wide`);
        assert.deepEqual(asked.buttons.filter((b) => b.height < 44), [], `${where}: the answer's buttons lower than 44 px`);
        await screenshot(page, `admin-cards-camps-confirm-mobile-${lang}`);
        await herne.locator('button[data-action="no"]').click();
      }
      await screenshot(page, `admin-cards-${name}-mobile-${lang}`);
    }
  }

  // At 1280×800 the tables are tables as before: the header row above, no names in the cells.
  await page.setViewportSize(SIZES.desktop);
  for (const name of SECTIONS) {
    await open(name);
    const seen = await tablesSeen(page, name);
    for (const table of seen.tables) {
      assert.equal(table.headerShown, true, `desktop, ${name}: the header row of #${table.in} is hidden`);
    }
    for (const [, cell] of CELLS.filter((c) => c[0] === name)) {
      const c = await cellSeen(page, cell);
      assert.equal(c.label, null, `desktop, ${name}: a column name shown in ${cell}`);
      assert.equal(c.tableCell, true, `desktop, ${name}: ${cell} is no table cell`);
    }
    await screenshot(page, `admin-cards-${name}-desktop-en`);
  }
  assertNoProblems(assert, page);
  await page.context().close();
});
