// The walk-in queues as staff see them (names and topics: this is behind sign-in), live:
// the expert dashboard lists the queues of the expert's camps with "Call in" (a booking
// into the expert's own session that runs now or starts soon and has a free seat);
// the admin page lists every camp's queue with "Remove". Only offered when the server
// would accept it: no free seat, no "Call in" button, and a sentence that says why.

import { del, get, post, seg } from './api.js';
import { announce } from './announce.js';
import { h, reconcile, setText } from './dom.js';
import { formatTime } from './format.js';
import { problemText } from './forms.js';
import { t } from './i18n.js';

const HORIZON_MINUTES = 30; // until the queue summary says the camp's own

export class WalkinQueuePanel {
  /**
   * root: the panel element (with .walkin-queues and a [role=status] .status inside);
   * mode: 'expert' (call in) or 'admin' (remove);
   * camps: () => [{id, name, zone}] whose queues show;
   * targets: (campId, horizonMinutes) => sessions of the expert's that a founder can be
   *          called into now (expert mode).
   */
  constructor(root, { mode, camps, targets = () => [] }) {
    this.root = root;
    this.mode = mode;
    this.camps = camps;
    this.targets = targets;
    this.queues = new Map(); // camp id -> { entries, summary }
    this.timers = new Map();
  }

  /** The live views to watch: one `walkins` view per camp. */
  views() {
    const out = {};
    for (const c of this.camps()) out[`walkins:${c.id}`] = { type: 'walkins', camp: c.id };
    return out;
  }

  /** A camp's summary changed (or arrived): read its entries again, shortly. */
  summary(campId, summary) {
    const q = this.queues.get(campId) || { entries: [], summary: null };
    q.summary = summary;
    this.queues.set(campId, q);
    clearTimeout(this.timers.get(campId));
    this.timers.set(campId, setTimeout(() => this.load(campId), 100));
  }

  async loadAll() {
    await Promise.all(this.camps().map((c) => this.load(c.id)));
  }

  async load(campId) {
    try {
      const data = await get(`/api/v1/camps/${seg(campId)}/walkins/queue`);
      const q = this.queues.get(campId) || { entries: [], summary: null };
      q.entries = data.entries.filter((e) => e.state === 'waiting' || e.state === 'offered');
      this.queues.set(campId, q);
      this.render();
    } catch (err) {
      this.say(problemText(err));
    }
  }

  say(text) {
    setText(this.root.querySelector('.status'), text);
  }

  render() {
    const camps = this.camps();
    reconcile(this.root.querySelector('.walkin-queues'), camps, {
      keyOf: (c) => c.id,
      create: () => h('section', { class: 'walkin-camp' }, h('h3'), h('p', { class: 'hint empty' }), h('ol', { class: 'queue-list' })),
      update: (node, camp) => this.renderCamp(node, camp, camps.length > 1),
    });
  }

  renderCamp(node, camp, named) {
    const q = this.queues.get(camp.id) || { entries: [], summary: null };
    const heading = node.querySelector('h3');
    heading.hidden = !named;
    setText(heading, camp.name);
    const horizon = q.summary ? q.summary.horizon_minutes : HORIZON_MINUTES;
    const target = this.mode === 'expert' ? this.targets(camp.id, horizon)[0] : null;
    const empty = node.querySelector('.empty');
    empty.hidden = q.entries.length > 0 && (this.mode !== 'expert' || Boolean(target));
    setText(empty, q.entries.length === 0 ? t('expert.queue_empty') : t('expert.no_free_seat', { n: horizon }));
    reconcile(node.querySelector('.queue-list'), q.entries, {
      keyOf: (e) => e.id,
      create: () => h('li', { class: 'queue-entry' },
        h('span', { class: 'ticket' }), h('span', { class: 'who' }), h('span', { class: 'since hint' }),
        h('button', { type: 'button', class: 'secondary' })),
      update: (li, e) => {
        li.dataset.entryId = e.id;
        setText(li.querySelector('.ticket'), `#${e.ticket}`);
        setText(li.querySelector('.who'), [e.name, e.topic].filter(Boolean).join(' · '));
        setText(li.querySelector('.since'), e.offer ? t('expert.queue_offered', { time: formatTime(e.offer.until, camp.zone) })
          : formatTime(e.joined_at, camp.zone));
        const button = li.querySelector('button');
        if (this.mode === 'admin') {
          setText(button, t('admin.remove'));
          button.setAttribute('aria-label', t('admin.remove_named', { name: e.name, ticket: e.ticket }));
          button.onclick = () => this.remove(camp.id, e);
        } else {
          button.hidden = !target;
          setText(button, target ? `${t('expert.call_in')} · ${formatTime(target.start, target.zone)}` : t('expert.call_in'));
          button.setAttribute('aria-label', t('expert.call_in_for', { name: e.name, ticket: e.ticket }));
          button.onclick = () => target && this.callIn(camp.id, e, target);
        }
      },
    });
  }

  async callIn(campId, e, session) {
    try {
      await post(`/api/v1/expert/sessions/${seg(session.id)}/walkins/${seg(e.id)}`);
      announce(t('expert.called_in', { name: e.name }));
      this.say(t('expert.called_in', { name: e.name }));
    } catch (err) {
      this.say(problemText(err));
    }
    await this.load(campId);
  }

  async remove(campId, e) {
    try {
      await del(`/api/v1/admin/walkins/${seg(e.id)}`);
      announce(t('admin.removed'));
      this.say(t('admin.removed'));
    } catch (err) {
      this.say(problemText(err));
    }
    await this.load(campId);
  }
}
