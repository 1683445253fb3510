import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { deadlineConfigs, expertOrgSettings, organisations } from '@/db/schema';
import { registerSeeders } from './index';

/**
 * E-44 demo durations per object category (marked demo: the statutory ones come from the expertise rules in
 * force, which change on 1 July 2026; the operator replaces them in admin).
 */
const DEMO_CONFIGS = [
  { category: 'level_1', label: 'I (high) level of responsibility', completenessDays: 5, remarksDays: 30, remedyDays: 20, conclusionDays: 60, unit: 'working' as const },
  { category: 'level_2', label: 'II (normal) level of responsibility', completenessDays: 5, remarksDays: 25, remedyDays: 15, conclusionDays: 45, unit: 'working' as const },
  { category: 'level_3', label: 'III (low) level of responsibility', completenessDays: 3, remarksDays: 15, remedyDays: 10, conclusionDays: 30, unit: 'working' as const },
  { category: 'linear', label: 'Linear objects (roads, networks)', completenessDays: 7, remarksDays: 30, remedyDays: 20, conclusionDays: 60, unit: 'calendar' as const },
];

/** Demo expert organisations (accredited, each with its number template). */
const DEMO_ORGS = [
  { bin: '990140000011', name: 'State Expertise RSE (demo)', code: 'GEX' },
  { bin: '990140000022', name: 'Astana Expert LLP (demo)', code: 'AEX' },
];

async function seedExpertise(db: Db): Promise<void> {
  for (const c of DEMO_CONFIGS) {
    // Values the operator has already edited (demo = false) are kept.
    await db
      .insert(deadlineConfigs)
      .values({ ...c, demo: true })
      .onConflictDoNothing();
  }
  for (const o of DEMO_ORGS) {
    await db.insert(organisations).values({ bin: o.bin, name: o.name, kind: 'expert_organisation' }).onConflictDoNothing();
    const [org] = await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.bin, o.bin));
    await db
      .insert(expertOrgSettings)
      .values({ orgId: org.id, orgCode: o.code, numberTemplate: '{ORG}-{YYYY}-{SEQ:5}', accredited: true, blocked: false })
      .onConflictDoNothing();
  }
  // The demo expert head's organisation (identity seed, EDS test mode) becomes an accredited expert organisation.
  const orgs = await db.select({ id: organisations.id, bin: organisations.bin }).from(organisations).where(eq(organisations.kind, 'expert_organisation'));
  for (const org of orgs) {
    await db
      .insert(expertOrgSettings)
      .values({ orgId: org.id, orgCode: `E${org.bin.slice(-6)}`, numberTemplate: '{ORG}-{YYYY}-{SEQ:5}', accredited: true, blocked: false })
      .onConflictDoNothing();
  }
}

registerSeeders({ name: 'expertise', version: '1', run: seedExpertise });
