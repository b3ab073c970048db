// Every problem code the server can answer with has a string in German and in English,
// so the pages never fall back to the server's English detail. The codes are read from
// the server's sources: the refusals of store/refusal.cpp that reach users, every
// make_problem(...) and every json_input fail(...) in the HTTP layers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SOURCE_DIR } from '../support/env.mjs';

const load = (lang) => JSON.parse(fs.readFileSync(path.join(SOURCE_DIR, 'static', 'i18n', `${lang}.json`), 'utf8'));

function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.cpp') ? [path.join(dir, e.name)] : []);
}

/** code -> the file that sends it */
function serverCodes() {
  const codes = new Map();
  for (const dir of ['api', 'http', 'app', 'auth']) {
    for (const file of files(path.join(SOURCE_DIR, 'server', dir))) {
      const src = fs.readFileSync(file, 'utf8');
      // The code is the first string argument after the status: make_problem(status, "code", …), fail(status, "code", …).
      for (const m of src.matchAll(/\b(?:make_problem|fail)\(\s*[^;"]*?,\s*"([a-z][a-z0-9-]*)"/g)) codes.set(m[1], file);
    }
  }
  // refusal_info{r::name, "code", "sentence", reaches_users}: a refusal that reaches users is sent as its code.
  const refusals = path.join(SOURCE_DIR, 'server', 'store', 'refusal.cpp');
  const table = fs.readFileSync(refusals, 'utf8');
  for (const m of table.matchAll(/refusal_info\{\s*r::\w+,\s*"([a-z][a-z0-9-]*)",\s*"(?:[^"\\]|\\.)*",\s*(true|false)\s*\}/g)) {
    if (m[2] === 'true') codes.set(m[1], refusals);
  }
  return codes;
}

test('the scan finds the codes it must (a scan that finds nothing would prove nothing)', () => {
  const codes = serverCodes();
  for (const known of ['too-soon', 'full', 'unknown-feed', 'invalid-field', 'missing-field', 'consent-required', 'not-found', 'unknown-token']) {
    assert.ok(codes.has(known), `the scan misses ${known}`);
  }
  assert.ok(codes.size > 40, `only ${codes.size} codes found`);
});

test('every problem code the server can send has a string in German and English', () => {
  const missing = [];
  for (const lang of ['de', 'en']) {
    const strings = load(lang);
    for (const [code, file] of serverCodes()) {
      if (!(`problem.${code}` in strings)) missing.push(`${lang}: problem.${code} (sent by ${path.relative(SOURCE_DIR, file)})`);
    }
  }
  assert.deepEqual(missing, []);
});

test('a field-specific problem string exists in both languages or in neither', () => {
  const de = load('de');
  const en = load('en');
  const codes = serverCodes();
  for (const key of Object.keys(de).filter((k) => /^problem\.[a-z-]+\.[a-z_]+$/.test(k))) {
    assert.ok(key in en, `${key} only in German`);
    assert.ok(codes.has(key.split('.')[1]), `${key} is for a code the server never sends`);
  }
});
