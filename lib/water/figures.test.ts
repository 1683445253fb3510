import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '@/db/schema';
import { demoWaterId, seedWater } from '@/db/seed/water';
import type { Principal } from '@/lib/auth/principal';
import { AppError } from '@/lib/errors';
import { setClock } from '@/lib/time/clock';
import { useTestDb } from '@/lib/testing/db';
import { listFigures, waterScope } from './access';
import { parseFiguresCsv, submitFigures } from './figures';
import { createWaterUser, storeTestSignature } from './monitoring/testing';

const t = useTestDb();
const ASTANA = demoWaterId('entity:astana');
const ALMATY = demoWaterId('entity:almaty');
let utility: Principal;
let sig: string;

beforeAll(async () => {
  setClock('2025-07-05T06:00:00Z');
  await seedWater(t.db);
  utility = await createWaterUser(t.db, { role: 'water_utility', bin: '990140000001' });
  sig = await storeTestSignature(t.db, utility, 'water.figures');
});
afterAll(() => setClock(null));

async function errorOf(p: Promise<unknown> | (() => unknown)): Promise<AppError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected an error');
}

describe('W-12 periodic figures', () => {
  it('W-12 CSV errors are reported per line and nothing is stored', async () => {
    const csv = ['period,production,supply,distribution,consumption', '2025-05,1000,950,900,800', '2025-13,1,1,1,1', '2025-06,abc,1,1,1', '2025-05,1,1,1,1', '2025-04,1,-5,1,1', '2025-03,1,1,1'].join('\n');
    const e = await errorOf(() => parseFiguresCsv(csv));
    expect(e.code).toBe('validation_failed');
    expect(Object.keys(e.fields!)).toEqual(['line 3', 'line 4', 'line 5', 'line 6', 'line 7']);
    expect(e.fields!['line 3']).toMatch(/period/);
    expect(e.fields!['line 4']).toMatch(/production/);
    expect(e.fields!['line 5']).toMatch(/already given on line 2/);
    expect(e.fields!['line 6']).toMatch(/supply/);
    expect(e.fields!['line 7']).toMatch(/expected 5 values/);
    const missing = await errorOf(() => parseFiguresCsv('period;production;supply\n2025-05;1;1'));
    expect(missing.fields).toEqual({ 'line 1': 'missing column(s): distribution, consumption' });
    await expect(submitFigures(t.db, utility, { entityId: ASTANA, csv }, { signatureId: sig })).rejects.toMatchObject({ code: 'validation_failed' });
    expect(await listFigures(t.db, await waterScope(t.db, utility))).toEqual([]);
  });

  it('W-12 a signature is required and must be the submitter’s', async () => {
    const form = { entityId: ASTANA, period: '2025-06', production: 1, supply: 1, distribution: 1, consumption: 1 };
    await expect(submitFigures(t.db, utility, form, {})).rejects.toMatchObject({ code: 'signature_required' });
    const other = await createWaterUser(t.db, { role: 'water_utility', bin: '990140000001' });
    const otherSig = await storeTestSignature(t.db, other, 'water.figures');
    await expect(submitFigures(t.db, utility, form, { signatureId: otherSig })).rejects.toMatchObject({ code: 'signature_invalid' });
    // another utility's entity is out of scope, an akimat cannot submit
    await expect(submitFigures(t.db, utility, { ...form, entityId: ALMATY }, { signatureId: sig })).rejects.toMatchObject({ code: 'not_found' });
    const akimat = await createWaterUser(t.db, { role: 'akimat', scope: { level: 'region', regionId: demoWaterId('region:astana') } });
    await expect(submitFigures(t.db, akimat, form, { signatureId: sig })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('W-12 submissions by form and CSV are versioned per month and audited with the signature', async () => {
    const csv = 'Period;Production;Supply;Distribution;Consumption\n2025-05;1 000,5;950;900;800\n2025-06;1100;1000;950;850\n';
    const first = await submitFigures(t.db, utility, { entityId: ASTANA, csv }, { signatureId: sig });
    expect(first.map((r) => [r.period, r.version, r.productionM3])).toEqual([
      ['2025-05-01', 1, 1000.5],
      ['2025-06-01', 1, 1100],
    ]);
    const [second] = await submitFigures(t.db, utility, { entityId: ASTANA, period: '2025-06', production: 1120, supply: 1010, distribution: 960, consumption: 860 }, { signatureId: sig });
    expect(second).toMatchObject({ period: '2025-06-01', version: 2, productionM3: 1120, submittedBy: utility.userId });
    const scope = await waterScope(t.db, utility);
    expect((await listFigures(t.db, scope)).map((r) => [r.period, r.version])).toEqual([
      ['2025-05-01', 1],
      ['2025-06-01', 2],
    ]);
    expect(await listFigures(t.db, scope, { allVersions: true })).toHaveLength(3);
    const audits = await t.db.select().from(auditLog).where(eq(auditLog.action, 'water.figures.submit'));
    expect(audits).toHaveLength(2);
    expect(audits.every((a) => a.signatureId === sig && a.entityId === ASTANA)).toBe(true);
  });
});
