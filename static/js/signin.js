// Signing in to the expert dashboard and the admin pages. The session lives in an
// HttpOnly cookie; the CSRF cookie's value goes with every state change (api.js).
// Markup: a #signin section holding #signin-form (email, password) and #signin-wrong
// (a signed-in account of the other role), an #app container, and a #signout button.

import { get, post } from './api.js';
import { busy, clearProblems, formValues, markField, showProblem } from './forms.js';
import { t } from './i18n.js';
import { setText } from './dom.js';

/**
 * Shows the sign-in form until an account with `role` is signed in, then calls
 * onSignedIn(account, limits) (limits: what the server takes, e.g. limits.photo_bytes).
 * Calls onSignedOut() after signing out.
 */
export function setupSignIn({ role, onSignedIn, onSignedOut = () => {} }) {
  const section = document.getElementById('signin');
  const form = document.getElementById('signin-form');
  const wrong = document.getElementById('signin-wrong');
  const app = document.getElementById('app');
  const who = document.getElementById('account-name');

  function showApp(account, limits) {
    section.hidden = true;
    app.hidden = false;
    setText(who, account.email);
    onSignedIn(account, limits);
  }

  function showForm(account) {
    app.hidden = true;
    section.hidden = false;
    wrong.hidden = !account;
    form.hidden = Boolean(account);
    if (account) setText(wrong.querySelector('p'), t(`signin.wrong_role_${role}`, { email: account.email }));
    document.body.dataset.ready = 'true';
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearProblems(form);
    const { email } = formValues(form);
    if (!email) markField(form, 'email', t('signin.required_email'));
    if (!form.elements.password.value) markField(form, 'password', t('signin.required_password'));
    if (!email || !form.elements.password.value) {
      form.querySelector('[aria-invalid="true"]').focus();
      return;
    }
    await busy(form, async () => {
      try {
        const answer = await post('/api/v1/auth/login', { email, password: form.elements.password.value });
        form.elements.password.value = '';
        if (answer.account.role !== role) showForm(answer.account);
        else showApp(answer.account, answer.limits);
      } catch (err) {
        form.elements.password.value = '';
        showProblem(form, err, { fieldMap: { email: err.code === 'invalid-credentials' ? '' : 'email' } });
      }
    });
  });

  async function signOut() {
    try {
      await post('/api/v1/auth/logout');
    } catch {
      // The session may have ended already; either way this page is signed out now.
    }
    onSignedOut();
    showForm(null);
    form.elements.email.focus();
  }
  for (const button of document.querySelectorAll('[data-action="signout"]')) button.addEventListener('click', signOut);

  return (async () => {
    try {
      const me = await get('/api/v1/auth/me');
      if (me.account.role === role) showApp(me.account, me.limits);
      else showForm(me.account);
    } catch {
      showForm(null);
    }
  })();
}
