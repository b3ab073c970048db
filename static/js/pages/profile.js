// An expert's public page (/experts/<id>): name, title, bio, topics, languages, camps,
// an initials avatar, and the next bookable slots, each leading straight into the
// booking dialog. A link an expert can put in an e-mail signature.

import { get, query } from '../api.js';
import { Catalog } from '../catalog.js';
import { h, reconcile, replaceChildren, setText } from '../dom.js';
import { initials, placeText, seatsText, sessionTitle } from '../describe.js';
import { dayKey, formatDay, formatTimeRange } from '../format.js';
import { problemText } from '../forms.js';
import { initI18n, onLanguageChange, t } from '../i18n.js';
import { hasFreeSeat, windowOpen } from '../bookable.js';
import { byStart } from '../sessions.js';

const SHOWN = 8;
const AHEAD_DAYS = 56;
const id = decodeURIComponent(location.pathname.split('/').filter(Boolean)[1] || '');
const $ = (x) => document.getElementById(x);

let catalog;
let expert;
let slots = [];

function render() {
  if (!expert) return;
  document.title = `${expert.name} – Sprechstunde`;
  $('profile').hidden = false;
  // The photo when there is one (its ETag keeps it fresh), else the initials.
  const avatar = $('profile-avatar');
  if (expert.photo_url) {
    if (avatar.dataset.photo !== expert.photo_url) {
      replaceChildren(avatar, h('img', { src: expert.photo_url, alt: '', width: 80, height: 80 }));
      avatar.dataset.photo = expert.photo_url;
    }
  } else {
    delete avatar.dataset.photo;
    setText(avatar, initials(expert.name));
  }
  setText($('profile-name'), expert.name);
  setText($('profile-title'), expert.title);
  setText($('profile-bio'), expert.bio);
  $('profile-bio').hidden = !expert.bio;
  setText($('profile-topics'), expert.topics.join(', '));
  setText($('profile-languages'), expert.languages.map((code) => t(`common.language_${code}`)).join(', '));
  replaceChildren($('profile-camps'), expert.camps.map((campId, i) => {
    const camp = catalog.camp(campId);
    return [i ? ', ' : '', h('a', { href: `/${query({ camp: campId, expert: expert.id })}`, text: camp ? camp.name : campId })];
  }));
  $('all-slots').href = `/${query({ expert: expert.id })}`;
  const shown = slots.filter((s) => windowOpen(s) && hasFreeSeat(s)).sort(byStart).slice(0, SHOWN);
  setText($('slots-status'), shown.length ? '' : t('profile.no_slots'));
  reconcile($('slots'), shown, {
    keyOf: (s) => s.id,
    create: () => h('li', { class: 'time-slot' }, h('a', { class: 'time-button slot-link' },
      h('span', { class: 'time-at' }), h('span', { class: 'time-title' }), h('span', { class: 'slot-seats' }),
      h('span', { class: 'time-place' }))),
    update: (node, s) => {
      node.dataset.sessionId = s.id;
      const a = node.querySelector('a');
      a.href = `/${query({ expert: expert.id, date: dayKey(s.start, s.zone), session: s.id })}`;
      setText(a.querySelector('.time-at'), `${formatDay(s.start, s.zone)}, ${formatTimeRange(s.start, s.end, s.zone)}`);
      setText(a.querySelector('.time-title'), sessionTitle(s, catalog));
      setText(a.querySelector('.slot-seats'), seatsText(s));
      setText(a.querySelector('.time-place'), placeText(s, catalog));
    },
  });
  document.body.dataset.ready = 'true';
}

async function main() {
  await initI18n();
  catalog = await Catalog.load();
  expert = catalog.expert(id);
  if (!expert) {
    setText($('profile-status'), problemText({ code: 'unknown-expert' }));
    document.body.dataset.ready = 'true';
    return;
  }
  const to = new Date(Date.now() + AHEAD_DAYS * 86400000).toISOString().slice(0, 10);
  try {
    slots = (await get(`/api/v1/sessions${query({ expert: id, free_only: 'true', to })}`)).sessions;
  } catch (err) {
    setText($('slots-status'), problemText(err));
  }
  render();
  onLanguageChange(render);
  // A slot whose window closes drops off (checked each minute; the booking page is exact).
  setInterval(render, 60000);
}

main().catch((err) => {
  setText($('profile-status'), problemText(err));
  document.body.dataset.ready = 'error';
});
