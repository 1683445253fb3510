import { and, asc, desc, eq, gte, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { auditLog } from '@/db/schema';
import { canonicalJson, sha256Hex } from '@/lib/canonical';
import { AppError } from '@/lib/errors';
import { now } from '@/lib/time/clock';

/**
 * X-9: the append-only audit journal. Every row stores the previous row's hash and its own hash over the
 * canonical encoding of all its fields (seq and prev_hash included), so editing or deleting a row breaks
 * the chain at exactly that place. The database refuses UPDATE/DELETE/TRUNCATE (migration 0003).
 */

/** prev_hash of the first row. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);
/** The advisory-lock key that serialises appends (one writer at a time, so the chain never forks). */
const AUDIT_LOCK_KEY = 7_011_905_009;

export type AuditActor = {
  userId?: string | null;
  iin?: string | null;
  bin?: string | null;
  role?: string | null;
  name?: string | null;
};

export type AuditEntry = {
  actor?: AuditActor | null;
  action: string;
  entityType: string;
  entityId?: string | null;
  basis?: string | null;
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
  signatureId?: string | null;
  at?: Date;
};

/** One journal row as read back (before/after are the stored JSON values). */
export type AuditRow = {
  seq: number;
  at: Date;
  actorUserId: string | null;
  actorIin: string | null;
  actorBin: string | null;
  actorRole: string | null;
  actorName: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  basis: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  signatureId: string | null;
  prevHash: string;
  hash: string;
};

type HashedFields = Omit<AuditRow, 'hash'>;

/** The hash of a row: SHA-256 over the canonical JSON of every field but the hash itself. */
export function auditRowHash(r: HashedFields): string {
  return sha256Hex(
    canonicalJson({
      v: 1,
      seq: r.seq,
      prevHash: r.prevHash,
      // Millisecond ISO: timestamptz keeps microseconds, and a JS Date round-trips milliseconds exactly.
      at: r.at.toISOString(),
      actor: { userId: r.actorUserId, iin: r.actorIin, bin: r.actorBin, role: r.actorRole, name: r.actorName },
      action: r.action,
      entityType: r.entityType,
      entityId: r.entityId,
      basis: r.basis,
      before: r.before ?? null,
      after: r.after ?? null,
      requestId: r.requestId,
      signatureId: r.signatureId,
    }),
  );
}

/** PostgreSQL prints uuids lowercase and hyphenated; hash the form that will be read back. */
function normUuid(v: string | null | undefined, field: string): string | null {
  if (v == null) return null;
  const hex = v.replace(/[{}-]/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new AppError('bad_request', `appendAudit: ${field} is not a uuid`);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The JSON value as it will be stored (Dates → strings, undefined dropped), or null. */
function normJson(v: unknown): unknown {
  return v === undefined || v === null ? null : JSON.parse(canonicalJson(v));
}

/**
 * Appends one row to the journal inside `tx` (or in its own transaction when given the plain db).
 * The advisory lock is held until the surrounding transaction ends, so append late in long transactions.
 */
export async function appendAudit(tx: DbOrTx, entry: AuditEntry): Promise<{ seq: number; hash: string }> {
  if (!entry.action || !entry.entityType) throw new AppError('bad_request', 'appendAudit: action and entityType are required');
  const at = entry.at ?? now();
  if (Number.isNaN(at.getTime())) throw new AppError('bad_request', 'appendAudit: invalid `at`');
  const a = entry.actor ?? {};
  const fields: Omit<HashedFields, 'seq' | 'prevHash'> = {
    at: new Date(at.getTime()),
    actorUserId: normUuid(a.userId, 'actor.userId'),
    actorIin: a.iin ?? null,
    actorBin: a.bin ?? null,
    actorRole: a.role ?? null,
    actorName: a.name ?? null,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId ?? null,
    basis: entry.basis ?? null,
    before: normJson(entry.before),
    after: normJson(entry.after),
    requestId: entry.requestId ?? null,
    signatureId: normUuid(entry.signatureId, 'signatureId'),
  };
  // On the plain db this opens a transaction; inside a transaction it is a savepoint.
  return tx.transaction(async (t) => {
    await t.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(AUDIT_LOCK_KEY))})`);
    const [last] = await t
      .select({ seq: auditLog.seq, hash: auditLog.hash })
      .from(auditLog)
      .orderBy(desc(auditLog.seq))
      .limit(1);
    const row: HashedFields = { ...fields, seq: (last?.seq ?? 0) + 1, prevHash: last?.hash ?? AUDIT_GENESIS_HASH };
    const hash = auditRowHash(row);
    await t
      .insert(auditLog)
      .overridingSystemValue()
      .values({ ...row, before: row.before ?? null, after: row.after ?? null, hash });
    return { seq: row.seq, hash };
  });
}

/** The columns read back, with before/after as JSON text (drizzle would re-parse a JSON string value). */
const rowColumns = {
  seq: auditLog.seq,
  at: auditLog.at,
  actorUserId: auditLog.actorUserId,
  actorIin: auditLog.actorIin,
  actorBin: auditLog.actorBin,
  actorRole: auditLog.actorRole,
  actorName: auditLog.actorName,
  action: auditLog.action,
  entityType: auditLog.entityType,
  entityId: auditLog.entityId,
  basis: auditLog.basis,
  before: sql<string | null>`${auditLog.before}::text`,
  after: sql<string | null>`${auditLog.after}::text`,
  requestId: auditLog.requestId,
  signatureId: auditLog.signatureId,
  prevHash: auditLog.prevHash,
  hash: auditLog.hash,
};

type RawRow = { [K in keyof AuditRow]: K extends 'before' | 'after' ? string | null : AuditRow[K] };

function fromRaw(r: RawRow): AuditRow {
  return {
    ...r,
    before: r.before === null ? null : JSON.parse(r.before),
    after: r.after === null ? null : JSON.parse(r.after),
  };
}

export type AuditBreak = { seq: number; reason: 'hash_mismatch' | 'prev_hash_mismatch' | 'gap' };
export type AuditVerifyResult = {
  ok: boolean;
  checked: number;
  firstSeq: number | null;
  lastSeq: number | null;
  /** The stored hash of the last row checked (the value to keep elsewhere as an anchor). */
  lastHash: string | null;
  broken: AuditBreak[];
};

/**
 * Recomputes every row's hash and every link in seq order, streaming in batches. An edited row shows
 * `hash_mismatch` on that row only (links are checked against the stored hashes); a deleted row shows
 * `gap` and `prev_hash_mismatch` on the row after it. Rows removed from the very end cannot be seen from
 * the chain alone: compare `lastHash`/`lastSeq` with a previously recorded value for that.
 */
export async function verifyAuditChain(
  db: DbOrTx,
  opts: { fromSeq?: number; toSeq?: number; batchSize?: number } = {},
): Promise<AuditVerifyResult> {
  const batchSize = Math.max(1, Math.min(opts.batchSize ?? 2000, 10_000));
  let prev: { seq: number; hash: string } | null = null;
  if (opts.fromSeq !== undefined && opts.fromSeq > 1) {
    const [p] = await db
      .select({ seq: auditLog.seq, hash: auditLog.hash })
      .from(auditLog)
      .where(lt(auditLog.seq, opts.fromSeq))
      .orderBy(desc(auditLog.seq))
      .limit(1);
    prev = p ?? null;
  }
  const broken: AuditBreak[] = [];
  let checked = 0;
  let firstSeq: number | null = null;
  let lastSeq: number | null = null;
  let lastHash: string | null = null;
  let after = prev?.seq ?? (opts.fromSeq !== undefined ? opts.fromSeq - 1 : 0);
  for (;;) {
    const conds: SQL[] = [sql`${auditLog.seq} > ${after}`];
    if (opts.toSeq !== undefined) conds.push(lte(auditLog.seq, opts.toSeq));
    const batch = (await db
      .select(rowColumns)
      .from(auditLog)
      .where(and(...conds))
      .orderBy(asc(auditLog.seq))
      .limit(batchSize)) as RawRow[];
    for (const raw of batch) {
      const row = fromRaw(raw);
      const expectedSeq = prev ? prev.seq + 1 : 1;
      if (row.seq !== expectedSeq) broken.push({ seq: row.seq, reason: 'gap' });
      if (row.prevHash !== (prev ? prev.hash : AUDIT_GENESIS_HASH)) broken.push({ seq: row.seq, reason: 'prev_hash_mismatch' });
      const { hash, ...rest } = row;
      if (auditRowHash(rest) !== hash) broken.push({ seq: row.seq, reason: 'hash_mismatch' });
      prev = { seq: row.seq, hash };
      firstSeq ??= row.seq;
      lastSeq = row.seq;
      lastHash = hash;
      checked++;
    }
    if (batch.length < batchSize) break;
    after = batch[batch.length - 1].seq;
  }
  return { ok: broken.length === 0, checked, firstSeq, lastSeq, lastHash, broken };
}

export type AuditFilters = {
  userId?: string;
  iin?: string;
  entityType?: string;
  entityId?: string;
  action?: string;
  /** Rows whose action starts with any of these (e.g. 'expertise.'); literal, case-sensitive. */
  actionPrefixes?: readonly string[];
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
};

/** Journal rows newest first, filtered, with keyset pagination on seq. */
export async function listAudit(
  db: DbOrTx,
  filters: AuditFilters,
  page: { limit: number; beforeSeq?: number },
): Promise<{ rows: AuditRow[]; nextBeforeSeq: number | null }> {
  const limit = Math.max(1, Math.min(Math.trunc(page.limit) || 50, 500));
  const conds: SQL[] = [];
  if (filters.userId) conds.push(eq(auditLog.actorUserId, normUuid(filters.userId, 'userId')!));
  if (filters.iin) conds.push(eq(auditLog.actorIin, filters.iin));
  if (filters.entityType) conds.push(eq(auditLog.entityType, filters.entityType));
  if (filters.entityId) conds.push(eq(auditLog.entityId, filters.entityId));
  if (filters.action) conds.push(eq(auditLog.action, filters.action));
  if (filters.actionPrefixes?.length) {
    const escaped = filters.actionPrefixes.map((p) => `${p.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    conds.push(or(...escaped.map((p) => sql`${auditLog.action} like ${p}`))!);
  }
  if (filters.from) conds.push(gte(auditLog.at, filters.from));
  if (filters.to) conds.push(lt(auditLog.at, filters.to));
  if (page.beforeSeq !== undefined) conds.push(lt(auditLog.seq, page.beforeSeq));
  const raw = (await db
    .select(rowColumns)
    .from(auditLog)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(auditLog.seq))
    .limit(limit + 1)) as RawRow[];
  const more = raw.length > limit;
  const rows = raw.slice(0, limit).map(fromRaw);
  return { rows, nextBeforeSeq: more ? rows[rows.length - 1].seq : null };
}
