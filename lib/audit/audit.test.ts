import { asc, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { auditLog } from '@/db/schema';
import { useTestDb } from '@/lib/testing/db';
import { setClock } from '@/lib/time/clock';
import { AUDIT_GENESIS_HASH, appendAudit, auditRowHash, listAudit, verifyAuditChain } from './index';

 
const t = useTestDb();

const USER_A = '0b6c1a9e-5b4f-4d0e-9a51-2a7c3f0d1e01';
const USER_B = '0b6c1a9e-5b4f-4d0e-9a51-2a7c3f0d1e02';

afterEach(() => setClock(null));

/** Runs raw SQL with triggers off (session_replication_role = replica), as a superuser could. */
async function behindTheAppsBack(statement: string, params: (string | number)[] = []) {
  await t.sql.begin(async (s) => {
    await s.unsafe('set local session_replication_role = replica');
    await s.unsafe(statement, params);
  });
}

describe('audit journal (X-9)', () => {
  it('X-9 appends rows chained by hash, each over its own canonical fields', async () => {
    setClock('2025-03-01T10:00:00.123Z');
    const r1 = await appendAudit(t.db, {
      actor: { userId: USER_A, iin: '900101300123', role: 'applicant', name: 'Асқар' },
      action: 'application.create',
      entityType: 'application',
      entityId: 'app-1',
      after: { b: 2, a: [1, { y: new Date('2025-03-01T00:00:00Z'), x: undefined }] },
      requestId: 'req-1',
    });
    const r2 = await appendAudit(t.db, {
      actor: { userId: USER_A.toUpperCase() },
      action: 'application.update',
      entityType: 'application',
      entityId: 'app-1',
      basis: 'applicant corrected the address',
      before: { addr: 'old' },
      after: '123', // a JSON string that looks like a number must not be read back as a number
      at: new Date('2025-03-01T10:05:00.007Z'),
    });
    expect([r1.seq, r2.seq]).toEqual([1, 2]);

    const rows = await t.db.select().from(auditLog).orderBy(asc(auditLog.seq));
    expect(rows).toHaveLength(2);
    expect(rows[0].prevHash).toBe(AUDIT_GENESIS_HASH);
    expect(rows[1].prevHash).toBe(rows[0].hash);
    expect(rows[0].hash).toBe(r1.hash);
    expect(rows[1].hash).toBe(r2.hash);
    expect(rows[0].at.toISOString()).toBe('2025-03-01T10:00:00.123Z'); // `at` defaults to the clock, ms kept
    expect(rows[1].at.toISOString()).toBe('2025-03-01T10:05:00.007Z');
    expect(rows[1].actorUserId).toBe(USER_A); // stored lowercase, hashed lowercase
    expect(rows[0].after).toEqual({ a: [1, { y: '2025-03-01T00:00:00.000Z' }], b: 2 });
    expect(rows[0].hash).not.toBe(rows[1].hash);
    expect(rows[0].hash).toMatch(/^[0-9a-f]{64}$/);

    // The hash covers seq and prev_hash: the same content at another position hashes differently.
    const { hash, ...fields } = { ...rows[0], before: rows[0].before ?? null, after: rows[0].after ?? null };
    expect(auditRowHash(fields)).toBe(hash);
    expect(auditRowHash({ ...fields, seq: 7 })).not.toBe(hash);
    expect(auditRowHash({ ...fields, prevHash: rows[1].hash })).not.toBe(hash);

    const v = await verifyAuditChain(t.db);
    expect(v).toMatchObject({ ok: true, checked: 2, firstSeq: 1, lastSeq: 2, lastHash: r2.hash, broken: [] });
  });

  it('X-9 an append in a rolled-back transaction leaves no row and no gap', async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await appendAudit(tx, { action: 'x.try', entityType: 'x' });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    const next = await t.db.transaction((tx) => appendAudit(tx, { action: 'x.ok', entityType: 'x' }));
    expect(next.seq).toBe(3);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('X-9 the database refuses UPDATE, DELETE and TRUNCATE of the journal', async () => {
    await expect(t.sql.unsafe(`update audit_log set basis = 'forged' where seq = 1`)).rejects.toThrow(/append-only: UPDATE/);
    await expect(t.sql.unsafe('delete from audit_log where seq = 1')).rejects.toThrow(/append-only: DELETE/);
    await expect(t.sql.unsafe('truncate audit_log')).rejects.toThrow(/append-only: TRUNCATE/);
    // Even a change that matches no row is refused.
    await expect(t.sql.unsafe('delete from audit_log where false')).rejects.toThrow(/append-only/);
    const [{ n }] = await t.sql`select count(*)::int as n from audit_log`;
    expect(n).toBe(3);
  });

  it('X-9 an edit behind the application’s back is reported for exactly that row', async () => {
    for (let i = 0; i < 4; i++) await appendAudit(t.db, { action: 'x.more', entityType: 'x', entityId: `m${i}`, after: { i } });
    expect((await verifyAuditChain(t.db)).checked).toBe(7);
    const [orig] = await t.sql`select after::text as after from audit_log where seq = 5`;

    await behindTheAppsBack(`update audit_log set after = '{"i": 99}'::jsonb where seq = 5`);
    const v = await verifyAuditChain(t.db);
    expect(v.ok).toBe(false);
    expect(v.broken).toEqual([{ seq: 5, reason: 'hash_mismatch' }]);
    expect(v.checked).toBe(7);
    // Batches of 2 stream the same verdict (the edited row and its successor sit in different batches).
    expect((await verifyAuditChain(t.db, { batchSize: 2 })).broken).toEqual([{ seq: 5, reason: 'hash_mismatch' }]);
    // A range that excludes the row does not see it; one that includes it does.
    expect((await verifyAuditChain(t.db, { fromSeq: 6 })).ok).toBe(true);
    expect((await verifyAuditChain(t.db, { fromSeq: 5, toSeq: 5 })).broken).toEqual([{ seq: 5, reason: 'hash_mismatch' }]);

    // A forger who also recomputes the row's hash breaks the link to the next row instead.
    const [row5] = await t.db.select().from(auditLog).where(eq(auditLog.seq, 5));
    const { hash: _old, ...fields } = { ...row5, before: row5.before ?? null, after: row5.after ?? null };
    await behindTheAppsBack('update audit_log set hash = $1 where seq = 5', [auditRowHash(fields)]);
    expect((await verifyAuditChain(t.db)).broken).toEqual([{ seq: 6, reason: 'prev_hash_mismatch' }]);

    // Putting the original content and hash back makes the chain whole again.
    await behindTheAppsBack(`update audit_log set after = $1::jsonb, hash = $2 where seq = 5`, [orig.after, _old]);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('X-9 a deleted row is detected at the next row', async () => {
    const [gone] = await t.db.select().from(auditLog).where(eq(auditLog.seq, 4));
    await behindTheAppsBack('delete from audit_log where seq = 4');
    const v = await verifyAuditChain(t.db);
    expect(v.ok).toBe(false);
    expect(v.broken).toEqual([
      { seq: 5, reason: 'gap' },
      { seq: 5, reason: 'prev_hash_mismatch' },
    ]);
    expect(v.checked).toBe(6);

    // Deleting the first row is detected too (row 2 no longer links to the genesis).
    const [first] = await t.db.select().from(auditLog).where(eq(auditLog.seq, 1));
    await behindTheAppsBack('delete from audit_log where seq = 1');
    expect((await verifyAuditChain(t.db)).broken).toEqual([
      { seq: 2, reason: 'gap' },
      { seq: 2, reason: 'prev_hash_mismatch' },
      { seq: 5, reason: 'gap' },
      { seq: 5, reason: 'prev_hash_mismatch' },
    ]);

    // Restore both rows exactly (inserts are allowed) and the chain verifies again.
    await t.db.insert(auditLog).overridingSystemValue().values([first, gone]);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, checked: 7 });
  });

  it('X-9 listAudit filters by user, IIN, entity, action and period, newest first with keyset pages', async () => {
    const base = Date.parse('2025-06-10T04:00:00Z');
    const at = (h: number) => new Date(base + h * 3_600_000);
    await appendAudit(t.db, { actor: { userId: USER_A, iin: '850505400777' }, action: 'doc.sign', entityType: 'document', entityId: 'd1', at: at(0) });
    await appendAudit(t.db, { actor: { userId: USER_B, bin: '123456789012' }, action: 'doc.sign', entityType: 'document', entityId: 'd2', at: at(1) });
    await appendAudit(t.db, { actor: { userId: USER_A }, action: 'doc.annul', entityType: 'document', entityId: 'd1', at: at(2) });
    await appendAudit(t.db, { actor: { userId: USER_A }, action: 'app.create', entityType: 'application', entityId: 'd1', at: at(3) });

    const byUser = await listAudit(t.db, { userId: USER_A, from: at(0) }, { limit: 10 });
    expect(byUser.rows.map((r) => [r.action, r.entityId])).toEqual([
      ['app.create', 'd1'],
      ['doc.annul', 'd1'],
      ['doc.sign', 'd1'],
    ]);
    expect(byUser.nextBeforeSeq).toBeNull();

    const byEntity = await listAudit(t.db, { entityType: 'document', entityId: 'd1' }, { limit: 10 });
    expect(byEntity.rows.map((r) => r.action)).toEqual(['doc.annul', 'doc.sign']);

    const byIin = await listAudit(t.db, { iin: '850505400777' }, { limit: 10 });
    expect(byIin.rows.map((r) => r.seq)).toEqual([byUser.rows[2].seq]);

    // Period: from inclusive, to exclusive.
    const period = await listAudit(t.db, { from: at(1), to: at(3) }, { limit: 10 });
    expect(period.rows.map((r) => r.entityId)).toEqual(['d1', 'd2']);
    expect(period.rows.map((r) => r.action)).toEqual(['doc.annul', 'doc.sign']);

    const byAction = await listAudit(t.db, { action: 'doc.sign' }, { limit: 10 });
    expect(byAction.rows.map((r) => r.entityId)).toEqual(['d2', 'd1']);

    // Keyset pages over the whole journal: every row once, newest first.
    const seen: number[] = [];
    let beforeSeq: number | undefined;
    for (;;) {
      const p = await listAudit(t.db, {}, { limit: 3, beforeSeq });
      seen.push(...p.rows.map((r) => r.seq));
      if (p.nextBeforeSeq === null) break;
      beforeSeq = p.nextBeforeSeq;
    }
    expect(seen).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    // Values read back are the stored JSON (a JSON string stays a string).
    const [second] = (await listAudit(t.db, {}, { limit: 1, beforeSeq: 3 })).rows;
    expect(second.after).toBe('123');
  });

  it('X-9 concurrent appends never fork the chain', async () => {
    const before = (await verifyAuditChain(t.db)).lastSeq ?? 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => appendAudit(t.db, { action: 'x.parallel', entityType: 'x', entityId: String(i) })),
    );
    expect(results.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => before + i + 1));
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, checked: before + 20 });
  });
});
