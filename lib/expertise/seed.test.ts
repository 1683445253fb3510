import { describe, expect, it } from 'vitest';
import { deadlineConfigs } from '@/db/schema';
import '@/db/seed/expertise';
import { seed } from '@/db/seed/index';
import { useTestDb } from '@/lib/testing/db';
import { listSelectableExpertOrgs } from './applications';

const t = useTestDb();

describe('expertise seed', () => {
  it('E-44 seeds deadline configs per category marked demo, and E-19 accredited demo expert organisations (idempotent)', async () => {
    await seed(t.db);
    await seed(t.db, { force: true });
    const configs = await t.db.select().from(deadlineConfigs);
    expect(configs.length).toBeGreaterThanOrEqual(3);
    expect(configs.every((c) => c.demo)).toBe(true);
    expect(new Set(configs.map((c) => c.unit))).toEqual(new Set(['working', 'calendar']));
    const orgs = await listSelectableExpertOrgs(t.db);
    expect(orgs.map((o) => o.orgCode).sort()).toEqual(['AEX', 'GEX']);
  });
});
