// An expert puts a photo on their profile from the dashboard, or a community manager does
// it for them on the admin page; founders see it on the expert's page instead of the
// initials; an SVG, or a photo over the configured limit, is refused in the page's
// language before anything is sent.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertNoProblems, axeViolations, launch, newPage, ready, screenshot } from '../support/browser.mjs';
import { PASSWORD, expertAccount, firstAdmin, startRedis, startServer } from '../support/env.mjs';
import { signIn } from '../support/flows.mjs';
import { writeHub } from '../support/hub.mjs';

let redis;
let server;
let browser;
let dir;

// A real 2×2 PNG (red, green, blue, white), so the browser draws it.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEklEQVR4nGP4z8DAAMIM/4EAAB/uBfsL2WiLAAAAAElFTkSuQmCC',
  'base64');

before(async () => {
  redis = await startRedis();
  // A limit other than the default, so the pages are seen to take the server's.
  server = await startServer({ redisUrl: redis.url, seedFile: writeHub(), flags: ['--http.max_upload_bytes=102400'] });
  const admin = await firstAdmin(redis.url, server.base);
  await expertAccount(admin, server.base, 'jonas@example.org', 'jonas-becker');
  browser = await launch();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-photo-'));
  fs.writeFileSync(path.join(dir, 'me.png'), PNG);
  fs.writeFileSync(path.join(dir, 'big.png'), Buffer.concat([PNG, Buffer.alloc(150 * 1024)]));
  fs.writeFileSync(path.join(dir, 'me.svg'), '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await redis?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const TEXT = {
  de: { saved: /^Gespeichert/, svg: 'Ein Foto muss ein JPEG-, PNG- oder WebP-Bild sein.', removed: /^Foto entfernt/,
    limit: /höchstens 100 KiB/, big: /^Das Foto ist zu groß: höchstens 100 KiB/, action: 'Foto' },
  en: { saved: /^Saved/, svg: 'A photo must be a JPEG, PNG or WebP image.', removed: /^Photo removed/,
    limit: /at most 100 KiB/, big: /^The photo is too large: at most 100 KiB/, action: 'Photo' },
};

for (const [size, locale] of [['desktop', 'de-DE'], ['mobile', 'en-US']]) {
  const lang = locale.slice(0, 2);
  describe(`${size}, ${lang}`, () => {
    test('an expert uploads a photo, founders see it on the profile page, an SVG is refused', async () => {
      const expert = await newPage(browser, { size, locale });
      await signIn(expert, server.base, 'expert', 'jonas@example.org', PASSWORD);
      await expert.locator('#photo-panel').waitFor({ state: 'visible' });
      assert.equal(await expert.locator('#photo-preview img').count(), 0, 'initials before a photo');
      assert.equal(await expert.locator('#photo-remove').isVisible(), false, 'nothing to remove yet');

      // An SVG is refused in the browser, in the page's language, before anything is sent.
      let sent = 0;
      expert.on('request', (r) => { if (r.url().endsWith('/api/v1/expert/photo')) sent += 1; });
      await expert.setInputFiles('#photo-file', path.join(dir, 'me.svg'));
      await expert.waitForFunction((s) => document.querySelector('#photo-status').textContent === s, TEXT[lang].svg);
      assert.equal(sent, 0);
      // So is a photo over the server's limit, which the panel names.
      assert.match(await expert.locator('#photo-panel .photo-intro').textContent(), TEXT[lang].limit);
      await expert.setInputFiles('#photo-file', path.join(dir, 'big.png'));
      await expert.waitForFunction((re) => new RegExp(re).test(document.querySelector('#photo-status').textContent),
        TEXT[lang].big.source);
      assert.equal(sent, 0);

      await expert.setInputFiles('#photo-file', path.join(dir, 'me.png'));
      await expert.waitForFunction((re) => new RegExp(re).test(document.querySelector('#photo-status').textContent),
        TEXT[lang].saved.source);
      await expert.locator('#photo-preview img').waitFor();
      // The element comes first, its pixels when the browser has fetched and decoded them
      // (on a busy machine not in the same moment): wait for them as the eye would.
      await expert.waitForFunction(() => {
        const img = document.querySelector('#photo-preview img');
        return img && img.complete && img.naturalWidth === 2;
      });
      await screenshot(expert, `expert-photo-${size}-${lang}`);
      assert.deepEqual(await axeViolations(expert), []);

      // The founder's view of the expert: the photo instead of the initials.
      const founder = await newPage(browser, { size, locale });
      await founder.goto(`${server.base}/experts/jonas-becker`);
      await ready(founder);
      const img = founder.locator('#profile-avatar img');
      await img.waitFor();
      await founder.waitForFunction(() => document.querySelector('#profile-avatar img').naturalWidth === 2);
      await screenshot(founder, `profile-photo-${size}-${lang}`);
      assert.deepEqual(await axeViolations(founder), []);

      // Removed: initials again, on both pages.
      await expert.click('#photo-remove');
      await expert.waitForFunction((re) => new RegExp(re).test(document.querySelector('#photo-status').textContent),
        TEXT[lang].removed.source);
      assert.equal(await expert.locator('#photo-preview').textContent(), 'JB');
      await founder.reload();
      await ready(founder);
      assert.equal(await founder.locator('#profile-avatar').textContent(), 'JB');
      assertNoProblems(assert, expert);
      assertNoProblems(assert, founder);
      await expert.context().close();
      await founder.context().close();
    });

    test('a community manager sets and removes an expert\'s photo on the admin page', async () => {
      const page = await newPage(browser, { size, locale });
      await signIn(page, server.base, 'admin#experts', 'manager@hub.example.org', PASSWORD);
      const row = page.locator('[data-entity="experts"] tr[data-id="jonas-becker"]');
      await row.getByRole('button', { name: new RegExp(`^${TEXT[lang].action}: `) }).click();
      await page.locator('#expert-photo').waitFor({ state: 'visible' });
      assert.match(await page.locator('#expert-photo-title').textContent(), /Jonas Becker/);
      assert.match(await page.locator('#expert-photo .photo-intro').textContent(), TEXT[lang].limit);
      assert.equal(await page.locator('#expert-photo .photo-preview').textContent(), 'JB');
      await page.setInputFiles('#expert-photo-file', path.join(dir, 'me.png'));
      await page.waitForFunction((re) => new RegExp(re).test(document.querySelector('#expert-photo-status').textContent),
        TEXT[lang].saved.source);
      await page.locator('#expert-photo .photo-preview img').waitFor();
      const expertOf = async () => (await (await fetch(`${server.base}/api/v1/experts`)).json()).experts
        .find((e) => e.id === 'jonas-becker');
      assert.ok((await expertOf()).photo_url, 'founders see the photo');
      await screenshot(page, `admin-photo-${size}-${lang}`);
      assert.deepEqual(await axeViolations(page), []);
      await page.locator('#expert-photo .photo-remove').click();
      await page.waitForFunction((re) => new RegExp(re).test(document.querySelector('#expert-photo-status').textContent),
        TEXT[lang].removed.source);
      assert.equal((await expertOf()).photo_url, undefined, 'and the initials again once removed');
      assertNoProblems(assert, page);
      await page.context().close();
    });
  });
}
