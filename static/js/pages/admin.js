// The admin pages (/admin) for community managers: camps, rooms, experts and events
// (create, edit, delete), invitations, statistics, the audit log, and erasing a
// founder's data by e-mail; the camps' walk-in queues (live), to remove who has gone.

import { get, post, query, seg } from '../api.js';
import { announce } from '../announce.js';
import { Catalog } from '../catalog.js';
import { h, labelCells, replaceChildren, setText } from '../dom.js';
import { EntityEditor } from '../entity-editor.js';
import {
  addDays, formatDateTime, formatDayShort, formatNumber, formatPercent, formatTimeRange, rfc3339, todayKey, wallClock, zonedInstant,
} from '../format.js';
import { busy, clearProblems, formValues, markField, problemText, showProblem } from '../forms.js';
import { initI18n, onLanguageChange, t } from '../i18n.js';
import { setupSignIn } from '../signin.js';
import { LiveFeed } from '../live.js';
import { WalkinQueuePanel } from '../walkin-queue.js';
import { OwnCalendars } from '../own-calendars.js';
import { PhotoPanel } from '../photo-panel.js';

const HUB_ZONE = 'Europe/Berlin';
const SECTIONS = ['camps', 'rooms', 'experts', 'events', 'walkins', 'invitations', 'statistics', 'audit', 'erasure'];
const AUDIT_PAGE = 50;

const $ = (id) => document.getElementById(id);
let catalog;
let events = [];
let editors = {};
let audit = [];
let signedIn = false;
let limits = {};
let photo;
let queues = null; // the walk-in queues, watched live while their section shows
let live = null;

// ------------------------------------------------------------------ navigation

function renderNav() {
  const current = currentSection();
  replaceChildren($('admin-nav'), SECTIONS.map((name) =>
    h('li', {}, h('button', {
      type: 'button',
      'aria-current': name === current ? 'true' : null,
      'aria-controls': name,
      onclick: () => show(name, true),
      text: t(`admin.${name}`),
    }))));
}

function currentSection() {
  const name = location.hash.slice(1);
  return SECTIONS.includes(name) ? name : 'camps';
}

function show(name, focus = false) {
  if (location.hash.slice(1) !== name) history.replaceState(null, '', `#${name}`);
  for (const section of document.querySelectorAll('[data-section]')) section.hidden = section.id !== name;
  renderNav();
  $('admin-result').hidden = true;
  if (name === 'events') loadEvents();
  watchQueues(name === 'walkins');
  if (name === 'statistics' && !$('stats-table').dataset.loaded) loadStatistics();
  if (name === 'audit' && !audit.length) loadAudit(true);
  if (focus) {
    const heading = $(`${name}-title`);
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
}

// The last result, as a function of the page's language: switching the language says it
// again in the new one (not announced twice).
let lastMessage = null;

function message(say) {
  lastMessage = say;
  const el = $('admin-result');
  el.hidden = false;
  setText(el, say());
  announce(say());
}

// ------------------------------------------------------------------ entities

const campOptions = () => catalog.camps.map((c) => ({ value: c.id, label: c.name }));
const roomsOf = (campId) => (catalog.camp(campId)?.rooms || []);
const zoneOfCamp = (campId) => catalog.zoneOf(campId);

function setupEditors() {
  const reloadCatalog = async () => {
    await catalog.reload();
    renderAll();
  };
  editors.camps = new EntityEditor(document.querySelector('[data-entity="camps"]'), {
    kind: 'camps',
    path: (id) => `/api/v1/admin/camps/${seg(id)}`,
    items: () => catalog.camps,
    describe: (c) => c.name,
    columns: [
      { label: 'admin.field.name', value: (c) => c.name },
      { label: 'admin.field.city', value: (c) => c.city },
      { label: 'admin.field.focus', value: (c) => c.focus },
      { label: 'admin.field.address', value: (c) => c.address },
      { label: 'admin.col.rooms', value: (c) => c.rooms.map((r) => r.name).join(', ') },
    ],
    fields: [
      { name: 'id', label: 'admin.field.id', hint: 'admin.id_hint', required: true },
      { name: 'name', label: 'admin.field.name', required: true },
      { name: 'city', label: 'admin.field.city', required: true },
      { name: 'focus', label: 'admin.field.focus' },
      { name: 'address', label: 'admin.field.address' },
      { name: 'zone', label: 'admin.field.zone', default: HUB_ZONE, hint: 'admin.zone_hint' },
      { name: 'release_after_minutes', label: 'admin.field.release_after', type: 'number', min: 0, max: 1440,
        hint: 'admin.release_after_hint' },
      { name: 'auto_release', label: 'admin.field.auto_release', type: 'select',
        options: () => [
          { value: '', label: t('admin.auto_release.default') },
          { value: 'true', label: t('admin.auto_release.on') },
          { value: 'false', label: t('admin.auto_release.off') }] },
    ],
    // Unset stays unset: the camp keeps following the hub's [booking] defaults.
    fromItem: (c) => ({ ...c, auto_release: c.auto_release === undefined ? '' : String(c.auto_release) }),
    toBody: (v) => ({
      name: v.name, city: v.city, focus: v.focus, address: v.address, zone: v.zone || HUB_ZONE,
      ...(v.release_after_minutes === null ? {} : { release_after_minutes: v.release_after_minutes }),
      ...(v.auto_release === '' ? {} : { auto_release: v.auto_release === 'true' }),
    }),
    onChanged: reloadCatalog,
    onMessage: message,
  });
  editors.rooms = new EntityEditor(document.querySelector('[data-entity="rooms"]'), {
    kind: 'rooms',
    path: (id) => `/api/v1/admin/rooms/${seg(id)}`,
    items: () => Array.from(catalog.roomById.values()),
    describe: (r) => `${r.name} (${catalog.camp(r.camp_id)?.name || r.camp_id})`,
    columns: [
      { label: 'admin.field.name', value: (r) => r.name },
      { label: 'admin.field.camp', value: (r) => catalog.camp(r.camp_id)?.name || r.camp_id },
      { label: 'admin.field.capacity', value: (r) => formatNumber(r.capacity), num: true },
    ],
    fields: [
      { name: 'id', label: 'admin.field.id', hint: 'admin.id_hint', required: true },
      { name: 'camp_id', label: 'admin.field.camp', type: 'select', options: campOptions },
      { name: 'name', label: 'admin.field.name', required: true },
      { name: 'capacity', label: 'admin.field.capacity', type: 'number', min: 1, max: 500, default: 4 },
    ],
    fromItem: (r) => ({ ...r }),
    toBody: (v) => ({ camp_id: v.camp_id, name: v.name, capacity: v.capacity }),
    onChanged: reloadCatalog,
    onMessage: message,
  });
  editors.experts = new EntityEditor(document.querySelector('[data-entity="experts"]'), {
    kind: 'experts',
    path: (id) => `/api/v1/admin/experts/${seg(id)}`,
    items: () => catalog.experts,
    describe: (e) => e.name,
    columns: [
      { label: 'admin.field.name', value: (e) => e.name },
      { label: 'admin.field.title', value: (e) => e.title },
      { label: 'admin.field.topics', value: (e) => e.topics.join(', ') },
      { label: 'admin.field.camps', value: (e) => e.camps.map((id) => catalog.camp(id)?.name || id), lines: true },
    ],
    fields: [
      { name: 'id', label: 'admin.field.id', hint: 'admin.id_hint', required: true },
      { name: 'name', label: 'admin.field.name', required: true },
      { name: 'title', label: 'admin.field.title' },
      { name: 'bio', label: 'admin.field.bio', type: 'textarea' },
      { name: 'topics', label: 'admin.field.topics', type: 'list', hint: 'admin.list_hint' },
      { name: 'languages', label: 'admin.field.languages', type: 'list', hint: 'admin.languages_hint', default: ['de'] },
      { name: 'camp_ids', label: 'admin.field.camps', type: 'checks', options: campOptions },
    ],
    fromItem: (e) => ({ ...e, camp_ids: e.camps }),
    toBody: (v) => ({ name: v.name, title: v.title, bio: v.bio, topics: v.topics, languages: v.languages, camp_ids: v.camp_ids }),
    extra: [
      { label: 'admin.sessions_of', run: (e) => showExpertSessions(e) },
      { label: 'admin.photo_of', run: (e) => showExpertPhoto(e) },
      { label: 'admin.invite', run: (e) => inviteExpert(e) },
    ],
    onChanged: reloadCatalog,
    onMessage: message,
  });
  editors.events = new EntityEditor(document.querySelector('[data-entity="events"]'), {
    kind: 'events',
    path: (id) => `/api/v1/admin/events/${seg(id)}`,
    items: () => events,
    describe: (e) => e.title,
    columns: [
      { label: 'admin.col.when', value: (e) => `${formatDayShort(e.start, zoneOfCamp(e.camp_id))}, ${formatTimeRange(e.start, e.end, zoneOfCamp(e.camp_id))}` },
      { label: 'admin.field.title', value: (e) => e.title },
      { label: 'admin.field.camp', value: (e) => catalog.camp(e.camp_id)?.name || e.camp_id },
      { label: 'admin.field.host', value: (e) => catalog.expert(e.expert_id)?.name || e.expert_id || '–' },
      { label: 'admin.field.seats', value: (e) => formatNumber(e.seats), num: true },
    ],
    fields: [
      { name: 'id', label: 'admin.field.id', hint: 'admin.id_hint', required: true },
      { name: 'title', label: 'admin.field.title', required: true },
      { name: 'camp_id', label: 'admin.field.camp', type: 'select', options: campOptions },
      {
        name: 'room_id', label: 'admin.field.room', type: 'select',
        options: (v) => [{ value: '', label: t('admin.no_room') },
          ...roomsOf(v.camp_id || catalog.camps[0]?.id).map((r) => ({ value: r.id, label: r.name }))],
      },
      {
        name: 'expert_id', label: 'admin.field.host', type: 'select',
        options: () => [{ value: '', label: t('admin.no_host') }, ...catalog.experts.map((e) => ({ value: e.id, label: e.name }))],
      },
      { name: 'topic', label: 'admin.field.topic', required: true },
      { name: 'start', label: 'admin.field.start', type: 'datetime-local', required: true, hint: 'admin.time_hint' },
      { name: 'end', label: 'admin.field.end', type: 'datetime-local', required: true },
      { name: 'seats', label: 'admin.field.seats', type: 'number', min: 1, max: 500, default: 20, required: true },
      { name: 'description', label: 'admin.field.description', type: 'textarea' },
    ],
    fromItem: (e) => ({
      ...e,
      start: wallClock(e.start, zoneOfCamp(e.camp_id)),
      end: wallClock(e.end, zoneOfCamp(e.camp_id)),
    }),
    toBody: (v) => {
      const zone = zoneOfCamp(v.camp_id);
      const at = (field) => {
        if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v[field])) {
          throw { code: 'invalid-field', field, localized: t('admin.time_required') };
        }
        const [day, time] = v[field].split('T');
        return rfc3339(zonedInstant(day, time.slice(0, 5), zone), zone);
      };
      if (v.start && v.end && v.end <= v.start) {
        throw { code: 'invalid-field', field: 'end', localized: t('problem.invalid-field.end') };
      }
      const room = v.room_id ? catalog.roomById.get(v.room_id) : null;
      if (room && v.seats > room.capacity) {
        throw { code: 'invalid-field', field: 'seats', localized: t('admin.seats_over_capacity', { n: room.capacity, room: room.name }) };
      }
      return {
        camp_id: v.camp_id, room_id: v.room_id, expert_id: v.expert_id, title: v.title, description: v.description,
        topic: v.topic, start: at('start'), end: at('end'), seats: v.seats,
      };
    },
    onFieldChange: (name, editor) => {
      if (name === 'camp_id') editor.refill('room_id');
    },
    onChanged: loadEvents,
    onMessage: message,
  });
}

async function loadEvents() {
  try {
    events = (await get('/api/v1/admin/events')).events.sort((a, b) => new Date(a.start) - new Date(b.start));
  } catch (err) {
    message(() => problemText(err));
    return;
  }
  editors.events.render();
}

let expertCalendars = null;

/** The expert's own calendars, as the expert manages them on the dashboard. */
function showExpertCalendars(expert) {
  const base = `/api/v1/admin/experts/${seg(expert.id)}/calendars`;
  $('expert-calendars').hidden = false; // its title: renderExpertSessions
  if (expertCalendars) expertCalendars.setBase(base);
  else expertCalendars = new OwnCalendars($('expert-calendars'), base);
  expertCalendars.load();
}

/** The expert's photo, set or removed for them (an expert can do it on the dashboard too). */
function showExpertPhoto(expert) {
  setText($('expert-photo-title'), t('admin.photo_of_named', { name: expert.name }));
  photo.show(expert, limits.photo_bytes ?? 0);
  $('expert-photo-title').focus();
}

let sessionsOf = null; // { expert, data, error }: whose sessions the panel shows, and what was read

/** An expert's sessions and own calendars, below the experts table. */
async function showExpertSessions(expert) {
  showExpertCalendars(expert);
  $('expert-sessions').hidden = false;
  const shown = { expert, data: null, error: null };
  sessionsOf = shown;
  renderExpertSessions();
  $('expert-sessions-title').focus();
  try {
    shown.data = await get(`/api/v1/admin/experts/${seg(expert.id)}/sessions`);
  } catch (err) {
    shown.error = err;
  }
  // Another expert's sessions asked for meanwhile: theirs are shown, not these.
  if (sessionsOf === shown) renderExpertSessions();
}

/** Draws the panel from what was read, in the page's language (again after a switch). */
function renderExpertSessions() {
  if (!sessionsOf) return;
  const { expert, data, error } = sessionsOf;
  setText($('expert-sessions-title'), t('admin.sessions_of_named', { name: expert.name }));
  setText($('expert-calendars-title'), t('admin.expert_calendars', { name: expert.name }));
  const body = $('expert-sessions-body');
  const line = (text) => h('tr', {}, h('td', { colspan: '4', text }));
  if (error) replaceChildren(body, line(problemText(error)));
  else if (!data) replaceChildren(body, line(t('common.loading')));
  else {
    const rows = data.sessions.map(({ session: s, bookings }) => {
      const held = bookings.filter((b) => b.status !== 'cancelled');
      return h('tr', {},
        h('td', { text: `${formatDayShort(s.start, s.zone)}, ${formatTimeRange(s.start, s.end, s.zone)}` }),
        h('td', { text: t(`expert.status.${s.status}`) }),
        h('td', { class: 'num', text: `${s.seats_taken}/${s.seats}` }),
        h('td', { text: held.map((b) => `${b.name} (${b.startup})`).join(', ') || '–' }));
    });
    replaceChildren(body, rows.length ? rows : line(t('expert.no_sessions')));
  }
  labelCells(body.closest('table'));
}

// ------------------------------------------------------------------ invitations

function fillInviteExperts() {
  const select = $('i-expert');
  const current = select.value;
  replaceChildren(select, catalog.experts.map((e) => h('option', { value: e.id, selected: e.id === current }, e.name)));
  $('i-expert-field').hidden = $('i-role').value !== 'expert';
}

function inviteExpert(expert) {
  show('invitations');
  $('i-role').value = 'expert';
  fillInviteExperts();
  $('i-expert').value = expert.id;
  $('i-email').focus();
}

async function invite(event) {
  event.preventDefault();
  const form = $('invite-form');
  clearProblems(form);
  const v = formValues(form);
  if (!v.email) {
    markField(form, 'email', t('signin.required_email'));
    form.elements.email.focus();
    return;
  }
  const body = { email: v.email, role: v.role };
  if (v.role === 'expert') body.expert_id = v.expert_id;
  await busy(form, async () => {
    try {
      const answer = await post('/api/v1/admin/invitations', body);
      // The link is built from this page's address, which founders and experts also use.
      const url = `${location.origin}/invite/${answer.invitation_token}`;
      $('invite-done').hidden = false;
      setText($('invite-done-text'), t('admin.invited', { email: v.email, n: answer.expires_in_days }));
      $('invite-url').value = url;
      form.reset();
      fillInviteExperts();
      $('invite-done-text').focus();
    } catch (err) {
      showProblem(form, err);
    }
  });
}

async function copyInvite() {
  const input = $('invite-url');
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
    announce(t('admin.copied'));
  } catch {
    // Clipboard not allowed here: the link is selected, ready for Ctrl+C.
  }
}

// ------------------------------------------------------------------ statistics

async function loadStatistics(event) {
  if (event) event.preventDefault();
  const form = $('stats-form');
  clearProblems(form);
  const today = todayKey(HUB_ZONE);
  if (!form.elements.from.value) form.elements.from.value = addDays(today, -28);
  if (!form.elements.to.value) form.elements.to.value = addDays(today, 14);
  setText($('stats-status'), t('common.loading'));
  try {
    const data = await get(`/api/v1/admin/statistics${query({ from: form.elements.from.value, to: form.elements.to.value })}`);
    const row = (cells, cls) => h('tr', { class: cls }, cells);
    const figures = (r) => [
      h('td', { class: 'num', text: formatNumber(r.sessions) }),
      h('td', { class: 'num', text: formatNumber(r.seats) }),
      h('td', { class: 'num', text: formatNumber(r.bookings) }),
      h('td', { class: 'num', text: formatNumber(r.attended) }),
      h('td', { class: 'num', text: formatNumber(r.no_show) }),
      h('td', { class: 'num', text: formatPercent(r.utilization) }),
      h('td', { class: 'num', text: formatPercent(r.no_show_rate) }),
    ];
    replaceChildren($('stats-body'), data.rows.map((r) => row([
      h('th', { scope: 'row', text: r.week }),
      h('td', { text: catalog.camp(r.camp_id)?.name || r.camp_id }),
      h('td', { text: r.topic }),
      ...figures(r),
    ])));
    replaceChildren($('stats-foot'), row([h('th', { scope: 'row', colspan: '3', text: t('admin.totals') }), ...figures(data.totals)], 'totals'));
    labelCells($('stats-table'));
    $('stats-table').hidden = false;
    $('stats-table').dataset.loaded = 'true';
    setText($('stats-status'), data.rows.length ? '' : t('admin.no_stats'));
  } catch (err) {
    setText($('stats-status'), '');
    showProblem(form, err);
  }
}

// ------------------------------------------------------------------ audit log

async function loadAudit(fresh) {
  const before = fresh || !audit.length ? '' : audit[audit.length - 1].version;
  setText($('audit-status'), t('common.loading'));
  try {
    const data = await get(`/api/v1/admin/audit${query({ limit: AUDIT_PAGE, before })}`);
    audit = fresh ? data.entries : audit.concat(data.entries);
    if (audit.length > 2000) audit = audit.slice(0, 2000);
    renderAudit();
    $('audit-more').hidden = data.entries.length < AUDIT_PAGE;
    setText($('audit-status'), audit.length ? '' : t('admin.no_audit'));
  } catch (err) {
    setText($('audit-status'), problemText(err));
  }
}

function renderAudit() {
  replaceChildren($('audit-body'), audit.map((e) => h('tr', {},
    h('td', {}, h('time', { datetime: e.at, text: formatDateTime(e.at, HUB_ZONE) })),
    h('td', { text: e.type }),
    h('td', { text: e.by || '–' }),
    h('td', { text: e.subject || '–' }))));
  labelCells($('audit-body').closest('table'));
}

// ------------------------------------------------------------------ founder erasure

async function eraseFounder(event) {
  event.preventDefault();
  const form = $('erase-form');
  clearProblems(form);
  const v = formValues(form);
  if (!v.email) markField(form, 'email', t('signin.required_email'));
  if (!v.confirm) markField(form, 'confirm', t('admin.erasure_confirm_required'));
  if (!v.email || !v.confirm) {
    form.querySelector('[aria-invalid="true"]').focus();
    return;
  }
  await busy(form, async () => {
    try {
      const answer = await post('/api/v1/admin/founders/erase', { email: v.email });
      form.reset();
      const { erased_bookings: n } = answer;
      message(() => t('admin.erased', { n, email: v.email }));
      $('admin-result').focus();
    } catch (err) {
      showProblem(form, err);
    }
  });
}

// ------------------------------------------------------------------ walk-in queues

function watchQueues(on) {
  if (!on) {
    if (live) live.stop();
    return;
  }
  if (!queues) {
    queues = new WalkinQueuePanel($('walkins'), { mode: 'admin', camps: () => catalog.camps });
    live = new LiveFeed({ onSummary: (id, summary) => queues.summary(summary.camp, summary) });
  }
  live.watchOnly(queues.views());
  live.start();
  queues.render();
  queues.loadAll();
}

// ------------------------------------------------------------------ start

function renderAll() {
  if (!signedIn) return;
  renderNav();
  for (const editor of Object.values(editors)) editor.render();
  fillInviteExperts();
  if (audit.length) renderAudit();
  if (queues) queues.render();
}

async function main() {
  [, catalog] = await Promise.all([initI18n(), Catalog.load()]);
  setupEditors();
  photo = new PhotoPanel({
    root: $('expert-photo'),
    path: (e) => `/api/v1/admin/experts/${seg(e.id)}/photo`,
    said: { saved: 'admin.photo_saved', removed: 'admin.photo_removed' },
    onChange: async () => {
      await catalog.reload();
      renderAll();
    },
  });
  $('invite-form').addEventListener('submit', invite);
  $('i-role').addEventListener('change', fillInviteExperts);
  $('invite-copy').addEventListener('click', copyInvite);
  $('stats-form').addEventListener('submit', loadStatistics);
  $('audit-more').addEventListener('click', () => loadAudit(false));
  $('erase-form').addEventListener('submit', eraseFounder);
  window.addEventListener('hashchange', () => signedIn && show(currentSection()));
  onLanguageChange(() => {
    if (lastMessage && !$('admin-result').hidden) setText($('admin-result'), lastMessage());
    renderAll();
    photo.render();
    renderExpertSessions();
    if (expertCalendars) expertCalendars.render();
    // Tables not drawn again (the statistics until they are back): their cells' names
    // follow the header at once.
    for (const table of document.querySelectorAll('table.cards')) labelCells(table);
    if ($('stats-table').dataset.loaded) loadStatistics();
  });
  await setupSignIn({
    role: 'admin',
    onSignedIn: (account, announced) => {
      signedIn = true;
      limits = announced || {};
      renderAll();
      show(currentSection());
      document.body.dataset.ready = 'true';
    },
    onSignedOut: () => {
      signedIn = false;
      watchQueues(false);
      audit = [];
      events = [];
    },
  });
}

main().catch((err) => {
  document.body.dataset.ready = 'error';
  replaceChildren($('main'), h('p', { class: 'form-error', text: problemText(err) }));
});
