// The README's pictures are produced by the project's own command (tools/screenshots):
// taken again here from the demo hub, every picture committed in static/img/screenshots/
// must still come out, at the same size, and no picture the command takes is missing
// from the repository.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SCREENSHOT_DIR, SOURCE_DIR } from '../support/env.mjs';
import { PICTURES, pngSize, takeReadmeScreenshots } from '../support/readme-screenshots.mjs';

test('every picture the README shows is produced again from the demo hub, at its size', async () => {
  const out = path.join(SCREENSHOT_DIR, 'readme');
  fs.rmSync(out, { recursive: true, force: true });
  const written = (await takeReadmeScreenshots(out)).map((f) => path.basename(f)).sort();
  assert.deepEqual(written, PICTURES.map((p) => p.file).sort());
  const committedDir = path.join(SOURCE_DIR, 'static/img/screenshots');
  const committed = fs.readdirSync(committedDir).filter((f) => f.endsWith('.png')).sort();
  assert.deepEqual(committed, written, 'the committed pictures are exactly the ones tools/screenshots takes');
  for (const p of PICTURES) {
    assert.deepEqual(pngSize(path.join(out, p.file)), { width: p.width, height: p.height }, p.file);
    assert.deepEqual(pngSize(path.join(committedDir, p.file)), { width: p.width, height: p.height }, `committed ${p.file}`);
  }
  const readme = fs.readFileSync(path.join(SOURCE_DIR, 'README.md'), 'utf8');
  for (const p of PICTURES) assert.ok(readme.includes(`static/img/screenshots/${p.file}`), `the README shows ${p.file}`);
});
