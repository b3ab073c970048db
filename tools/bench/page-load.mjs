#!/usr/bin/env node
// How fast the booking page is usable: first contentful paint and the first slot button
// a founder can press, on loopback with the demo hub, each navigation in a fresh browser
// context (cold cache, no service worker), median of 9. The baseline, measured in the
// same run, is the navigation to a static file of the same server (the loopback and
// server floor); the target is a first slot button within 300 ms.
//
//   node tools/bench/page-load.mjs [--server PATH] [--runs N] [--size desktop|mobile] [--json]
//
// --json prints one JSON object (medians in ms) instead of the text (tools/bench/run's P1).
//
// Uses the end-to-end tests' support (tests/e2e: playwright-core and Debian's chromium;
// run tests/e2e/deps.sh once). The server should be an optimised build (build/perf).

import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
process.env.SP_SERVER_BINARY = option('--server', process.env.SP_PERF_SERVER || path.join(root, 'build/perf/server/sprechstunde'));
const runs = Number(option('--runs', 9));
const size = option('--size', 'mobile');

const { launch, SIZES } = await import(path.join(root, 'tests/e2e/support/browser.mjs'));
const { startRedis, startServer } = await import(path.join(root, 'tests/e2e/support/env.mjs'));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const redis = await startRedis();
const server = await startServer({ redisUrl: redis.url, seedFile: path.join(root, 'config/demo-hub.toml') });
const browser = await launch();
try {
  const fcp = [];
  const firstSlot = [];
  const baseline = [];
  for (let i = 0; i < runs + 1; i += 1) {
    // The baseline: a static file, navigated to in a fresh context.
    const plain = await browser.newContext({ viewport: SIZES[size] });
    const p0 = await plain.newPage();
    await p0.goto(`${server.base}/css/base.css`);
    const nav = await p0.evaluate(() => performance.getEntriesByType('navigation')[0].responseEnd);
    await plain.close();

    const context = await browser.newContext({ viewport: SIZES[size], locale: 'de-DE' });
    const page = await context.newPage();
    // The moment the first slot button exists, in the page's own clock (ms since navigation start).
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.querySelector('#days li[data-session-id] button')) {
          window.firstSlotAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(`${server.base}/?camp=bochum`);
    await page.waitForFunction(() => window.firstSlotAt !== undefined, null, { timeout: 10000 });
    const paint = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
    const slot = await page.evaluate(() => window.firstSlotAt);
    await context.close();
    if (i === 0) continue; // the first run warms the server's and the browser's caches of code
    baseline.push(nav);
    fcp.push(paint);
    firstSlot.push(slot);
  }
  const b = median(baseline);
  const f = median(fcp);
  const s = median(firstSlot);
  if (args.includes('--json')) {
    console.log(JSON.stringify({ size, runs, baseline_ms: b, fcp_ms: f, first_slot_ms: s }));
  } else {
    console.log(`page load (${size}, ${runs} runs, median):`);
    console.log(`  baseline: a static file      ${b.toFixed(1)} ms`);
    console.log(`  first contentful paint       ${f.toFixed(1)} ms  (${(f / b).toFixed(1)}x baseline)`);
    console.log(`  first slot button            ${s.toFixed(1)} ms  (${(s / b).toFixed(1)}x baseline; target 300 ms: ${s <= 300 ? 'met' : 'missed'})`);
  }
} finally {
  await browser.close();
  await server.stop();
  await redis.stop();
}
