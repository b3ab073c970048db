// Debian's chromium, headless, driven by playwright-core (no downloaded browser), plus
// the helpers the specs share: pages that fail on script errors, screenshots, axe-core.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { SCREENSHOT_DIR, scratchDir } from './env.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const CHROMIUM = process.env.SP_CHROMIUM || '/usr/bin/chromium';

export const SIZES = {
  desktop: { width: 1280, height: 800 },
  tv: { width: 1920, height: 1080 },
  tvPortrait: { width: 1080, height: 1920 }, // a lobby screen mounted upright
  phone: { width: 360, height: 740 },
  mobile: { width: 390, height: 844 }, // a current mid-size phone
};

/** A fresh browser with its own new user-data-dir (playwright makes one per launch). */
export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage'],
    env: { ...process.env, HOME: scratchDir('chromium-home') },
  });
}

/**
 * A page in a new context (own cookies and storage). Script errors, failed requests to
 * our server other than expected ones, and alert() calls are collected in page.problems,
 * which specs assert to be empty.
 */
export async function newPage(browser, { size = 'desktop', locale = 'de-DE', allowStatus = [401, 404] } = {}) {
  const context = await browser.newContext({ viewport: SIZES[size], locale });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (err) => page.problems.push(`page error: ${err.message}`));
  page.on('dialog', async (dialog) => {
    page.problems.push(`dialog opened: ${dialog.type()} ${dialog.message()}`);
    await dialog.dismiss();
  });
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    if (/Failed to load resource: the server responded with a status of (\d+)/.test(text)) {
      const status = Number(RegExp.$1);
      if (allowStatus.includes(status)) return;
    }
    if (/WebSocket connection to .* failed/.test(text)) return; // expected while a server restarts
    if (/net::ERR_CONNECTION_REFUSED/.test(text)) return;
    page.problems.push(`console error: ${text}`);
  });
  // What the page's WebSockets did (opened, frames both ways, closed), kept short: a
  // failed wait for a live change then says whether the change reached the page.
  page.liveJournal = [];
  const started = Date.now();
  const note = (what) => {
    page.liveJournal.push(`${String(Date.now() - started).padStart(6)} ms ${what}`);
    if (page.liveJournal.length > 200) page.liveJournal.splice(0, page.liveJournal.length - 200);
  };
  // A test marks its own steps in the same journal (with the same clock).
  page.noteLive = note;
  page.on('websocket', (ws) => {
    note(`open ${ws.url()}`);
    ws.on('framesent', (f) => note(`sent ${String(f.payload).slice(0, 300)}`));
    ws.on('framereceived', (f) => note(`received ${String(f.payload).slice(0, 1500)}`));
    ws.on('socketerror', (e) => note(`error ${e}`));
    ws.on('close', () => note('closed'));
  });
  page.on('requestfailed', (req) => {
    const failure = req.failure()?.errorText || '';
    if (/ERR_ABORTED|ERR_CONNECTION_REFUSED|ERR_EMPTY_RESPONSE|ERR_CONNECTION_RESET/.test(failure)) return;
    page.problems.push(`request failed: ${req.url()} ${failure}`);
  });
  return page;
}

/** Waits until the page's script has rendered (body[data-ready]). */
export async function ready(page) {
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 10000 });
}

/**
 * Waits for a live change to show (page.waitForFunction); when it does not, the error
 * carries the page's WebSocket journal and its live status, so a failure says whether
 * the change never arrived or arrived and was not shown.
 */
export async function waitForLive(page, predicate, arg = null, { timeout = 5000, what = 'the live change' } = {}) {
  try {
    await page.waitForFunction(predicate, arg, { timeout });
  } catch (err) {
    const status = await page.evaluate(() => document.querySelector('#live-status')?.dataset.state ?? '(none)')
      .catch(() => '(page gone)');
    err.message += `\n${what} did not show within ${timeout} ms; live status ${status}; problems on the page: ` +
      `${JSON.stringify(page.problems || [])}; WebSocket journal:\n${(page.liveJournal || []).join('\n')}`;
    throw err;
  }
}

/** Writes build/screenshots/<name>.png (the folder the README names). */
export async function screenshot(page, name, { fullPage = true } = {}) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage, animations: 'disabled', caret: 'hide' });
  return file;
}

/** axe-core's serious and critical violations on the page (or below `selector`). */
export async function axeViolations(page, selector = null) {
  // Evaluated through the DevTools protocol, so the page's CSP (script-src 'self')
  // does not stand in the way and the page is tested exactly as served.
  const present = await page.evaluate(() => typeof window.axe === 'object');
  if (!present) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async (context) => {
    const r = await window.axe.run(context || document, {
      resultTypes: ['violations'],
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  }, selector);
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Fails with a readable list when the page collected problems. */
export function assertNoProblems(assert, page) {
  assert.deepEqual(page.problems, [], `problems on ${page.url()}`);
}
