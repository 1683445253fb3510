/**
 * English place names in the water reports (issue 6): regions and utilities registered with an English name are
 * named so in en renderings; kk and ru are unchanged; reports archived before keep their data (W-30).
 */
import fs from 'node:fs/promises';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { regions, waterEntities, waterReports } from '@/db/schema';
import { demoWaterId, seedWater } from '@/db/seed/water';
import type { Principal } from '@/lib/auth/principal';
import { astanaInstant } from '@/lib/time/astana';
import { setClock } from '@/lib/time/clock';
import { useTestDb } from '@/lib/testing/db';
import { createWaterUser } from '@/lib/water/monitoring/testing';
import { listReports } from './archive';
import { generateReport } from './generate';
import { downloadResponse } from './http';

// Reports are archived in the process's FileStore (DATA_DIR/files): a temporary directory, before any import.
const dataDir = vi.hoisted(() => {
  const dir = `${process.env.TMPDIR || '/tmp'}/bt-water-report-names-${process.pid}-${Date.now()}`;
  process.env.DATA_DIR = dir;
  return dir;
});

const t = useTestDb();
const id = demoWaterId;
const ASTANA = id('region:astana');
let national: Principal;

async function download(reportId: string, lang: 'kk' | 'ru' | 'en'): Promise<string> {
  const res = await downloadResponse(t.db, national, reportId, 'csv', { lang });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer()).toString('utf8');
}

beforeAll(async () => {
  setClock(astanaInstant('2025-06-21', '08:00'));
  await seedWater(t.db);
  national = await createWaterUser(t.db, { role: 'authorised_body' });
  const bucket = astanaInstant('2025-06-20', '00:00').toISOString();
  await t.db.execute(sql`insert into readings_daily (device_id, metric, bucket, count, sum, min, max, last, last_ts, flagged)
    values (${id('device:astana:wtp-fm')}::uuid, 'flow', ${bucket}::timestamptz, 24, 24000, 900, 1100, 1000, ${bucket}::timestamptz, 0)`);
}, 120_000);
afterAll(async () => {
  setClock(null);
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('English names in the water reports', () => {
  it('W-30 the en report names regions and utilities in English; kk and ru keep their names', async () => {
    const period = { start: '2025-06-20', end: '2025-06-20' };
    const { report: nat } = await generateReport(t.db, { kind: 'daily', scope: { level: 'national' }, period });
    const en = await download(nat.id, 'en');
    expect(en).toContain('Astana city');
    expect(en).toContain('Almaty city');
    expect(en).not.toMatch(/город Астана|город Алматы/);
    expect(await download(nat.id, 'ru')).toContain('город Астана');
    expect(await download(nat.id, 'kk')).toContain('Астана қаласы');

    const { report: reg } = await generateReport(t.db, { kind: 'daily', scope: { level: 'regional', regionId: ASTANA }, period });
    const regEn = await download(reg.id, 'en');
    expect(regEn).toContain('Daily regional report: Astana city, 20.06.2025');
    expect(regEn).toContain('Astana Su Arnasy SOE (demo)'); // the utility's row
    expect(await download(reg.id, 'ru')).toContain('Ежедневный региональный отчёт: город Астана, 20.06.2025');
    expect(await download(reg.id, 'ru')).toContain('ГКП «Астана Су Арнасы» (демо)');

    // The archive's list names the scope in the viewer's language.
    const listed = (await listReports(t.db, national, { level: 'regional' })).find((r) => r.id === reg.id)!;
    expect([listed.scopeNameKk, listed.scopeName, listed.scopeNameEn]).toEqual(['Астана қаласы', 'город Астана', 'Astana city']);
  });

  it('W-30 a report archived before the English names keeps its archived data (the en rendering names as archived)', async () => {
    // A database seeded before the English names: none registered.
    await t.db.update(regions).set({ nameEn: null });
    await t.db.update(waterEntities).set({ nameEn: null });
    const period = { start: '2025-06-19', end: '2025-06-19' };
    const { report: old } = await generateReport(t.db, { kind: 'daily', scope: { level: 'regional', regionId: ASTANA }, period });
    expect(await download(old.id, 'en')).toContain('Daily regional report: город Астана, 19.06.2025');
    // The seed (version 2) registers the English names.
    await seedWater(t.db);
    expect((await t.db.select({ en: regions.nameEn }).from(regions).where(eq(regions.id, ASTANA)))[0].en).toBe('Astana city');
    const [still] = await t.db.select().from(waterReports).where(eq(waterReports.id, old.id));
    expect(still.data).toEqual(old.data);
    expect([still.csvSha256, still.pdfSha256, still.xlsxSha256]).toEqual([old.csvSha256, old.pdfSha256, old.xlsxSha256]);
    expect(await download(old.id, 'en')).toContain('Daily regional report: город Астана, 19.06.2025');
    // A new report names it in English.
    const { report: fresh } = await generateReport(t.db, { kind: 'daily', scope: { level: 'regional', regionId: ASTANA }, period: { start: '2025-06-20', end: '2025-06-20' } });
    expect(await download(fresh.id, 'en')).toContain('Astana city');
  });
});
