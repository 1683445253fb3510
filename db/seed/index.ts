import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { seedRuns } from '@/db/schema';

/**
 * Demo and reference data. Each domain adds one seeder; every seeder is idempotent (safe to run again)
 * and re-runs when its version changes. `npm start` runs the seed on every start (cheap when done);
 * `npm run db:seed` runs it by hand.
 */
export type Seeder = { name: string; version: string; run: (db: Db) => Promise<void> };

const seeders: Seeder[] = [
  // domain seeders register here, in dependency order
];

export function registerSeeders(...more: Seeder[]) {
  for (const s of more) if (!seeders.some((x) => x.name === s.name)) seeders.push(s);
}

export async function seed(db: Db, opts: { force?: boolean; log?: (m: string) => void } = {}): Promise<string[]> {
  const ran: string[] = [];
  for (const s of seeders) {
    const [done] = await db.select().from(seedRuns).where(eq(seedRuns.name, s.name));
    if (done?.version === s.version && !opts.force) continue;
    opts.log?.(`seeding ${s.name} (${s.version})`);
    await s.run(db);
    await db
      .insert(seedRuns)
      .values({ name: s.name, version: s.version })
      .onConflictDoUpdate({ target: seedRuns.name, set: { version: s.version, ranAt: new Date() } });
    ran.push(s.name);
  }
  return ran;
}
