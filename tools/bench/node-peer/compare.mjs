// Checks that the Node peer sends what our server sends, byte for byte: subscribes to the
// same camp_day view on both, books `--bookings` seats (one at a time, through our
// server's API, over the view's sessions), and compares the snapshots' sessions and
// every `changes` message by version. Exit 0 when all are equal.
//
//   node compare.mjs --ours PORT --peer PORT --camp fan --date YYYY-MM-DD [--bookings 20]
//
// (tools/bench/run starts both; to run it by hand, start a server and `node peer.mjs`
// on one Redis, as tools/bench/run does.)

import WebSocket from 'ws';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const bookings = Number(args.bookings ?? 20);
const sub = JSON.stringify({ op: 'subscribe', id: 'v', view: { type: 'camp_day', camp: args.camp, date: args.date } });

function open(port) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { origin: `http://127.0.0.1:${port}`, perMessageDeflate: false });
    const got = { snapshot: null, changes: new Map(), ws };
    ws.on('open', () => ws.send(sub));
    ws.on('message', (data) => {
      const text = data.toString();
      const m = JSON.parse(text);
      if (m.op === 'snapshot') { got.snapshot = m; got.snapshotText = text; resolve(got); }
      else if (m.op === 'changes') {
        // A socket that fell behind gets the states waiting in a row as one message: each
        // change is then compared on its own (as parsed), a one-change message byte for byte.
        if (m.changes.length === 1) got.changes.set(m.changes[0].version, { text, merged: false });
        else for (const c of m.changes) got.changes.set(c.version, { text: JSON.stringify({ op: 'changes', changes: [c] }), merged: true });
      }
    });
    ws.on('error', reject);
  });
}

const ours = await open(Number(args.ours));
const peer = await open(Number(args.peer));
let failures = 0;
const fail = (what) => { failures++; console.error('DIFFERENT:', what); };

// The snapshots: the same text when both were read at the same version.
if (ours.snapshot.version === peer.snapshot.version) {
  if (ours.snapshotText !== peer.snapshotText) fail(`snapshot\n ours ${ours.snapshotText.slice(0, 400)}\n peer ${peer.snapshotText.slice(0, 400)}`);
} else {
  console.error(`(snapshots at different versions ${ours.snapshot.version} / ${peer.snapshot.version}: compared by session)`);
}

const ids = ours.snapshot.sessions.map((s) => s.id);
for (let i = 0; i < bookings; i++) {
  const id = ids[i % ids.length];
  const r = await fetch(`http://127.0.0.1:${args.ours}/api/v1/sessions/${id}/bookings`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': `compare-${Date.now()}-${i}` },
    body: JSON.stringify({ name: 'Compare Founder', email: `compare-${Date.now()}-${i}@example.org`, startup: 'Ü & "Quotes" GmbH',
      question: 'Tab\tand newline\n?', consent: true, lang: 'de' }),
  });
  if (r.status >= 300) fail(`booking answered ${r.status}: ${await r.text()}`);
}
const deadline = Date.now() + 10000;
while ((ours.changes.size < bookings || peer.changes.size < bookings) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
if (ours.changes.size < bookings) fail(`ours sent ${ours.changes.size} of ${bookings} changes`);
const canonical = (t) => JSON.stringify(JSON.parse(t));
const same = (a, b) => b !== undefined && (a.merged || b.merged ? canonical(a.text) === canonical(b.text) : a.text === b.text);
for (const [version, got] of ours.changes) {
  const other = peer.changes.get(version);
  if (!same(got, other)) fail(`changes ${version}\n ours ${got.text}\n peer ${other?.text}`);
}
if (peer.changes.size !== ours.changes.size) fail(`ours sent ${ours.changes.size} changes, the peer ${peer.changes.size}`);
console.log(`${ours.changes.size} changes and the snapshot compared: ${failures ? failures + ' different' : 'byte for byte equal'}`);
ours.ws.close();
peer.ws.close();
process.exit(failures ? 1 : 0);
