import fs from 'node:fs';
import path from 'node:path';
import { and, count, eq } from 'drizzle-orm';
import { createTranslator } from 'next-intl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, organisations, signatures, userRoles, users, waterAlerts, waterUserScopes } from '@/db/schema';
import { demoWaterId, seedWater } from '@/db/seed/water';
import { runSignedAction } from '@/lib/auth/signed-action';
import { issueActionNonce } from '@/lib/auth/action-nonce';
import { loadPrincipal, type Principal } from '@/lib/auth/principal';
import { canonicalJson } from '@/lib/canonical';
import { openP12, signCmsDetached } from '@/lib/eds/browser/p12-signer';
import { ensureTestPki, type DemoKeyName, type TestPki } from '@/lib/eds/test-pki';
import { resetEnvCache } from '@/lib/env';
import { locales } from '@/lib/i18n/config';
import { messagesByLocale } from '@/lib/i18n/messages';
import { useTestDb } from '@/lib/testing/db';
import { addDays } from '@/lib/time/astana';
import { setClock } from '@/lib/time/clock';
import { waterScope } from '@/lib/water/access';
import {
  ALERT_TYPES,
  checkConsumption,
  checkPressure,
  checkSilence,
  checkVerification,
  checkVoltage,
  detectMnfLeak,
  mnfAlert,
  observe,
  seasonalAlert,
  seasonalBand,
  type AlertCandidate,
} from '@/lib/water/analytics';
import { alertMessageParams, getAlertInScope, listAlertsInScope, localisedRecommendations } from './list';
import { acknowledgeAlertDef, clearAlertDef } from './signed';
import { insertAlert } from './store';

const t = useTestDb();
const T0 = new Date('2026-03-10T09:00:00Z'); // 14:00 Astana
const obj = (key: string, u = 'astana') => demoWaterId(`object:${u}:${key}`);
const dev = (key: string, u = 'astana') => demoWaterId(`device:${u}:${key}`);

// ---- every message key the monitoring can produce ---------------------------------------------------------

/** Candidates from every rule of lib/water/analytics, with the parameters the rules really put in. */
function everyCandidate(): AlertCandidate[] {
  const ref = { objectId: obj('dma1'), deviceId: dev('dma1-pr') };
  const night = new Date('2026-03-09T21:30:00Z'); // 02:30 Astana
  const out: AlertCandidate[] = [
    ...checkPressure({ ...ref, value: 1, minBar: 2, maxBar: 6 }),
    ...checkPressure({ ...ref, value: 7, minBar: 2, maxBar: 6, at: T0 }),
    ...checkPressure({ ...ref, value: 7, minBar: 2, maxBar: 6, at: night }),
    ...checkVoltage({ ...ref, value: 460, ratedV: 400 }),
    ...checkConsumption({ ...ref, value: 200, norm: { kind: 'per_connection', m3PerConnectionPerDay: 0.5, connections: 200 }, periodDays: 1 }),
    ...checkSilence({ ...ref, lastReadingAt: new Date(T0.getTime() - 3 * 3600_000), at: T0, criticality: 'normal', expectedIntervalSec: 900 }),
    ...checkSilence({ ...ref, lastReadingAt: null, at: T0, criticality: 'normal', expectedIntervalSec: 900 }),
    ...checkVerification({ ...ref, nextDueOn: '2026-03-20', today: '2026-03-10' }),
    ...checkVerification({ ...ref, nextDueOn: '2026-03-01', today: '2026-03-10' }),
  ];
  const history = [1, 2, 3, 4, 5, 6].map((w) => ({ ts: new Date(T0.getTime() - w * 7 * 86_400_000), value: 100 + w }));
  const band = seasonalBand(history, T0.getTime(), { minMad: 0.01 })!;
  out.push(seasonalAlert(500, band, { ...ref, metric: 'flow' })!, seasonalAlert(1, band, { ...ref, metric: 'flow' })!);
  const nights = Array.from({ length: 12 }, (_, i) => ({ night: addDays('2026-02-10', i), mnf: i < 9 ? 20 : 35, samples: 3 }));
  out.push(mnfAlert(detectMnfLeak(nights, { absoluteThreshold: 1, relativeThreshold: 0.2 }), ref)!);
  return out;
}

describe('alert texts (W-21, W-27)', () => {
  const candidates = everyCandidate();

  it('W-21 W-23 W-27 the rules produce every alert type (the enumeration below is complete)', () => {
    expect(new Set(candidates.map((c) => c.type))).toEqual(new Set(ALERT_TYPES));
  });

  it('W-27 every messageKey the monitoring can produce renders in kk, ru and en with its parameters', () => {
    // The keys the rules wrote, plus every literal 'water.alerts.*' in the analytics sources (a new rule's key
    // fails here until its text exists).
    const dir = path.join(process.cwd(), 'lib/water/analytics');
    const literal = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .flatMap((f) => [...fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/'(water\.alerts\.[a-z_]+)'/g)].map((m) => m[1]));
    const keys = new Set([...candidates.map((c) => c.messageKey), ...literal, ...ALERT_TYPES.map((x) => `water.alerts.${x}`)]);
    expect(keys.size).toBeGreaterThanOrEqual(ALERT_TYPES.length + 1); // + device_never_reported
    for (const locale of locales) {
      const tr = createTranslator({
        locale,
        messages: messagesByLocale[locale] as Record<string, unknown>,
        onError: (e) => {
          throw e;
        },
      });
      for (const key of keys) expect(tr.has(key as never), `${locale}:${key}`).toBe(true);
      for (const c of candidates) {
        const text = tr(c.messageKey as never, alertMessageParams(c.messageKey, c.params) as never);
        expect(text, `${locale}:${c.messageKey}`).not.toMatch(/[{}]|water\.alerts/);
        expect(text.length).toBeGreaterThan(10);
      }
    }
  });
});

// ---- listing, scope, recommendations, signed acknowledgement ------------------------------------------------

let pki: TestPki;
const savedMode = process.env.EDS_TEST_MODE;
let operator: Principal;
let astanaUtility: Principal;
let almatyAkimat: Principal;
let astanaAkimat: Principal;
let oversight: Principal;
const ids: Record<string, string> = {};

/** A user of a demo key with roles and water scopes (the key's organisation, so that signer BIN = session BIN). */
async function userOf(name: DemoKeyName, roles: string[], scope?: { level: 'region'; regionId: string } | { level: 'entity'; entityId: string }): Promise<Principal> {
  const key = pki.keys[name];
  let orgId: string | null = null;
  if (key.bin) {
    const [o] = await t.db.insert(organisations).values({ bin: key.bin, name: `Org ${key.bin}` }).onConflictDoNothing().returning({ id: organisations.id });
    orgId = o?.id ?? (await t.db.select({ id: organisations.id }).from(organisations).where(eq(organisations.bin, key.bin)))[0].id;
  }
  const [u] = await t.db.insert(users).values({ iin: key.iin, fullName: key.fullName, orgId }).returning();
  for (const role of roles) await t.db.insert(userRoles).values({ userId: u.id, role, orgId: null });
  if (scope) {
    await t.db.insert(waterUserScopes).values({
      userId: u.id,
      level: scope.level,
      regionId: scope.level === 'region' ? scope.regionId : null,
      entityId: scope.level === 'entity' ? scope.entityId : null,
    });
  }
  return (await loadPrincipal(t.db, u.id, u.sessionVersion))!;
}

async function open(c: AlertCandidate, at: Date): Promise<string> {
  const row = await insertAlert(t.db, observe(null, c, at).alert);
  return row.id;
}

/** What the browser does: sign canonicalJson({ action, input, nonce }) with the demo SIGN key. */
async function signed(p: Principal, key: DemoKeyName, action: string, input: unknown) {
  const n = await issueActionNonce(t.db, p.userId, action);
  const file = pki.keys[key].sign;
  const k = await openP12(file.p12, file.password);
  const cms = await signCmsDetached(k, new TextEncoder().encode(canonicalJson({ action, input, nonce: n.nonce })), { signingTime: new Date() });
  return { input, nonceId: n.nonceId, cms };
}

beforeAll(async () => {
  process.env.EDS_TEST_MODE = '1';
  resetEnvCache();
  setClock(T0);
  await seedWater(t.db);
  pki = await ensureTestPki(t.db);
  operator = await userOf('operator', ['operator']);
  astanaUtility = await userOf('new_employee', ['water_utility'], { level: 'entity', entityId: demoWaterId('entity:astana') });
  almatyAkimat = await userOf('individual', ['akimat'], { level: 'region', regionId: demoWaterId('region:almaty') });
  astanaAkimat = await userOf('first_head', ['akimat'], { level: 'region', regionId: demoWaterId('region:astana') });
  oversight = await userOf('oversight', ['oversight']);
  const ago = (h: number) => new Date(T0.getTime() - h * 3600_000);
  const leak = mnfAlert(
    detectMnfLeak(
      Array.from({ length: 12 }, (_, i) => ({ night: addDays('2026-02-20', i), mnf: i < 9 ? 25 : 34, samples: 3 })),
      { absoluteThreshold: 1, relativeThreshold: 0.2 },
    ),
    { objectId: obj('dma2') },
  )!;
  ids.leak = await open(leak, ago(10));
  ids.voltage = await open(checkVoltage({ objectId: obj('ps'), deviceId: dev('ps-pp'), value: 500, ratedV: 400 })[0], ago(2));
  ids.almatyPressure = await open(checkPressure({ objectId: obj('dma1', 'almaty'), deviceId: dev('dma1-pr', 'almaty'), value: 1, minBar: 2, maxBar: 6 })[0], ago(1));
  ids.verification = await open(checkVerification({ objectId: obj('wtp'), deviceId: dev('wtp-q'), nextDueOn: '2026-03-01', today: '2026-03-10' })[0], ago(30));
});
afterAll(() => {
  setClock(null);
  process.env.EDS_TEST_MODE = savedMode;
  resetEnvCache();
});

describe('alerts list (W-16, W-27, W-31, X-11)', () => {
  it('W-16 X-11 a utility lists only its own alerts, an akimat its region, the authorised body and operator the nation', async () => {
    const listed = async (p: Principal) => (await listAlertsInScope(t.db, await waterScope(t.db, p))).map((a) => a.id).sort();
    expect(await listed(operator)).toEqual([ids.leak, ids.voltage, ids.almatyPressure, ids.verification].sort());
    expect(await listed(astanaUtility)).toEqual([ids.leak, ids.voltage, ids.verification].sort());
    expect(await listed(astanaAkimat)).toEqual([ids.leak, ids.voltage, ids.verification].sort());
    expect(await listed(almatyAkimat)).toEqual([ids.almatyPressure]);
  });

  it('W-16 X-11 an alert outside the scope is not found (no existence leak), nor is a malformed id', async () => {
    const almaty = await waterScope(t.db, almatyAkimat);
    await expect(getAlertInScope(t.db, almaty, ids.leak)).rejects.toMatchObject({ code: 'not_found' });
    await expect(getAlertInScope(t.db, almaty, 'not-a-uuid')).rejects.toMatchObject({ code: 'not_found' });
    expect((await getAlertInScope(t.db, almaty, ids.almatyPressure)).object.name).toBe('DMA-1');
  });

  it('W-27 filters by state, type, severity, region (with its districts), utility and object; bad filters are refused', async () => {
    const national = await waterScope(t.db, operator);
    const q = async (f: Record<string, string>) => (await listAlertsInScope(t.db, national, f)).map((a) => a.id).sort();
    expect(await q({ type: 'night_flow_high' })).toEqual([ids.leak]);
    expect(await q({ severity: 'critical' })).toEqual([ids.voltage, ids.almatyPressure].sort());
    expect(await q({ region: demoWaterId('region:almaty') })).toEqual([ids.almatyPressure]); // the object lies in a district
    expect(await q({ entity: demoWaterId('entity:astana') })).toEqual([ids.leak, ids.voltage, ids.verification].sort());
    expect(await q({ object: obj('dma2') })).toEqual([ids.leak]);
    expect(await q({ status: 'cleared' })).toEqual([]);
    await expect(listAlertsInScope(t.db, national, { type: 'nonsense' })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(listAlertsInScope(t.db, national, { region: 'x' })).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('W-31 each alert comes with its object, utility, region and the recommended corrective actions in the user’s language', async () => {
    const [leak] = await listAlertsInScope(t.db, await waterScope(t.db, astanaUtility), { type: 'night_flow_high' });
    expect(leak.object).toMatchObject({ id: obj('dma2'), name: 'DMA-2', kind: 'dma' });
    expect(leak.entity.id).toBe(demoWaterId('entity:astana'));
    expect(leak.region.nameRu).toBe('район Сарыарка');
    const ru = localisedRecommendations(leak.recommendations, 'ru');
    expect(ru.actions[0]).toEqual({ id: 'send_leak_detection', text: 'Направить бригаду по поиску утечек в зону учёта (DMA).' });
    expect(localisedRecommendations(leak.recommendations, 'kk').actions[0].text).toMatch(/ағып кетулерді іздейтін бригада/);
    expect(localisedRecommendations(leak.recommendations, 'en').title).toMatch(/suspected leak/);
  });
});

describe('acknowledge and clear, EDS-signed (W-27, X-4, X-9)', () => {
  it('X-4 X-9 W-27 the utility acknowledges its alert with its SIGN key: the state changes, the signature and the audit rows are stored', async () => {
    const input = { id: ids.leak, note: 'Бригада жіберілді' };
    const r = await runSignedAction(t.db, astanaUtility, acknowledgeAlertDef, await signed(astanaUtility, 'new_employee', acknowledgeAlertDef.name, input));
    expect(r).toEqual({ ok: true, data: { id: ids.leak, status: 'acknowledged' } });
    const [row] = await t.db.select().from(waterAlerts).where(eq(waterAlerts.id, ids.leak));
    expect(row).toMatchObject({ status: 'acknowledged', acknowledgedBy: astanaUtility.userId, note: 'Бригада жіберілді' });
    expect(row.acknowledgedAt?.getTime()).toBe(T0.getTime());
    const audit = await t.db.select().from(auditLog).where(and(eq(auditLog.entityType, 'water_alert'), eq(auditLog.entityId, ids.leak)));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'water.alert.acknowledge', basis: 'Бригада жіберілді' });
    expect(audit[0].signatureId).toBeTruthy();
    const [sig] = await t.db.select().from(signatures).where(eq(signatures.id, audit[0].signatureId!));
    expect(sig).toMatchObject({ subject: 'water.alert.acknowledge', signerIin: astanaUtility.iin });
    // The listing shows who acknowledged it.
    const [view] = await listAlertsInScope(t.db, await waterScope(t.db, operator), { object: obj('dma2') });
    expect(view).toMatchObject({ status: 'acknowledged', acknowledgedByName: pki.keys.new_employee.fullName });
  });

  it('W-27 an acknowledged alert cannot be acknowledged again (409), and nothing is written', async () => {
    const before = (await t.db.select({ n: count() }).from(auditLog))[0].n;
    const r = await runSignedAction(t.db, operator, acknowledgeAlertDef, await signed(operator, 'operator', acknowledgeAlertDef.name, { id: ids.leak, note: '' }));
    expect(r).toMatchObject({ ok: false, error: { code: 'alert_invalid_transition' } });
    expect((await t.db.select({ n: count() }).from(auditLog))[0].n).toBe(before);
  });

  it('W-16 X-11 an akimat of another region cannot acknowledge (not found); oversight may only read (forbidden)', async () => {
    const other = await runSignedAction(t.db, almatyAkimat, acknowledgeAlertDef, await signed(almatyAkimat, 'individual', acknowledgeAlertDef.name, { id: ids.voltage, note: '' }));
    expect(other).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const ro = await runSignedAction(t.db, oversight, acknowledgeAlertDef, { input: { id: ids.voltage, note: '' }, nonceId: 'x', cms: 'x' });
    expect(ro).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const [row] = await t.db.select().from(waterAlerts).where(eq(waterAlerts.id, ids.voltage));
    expect(row.status).toBe('open');
  });

  it('X-4 an unsigned acknowledgement is refused', async () => {
    const r = await runSignedAction(t.db, operator, acknowledgeAlertDef, { input: { id: ids.voltage, note: '' } });
    expect(r).toMatchObject({ ok: false, error: { code: 'signature_required' } });
  });

  it('W-27 X-9 the operator clears an alert (open → cleared), signed; the list of active alerts no longer shows it', async () => {
    const r = await runSignedAction(t.db, operator, clearAlertDef, await signed(operator, 'operator', clearAlertDef.name, { id: ids.voltage, note: 'Питание восстановлено' }));
    expect(r).toEqual({ ok: true, data: { id: ids.voltage, status: 'cleared' } });
    const national = await waterScope(t.db, operator);
    expect((await listAlertsInScope(t.db, national)).map((a) => a.id)).not.toContain(ids.voltage);
    const [cleared] = await listAlertsInScope(t.db, national, { status: 'cleared' });
    expect(cleared).toMatchObject({ id: ids.voltage, clearedByName: pki.keys.operator.fullName });
  });
});
