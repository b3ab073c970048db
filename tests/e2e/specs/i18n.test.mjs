// Every string the pages use exists in German and in English, with the same
// placeholders, and nothing is left untranslated in one language only.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SOURCE_DIR } from '../support/env.mjs';

const STATIC = path.join(SOURCE_DIR, 'static');
const load = (lang) => JSON.parse(fs.readFileSync(path.join(STATIC, 'i18n', `${lang}.json`), 'utf8'));
const de = load('de');
const en = load('en');

function files(dir, ext) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name), ext) : e.name.endsWith(ext) ? [path.join(dir, e.name)] : []);
}

const placeholders = (value) => {
  const text = typeof value === 'string' ? value : Object.values(value).join(' ');
  return [...new Set(text.match(/\{\w+\}/g) || [])].sort();
};

test('German and English have the same keys, placeholders and plural forms', () => {
  assert.deepEqual(Object.keys(de).sort(), Object.keys(en).sort());
  for (const key of Object.keys(de)) {
    assert.deepEqual(placeholders(de[key]), placeholders(en[key]), `placeholders of ${key}`);
    assert.equal(typeof de[key], typeof en[key], `plural forms of ${key}`);
    if (typeof de[key] === 'object') {
      for (const dict of [de, en]) assert.ok('one' in dict[key] && 'other' in dict[key], `${key} has one and other`);
    }
  }
});

test('German addresses people formally ("Sie"), never with "du"', () => {
  // Case matters: "Versuche" is a noun, "versuche" the informal imperative.
  const informal = /(?<![\p{L}])(du|Du|dich|dir|[dD]ein\p{L}*|versuche|[gG]ib|[wW]ähle|kannst|hast|bist)(?![\p{L}])/u;
  const texts = Object.entries(de).flatMap(([key, value]) =>
    (typeof value === 'string' ? [value] : Object.values(value)).map((text) => [key, text]));
  const found = texts.filter(([, text]) => informal.test(text)).map(([key, text]) => `${key}: ${text}`);
  assert.deepEqual(found, []);
});

test('every key the markup and the scripts name exists', () => {
  const used = new Set();
  for (const file of files(STATIC, '.html')) {
    const html = fs.readFileSync(file, 'utf8');
    for (const m of html.matchAll(/data-i18n="([^"]+)"/g)) used.add(m[1]);
    for (const m of html.matchAll(/data-i18n-attr="([^"]+)"/g)) {
      for (const pair of m[1].split(';')) used.add(pair.split(':')[1].trim());
    }
  }
  for (const file of files(path.join(STATIC, 'js'), '.js')) {
    const js = fs.readFileSync(file, 'utf8');
    for (const m of js.matchAll(/\bt\('([a-z_.-]+)'/g)) used.add(m[1]);
    for (const m of js.matchAll(/\b(?:label|hint): '([a-z_.-]+\.[a-z_.-]+)'/g)) used.add(m[1]);
  }
  const missing = [...used].filter((key) => !(key in de));
  assert.deepEqual(missing, []);
  assert.ok(used.size > 100, `found ${used.size} keys in use`);
});

test('the pages hold no inline script, inline style or event-handler attribute (the CSP forbids them)', () => {
  for (const file of files(STATIC, '.html')) {
    const html = fs.readFileSync(file, 'utf8');
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, `${file}: inline <script>`);
    assert.doesNotMatch(html, /\sstyle="/, `${file}: style attribute`);
    assert.doesNotMatch(html, /\son[a-z]+="/, `${file}: on… attribute`);
  }
  for (const file of files(path.join(STATIC, 'js'), '.js')) {
    const js = fs.readFileSync(file, 'utf8');
    assert.doesNotMatch(js, /\.innerHTML\s*=|insertAdjacentHTML|outerHTML\s*=|document\.write/, `${file}: markup from strings`);
  }
});
