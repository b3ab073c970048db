// What the end-to-end tests need from the machine: free loopback ports, scratch folders,
// a real redis-server on a free port and the real server binary (the one CTest passes in
// SP_SERVER_BINARY), plus a small HTTP client. Everything started here is stopped by the
// returned handle, so a failing test leaves no process behind.

import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SOURCE_DIR = process.env.SP_SOURCE_DIR || path.resolve(here, '../../..');
export const SERVER_BINARY = process.env.SP_SERVER_BINARY || path.join(SOURCE_DIR, 'build/helper/server/sprechstunde');
export const ADMIN_BINARY = process.env.SP_ADMIN_BINARY || path.join(SOURCE_DIR, 'build/helper/tools/admin/sprechstunde-admin');
export const SCREENSHOT_DIR = process.env.SP_SCREENSHOT_DIR || path.join(SOURCE_DIR, 'build/screenshots');
const SCRATCH_DIR = process.env.SP_SCRATCH_DIR || path.join(os.tmpdir(), 'sprechstunde-e2e');

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `pred` every 25 ms until it returns something truthy or `timeoutMs` passes. */
export async function eventually(pred, timeoutMs, what = 'condition') {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await pred();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function scratchDir(name) {
  fs.mkdirSync(SCRATCH_DIR, { recursive: true });
  return fs.mkdtempSync(path.join(SCRATCH_DIR, `${name}-`));
}

/** A child process whose output goes to a log file; stop() ends it (SIGTERM, then SIGKILL). */
function startProcess(argv, logPath, options = {}) {
  const log = fs.openSync(logPath, 'a');
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', log, log], ...options });
  fs.closeSync(log);
  let exited = false;
  const exit = new Promise((resolve) => child.on('exit', (code, signal) => {
    exited = true;
    resolve({ code, signal });
  }));
  return {
    child,
    exit,
    get alive() {
      return !exited;
    },
    async stop(graceMs = 5000) {
      if (exited) return exit;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exit;
      clearTimeout(timer);
      return result;
    },
  };
}

export async function httpStatus(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** A redis-server on a free loopback port with its own data folder. */
export async function startRedis() {
  const port = await freePort();
  const dir = scratchDir('redis');
  const proc = startProcess(['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--dir', dir,
    '--save', '', '--appendonly', 'yes', '--daemonize', 'no', '--logfile', ''], path.join(dir, 'redis.log'));
  await eventually(() => new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.write('PING\r\n');
    });
    socket.on('data', (d) => {
      socket.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    socket.on('error', () => resolve(false));
  }), 10000, 'redis-server');
  return { port, url: `redis://127.0.0.1:${port}`, stop: () => proc.stop() };
}

/**
 * The sprechstunde binary on a free (or given) port, against `redisUrl`, serving this
 * repository's static/ folder; resolves once /readyz answers 200.
 */
export async function startServer({ redisUrl, seedFile, port, flags = [] }) {
  const chosen = port || (await freePort());
  const dir = scratchDir('server');
  const logPath = path.join(dir, 'server.log');
  const argv = [SERVER_BINARY, `--redis.url=${redisUrl}`, `--http.port=${chosen}`, '--http.listen=127.0.0.1',
    `--http.static_dir=${path.join(SOURCE_DIR, 'static')}`, `--hub.public_url=http://127.0.0.1:${chosen}`,
    `--live.allowed_origins=http://127.0.0.1:${chosen}`, '--log.access_log=false', ...flags];
  if (seedFile) argv.push(`--hub.seed_file=${seedFile}`);
  const proc = startProcess(argv, logPath, { env: { ...process.env } });
  const base = `http://127.0.0.1:${chosen}`;
  try {
    await eventually(async () => !proc.alive || (await httpStatus(`${base}/readyz`)) === 200, 30000, 'the server to be ready');
  } catch (err) {
    await proc.stop();
    throw new Error(`${err.message}\n${fs.readFileSync(logPath, 'utf8')}`);
  }
  if (!proc.alive) throw new Error(`the server exited at start:\n${fs.readFileSync(logPath, 'utf8')}`);
  return {
    port: chosen,
    base,
    logPath,
    log: () => fs.readFileSync(logPath, 'utf8'),
    stop: () => proc.stop(10000),
  };
}

/** Runs the admin command line against `redisUrl`; its standard output. */
export function adminCli(redisUrl, args) {
  return new Promise((resolve, reject) => {
    execFile(ADMIN_BINARY, [`--redis.url=${redisUrl}`, ...args], { timeout: 30000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

// ------------------------------------------------------------------ HTTP from the test

/** A cookie jar with the CSRF header, like a browser signed in through the API. */
export class ApiClient {
  constructor(base) {
    this.base = base;
    this.cookies = new Map();
  }

  async request(method, path, body, headers = {}) {
    const h = { Accept: 'application/json', ...headers };
    if (body !== undefined) h['Content-Type'] = 'application/json';
    if (this.cookies.size) h.Cookie = Array.from(this.cookies, ([k, v]) => `${k}=${v}`).join('; ');
    if (this.cookies.has('sp_csrf') && method !== 'GET') h['X-CSRF-Token'] = this.cookies.get('sp_csrf');
    const res = await fetch(this.base + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    const setCookies = typeof res.headers.getSetCookie === 'function'
      ? res.headers.getSetCookie()
      : (res.headers.get('set-cookie') || '').split(/,(?=\s*[A-Za-z0-9_-]+=)/).filter(Boolean);
    for (const line of setCookies) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, json, text, headers: res.headers };
  }

  get(path) {
    return this.request('GET', path);
  }

  post(path, body, headers) {
    return this.request('POST', path, body, headers);
  }

  put(path, body) {
    return this.request('PUT', path, body);
  }
}

export const PASSWORD = 'a long and unusual passphrase';

/** The first community manager: invited by the admin tool, accepted over HTTP. */
export async function firstAdmin(redisUrl, base, email = 'manager@hub.example.org') {
  const out = await adminCli(redisUrl, ['invite-admin', email]);
  const token = out.trim().split('\n')[0].split('/').pop();
  const admin = new ApiClient(base);
  const res = await admin.post(`/api/v1/auth/invitations/${token}/accept`, { password: PASSWORD });
  if (res.status !== 201) throw new Error(`accepting the admin invitation: ${res.status} ${res.text}`);
  return admin;
}

/** An expert account for `expertId`, invited by `admin`; returns the invitation token. */
export async function inviteExpert(admin, email, expertId) {
  const res = await admin.post('/api/v1/admin/invitations', { email, role: 'expert', expert_id: expertId });
  if (res.status !== 201) throw new Error(`inviting an expert: ${res.status} ${res.text}`);
  return res.json.invitation_token;
}

export async function expertAccount(admin, base, email, expertId, password = PASSWORD) {
  const token = await inviteExpert(admin, email, expertId);
  const expert = new ApiClient(base);
  const res = await expert.post(`/api/v1/auth/invitations/${token}/accept`, { password });
  if (res.status !== 201) throw new Error(`accepting the expert invitation: ${res.status} ${res.text}`);
  return expert;
}

/** Books `sessionId` over HTTP; the 201 body. */
export async function bookOverHttp(base, sessionId, founder, waitlist = false) {
  const client = new ApiClient(base);
  const res = await client.post(`/api/v1/sessions/${sessionId}/${waitlist ? 'waitlist' : 'bookings'}`, {
    name: founder.name, email: founder.email, startup: founder.startup || 'Test GmbH', consent: true,
  });
  if (res.status !== 201) throw new Error(`booking ${sessionId}: ${res.status} ${res.text}`);
  return res.json;
}
