// One WebSocket per page to /ws (protocol: schema/ws/live.schema.json). The page names
// the views it watches; this keeps them subscribed across reconnects, resuming each with
// the last version it saw ("since"), so a reconnect delivers exactly what was missed.
// Reconnects back off (with jitter) and never stop; an application ping detects a dead
// connection the browser has not noticed. Everything is bounded: one socket, one timer
// of each kind, one entry per watched view.

export const BACKOFF = { initialMs: 250, maxMs: 3000 };
const PING_EVERY_MS = 20000;
const PONG_WITHIN_MS = 10000;

/** The delay before reconnect attempt `attempt` (0-based): doubling, capped, with jitter
 *  in [50 %, 100 %] so a room full of screens does not reconnect in step. */
export function backoffDelay(attempt, random = Math.random) {
  const ceiling = Math.min(BACKOFF.maxMs, BACKOFF.initialMs * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling * (0.5 + 0.5 * random()));
}

/** Orders change-log versions "ms-seq": negative, zero or positive. */
export function compareVersions(a, b) {
  const [am, as] = String(a || '0-0').split('-').map(Number);
  const [bm, bs] = String(b || '0-0').split('-').map(Number);
  return am !== bm ? am - bm : as - bs;
}

export class LiveFeed {
  /**
   * handlers: onSnapshot(id, sessions) — the full state of view `id`;
   *           onChanges(changes) — [{version, type, session}] in log order, for any view;
   *           onStatus(state, lastMessageAt) — 'connecting' | 'live' | 'offline';
   *           onSummary(id, summary) — a `walkins` view's queue summary (its snapshot and
   *           every change of it: the summary is small and always sent whole).
   */
  constructor({ onSnapshot = () => {}, onChanges = () => {}, onStatus = () => {}, onSummary = () => {}, path = '/ws' } = {}) {
    this.handlers = { onSnapshot, onChanges, onStatus, onSummary };
    this.path = path;
    this.views = new Map(); // id -> {view, since}
    this.socket = null;
    this.attempt = 0;
    this.state = 'offline';
    this.stopped = true;
    this.reconnectTimer = 0;
    this.pingTimer = 0;
    this.pongTimer = 0;
    this.lastMessageAt = null;
    this.onOnline = () => this.reconnectNow();
    this.onVisible = () => {
      if (document.visibilityState === 'visible') this.reconnectNow();
    };
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    window.addEventListener('online', this.onOnline);
    document.addEventListener('visibilitychange', this.onVisible);
    this.connect();
  }

  stop() {
    this.stopped = true;
    window.removeEventListener('online', this.onOnline);
    document.removeEventListener('visibilitychange', this.onVisible);
    this.clearTimers();
    if (this.socket) {
      this.detach(this.socket);
      this.socket.close(1000);
      this.socket = null;
    }
    this.setState('offline');
  }

  /** Watches `view` under `id` (replacing what `id` watched before). */
  watch(id, view) {
    const current = this.views.get(id);
    if (current && JSON.stringify(current.view) === JSON.stringify(view)) return;
    this.views.set(id, { view, since: null });
    this.send({ op: 'subscribe', id, view });
  }

  unwatch(id) {
    if (!this.views.delete(id)) return;
    this.send({ op: 'unsubscribe', id });
  }

  /** Makes the watched set exactly `entries` ({id: view}). */
  watchOnly(entries) {
    for (const id of Array.from(this.views.keys())) {
      if (!(id in entries)) this.unwatch(id);
    }
    for (const [id, view] of Object.entries(entries)) this.watch(id, view);
  }

  /** Forgets what `id` has seen, so it gets a fresh snapshot (e.g. at midnight). */
  refresh(id) {
    const entry = this.views.get(id);
    if (!entry) return;
    this.send({ op: 'unsubscribe', id });
    entry.since = null;
    this.send({ op: 'subscribe', id, view: entry.view });
  }

  reconnectNow() {
    if (this.stopped || this.state !== 'offline') return;
    clearTimeout(this.reconnectTimer);
    this.attempt = 0;
    this.connect();
  }

  // -------------------------------------------------------------- internals

  send(message) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.handlers.onStatus(state, this.lastMessageAt);
  }

  clearTimers() {
    clearTimeout(this.reconnectTimer);
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    this.reconnectTimer = this.pingTimer = this.pongTimer = 0;
  }

  connect() {
    if (this.stopped) return;
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    let socket;
    try {
      socket = new WebSocket(`${scheme}//${location.host}${this.path}`);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    this.setState('connecting');
    socket.onopen = () => {
      for (const [id, entry] of this.views) {
        const message = { op: 'subscribe', id, view: entry.view };
        if (entry.since) message.since = entry.since;
        socket.send(JSON.stringify(message));
      }
      this.pingTimer = setInterval(() => this.ping(), PING_EVERY_MS);
    };
    socket.onmessage = (event) => this.receive(event.data);
    socket.onclose = () => this.lost(socket);
    socket.onerror = () => {}; // a close event follows
  }

  detach(socket) {
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
  }

  lost(socket) {
    if (socket !== this.socket) return;
    this.detach(socket);
    this.socket = null;
    this.clearTimers();
    this.setState('offline');
    this.scheduleReconnect();
  }

  scheduleReconnect() {
    if (this.stopped) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => this.connect(), backoffDelay(this.attempt));
    this.attempt += 1;
  }

  ping() {
    this.send({ op: 'ping', id: 'keepalive' });
    clearTimeout(this.pongTimer);
    this.pongTimer = setTimeout(() => {
      // No answer: the connection is dead even if the browser has not noticed.
      if (this.socket) this.socket.close(4000, 'no pong');
      if (this.socket) this.lost(this.socket);
    }, PONG_WITHIN_MS);
  }

  receive(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    this.lastMessageAt = new Date();
    switch (message.op) {
      case 'snapshot': {
        const entry = this.views.get(message.id);
        if (!entry) return; // unsubscribed meanwhile
        entry.since = message.version;
        entry.retries = 0;
        this.live();
        if (message.walkins) this.handlers.onSummary(message.id, message.walkins);
        else this.handlers.onSnapshot(message.id, message.sessions || []);
        break;
      }
      case 'walkins': {
        // A queue's new summary, for every id that watches that queue.
        const summary = message.summary || message.walkins;
        const camp = message.camp || summary?.camp;
        for (const [id, entry] of this.views) {
          if (entry.view.type === 'walkins' && entry.view.camp === camp) {
            this.live();
            this.handlers.onSummary(id, summary);
          }
        }
        break;
      }
      case 'resume': {
        const entry = this.views.get(message.id);
        if (!entry) return;
        entry.since = message.version;
        entry.retries = 0;
        this.live();
        if (message.changes && message.changes.length) this.handlers.onChanges(message.changes);
        break;
      }
      case 'changes': {
        const changes = message.changes || [];
        const newest = changes.reduce((v, c) => (compareVersions(c.version, v) > 0 ? c.version : v), '0-0');
        for (const entry of this.views.values()) {
          if (entry.since && compareVersions(newest, entry.since) > 0) entry.since = newest;
        }
        this.live();
        this.handlers.onChanges(changes);
        break;
      }
      case 'resync':
        // The server lost track: every view starts over with a snapshot.
        for (const [id, entry] of this.views) {
          entry.since = null;
          this.send({ op: 'unsubscribe', id });
          this.send({ op: 'subscribe', id, view: entry.view });
        }
        break;
      case 'pong':
        clearTimeout(this.pongTimer);
        this.live();
        break;
      case 'error':
        // "unavailable": the server is busy or cannot read the schedule right now; ask
        // again after a backoff (on this socket). Other errors name a view we asked for
        // wrongly: nothing to retry.
        if (message.code === 'unavailable') this.retrySubscribe(message.id);
        break;
      default:
        break;
    }
  }

  retrySubscribe(id) {
    const entry = this.views.get(id);
    const socket = this.socket;
    if (!entry || !socket) return;
    entry.retries = (entry.retries || 0) + 1;
    setTimeout(() => {
      if (this.socket !== socket || this.views.get(id) !== entry) return; // reconnected or gone
      const message = { op: 'subscribe', id, view: entry.view };
      if (entry.since) message.since = entry.since;
      this.send(message);
    }, backoffDelay(entry.retries - 1));
  }

  live() {
    this.attempt = 0;
    this.setState('live');
  }
}
