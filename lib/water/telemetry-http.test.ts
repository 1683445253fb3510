import { and, count, eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST } from '@/app/api/v1/telemetry/route';
import { devices, readings } from '@/db/schema';
import { DEMO_WATER_SECRETS, demoWaterId, seedWater } from '@/db/seed/water';
import { setClock } from '@/lib/time/clock';
import { useTestDb } from '@/lib/testing/db';

const t = useTestDb();
const NOW = '2025-06-20T09:00:00Z';
const URL_ = 'http://localhost/api/v1/telemetry';
const DEVICE_TOKEN = DEMO_WATER_SECRETS.astanaDma1Flow;
const GATEWAY_KEY = DEMO_WATER_SECRETS.astanaGateway;

function post(body: BodyInit | null, headers: Record<string, string> = {}) {
  return POST(new Request(URL_, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } }));
}
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  setClock(NOW);
  await seedWater(t.db);
});
afterAll(() => setClock(null));

describe('POST /api/v1/telemetry', () => {
  it('W-18 a device posts a JSON array; a re-post answers duplicates and stores nothing twice', async () => {
    const body = JSON.stringify([
      { metric: 'flow', ts: '2025-06-20T13:00:00+05:00', value: 40, unit: 'm3/h' },
      { metric: 'flow', ts: '2025-06-20T13:01:00+05:00', value: 11, unit: 'l/s' },
      { metric: 'flow', ts: '2025-06-20T13:02:00', value: 41, unit: 'm3/h' },
    ]);
    const res = await post(body, auth(DEVICE_TOKEN));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: [{ index: 2, reason: 'ts_zone_missing', field: 'ts', message: expect.any(String) }],
    });
    const again = await post(body, auth(DEVICE_TOKEN));
    expect(await again.json()).toMatchObject({ accepted: 0, duplicates: 2 });
    const [{ n }] = await t.db
      .select({ n: count() })
      .from(readings)
      .where(and(eq(readings.deviceId, demoWaterId('device:astana:dma1-fm')), eq(readings.metric, 'flow')));
    expect(n).toBe(2);
  });

  it('W-18 a gateway posts NDJSON for its devices', async () => {
    const lines = [
      { device: 'AST-DMA2-PR', metric: 'pressure', ts: '2025-06-20T08:00:00Z', value: 3.6, unit: 'bar' },
      { device: 'AST-RES-LV', metric: 'level', ts: '2025-06-20T08:00:00Z', value: 420, unit: 'cm' },
      { device: 'ALM-RES-LV', metric: 'level', ts: '2025-06-20T08:00:00Z', value: 4.2, unit: 'm' },
    ];
    const res = await post(lines.map((l) => JSON.stringify(l)).join('\n') + '\n\n', { ...auth(GATEWAY_KEY), 'content-type': 'application/x-ndjson' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 2, duplicates: 0, rejected: [{ index: 2, reason: 'device_not_allowed' }] });
  });

  it('W-18 a gateway naming devices with quotes, backslashes, braces, commas or a NUL gets reasons, never a 500', async () => {
    const names = ['AST-DMA2-PR"', 'AST\\DMA2-PR', '{AST-DMA2-PR}', 'AST-DMA2-PR,AST-DMA1-PR', 'AST-DMA2-PR\u0000', '"', '\\'];
    const body = JSON.stringify([...names, 'AST-DMA2-PR'].map((device) => ({ device, metric: 'pressure', ts: '2025-06-20T08:05:00Z', value: 3.6, unit: 'bar' })));
    const res = await post(body, auth(GATEWAY_KEY));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: names.map((_, index) => ({ index, reason: 'device_not_allowed', field: 'device', message: expect.any(String) })),
    });
  });

  it('answers 401 without or with an unknown token, 403 for a suspended device, in the JSON error shape', async () => {
    const body = JSON.stringify([{ metric: 'flow', ts: NOW, value: 1, unit: 'm3/h' }]);
    for (const headers of [{}, auth('btd_not_a_real_token_0000'), { authorization: 'Basic abc' }]) {
      const res = await post(body, headers);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
    }
    const id = demoWaterId('device:astana:dma1-fm');
    await t.db.update(devices).set({ status: 'suspended' }).where(eq(devices.id, id));
    const res = await post(body, auth(DEVICE_TOKEN));
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('forbidden');
    await t.db.update(devices).set({ status: 'active' }).where(eq(devices.id, id));
  });

  it('refuses bodies it cannot read: 415, 400, 413 (over 10,000 readings), 400 with NDJSON line numbers', async () => {
    expect((await post('[]', { ...auth(DEVICE_TOKEN), 'content-type': 'text/csv' })).status).toBe(415);
    const bad = await post('[{"metric":', auth(DEVICE_TOKEN));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('invalid_json');
    expect((await post('{"metric":"flow"}', auth(DEVICE_TOKEN))).status).toBe(400);
    const many = JSON.stringify(Array.from({ length: 10_001 }, () => ({ metric: 'flow', ts: NOW, value: 1, unit: 'm3/h' })));
    const tooMany = await post(many, auth(DEVICE_TOKEN));
    expect(tooMany.status).toBe(413);
    expect((await tooMany.json()).error.code).toBe('payload_too_large');
    const ndjson = ['{"metric":"flow","ts":"2025-06-20T09:00:00Z","value":1,"unit":"m3/h"}', '{oops', '', 'nope'].join('\n');
    const lines = await post(ndjson, { ...auth(DEVICE_TOKEN), 'content-type': 'application/x-ndjson' });
    expect(lines.status).toBe(400);
    expect(await lines.json()).toEqual({
      error: { code: 'invalid_json', message: expect.any(String), fields: { 'line 2': 'not valid JSON', 'line 4': 'not valid JSON' } },
    });
  });

  it('W-23 a batch with nothing valid answers 422 with a reason for every reading', async () => {
    const res = await post(JSON.stringify([{ metric: 'flow' }, 'x', { metric: 'flow', ts: NOW, value: 1, unit: 'bar' }]), auth(DEVICE_TOKEN));
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error.code).toBe('validation_failed');
    expect(body.rejected.map((r: { index: number; reason: string }) => [r.index, r.reason])).toEqual([
      [0, 'unit_missing'],
      [1, 'not_an_object'],
      [2, 'unit_not_convertible'],
    ]);
    expect(body.rejected[0].issues.map((i: { field: string }) => i.field)).toEqual(['unit', 'ts', 'value']);
  });

  it('fuzz: thousands of malformed payloads never answer 500 and always give reasons', async () => {
    const junkValue = fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.string({ maxLength: 12 }),
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constantFrom('flow', 'pressure', 'ph', 'm3/h', 'l/s', 'kPa', 'MW', '2025-06-20T10:00:00+05:00', '2025-13-01T00:00:00Z'),
      fc.constantFrom(Date.parse(NOW), Date.parse(NOW) + 3_600_000, 1e300, -1),
      fc.constantFrom(demoWaterId('device:astana:dma1-fm'), 'AST-DMA1-FM', 'AST-DMA2-PR', '00000000-0000-0000-0000-00000000000g'),
      fc.array(fc.integer(), { maxLength: 2 }),
      fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
    );
    const reading = fc.record(
      { device: junkValue, metric: junkValue, ts: junkValue, value: junkValue, unit: junkValue },
      { requiredKeys: [] },
    );
    const item = fc.oneof({ weight: 5, arbitrary: reading }, { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) });
    const payload = fc.oneof(
      fc.array(item, { maxLength: 8 }).map((xs) => ({ body: JSON.stringify(xs), type: 'application/json' })),
      fc.array(item, { maxLength: 8 }).map((xs) => ({ body: xs.map((x) => JSON.stringify(x) ?? 'undefined').join('\n'), type: 'application/x-ndjson' })),
      fc.anything({ maxDepth: 3 }).map((x) => ({ body: JSON.stringify(x) ?? '', type: 'application/json' })),
      fc.string({ maxLength: 64 }).map((s) => ({ body: s, type: 'application/json' })),
      fc.string({ unit: 'binary', maxLength: 64 }).map((s) => ({ body: s, type: 'application/x-ndjson' })),
      fc.uint8Array({ maxLength: 64 }).map((b) => ({ body: Buffer.from(b).toString('latin1'), type: 'application/json; charset=latin1' })),
      fc.string({ maxLength: 20 }).map((s) => ({ body: '[]', type: s })),
    );
    const authHeader = fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(auth(DEVICE_TOKEN), auth(GATEWAY_KEY)) },
      { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((s) => ({ authorization: s })) },
    );

    let calls = 0;
    await fc.assert(
      fc.asyncProperty(payload, authHeader, async (p, h) => {
        calls++;
        let res: Response;
        try {
          res = await POST(new Request(URL_, { method: 'POST', body: p.body, headers: { 'content-type': p.type, ...h } }));
        } catch (e) {
          // A header value the Request constructor refuses never reaches the server.
          if (e instanceof TypeError) return;
          throw e;
        }
        expect(res.status).not.toBe(500);
        expect([200, 400, 401, 403, 413, 415, 422]).toContain(res.status);
        const body = await res.json();
        if (res.status === 200) {
          expect(typeof body.accepted).toBe('number');
          expect(typeof body.duplicates).toBe('number');
          for (const r of body.rejected) expect(typeof r.reason).toBe('string');
        } else {
          expect(typeof body.error.code).toBe('string');
          expect(body.error.message.length).toBeGreaterThan(0);
          if (res.status === 422) expect(body.rejected.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2500 },
    );
    expect(calls).toBeGreaterThanOrEqual(2500);
  }, 300_000);
});
