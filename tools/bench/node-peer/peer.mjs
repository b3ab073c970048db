// The reference Node.js peer of the fan-out benchmark (tools/bench/run, B3 "÷ Node"):
// a plain server on the `ws` package, written as a competent Node developer would write
// this job, that serves the same /ws protocol as ours for the view the benchmark opens
// (camp_day) and tails the same change log in the same Redis:
//
//   subscribe -> {"op":"snapshot",...}   the sessions of the camp's day, as ours sends them
//   every change-log entry -> {"op":"changes","changes":[...]}, serialised ONCE per change
//   and handed as the same Buffer to every socket whose view matches (ws frames it per
//   socket, perMessageDeflate off as ours), ping -> pong.
//
// Fairness, and how it was checked: both servers were subscribed to the same view while
// bookings ran, and the snapshot and every changes message compared byte for byte
// (tools/bench/node-peer/compare.mjs); the session JSON (field order, RFC 3339 times in
// the session's zone, string escaping) is ours. It reads sessions in one pipelined round
// trip per batch of entries (as ours does with read_sessions.lua), keeps no per-socket
// copies, and does no work per socket beyond the view check and ws.send of the shared
// buffer. Changes that arrive while a snapshot is read wait and follow it, minus those
// it carries (our ordering rule), so the benchmark's lost/duplicate/reorder checks hold.
// Not served: other view types, `since` resumes, private expert views (the benchmark
// opens none of them: those answer with an error).
//
//   node peer.mjs --port P --redis-port R [--prefix 'sp:{hub}:']

import http from 'node:http';
import net from 'node:net';
import { WebSocketServer } from 'ws';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const PORT = Number(args.port);
const REDIS_PORT = Number(args['redis-port']);
const P = args.prefix ?? 'sp:{hub}:';

// ------------------------------------------------------------------ a small RESP client

class Redis {
  constructor(port) {
    this.queue = [];
    this.buf = Buffer.alloc(0);
    this.sock = net.createConnection({ port, host: '127.0.0.1' });
    this.sock.setNoDelay(true);
    this.sock.on('data', (d) => this.onData(d));
    this.sock.on('error', (e) => { console.error('redis:', e.message); process.exit(2); });
  }
  command(...parts) {
    let out = `*${parts.length}\r\n`;
    for (const p of parts) { const s = String(p); out += `$${Buffer.byteLength(s)}\r\n${s}\r\n`; }
    return new Promise((resolve, reject) => { this.queue.push({ resolve, reject }); this.sock.write(out); });
  }
  pipeline(commands) { return Promise.all(commands.map((c) => this.command(...c))); }
  onData(d) {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    for (;;) {
      const r = parse(this.buf, 0);
      if (!r) return;
      this.buf = this.buf.subarray(r.next);
      const w = this.queue.shift();
      if (r.value instanceof Error) w.reject(r.value); else w.resolve(r.value);
    }
  }
}

function parse(buf, at) {
  const eol = buf.indexOf('\r\n', at);
  if (eol < 0) return null;
  const kind = String.fromCharCode(buf[at]);
  const line = buf.toString('utf8', at + 1, eol);
  switch (kind) {
    case '+': return { value: line, next: eol + 2 };
    case '-': return { value: new Error(line), next: eol + 2 };
    case ':': return { value: Number(line), next: eol + 2 };
    case '$': {
      const n = Number(line);
      if (n < 0) return { value: null, next: eol + 2 };
      if (buf.length < eol + 2 + n + 2) return null;
      return { value: buf.toString('utf8', eol + 2, eol + 2 + n), next: eol + 2 + n + 2 };
    }
    case '*': {
      const n = Number(line);
      if (n < 0) return { value: null, next: eol + 2 };
      const items = [];
      let next = eol + 2;
      for (let i = 0; i < n; i++) {
        const r = parse(buf, next);
        if (!r) return null;
        items.push(r.value);
        next = r.next;
      }
      return { value: items, next };
    }
    default: throw new Error('bad RESP');
  }
}

// ------------------------------------------------------------------ the session JSON, as ours writes it

function jsonString(s) {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

const formatters = new Map();
function rfc3339(epochSeconds, zone) {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(zone, f);
  }
  const p = {};
  for (const { type, value } of f.formatToParts(new Date(epochSeconds * 1000))) p[type] = value;
  const local = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) / 1000;
  let off = Math.round((local - epochSeconds) / 60);
  const sign = off < 0 ? '-' : '+';
  off = Math.abs(off);
  const two = (n) => String(n).padStart(2, '0');
  return `${p.year.padStart(4, '0')}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${sign}${two(Math.floor(off / 60))}:${two(off % 60)}`;
}

function localDate(epochSeconds, zone) { return rfc3339(epochSeconds, zone).slice(0, 10); }

function sessionFrom(fields, waiting) {
  const m = {};
  for (let i = 0; i < fields.length; i += 2) m[fields[i]] = fields[i + 1];
  const int = (k) => (m[k] ? parseInt(m[k], 10) || 0 : 0);
  return {
    id: m.id ?? '', kind: m.kind === 'event' ? 'event' : 'office_hour', expert_id: m.expert_id ?? '',
    camp_id: m.camp_id ?? '', room_id: m.room_id ?? '', online_url: m.online_url ?? '', title: m.title ?? '',
    topic: m.topic ?? '', zone: m.zone || 'Europe/Berlin', start: int('start'), end: int('end'), seats: int('seats'),
    taken: int('taken'), waiting, status: m.status ?? '', late_minutes: int('late_minutes'),
    checked_in: int('checked_in'), busy: m.busy === '1', walkin_only: m.walkin_only === '1', version: m.version ?? '',
    offer_entry: m.offer_entry ?? '', offer_ticket: int('offer_ticket'), offer_until: int('offer_until'),
  };
}

function sessionJson(s) {
  const zone = s.zone;
  return '{"id":' + jsonString(s.id) + ',"kind":' + jsonString(s.kind) + ',"title":' + jsonString(s.title) +
    ',"topic":' + jsonString(s.topic) + ',"expert_id":' + jsonString(s.expert_id) + ',"camp_id":' +
    jsonString(s.camp_id) + ',"room_id":' + jsonString(s.room_id) + ',"online":' + (s.online_url !== '') +
    ',"start":' + jsonString(rfc3339(s.start, zone)) + ',"end":' + jsonString(rfc3339(s.end, zone)) +
    ',"zone":' + jsonString(zone) + ',"seats":' + s.seats + ',"seats_taken":' + s.taken + ',"seats_free":' +
    Math.max(0, s.seats - s.taken) + ',"waiting":' + s.waiting + ',"status":' + jsonString(s.status) +
    ',"late_minutes":' + s.late_minutes + ',"checked_in":' + s.checked_in + ',"busy":' + s.busy +
    (s.walkin_only ? ',"walkin_only":true' : '') + ',"version":' + jsonString(s.version) + ',"offer":' +
    (s.offer_entry ? '{"ticket":' + s.offer_ticket + ',"until":' + jsonString(rfc3339(s.offer_until, zone)) + '}' : 'null') + '}';
}

// ------------------------------------------------------------------ state

const redis = new Redis(REDIS_PORT);     // reads
const tail = new Redis(REDIS_PORT);      // the blocking XREAD
const subscribers = new Set();           // {ws, id, camp, date, covered, carried, pending: null | []}
const snapshots = new Map();             // view key -> {version, json}: the last snapshot's sessions

async function readSessions(ids) {
  const replies = await redis.pipeline(ids.flatMap((id) => [['HGETALL', `${P}session:${id}`], ['LLEN', `${P}session:${id}:waitlist`]]));
  const out = new Map();
  for (let i = 0; i < ids.length; i++) if (replies[2 * i].length) out.set(ids[i], sessionFrom(replies[2 * i], replies[2 * i + 1]));
  return out;
}

function compareVersions(a, b) {
  const [am, as] = a.split('-').map(BigInt);
  const [bm, bs] = b.split('-').map(BigInt);
  return am === bm ? (as === bs ? 0 : as < bs ? -1 : 1) : am < bm ? -1 : 1;
}

function carries(sub, sessionId, version) {
  const v = sub.carried?.get(sessionId);
  return v !== undefined && compareVersions(version, v) <= 0;
}

// `day`: the session's local date, computed once per change, not per socket.
function matches(sub, s, day = localDate(s.start, s.zone)) { return s.camp_id === sub.camp && day === sub.date; }

async function lastVersion() {
  const r = await redis.command('XREVRANGE', `${P}changes`, '+', '-', 'COUNT', '1');
  return r.length ? r[0][0] : '';
}

// ------------------------------------------------------------------ the change log

async function follow() {
  let last = (await lastVersion()) || '0-0';
  for (;;) {
    const r = await tail.command('XREAD', 'COUNT', '256', 'BLOCK', '1000', 'STREAMS', `${P}changes`, last);
    if (!r) continue;
    const entries = r[0][1].map(([id, kv]) => {
      const f = {};
      for (let i = 0; i < kv.length; i += 2) f[kv[i]] = kv[i + 1];
      return { id, f };
    });
    last = entries[entries.length - 1].id;
    const wanted = new Set();
    for (const e of entries) { if (e.f.session) wanted.add(e.f.session); if (e.f.from_session) wanted.add(e.f.from_session); }
    if (!wanted.size) continue;
    const current = await readSessions([...wanted]);
    for (const e of entries) {
      const emit = (id, taken, seats) => {
        let s = current.get(id);
        s = s ? { ...s } : {
          id, camp_id: e.f.camp_id ?? '', expert_id: e.f.expert_id ?? '', start: parseInt(e.f.start ?? '0', 10),
          end: parseInt(e.f.end ?? '0', 10), zone: e.f.zone || 'Europe/Berlin', kind: e.f.kind === 'event' ? 'event' : 'office_hour',
          status: 'removed', title: '', topic: '', room_id: '', online_url: '', seats: 0, taken: 0, waiting: 0,
          late_minutes: 0, checked_in: 0, busy: false, walkin_only: false, offer_entry: '', offer_ticket: 0, offer_until: 0,
        };
        if (taken) s.taken = parseInt(taken, 10);
        if (seats) s.seats = parseInt(seats, 10);
        if (id === e.f.session) {
          if (e.f.waiting) s.waiting = parseInt(e.f.waiting, 10);
          if (e.f.status) s.status = e.f.status;
          if (e.f.late_minutes) s.late_minutes = parseInt(e.f.late_minutes, 10);
        }
        s.version = e.id;
        publish(e.id, s, '{"op":"changes","changes":[{"version":' + jsonString(e.id) + ',"type":' +
          jsonString(e.f.type ?? '') + ',"session":' + sessionJson(s) + '}]}');
      };
      if (e.f.session) emit(e.f.session, e.f.taken, e.f.seats);
      if (e.f.from_session) emit(e.f.from_session, e.f.from_taken, e.f.from_seats);
    }
  }
}

function publish(version, session, text) {
  const bytes = Buffer.from(text); // once per change, shared by every socket
  const day = localDate(session.start, session.zone);
  for (const sub of subscribers) {
    if (!matches(sub, session, day)) continue;
    if (sub.pending) { sub.pending.push({ version, session: session.id, bytes }); continue; }
    if (compareVersions(version, sub.covered) <= 0 || (sub.carried && carries(sub, session.id, version))) continue;
    sub.ws.send(bytes, { binary: false });
  }
}

// ------------------------------------------------------------------ sockets

async function subscribe(ws, subs, msg) {
  const v = msg.view ?? {};
  if (v.type !== 'camp_day' || !v.camp || !/^\d{4}-\d{2}-\d{2}$/.test(v.date ?? '')) {
    ws.send('{"op":"error","code":"invalid-view","detail":"the Node peer serves camp_day views only","id":' + jsonString(String(msg.id ?? '')) + '}');
    return;
  }
  const sub = { ws, id: String(msg.id), camp: v.camp, date: v.date, covered: '0-0', carried: null, pending: [] };
  for (const old of subs) if (old.id === sub.id) { subscribers.delete(old); subs.delete(old); }
  subs.add(sub);
  subscribers.add(sub);
  const version = (await lastVersion()) || '0-0';
  const key = `camp_day:${v.camp}:${v.date}`;
  // The sessions' JSON is the same for every socket opening this view while the log
  // stands still (as ours shares it: live/recent_reads.hpp): read and serialised once.
  let cached = snapshots.get(key);
  if (!cached || cached.version !== version) {
    const day = Date.parse(v.date + 'T00:00:00Z') / 1000;
    const ids = await redis.command('ZRANGEBYSCORE', `${P}camp:${v.camp}:sessions`, day - 14 * 3600, `(${day + 86400 + 14 * 3600}`, 'LIMIT', '0', '2000');
    const found = await readSessions(ids);
    const sessions = ids.map((id) => found.get(id)).filter((s) => s && matches(sub, s));
    // Sessions read in a newer state than `version` (a change landed between the two
    // reads): their changes up to that state are not sent again (ours: session_mailbox).
    const newer = sessions.filter((s) => compareVersions(s.version || '0-0', version) > 0).map((s) => [s.id, s.version]);
    cached = { version, json: sessions.map(sessionJson).join(','), newer: newer.length ? new Map(newer) : null };
    snapshots.set(key, cached);
  }
  if (ws.readyState !== ws.OPEN) return;
  ws.send('{"op":"snapshot","id":' + jsonString(sub.id) + ',"view":' + jsonString(key) +
    ',"version":' + jsonString(version) + ',"sessions":[' + cached.json + ']}');
  sub.covered = version;
  sub.carried = cached.newer;
  const waiting = sub.pending;
  sub.pending = null;
  for (const p of waiting) if (compareVersions(p.version, version) > 0 && !carries(sub, p.session, p.version)) ws.send(p.bytes, { binary: false });
}

const server = http.createServer((req, res) => { res.writeHead(req.url === '/healthz' ? 200 : 404).end(); });
const wss = new WebSocketServer({ server, path: '/ws', perMessageDeflate: false, maxPayload: 16 * 1024 });
wss.on('connection', (ws) => {
  const subs = new Set();
  ws.on('message', (data, isBinary) => {
    if (isBinary) return ws.close(1003, 'text frames only');
    let msg;
    try { msg = JSON.parse(data); } catch { return ws.send('{"op":"error","code":"malformed-json","detail":"not JSON"}'); }
    if (msg.op === 'ping') ws.send('{"op":"pong","id":' + jsonString(String(msg.id ?? '')) + '}');
    else if (msg.op === 'subscribe') subscribe(ws, subs, msg).catch((e) => console.error('subscribe:', e.message));
    else if (msg.op === 'unsubscribe') for (const s of subs) if (s.id === msg.id) { subs.delete(s); subscribers.delete(s); }
  });
  ws.on('close', () => { for (const s of subs) subscribers.delete(s); });
  ws.on('error', () => {});
});
server.listen(PORT, '127.0.0.1', () => console.log(`node peer on ${PORT}`));
follow().catch((e) => { console.error('follow:', e); process.exit(2); });
