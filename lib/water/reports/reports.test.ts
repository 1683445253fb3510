import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { PDFDocument } from 'pdf-lib';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// The jobs use the process's FileStore (DATA_DIR/files): point it at a temporary directory before any import.
const dataDir = vi.hoisted(() => {
  const dir = `${process.env.TMPDIR || '/tmp'}/bt-water-reports-${process.pid}-${Date.now()}`;
  process.env.DATA_DIR = dir;
  return dir;
});

import { auditLog, notifications, waterAlerts, waterFigures, waterReports } from '@/db/schema';
import { demoWaterId, seedWater } from '@/db/seed/water';
import type { Principal } from '@/lib/auth/principal';
import { fileStore } from '@/lib/documents/store';
import { jobHandler, registeredPeriodics } from '@/lib/jobs/queue';
import { currentSlot } from '@/lib/jobs/schedule';
import { astanaInstant } from '@/lib/time/astana';
import { setClock } from '@/lib/time/clock';
import { useTestDb } from '@/lib/testing/db';
import { createWaterUser, storeTestSignature } from '@/lib/water/monitoring/testing';
import { listReports, openReportFile } from './archive';
import { downloadResponse, listResponse } from './http';
import type { Localized, ReportData } from './build';
import { generateReport, previousMonth } from './generate';
import { ARCHIVE_LOCALES, localiseReport } from './localise';
import { pdfText } from './pdf-text';
import { parseCsv, renderCsv, renderPdf, renderXlsx } from './render';
import './jobs';

const t = useTestDb();
const id = demoWaterId;
const AST = id('entity:astana');
const ALM = id('entity:almaty');
const dev = (u: string, k: string) => id(`device:${u}:${k}`);
const obj = (u: string, k: string) => id(`object:${u}:${k}`);
const region = (k: string) => id(`region:${k}`);
// 06:00 Astana on 21 June is 20 June 21:00 UTC, 17:00 in New York (the test TZ): the day reported is 20 June.
const DAILY_RUN = astanaInstant('2025-06-21', '06:00');

let utilityAst: Principal;
let utilityAlm: Principal;
let akimatAlmaty: Principal;
let national: Principal;

async function daily(device: string, metric: string, date: string, mean: number, min = mean * 0.9, max = mean * 1.1) {
  const bucket = astanaInstant(date, '00:00').toISOString();
  await t.db.execute(sql`insert into readings_daily (device_id, metric, bucket, count, sum, min, max, last, last_ts, flagged)
    values (${device}::uuid, ${metric}, ${bucket}::timestamptz, 24, ${mean * 24}, ${min}, ${max}, ${mean}, ${bucket}::timestamptz, 0)`);
}

async function runPeriodic(name: string, at: Date) {
  setClock(at);
  const task = registeredPeriodics().find((p) => p.name === name)!;
  const slot = currentSlot(task.schedule, at);
  return jobHandler(name)!(
    { slot: slot.slot, scheduledFor: slot.at.toISOString() },
    { db: t.db, now: at, jobId: 1, name, attempt: 1, maxAttempts: 3 },
  ) as Promise<Record<string, number>>;
}

async function bytes(sha256: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of await fileStore().get(sha256)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  setClock(astanaInstant('2025-06-20', '08:00'));
  await seedWater(t.db);
  utilityAst = await createWaterUser(t.db, { role: 'water_utility', bin: '990140000001' });
  utilityAlm = await createWaterUser(t.db, { role: 'water_utility', bin: '990140000002' });
  akimatAlmaty = await createWaterUser(t.db, { role: 'akimat', scope: { level: 'region', regionId: region('almaty') } });
  national = await createWaterUser(t.db, { role: 'authorised_body' });
  // 20 June: Astana's treatment plant 1000 m³/h (24,000 m³), Almaty's 1500 m³/h (36,000 m³); a DMA pressure.
  await daily(dev('astana', 'wtp-fm'), 'flow', '2025-06-20', 1000);
  await daily(dev('almaty', 'wtp-fm'), 'flow', '2025-06-20', 1500);
  await daily(dev('astana', 'dma1-pr'), 'pressure', '2025-06-20', 3.5, 2.1, 6.4);
  const sig = await storeTestSignature(t.db, utilityAst, 'figures');
  // 600,000 m³ billed in June → 20,000 m³ a day: losses 4,000 m³, NRW 16.7 %.
  await t.db.insert(waterFigures).values({
    entityId: AST, period: '2025-06-01', version: 1, productionM3: 1, supplyM3: 1, distributionM3: 1, consumptionM3: 600_000,
    signatureId: sig, submittedBy: utilityAst.userId, submittedAt: astanaInstant('2025-06-20', '08:00'),
  });
}, 120_000);

afterAll(async () => {
  setClock(null);
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('water reports', () => {
  it('W-30 the daily job generates a report per level for the previous Astana day, and only once', async () => {
    expect(registeredPeriodics().find((p) => p.name === 'water.reports-daily')?.schedule).toEqual({ dailyAt: '06:00' });
    const first = await runPeriodic('water.reports-daily', DAILY_RUN);
    // national + 3 top regions (Astana, Akmola, Almaty) + 2 utilities.
    expect(first).toEqual({ created: 6, existing: 0, failed: 0 });
    const again = await runPeriodic('water.reports-daily', DAILY_RUN);
    expect(again).toEqual({ created: 0, existing: 6, failed: 0 });
    const rows = await t.db.select().from(waterReports).where(eq(waterReports.kind, 'daily'));
    expect(rows).toHaveLength(6);
    expect(new Set(rows.map((r) => `${r.periodStart}/${r.periodEnd}`))).toEqual(new Set(['2025-06-20/2025-06-20']));
    expect(rows.map((r) => r.level).sort()).toEqual(['local', 'local', 'national', 'regional', 'regional', 'regional']);

    const nat = rows.find((r) => r.level === 'national')!.data as ReportData;
    expect(nat.summary.supplyM3).toBe(60_000);
    const local = rows.find((r) => r.entityId === AST)!.data as ReportData;
    expect(local.summary).toMatchObject({ supplyM3: 24_000, consumptionM3: 20_000, lossesM3: 4_000, nonRevenueWaterPercent: 16.7 });
    expect(local.sections.find((s) => s.key === 'pressure')!.rows).toEqual([[expect.any(String), 2.1, 6.4]]);
    const almRegion = rows.find((r) => r.regionId === region('almaty'))!.data as ReportData;
    expect(almRegion.summary.supplyM3).toBe(36_000);
  });

  it('W-30 the monthly job runs on the 1st for the previous month only', async () => {
    expect(previousMonth('2025-07-01')).toEqual({ start: '2025-06-01', end: '2025-06-30' });
    expect(previousMonth('2025-01-01')).toEqual({ start: '2024-12-01', end: '2024-12-31' });
    expect(await runPeriodic('water.reports-monthly', astanaInstant('2025-06-21', '06:30'))).toEqual({ skipped: true });
    expect(await runPeriodic('water.reports-monthly', astanaInstant('2025-07-01', '06:30'))).toEqual({ created: 6, existing: 0, failed: 0 });
    const [m] = await t.db.select().from(waterReports).where(sql`${waterReports.kind} = 'monthly' and ${waterReports.level} = 'national'`);
    expect([m.periodStart, m.periodEnd]).toEqual(['2025-06-01', '2025-06-30']);
  });

  it('W-30 an urgent report on a critical alert, for the entity, its region and the nation, with the W-31 recommendations', async () => {
    const opened = astanaInstant('2025-06-22', '03:15');
    const [alert] = await t.db
      .insert(waterAlerts)
      .values({
        type: 'night_flow_high', objectId: obj('almaty', 'dma1'), severity: 'critical', status: 'open',
        firstSeen: opened, lastSeen: opened, messageKey: 'water.alerts.night_flow_high',
      })
      .returning();
    // A warning does not trigger an urgent report.
    await t.db.insert(waterAlerts).values({
      type: 'pressure_high', objectId: obj('almaty', 'dma2'), severity: 'warning', status: 'open',
      firstSeen: opened, lastSeen: opened, messageKey: 'water.alerts.pressure_high',
    });
    const res = await runPeriodic('water.reports-urgent', astanaInstant('2025-06-22', '03:16'));
    expect(res).toMatchObject({ alerts: 1, created: 3 });
    expect(res.notified).toBeGreaterThanOrEqual(3);
    const urgent = await t.db.select().from(waterReports).where(eq(waterReports.triggerAlertId, alert.id));
    expect(urgent.map((r) => r.level).sort()).toEqual(['local', 'national', 'regional']);
    expect(urgent.find((r) => r.level === 'local')!.entityId).toBe(ALM);
    expect(urgent.find((r) => r.level === 'regional')!.regionId).toBe(region('almaty'));
    for (const r of urgent) {
      const rec = (r.data as ReportData).sections.find((s) => s.key === 'recommendations')!;
      expect(rec.rows.map((x) => (x[1] as { l: Localized }).l.ru)).toContain('Направить бригаду по поиску утечек в зону учёта (DMA).');
      expect(rec.rows.map((x) => (x[1] as { l: Localized }).l.kk)).toContain('Есепке алу аймағына (DMA) ағып кетулерді іздейтін бригада жіберу.');
      expect([r.periodStart, r.periodEnd]).toEqual(['2025-06-22', '2025-06-22']);
    }
    const csv = (await bytes(urgent[0].csvSha256)).toString('utf8');
    expect(csv).toContain('Направить бригаду по поиску утечек');
    // The utility, the Almaty akimat and the authorised body are notified.
    const notified = await t.db.select({ userId: notifications.userId }).from(notifications).where(eq(notifications.kind, 'water.report.urgent'));
    const users = new Set(notified.map((n) => n.userId));
    expect(users.has(utilityAlm.userId) && users.has(akimatAlmaty.userId) && users.has(national.userId)).toBe(true);
    expect(users.has(utilityAst.userId)).toBe(false);
    // The next poll finds nothing new.
    expect(await runPeriodic('water.reports-urgent', astanaInstant('2025-06-22', '03:17'))).toMatchObject({ alerts: 0, created: 0 });
  });

  it('W-32 the archived files match their SHA-256 and the row cannot be changed or deleted', async () => {
    const rows = await t.db.select().from(waterReports);
    for (const r of rows.slice(0, 4)) {
      for (const [sha, size] of [[r.pdfSha256, r.pdfSize], [r.xlsxSha256, r.xlsxSize], [r.csvSha256, r.csvSize]] as const) {
        const b = await bytes(sha);
        expect(createHash('sha256').update(b).digest('hex')).toBe(sha);
        expect(b.length).toBe(size);
      }
    }
    const target = rows[0].id;
    await expect(t.db.update(waterReports).set({ pdfSha256: '0'.repeat(64) }).where(eq(waterReports.id, target))).rejects.toThrow();
    await expect(t.db.delete(waterReports).where(eq(waterReports.id, target))).rejects.toThrow();
    const [still] = await t.db.select().from(waterReports).where(eq(waterReports.id, target));
    expect(still.pdfSha256).toBe(rows[0].pdfSha256);
    // generateReport returns the archived one unchanged.
    const again = await generateReport(t.db, { kind: rows[0].kind, scope: rows[0].level === 'national' ? { level: 'national' } : rows[0].level === 'regional' ? { level: 'regional', regionId: rows[0].regionId! } : { level: 'local', entityId: rows[0].entityId! }, period: { start: rows[0].periodStart, end: rows[0].periodEnd }, triggerAlertId: rows[0].triggerAlertId });
    expect(again.created).toBe(false);
    expect(again.report.id).toBe(target);
  });

  it('W-30 W-32 the archived CSV parses back to the data in Kazakh then Russian, the XLSX opens with its sheets, the PDF loads', async () => {
    const [r] = await t.db.select().from(waterReports).where(sql`${waterReports.kind} = 'daily' and ${waterReports.entityId} = ${AST}`);
    const data = r.data as ReportData;
    expect(data.v).toBe(2);
    const versions = ARCHIVE_LOCALES.map((l) => localiseReport(data, l));
    const csvBytes = await bytes(r.csvSha256);
    expect(csvBytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(Buffer.compare(csvBytes, renderCsv(versions))).toBe(0);
    const lines = parseCsv(csvBytes.toString('utf8'));
    // Walk each language: title, generated line, blank; then per section its title line, header, rows, blank line.
    let i = 0;
    for (const v of versions) {
      expect(lines[i]).toEqual([v.title]);
      i += 3;
      for (const s of v.sections) {
        expect(lines[i]).toEqual([s.title]);
        expect(lines[i + 1]).toEqual(s.columns);
        const rows = lines.slice(i + 2, i + 2 + s.rows.length);
        expect(rows).toEqual(s.rows.map((row) => row.map((c) => (c === null ? '' : String(c)))));
        i += 3 + s.rows.length;
      }
    }
    expect(versions[0].title).toBe('ГКП «Астана Су Арнасы» (демо): жергілікті күнделікті есеп, 20.06.2025');
    expect(versions[1].title).toBe('Ежедневный местный отчёт: ГКП «Астана Су Арнасы» (демо), 20.06.2025');
    expect(versions[0].sections[0].rows[0]).toEqual(['Беру, м³', 24_000]);
    expect(versions[1].sections[0].rows[0]).toEqual(['Подача, м³', 24_000]);
    expect(parseCsv('a,"b ""q"", c"\r\n"x\ny",\r\n')).toEqual([['a', 'b "q", c'], ['x\ny', '']]);

    const wb = new ExcelJS.Workbook();
    const xlsx = await bytes(r.xlsxSha256);
    await wb.xlsx.load(xlsx.buffer.slice(xlsx.byteOffset, xlsx.byteOffset + xlsx.length) as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(versions.flatMap((v) => v.sections.map((s) => `${s.title.slice(0, 26).trim()} (${v.locale})`)));
    const summary = wb.worksheets[0];
    expect(summary.getRow(5).values).toEqual([undefined, 'Көрсеткіш', 'Мәні']);
    expect(summary.getRow(6).getCell(2).value).toBe(24_000);

    const pdf = await bytes(r.pdfSha256);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const loaded = await PDFDocument.load(pdf);
    expect(loaded.getPageCount()).toBeGreaterThanOrEqual(2); // Kazakh, then Russian from a new page
    expect(loaded.getTitle()).toContain('Ежедневный местный отчёт');
    expect(loaded.getTitle()).toContain('жергілікті күнделікті есеп');
    // Rendering is a function of the data: a long report spans pages.
    const long: ReportData = { ...data, v: undefined, sections: [{ key: 'x', title: 'Длинная', columns: ['А', 'Б'], rows: Array.from({ length: 200 }, (_, k) => [`строка ${k}`, k]) }] };
    const longVersions = [localiseReport(long, 'ru')];
    expect((await PDFDocument.load(await renderPdf(longVersions))).getPageCount()).toBeGreaterThan(2);
    expect((await renderXlsx(longVersions)).length).toBeGreaterThan(1000);
  });

  it('W-30 the PDF draws Cyrillic and the Kazakh letters ӘҒҚҢӨҰҮҺІ with real glyphs (read back through its ToUnicode map)', async () => {
    const [r] = await t.db.select().from(waterReports).where(sql`${waterReports.kind} = 'daily' and ${waterReports.level} = 'national'`);
    const read = pdfText(await bytes(r.pdfSha256));
    const text = read.text.replace(/\n/g, ' '); // long titles wrap
    expect(read.notdef).toBe(0);
    expect(text).toContain('Қазақстан Республикасы: республикалық күнделікті есеп, 20.06.2025');
    expect(text).toContain('Ежедневный республиканский отчёт: Республика Казахстан, 20.06.2025');
    expect(text).toContain('Өңірлер бойынша су балансы');
    // Every Kazakh-specific letter, drawn from a report whose data carry them (a region name and a title).
    const kk: ReportData = {
      ...(r.data as ReportData),
      scopeNames: { kk: 'ӘҒҚҢӨҰҮҺІ әғқңөұүһі', ru: 'ЁЖЩЪЭЮЯ ёжщъэюя', en: 'x' },
    };
    const both = pdfText(await renderPdf(ARCHIVE_LOCALES.map((l) => localiseReport(kk, l))));
    expect(both.notdef).toBe(0);
    expect(both.text).toContain('ӘҒҚҢӨҰҮҺІ әғқңөұүһі');
    expect(both.text).toContain('ЁЖЩЪЭЮЯ ёжщъэюя');
  });

  it('W-30 W-32 a download in the chosen language (kk, ru, en) is rendered from the archived data and says so; the archived file is unchanged; audited (X-9)', async () => {
    const [r] = await t.db.select().from(waterReports).where(sql`${waterReports.kind} = 'daily' and ${waterReports.entityId} = ${AST}`);
    const en = await downloadResponse(t.db, utilityAst, r.id, 'csv', { lang: 'en' });
    expect(en.status).toBe(200);
    expect(en.headers.get('content-language')).toBe('en');
    expect(en.headers.get('x-archived-sha256')).toBe(r.csvSha256);
    expect(en.headers.get('content-disposition')).toMatch(/-en\.csv"$/);
    const text = Buffer.from(await en.arrayBuffer()).toString('utf8');
    expect(text).toContain('Daily local report: Astana Su Arnasy SOE (demo), 20.06.2025'); // the utility's English name
    expect(text).toContain(`rendered in English from the archived data of report ${r.id}`);
    expect(text).toContain(r.csvSha256);
    expect(text).toContain('"Supply, m³",24000');
    expect(text).not.toMatch(/Подача/);

    const kkPdf = await downloadResponse(t.db, utilityAst, r.id, 'pdf', { lang: 'kk' });
    expect(kkPdf.headers.get('content-type')).toBe('application/pdf');
    const kkText = pdfText(Buffer.from(await kkPdf.arrayBuffer()));
    expect(kkText.notdef).toBe(0);
    expect(kkText.text).toContain('жергілікті күнделікті есеп');
    expect(kkText.text).not.toContain('Ежедневный');

    const ruXlsx = await downloadResponse(t.db, utilityAst, r.id, 'xlsx', { lang: 'ru' });
    const wb = new ExcelJS.Workbook();
    const b = Buffer.from(await ruXlsx.arrayBuffer());
    await wb.xlsx.load(b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer);
    expect(wb.worksheets[0].name).toBe('Сводка');
    expect(wb.worksheets[0].getRow(1).getCell(1).value).toBe('Ежедневный местный отчёт: ГКП «Астана Су Арнасы» (демо), 20.06.2025');

    // Without a language: the archived file itself, byte for byte.
    const archived = await downloadResponse(t.db, utilityAst, r.id, 'csv');
    expect(archived.headers.get('content-language')).toBe('kk, ru');
    const ab = Buffer.from(await archived.arrayBuffer());
    expect(createHash('sha256').update(ab).digest('hex')).toBe(r.csvSha256);
    const [still] = await t.db.select().from(waterReports).where(eq(waterReports.id, r.id));
    expect([still.csvSha256, still.pdfSha256, still.xlsxSha256]).toEqual([r.csvSha256, r.pdfSha256, r.xlsxSha256]);

    expect((await downloadResponse(t.db, utilityAst, r.id, 'csv', { lang: 'de' })).status).toBe(422);
    const audits = await t.db.select().from(auditLog).where(eq(auditLog.entityId, r.id));
    const langs = audits.filter((a) => a.action === 'water.report.download').map((a) => (a.after as { language: string; archivedSha256: string }).language);
    expect(langs).toEqual(expect.arrayContaining(['en', 'kk', 'ru', 'archived']));
  });

  it('W-16 X-11 a utility lists and downloads only its own reports; outside the scope is 404; every download is audited (X-9)', async () => {
    const ast = await listReports(t.db, utilityAst, { kind: 'daily' });
    expect(ast.map((r) => [r.level, r.entityId])).toEqual([['local', AST]]);
    const alm = await listReports(t.db, utilityAlm, {});
    expect(alm.every((r) => r.level === 'local' && r.entityId === ALM)).toBe(true);
    expect(alm.length).toBeGreaterThan(0);
    const akimat = await listReports(t.db, akimatAlmaty, { kind: 'daily' });
    expect(akimat.map((r) => r.level).sort()).toEqual(['local', 'regional']);
    expect(akimat.every((r) => r.entityId === ALM || r.regionId === region('almaty'))).toBe(true);
    expect(await listReports(t.db, national, { kind: 'daily' })).toHaveLength(6);
    expect(await listReports(t.db, national, { kind: 'daily', level: 'regional' })).toHaveLength(3);
    expect(await listReports(t.db, national, { from: '2025-06-22', to: '2025-06-30' })).toHaveLength(3 + 6);
    await expect(listReports(t.db, null)).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(listReports(t.db, national, { from: 'x' })).rejects.toMatchObject({ code: 'validation_failed' });

    const almReport = alm[0];
    await expect(openReportFile(t.db, utilityAst, almReport.id, 'pdf')).rejects.toMatchObject({ code: 'not_found' });
    const nationalReport = (await listReports(t.db, national, { level: 'national' }))[0];
    await expect(openReportFile(t.db, akimatAlmaty, nationalReport.id, 'csv')).rejects.toMatchObject({ code: 'not_found' });
    await expect(openReportFile(t.db, utilityAlm, almReport.id, 'doc')).rejects.toMatchObject({ code: 'not_found' });

    const before = await t.db.select().from(auditLog).where(eq(auditLog.action, 'water.report.download'));
    const dl = await openReportFile(t.db, utilityAlm, almReport.id, 'xlsx');
    dl.stream.destroy();
    expect(dl.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(dl.filename).toMatch(/^water-report-.*\.xlsx$/);
    expect(dl.sha256).toBe(almReport.files.xlsx.sha256);
    const after = await t.db.select().from(auditLog).where(eq(auditLog.action, 'water.report.download'));
    expect(after.length).toBe(before.length + 1);
    expect(after.at(-1)).toMatchObject({ entityId: almReport.id, actorUserId: utilityAlm.userId });
  });

  it('W-16 the HTTP endpoints: 401 signed out, 403 without a water role, the list in scope, a download with its type and name, 404 outside', async () => {
    const url = new URL('http://x/api/v1/water/reports?kind=daily');
    expect((await listResponse(t.db, null, url)).status).toBe(401);
    const applicant = await createWaterUser(t.db, { role: 'applicant' });
    expect((await listResponse(t.db, applicant, url)).status).toBe(403);
    const res = await listResponse(t.db, utilityAst, url);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { reports: { id: string; entityId: string; downloads: Record<string, string> }[] };
    expect(body.reports.map((r) => r.entityId)).toEqual([AST]);
    expect(body.reports[0].downloads.csv).toBe(`/api/v1/water/reports/${body.reports[0].id}/csv`);
    expect((await listResponse(t.db, utilityAst, new URL('http://x/?kind=weekly'))).status).toBe(422);

    const dl = await downloadResponse(t.db, utilityAst, body.reports[0].id, 'pdf');
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-type')).toBe('application/pdf');
    expect(dl.headers.get('content-disposition')).toMatch(/^attachment; filename="water-report-daily-local-.*\.pdf"$/);
    expect(Buffer.from(await dl.arrayBuffer()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const csv = await downloadResponse(t.db, utilityAst, body.reports[0].id, 'csv');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    await csv.body?.cancel();
    const foreign = (await listReports(t.db, utilityAlm, { kind: 'daily' }))[0];
    expect((await downloadResponse(t.db, utilityAst, foreign.id, 'pdf')).status).toBe(404);
    expect((await downloadResponse(t.db, utilityAst, 'not-a-uuid', 'pdf')).status).toBe(404);
  });
});
