// Every page names all the modules its script imports, directly or not, as
// <link rel="modulepreload">, so the browser fetches them at once instead of one import
// level after another (four round trips on the booking page before its first request).
// A module added to a page's imports without its preload, or a preload left behind
// after an import went, fails here.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SOURCE_DIR } from '../support/env.mjs';

const STATIC = path.join(SOURCE_DIR, 'static');

/** The module at `url` (a path under static/) and everything it imports, in import order. */
function closure(url, seen = new Set()) {
  if (seen.has(url)) return seen;
  seen.add(url);
  const src = fs.readFileSync(path.join(STATIC, url), 'utf8');
  for (const m of src.matchAll(/^\s*import\s+(?:[^'"]*?\s+from\s+)?'([^']+)'/gm)) {
    closure(path.posix.normalize(path.posix.join(path.posix.dirname(url), m[1])), seen);
  }
  return seen;
}

const pages = fs.readdirSync(STATIC).filter((f) => f.endsWith('.html'));

test('every page preloads exactly the modules its script imports', () => {
  assert.ok(pages.length >= 8, `pages found: ${pages.join(', ')}`);
  for (const page of pages) {
    const html = fs.readFileSync(path.join(STATIC, page), 'utf8');
    const entries = [...html.matchAll(/<script type="module" src="([^"]+)"><\/script>/g)].map((m) => m[1]);
    assert.equal(entries.length, 1, `${page}: one module script`);
    const wanted = [...closure(entries[0])].slice(1).sort();
    const preloaded = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]).sort();
    assert.deepEqual(preloaded, wanted, `${page}: modulepreload links against the imports of ${entries[0]}`);
  }
});
