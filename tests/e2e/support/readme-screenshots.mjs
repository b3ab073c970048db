// The README's pictures of the product, taken from the demo hub the way its people see
// it: the booking page, a founder's manage page, the expert dashboard, the admin page
// and the lobby screen; and the day at a camp: a walk-in founder's place in the queue on
// the phone, the free slot offered to them, and the lobby's "free now – walk in". tools/screenshots writes them to static/img/screenshots/ (the
// README shows them from there); the e2e test takes them again into the build tree and
// checks that every committed picture is still produced.
//
//   node tests/e2e/support/readme-screenshots.mjs OUT_DIR

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, newPage, ready } from './browser.mjs';
import { ApiClient, PASSWORD, SOURCE_DIR, expertAccount, firstAdmin, startRedis, startServer } from './env.mjs';
import { signIn } from './flows.mjs';

/** Name, size and what each picture shows (the README's captions follow these). */
export const PICTURES = [
  { file: 'booking.png', width: 1280, height: 800 },
  { file: 'manage.png', width: 1280, height: 800 },
  { file: 'expert.png', width: 1280, height: 800 },
  { file: 'admin.png', width: 1280, height: 800 },
  { file: 'lobby.png', width: 1920, height: 1080 },
  { file: 'walkin-waiting.png', width: 390, height: 844 },
  { file: 'walkin-offer.png', width: 390, height: 844 },
  { file: 'lobby-walkin.png', width: 1920, height: 1080 },
];

/** RFC 3339 (UTC) of `minutes` from now, to the minute. */
function minutesFromNow(minutes) {
  const t = new Date(Date.now() + minutes * 60000);
  t.setUTCSeconds(0, 0);
  return t.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** The walk-in pictures: Mehmet joins Bochum's queue on his phone (nothing is free now,
 *  so he waits); then a short clinic with one seat is put on for 10 minutes from now,
 *  it is offered to his ticket, and the lobby shows whose turn it is by number. */
async function shootWalkins(browser, server, admin, shoot) {
  const phone = await newPage(browser, { size: 'mobile' });
  await phone.goto(`${server.base}/walkin/bochum`);
  await ready(phone);
  await phone.fill('#w-name', 'Mehmet Yılmaz');
  await phone.selectOption('#w-topic', 'IT-Sicherheit');
  await phone.locator('#join-form button[type="submit"]').click();
  await phone.locator('#ticket').waitFor({ state: 'visible', timeout: 10000 });
  // Two more founders join after him (their names never show anywhere public).
  const api = new ApiClient(server.base);
  for (const name of ['Lea Vogt', 'Tim Krüger']) await api.post('/api/v1/camps/bochum/walkins', { name, lang: 'de' });
  await phone.waitForFunction(() => document.body.dataset.state === 'waiting', null, { timeout: 10000 });
  await shoot(phone, 'walkin-waiting.png');

  const res = await admin.put('/api/v1/admin/events/pitch-clinic', {
    camp_id: 'bochum', room_id: 'bochum-1', expert_id: 'anna-schmidt', title: 'Security-Sprechstunde spontan', topic: 'IT-Sicherheit',
    description: 'Offen für die Warteschlange.', start: minutesFromNow(10), end: minutesFromNow(40), seats: 1,
  });
  if (res.status !== 201) throw new Error(`the clinic: ${res.status} ${res.text}`);
  await phone.locator('#offer').waitFor({ state: 'visible', timeout: 15000 });
  await shoot(phone, 'walkin-offer.png');

  const lobby = await newPage(browser, { size: 'tv' });
  await lobby.goto(`${server.base}/lobby/bochum`);
  await ready(lobby);
  await lobby.waitForFunction(() => document.querySelector('#walkin-free li.offered'), null, { timeout: 10000 });
  await shoot(lobby, 'lobby-walkin.png');
}

const FOUNDERS = [
  { name: 'Jana Brandt', email: 'jana@ruhrwerk.example', startup: 'Ruhrwerk', question: 'Wie schützen wir unseren Shop vor Kartenbetrug?' },
  { name: 'Deniz Aydın', email: 'deniz@kokerei.example', startup: 'Kokerei Labs', question: 'Pentest vor dem Launch – was ist sinnvoll?' },
  { name: 'Paul Weber', email: 'paul@zechenlicht.example', startup: 'Zechenlicht', question: 'DSGVO für unsere Smart-Home-App' },
];

/** Open sessions of an expert from now on, soonest first. */
async function upcoming(api, query) {
  const res = await api.get(`/api/v1/sessions?${query}&free_only=true`);
  return (res.json?.sessions || []).filter((s) => new Date(s.start) - Date.now() > 3 * 3600 * 1000);
}

/** The camp with the most sessions left today (the lobby then has something to show). */
async function busiestCamp(api) {
  const camps = (await api.get('/api/v1/camps')).json.camps.map((c) => c.id);
  let best = camps[0];
  let most = -1;
  for (const camp of camps) {
    const n = ((await api.get(`/api/v1/sessions?camp=${camp}`)).json?.sessions || []).filter((s) => {
      const start = new Date(s.start);
      return start.toDateString() === new Date().toDateString() && new Date(s.end) > new Date();
    }).length;
    if (n > most) {
      most = n;
      best = camp;
    }
  }
  return best;
}

export async function takeReadmeScreenshots(outDir) {
  fs.mkdirSync(outDir, { recursive: true });
  const redis = await startRedis();
  const server = await startServer({ redisUrl: redis.url, seedFile: path.join(SOURCE_DIR, 'config/demo-hub.toml') });
  const browser = await launch();
  const written = [];
  try {
    const api = new ApiClient(server.base);
    const shoot = async (page, file) => {
      const target = path.join(outDir, file);
      await page.screenshot({ path: target, animations: 'disabled', caret: 'hide' });
      written.push(target);
    };
    // The booking page first, as a founder finds it: every slot still free.
    const booking = await newPage(browser);
    await booking.goto(`${server.base}/?camp=bochum`);
    await ready(booking);
    await shoot(booking, 'booking.png');

    const admin = await firstAdmin(redis.url, server.base, 'community@demo.sprechstunde.example');
    await expertAccount(admin, server.base, 'anna@demo.sprechstunde.example', 'anna-schmidt');
    // A few founders booked Anna's next sessions, so the dashboard has people on it.
    const annas = await upcoming(api, 'expert=anna-schmidt');
    let manageToken = null;
    for (let i = 0; i < Math.min(FOUNDERS.length, annas.length); ++i) {
      const res = await api.post(`/api/v1/sessions/${annas[i].id}/bookings`, { ...FOUNDERS[i], consent: true, lang: 'de' });
      if (res.status === 201 && !manageToken) manageToken = res.json.manage_token;
    }
    const manage = await newPage(browser);
    await manage.goto(`${server.base}/b/${manageToken}`);
    await ready(manage);
    await shoot(manage, 'manage.png');

    const expert = await newPage(browser);
    await signIn(expert, server.base, 'expert', 'anna@demo.sprechstunde.example', PASSWORD);
    await ready(expert);
    await shoot(expert, 'expert.png');

    const manager = await newPage(browser);
    await signIn(manager, server.base, 'admin', 'community@demo.sprechstunde.example', PASSWORD);
    await ready(manager);
    await shoot(manager, 'admin.png');

    const lobby = await newPage(browser, { size: 'tv' });
    await lobby.goto(`${server.base}/lobby/${await busiestCamp(api)}`);
    await ready(lobby);
    await lobby.waitForFunction(() => document.body.dataset.connection === 'live', null, { timeout: 10000 });
    await shoot(lobby, 'lobby.png');

    await shootWalkins(browser, server, admin, shoot);
  } finally {
    await browser.close();
    await server.stop();
    await redis.stop();
  }
  return written;
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(file) {
  const header = fs.readFileSync(file).subarray(0, 24);
  if (header.toString('latin1', 1, 4) !== 'PNG') throw new Error(`${file} is not a PNG`);
  return { width: header.readUInt32BE(16), height: header.readUInt32BE(20) };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = path.resolve(process.argv[2] || path.join(SOURCE_DIR, 'static/img/screenshots'));
  const files = await takeReadmeScreenshots(out);
  for (const f of files) console.log(`wrote ${path.relative(process.cwd(), f)}`);
}
