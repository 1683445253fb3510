import { maintenancePlans, maintenanceWindows } from '@/db/schema';
import { astanaDateOf, astanaInstant } from '@/lib/time/astana';
import { now } from '@/lib/time/clock';
import { registerSeeders, type Seeder } from './index';

/**
 * I-17 / I-18 demo: this year's maintenance plan (published on 9 January, in the first ten days) with two
 * night windows in the default hours. Idempotent: existing rows are left as the operator edited them.
 */
export const incidentsSeeder: Seeder = {
  name: 'incidents',
  version: '1',
  run: async (db) => {
    const year = Number(astanaDateOf(now()).slice(0, 4));
    const inserted = await db
      .insert(maintenancePlans)
      .values({ year, note: 'Demo plan: database and operating-system updates at night.', approvedAt: astanaInstant(`${year}-01-09`, '10:00'), publishedAt: astanaInstant(`${year}-01-09`, '10:00') })
      .onConflictDoNothing()
      .returning({ year: maintenancePlans.year });
    if (!inserted.length) return;
    await db.insert(maintenanceWindows).values([
      { year, component: 'portal', startsAt: astanaInstant(`${year}-06-13`, '21:00'), endsAt: astanaInstant(`${year}-06-14`, '05:00'), description: 'Database server update (demo).' },
      { year, component: 'partner_api', startsAt: astanaInstant(`${year}-10-17`, '22:00'), endsAt: astanaInstant(`${year}-10-18`, '04:00'), description: 'API gateway certificate renewal (demo).' },
    ]);
  },
};

registerSeeders(incidentsSeeder);
