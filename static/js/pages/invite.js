// The invitation page (/invite/<token>): a new expert or community manager chooses a
// password and is signed in, then goes on to their dashboard.

import { get, post, seg } from '../api.js';
import { setText } from '../dom.js';
import { busy, clearProblems, markField, problemText, showProblem } from '../forms.js';
import { initI18n, t } from '../i18n.js';

const token = decodeURIComponent(location.pathname.split('/').filter(Boolean)[1] || '');
const $ = (id) => document.getElementById(id);

async function accept(event) {
  event.preventDefault();
  const form = $('invite-form');
  clearProblems(form);
  const password = form.elements.password.value;
  if (password.length < 12) {
    markField(form, 'password', t('invite.too_short'));
    form.elements.password.focus();
    return;
  }
  if (password !== form.elements.repeat.value) {
    markField(form, 'repeat', t('invite.mismatch'));
    form.elements.repeat.focus();
    return;
  }
  await busy(form, async () => {
    try {
      const answer = await post(`/api/v1/auth/invitations/${seg(token)}/accept`, { password });
      location.assign(answer.account.role === 'admin' ? '/admin' : '/expert');
    } catch (err) {
      showProblem(form, err);
    }
  });
}

async function main() {
  await initI18n();
  try {
    const info = await get(`/api/v1/auth/invitations/${seg(token)}`);
    setText($('invite-for'), t('invite.for', { email: info.email }));
    $('invite-username').value = info.email;
    $('invite').hidden = false;
    $('invite-form').addEventListener('submit', accept);
  } catch (err) {
    setText($('invite-status'), problemText(err.status === 404 ? { code: 'unknown-invitation' } : err));
  }
  document.body.dataset.ready = 'true';
}

main();
