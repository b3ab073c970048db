// Steps several specs take the same way a person would: booking through the form on the
// booking page, signing in on the expert or admin page.

import { ready } from './browser.mjs';

export const slot = (page, sessionId) => page.locator(`#days li[data-session-id="${sessionId}"]`);

/** Opens the booking page (optionally filtered) and waits for the sessions. */
export async function openBookingPage(page, base, params = '') {
  await page.goto(`${base}/${params}`);
  await ready(page);
}

/** Books (or joins the waitlist of) `sessionId` through the dialog; the manage URL shown. */
export async function bookThroughForm(page, sessionId, founder) {
  await slot(page, sessionId).locator('button.slot-button').click();
  const dialog = page.locator('#book-dialog');
  await dialog.waitFor({ state: 'visible' });
  await page.fill('#b-name', founder.name);
  await page.fill('#b-email', founder.email);
  await page.fill('#b-startup', founder.startup || 'Ruhrwerk GmbH');
  await page.fill('#b-question', founder.question || 'Wie fange ich an?');
  await page.check('#b-consent');
  await page.click('#book-submit');
  await page.locator('#book-done').waitFor({ state: 'visible', timeout: 10000 });
  return page.locator('#book-manage-link').getAttribute('href');
}

/** The ids of an expert's bookable office-hour slots, soonest first. */
export async function officeHourIds(base, expert) {
  const res = await fetch(`${base}/api/v1/sessions?expert=${expert}&free_only=true&to=${new Date(Date.now() + 14 * 86400000).toISOString().slice(0, 10)}`);
  const { sessions } = await res.json();
  return sessions.filter((s) => s.kind === 'office_hour').sort((a, b) => Date.parse(a.start) - Date.parse(b.start)).map((s) => s.id);
}

/** Signs in through the form of /expert or /admin. */
export async function signIn(page, base, where, email, password) {
  await page.goto(`${base}/${where}`);
  await ready(page);
  await page.fill('#s-email', email);
  await page.fill('#s-password', password);
  await page.click('#signin-form button[type="submit"]');
  await page.locator('#app').waitFor({ state: 'visible', timeout: 15000 });
}
