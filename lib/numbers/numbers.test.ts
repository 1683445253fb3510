import { and, eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { numberSequences } from '@/db/schema';
import { useTestDb } from '@/lib/testing/db';
import { setClock } from '@/lib/time/clock';
import { allocateNumber } from './index';

 
const t = useTestDb();
const TEMPLATE = '{ORG}-{YYYY}-{SEQ:6}';

afterEach(() => setClock(null));

async function lastValue(system: string, scope: string, year: number): Promise<number | undefined> {
  const [row] = await t.db
    .select({ v: numberSequences.lastValue })
    .from(numberSequences)
    .where(and(eq(numberSequences.system, system), eq(numberSequences.scope, scope), eq(numberSequences.year, year)));
  return row?.v;
}

describe('allocateNumber (X-10)', () => {
  it('X-10 numbers are gapless per system, scope and year', async () => {
    setClock('2026-02-10T06:00:00Z');
    const a1 = await allocateNumber(t.db, { system: 'expertise', scope: 'org-a', template: TEMPLATE, vars: { ORG: 'KGE' } });
    const a2 = await allocateNumber(t.db, { system: 'expertise', scope: 'org-a', template: TEMPLATE, vars: { ORG: 'KGE' } });
    const b1 = await allocateNumber(t.db, { system: 'expertise', scope: 'org-b', template: TEMPLATE, vars: { ORG: 'ALM' } });
    const p1 = await allocateNumber(t.db, { system: 'procurement', scope: 'org-a', template: '{SYS}-{YY}-{SEQ}' });
    expect([a1, a2, b1, p1]).toEqual([
      { number: 'KGE-2026-000001', seq: 1, year: 2026 },
      { number: 'KGE-2026-000002', seq: 2, year: 2026 },
      { number: 'ALM-2026-000001', seq: 1, year: 2026 },
      { number: 'procurement-26-1', seq: 1, year: 2026 },
    ]);
  });

  it('X-10 numbering restarts at 1 in a new Astana year (31 Dec 20:00 UTC is already next year)', async () => {
    const opts = { system: 'expertise', scope: 'org-y', template: TEMPLATE, vars: { ORG: 'KGE' } };
    const last2025 = await allocateNumber(t.db, { ...opts, at: new Date('2025-12-31T18:59:59.999Z') });
    const again2025 = await allocateNumber(t.db, { ...opts, at: new Date('2025-06-01T00:00:00Z') });
    const first2026 = await allocateNumber(t.db, { ...opts, at: new Date('2025-12-31T20:00:00Z') });
    expect(last2025.number).toBe('KGE-2025-000001');
    expect(again2025.number).toBe('KGE-2025-000002');
    expect(first2026).toEqual({ number: 'KGE-2026-000001', seq: 1, year: 2026 });
  });

  it('X-10 a rolled-back transaction does not consume a number', async () => {
    const opts = { system: 'expertise', scope: 'org-r', template: TEMPLATE, vars: { ORG: 'R' }, at: new Date('2026-05-05T05:00:00Z') };
    await allocateNumber(t.db, opts);
    await expect(
      t.db.transaction(async (tx) => {
        const n = await allocateNumber(tx, opts);
        expect(n.seq).toBe(2);
        throw new Error('the application was not saved');
      }),
    ).rejects.toThrow('not saved');
    const next = await t.db.transaction((tx) => allocateNumber(tx, opts));
    expect(next.number).toBe('R-2026-000002');
  });

  it('X-10 a missing template variable fails before the counter moves', async () => {
    const at = new Date('2026-05-05T05:00:00Z');
    await expect(allocateNumber(t.db, { system: 'expertise', scope: 'org-m', template: TEMPLATE, at })).rejects.toThrow(/\{ORG\}/);
    await expect(allocateNumber(t.db, { system: 'expertise', scope: 'org-m', template: '{SEQ}', at })).rejects.toThrow(/year/);
    expect(await lastValue('expertise', 'org-m', 2026)).toBeUndefined();
  });

  it('X-10 50 parallel allocations give 1..50 exactly once; rolled-back ones leave no gap', async () => {
    const opts = { system: 'expertise', scope: 'org-p', template: TEMPLATE, vars: { ORG: 'P' }, at: new Date('2026-07-01T07:00:00Z') };
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        t.db.transaction(async (tx) => {
          const n = await allocateNumber(tx, opts);
          // Hold the counter's row lock a moment so that the others really queue behind it.
          await tx.execute(sql`select pg_sleep(0.005)`);
          if (i % 10 === 3) throw new Error('rollback');
          return n;
        }),
      ),
    );
    const committed = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(5);
    expect(committed.map((n) => n.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 45 }, (_, i) => i + 1));
    expect(new Set(committed.map((n) => n.number)).size).toBe(45);

    const more = await Promise.all(Array.from({ length: 5 }, () => t.db.transaction((tx) => allocateNumber(tx, opts))));
    expect(more.map((n) => n.seq).sort((a, b) => a - b)).toEqual([46, 47, 48, 49, 50]);
    expect(await lastValue('expertise', 'org-p', 2026)).toBe(50);
  });
});
