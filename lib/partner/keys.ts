/**
 * I-INT-1 (003 §29.2): the operator gives an integrated system API keys. A key is `btp_<prefix>_<secret>`; only
 * its SHA-256 is stored, the key itself is returned once at creation. Keys are revocable (I-INT-3: a security
 * incident suspends the exchange at once), may carry the integration's validity term, and record their last use.
 */
import crypto from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { organisations, partnerApiKeys, type PARTNER_KINDS as DB_KINDS, type PartnerKind } from '@/db/schema';
import { appendAudit } from '@/lib/audit';
import type { Principal } from '@/lib/auth/principal';
import { assertCan, toAuditActor } from '@/lib/auth/policy';
import { sha256Hex } from '@/lib/canonical';
import { AppError } from '@/lib/errors';
import { addDays, astanaMidnight } from '@/lib/time/astana';
import { now } from '@/lib/time/clock';
import { createApiKeySchema, revokeApiKeySchema } from './schemas';

export { createApiKeySchema, revokeApiKeySchema };

// The browser-safe schema's kinds are the column's kinds (a compile error otherwise).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const kindsAgree: Same<(typeof DB_KINDS)[number], z.output<typeof createApiKeySchema>['kind']> = true;
void kindsAgree;

export type ApiKeyRow = typeof partnerApiKeys.$inferSelect;

/** What a request authenticated with a key acts as. */
export type PartnerPrincipal = { keyId: string; orgId: string; orgBin: string; orgName: string; kind: PartnerKind; prefix: string };

const KEY_FORMAT = /^btp_([a-z0-9]{10})_([A-Za-z0-9_-]{43})$/;

export function hashApiKey(key: string): string {
  return sha256Hex(key);
}

function newKey(): { key: string; prefix: string } {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const prefix = [...crypto.randomBytes(10)].map((b) => alphabet[b % alphabet.length]).join('');
  return { key: `btp_${prefix}_${crypto.randomBytes(32).toString('base64url')}`, prefix };
}

export type CreateApiKeyInput = z.input<typeof createApiKeySchema>;

/** Creates a key for an organisation (integrations.manage); the plain key is in the result only. */
export async function createApiKey(
  db: DbOrTx,
  admin: Principal,
  input: CreateApiKeyInput,
  opts: { signatureId?: string | null; requestId?: string | null } = {},
): Promise<{ key: string; row: ApiKeyRow }> {
  assertCan(admin, 'integrations.manage');
  const v = createApiKeySchema.parse(input);
  const expiresAt = v.validUntil ? astanaMidnight(addDays(v.validUntil, 1)) : null;
  if (expiresAt && expiresAt.getTime() <= now().getTime()) {
    throw new AppError('validation_failed', 'The validity term is already over.', { validUntil: 'in the past' });
  }
  const [org] = await db.select().from(organisations).where(eq(organisations.id, v.orgId));
  if (!org) throw new AppError('validation_failed', 'The organisation does not exist.', { orgId: 'unknown' });
  if (org.status !== 'active') throw new AppError('validation_failed', 'The organisation is blocked.', { orgId: 'blocked' });
  const { key, prefix } = newKey();
  const run = async (tx: DbOrTx) => {
    const [row] = await tx
      .insert(partnerApiKeys)
      .values({
        orgId: v.orgId,
        kind: v.kind,
        name: v.name,
        prefix,
        keyHash: hashApiKey(key),
        expiresAt,
        createdBy: admin.userId,
        createdSignatureId: opts.signatureId ?? null,
        createdAt: now(),
      })
      .returning();
    await appendAudit(tx, {
      actor: toAuditActor(admin),
      action: 'partner.api_key.create',
      entityType: 'partner_api_key',
      entityId: row.id,
      signatureId: opts.signatureId ?? null,
      requestId: opts.requestId ?? null,
      // Never the key, never its hash.
      after: { orgId: row.orgId, orgBin: org.bin, kind: row.kind, name: row.name, prefix, expiresAt },
    });
    return row;
  };
  const row = await db.transaction(run);
  return { key, row };
}

export type RevokeApiKeyInput = z.input<typeof revokeApiKeySchema>;

/** I-INT-3: revokes a key at once (a repeat is refused with 'conflict'). */
export async function revokeApiKey(
  db: DbOrTx,
  admin: Principal,
  input: RevokeApiKeyInput,
  opts: { signatureId?: string | null; requestId?: string | null } = {},
): Promise<ApiKeyRow> {
  assertCan(admin, 'integrations.manage');
  const v = revokeApiKeySchema.parse(input);
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(partnerApiKeys).where(eq(partnerApiKeys.id, v.keyId)).for('update');
    if (!row) throw new AppError('not_found', 'The API key does not exist.');
    if (row.revokedAt) throw new AppError('conflict', 'The API key is already revoked.');
    const at = now();
    const [updated] = await tx
      .update(partnerApiKeys)
      .set({ revokedAt: at, revokedBy: admin.userId, revokeSignatureId: opts.signatureId ?? null, revokeReason: v.reason })
      .where(eq(partnerApiKeys.id, row.id))
      .returning();
    await appendAudit(tx, {
      actor: toAuditActor(admin),
      action: 'partner.api_key.revoke',
      entityType: 'partner_api_key',
      entityId: row.id,
      basis: v.reason,
      signatureId: opts.signatureId ?? null,
      requestId: opts.requestId ?? null,
      before: { revokedAt: null },
      after: { revokedAt: at, prefix: row.prefix },
    });
    return updated;
  });
}

export type ApiKeyListItem = Omit<ApiKeyRow, 'keyHash'> & { orgName: string; orgBin: string };

/** Every key (newest first), never the hash. */
export async function listApiKeys(db: DbOrTx, admin: Principal): Promise<ApiKeyListItem[]> {
  assertCan(admin, 'integrations.manage');
  const rows = await db
    .select({ key: partnerApiKeys, orgName: organisations.name, orgBin: organisations.bin })
    .from(partnerApiKeys)
    .innerJoin(organisations, eq(organisations.id, partnerApiKeys.orgId))
    .orderBy(desc(partnerApiKeys.createdAt));
  return rows.map(({ key, orgName, orgBin }) => {
    const { keyHash: _hidden, ...rest } = key;
    void _hidden;
    return { ...rest, orgName, orgBin };
  });
}

/** The organisations a key may be issued to (active ones), expert organisations and the cadastre first. */
export async function listKeyCandidates(db: DbOrTx): Promise<{ id: string; name: string; bin: string; kind: string }[]> {
  const rows = await db
    .select({ id: organisations.id, name: organisations.name, bin: organisations.bin, kind: organisations.kind })
    .from(organisations)
    .where(eq(organisations.status, 'active'))
    .orderBy(organisations.name);
  const rank = (k: string) => (k === 'expert_organisation' ? 0 : k === 'cadastre' ? 1 : 2);
  return rows.sort((a, b) => rank(a.kind) - rank(b.kind));
}

/**
 * Resolves `Authorization: Bearer <key>` to the key's organisation. 401 'unauthenticated' when absent or unknown;
 * 403 'api_key_revoked' / 'api_key_expired'; 403 'api_key_wrong_kind' when the key is for another integration.
 * Records the key's last use.
 */
export async function authenticatePartner(db: DbOrTx, authorization: string | null, kind: PartnerKind): Promise<PartnerPrincipal> {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
  if (!m || !KEY_FORMAT.test(m[1])) throw new AppError('unauthenticated', 'Send the API key as Authorization: Bearer <key>.');
  const [row] = await db
    .select({ key: partnerApiKeys, orgBin: organisations.bin, orgName: organisations.name, orgStatus: organisations.status })
    .from(partnerApiKeys)
    .innerJoin(organisations, eq(organisations.id, partnerApiKeys.orgId))
    .where(eq(partnerApiKeys.keyHash, hashApiKey(m[1])));
  if (!row) throw new AppError('unauthenticated', 'The API key is not known.');
  const at = now();
  if (row.key.revokedAt) throw new AppError('api_key_revoked', 'This API key has been revoked.', undefined, 403);
  if (row.key.expiresAt && row.key.expiresAt.getTime() <= at.getTime()) {
    throw new AppError('api_key_expired', 'The integration’s validity term is over.', undefined, 403);
  }
  if (row.orgStatus !== 'active') throw new AppError('api_key_revoked', 'The organisation is blocked.', undefined, 403);
  if (row.key.kind !== kind) throw new AppError('api_key_wrong_kind', 'This API key is not issued for this integration.', undefined, 403);
  await db.update(partnerApiKeys).set({ lastUsedAt: at }).where(and(eq(partnerApiKeys.id, row.key.id), isNull(partnerApiKeys.revokedAt)));
  return { keyId: row.key.id, orgId: row.key.orgId, orgBin: row.orgBin, orgName: row.orgName, kind: row.key.kind, prefix: row.key.prefix };
}

/** The key a request presented, whatever its state (to attribute refused exchanges in the log), or null. */
export async function identifyKey(db: DbOrTx, authorization: string | null): Promise<{ keyId: string; orgId: string } | null> {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
  if (!m || !KEY_FORMAT.test(m[1])) return null;
  const [row] = await db
    .select({ keyId: partnerApiKeys.id, orgId: partnerApiKeys.orgId })
    .from(partnerApiKeys)
    .where(eq(partnerApiKeys.keyHash, hashApiKey(m[1])));
  return row ?? null;
}
