// "Add to calendar" links for Google Calendar and Outlook on the web, built from the
// booking in the browser (the .ics file comes from the server). Only what the founder
// would type in themselves goes into them: title, times, place; never the manage link.

const utcStamp = (iso) => new Date(iso).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** { title, start, end, location, details } → a Google Calendar "new event" URL. */
export function googleCalendarUrl({ title, start, end, location = '', details = '' }) {
  const q = new URLSearchParams({ action: 'TEMPLATE', text: title, dates: `${utcStamp(start)}/${utcStamp(end)}` });
  if (location) q.set('location', location);
  if (details) q.set('details', details);
  return `https://calendar.google.com/calendar/render?${q}`;
}

/** The same for Outlook on the web (outlook.live.com). */
export function outlookCalendarUrl({ title, start, end, location = '', details = '' }) {
  const q = new URLSearchParams({
    path: '/calendar/action/compose', rru: 'addevent', subject: title,
    startdt: new Date(start).toISOString(), enddt: new Date(end).toISOString(),
  });
  if (location) q.set('location', location);
  if (details) q.set('body', details);
  return `https://outlook.live.com/calendar/0/deeplink/compose?${q}`;
}
