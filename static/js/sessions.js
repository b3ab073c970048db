// The sessions a page shows, by id, keeping the newest version of each (live changes can
// overtake an HTTP answer, and a resume can repeat what a snapshot already had).

import { compareVersions } from './live.js';

export class SessionStore {
  constructor() {
    this.byId = new Map();
  }

  get(id) {
    return this.byId.get(id);
  }

  get size() {
    return this.byId.size;
  }

  /** Stores `session` unless an equal or newer version is there; "removed" deletes.
   *  Returns the previous state when something changed, else undefined. */
  apply(session) {
    const old = this.byId.get(session.id);
    if (old && old.version && session.version && compareVersions(session.version, old.version) < 0) return undefined;
    if (old && old.version === session.version && session.version) {
      // Same version from HTTP after the live feed: only the booking window is new.
      if (!session.bookable_until || old.bookable_until === session.bookable_until) return undefined;
      this.byId.set(session.id, { ...old, ...session });
      return old;
    }
    if (session.status === 'removed') {
      if (!old) return undefined;
      this.byId.delete(session.id);
      return old;
    }
    const merged = { ...old, ...session };
    if (old && old.start !== session.start && !session.bookable_until) {
      // Moved, and the live feed does not say the new window: unknown until read again.
      delete merged.bookable_from;
      delete merged.bookable_until;
    }
    this.byId.set(session.id, merged);
    return old || null;
  }

  /** Replaces every session for which `inScope` holds with `sessions` (a snapshot). */
  replace(sessions, inScope) {
    const fresh = new Set(sessions.map((s) => s.id));
    for (const [id, s] of this.byId) {
      if (!fresh.has(id) && inScope(s)) this.byId.delete(id);
    }
    for (const s of sessions) this.apply(s);
  }

  /** Drops sessions for which `stale` holds (keeps memory bounded on long-running pages). */
  prune(stale) {
    for (const [id, s] of this.byId) if (stale(s)) this.byId.delete(id);
  }

  values() {
    return Array.from(this.byId.values());
  }
}

export const byStart = (a, b) => new Date(a.start) - new Date(b.start) || a.id.localeCompare(b.id);
