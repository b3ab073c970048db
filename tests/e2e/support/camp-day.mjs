// The hub the day-at-the-camp specs run against: Redis, a server whose check-in window
// opens 60 minutes ahead and that books without notice, the browser, the first admin and
// the expert Anna Schmidt (anna@example.org) signed up. `extra` adds sessions to the demo
// hub as writeHub takes them; `flags` adds server options; `started(server)` runs as soon
// as the server answers, before the browser starts (for bookings that must come first).

import { expertAccount, firstAdmin, startRedis, startServer } from './env.mjs';
import { launch } from './browser.mjs';
import { writeHub } from './hub.mjs';

export async function startCampDay({ extra, flags = [], started = async () => {} }) {
  const redis = await startRedis();
  const day = { redis, server: null, browser: null, admin: null };
  try {
    day.server = await startServer({
      redisUrl: redis.url,
      seedFile: writeHub({ extra }),
      flags: ['--booking.min_notice_minutes=0', '--booking.checkin_open_minutes=60', ...flags],
    });
    await started(day.server);
    day.browser = await launch();
    day.admin = await firstAdmin(redis.url, day.server.base);
    await expertAccount(day.admin, day.server.base, 'anna@example.org', 'anna-schmidt');
  } catch (e) {
    await stopCampDay(day);
    throw e;
  }
  return day;
}

export async function stopCampDay(day) {
  await day?.browser?.close();
  await day?.server?.stop();
  await day?.redis?.stop();
}
