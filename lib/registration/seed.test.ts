import { describe, expect, it } from 'vitest';
import '@/db/seed/expertise';
import '@/db/seed/registration';
import { seed } from '@/db/seed/index';
import { useTestDb } from '@/lib/testing/db';
import { listAccreditedOrganisations, listTariffs } from './expert-orgs';
import { getFormInForce } from './forms';

const t = useTestDb();

describe('registration seed', () => {
  it('E-7 / E-12 / E-15 seeds the forms in force (kk, ru), demo tariffs and lists the demo expert organisations (idempotent)', async () => {
    await seed(t.db);
    await seed(t.db, { force: true });
    const at = new Date('2026-04-10T05:00:00Z');
    for (const kind of ['user_agreement_construction', 'user_agreement_expertise', 'procurement_consent', 'nda_obligation'] as const) {
      const f = await getFormInForce(t.db, kind, at);
      expect(f?.version).toBe(1);
      expect(f!.body.kk.length).toBeGreaterThan(20);
      expect(f!.body.ru.length).toBeGreaterThan(20);
    }
    expect((await listTariffs(t.db, '2026-04-10')).length).toBe(2);
    const list = await listAccreditedOrganisations(t.db, at);
    expect(list.map((o) => o.bin).sort()).toEqual(['990140000011', '990140000022']);
  });
});
