import { calendarDays, supportCalendars } from '@/db/schema';
import type { CalendarException } from '@/lib/time/calendar';
import { EXPERTISE_SUPPORT_HOURS, PROCUREMENT_SUPPORT_HOURS } from '@/lib/time/business-hours';
import data from './data/kz-working-calendar.json';
import { registerSeeders, type Seeder } from './index';

/** the official calendar 2024–2027 (db/seed/data/kz-working-calendar.json); preliminary rows stay marked. */
export const officialCalendarDays: CalendarException[] = data.days.map((d) => ({
  date: d.date,
  kind: d.kind as CalendarException['kind'],
  name: d.name,
  preliminary: 'preliminary' in d && d.preliminary === true,
}));

/** X-2, I-4: support hours per system (003 §59, 004 §19). */
export const defaultSupportCalendars = [
  { system: 'expertise', name: 'Expertise portal support', intervals: [...EXPERTISE_SUPPORT_HOURS] },
  { system: 'procurement', name: 'Procurement platform support', intervals: [...PROCUREMENT_SUPPORT_HOURS] },
];

const SEED_REASON = 'Official calendar preloaded at installation (Labour Code art. 84–85, Law "On holidays", transfer orders)';

export const calendarSeeder: Seeder = {
  name: 'calendar',
  version: '1',
  // Insert only what is missing (on conflict do nothing) so that the operator's edits survive. A day the
  // operator removed comes back only if the seed runs again, i.e. when `version` changes.
  run: async (db) => {
    await db
      .insert(calendarDays)
      .values(officialCalendarDays.map((d) => ({ ...d, preliminary: d.preliminary ?? false, reason: SEED_REASON })))
      .onConflictDoNothing();
    await db.insert(supportCalendars).values(defaultSupportCalendars).onConflictDoNothing();
  },
};

registerSeeders(calendarSeeder);
