import crypto from 'node:crypto';
import { and, count, eq, gt, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { organisations, signInAttempts, users } from '@/db/schema/identity';
import { appendAudit } from '@/lib/audit';
import { fullNameOf, type CertInfo } from '@/lib/eds/certificate';
import { getVerifier, type SignatureVerifier, type VerifyFailure } from '@/lib/eds/verifier';
import { now } from '@/lib/time/clock';
import { ChallengeError, consumeChallenge, hashBinding, type ChallengeFailure } from './challenge';
import { grantFirstHeadBySignInTx } from './first-head';

/**
 * EDS sign-in, independent of Auth.js so that it can be tested on its own. The Credentials provider in
 * ./auth.ts calls `signInWithEds` and turns the result into a session.
 */

export type SignInFailure =
  | 'bad_request'
  | 'rate_limited'
  | ChallengeFailure
  | VerifyFailure
  | 'no_iin'
  | 'deactivated'
  | 'internal';

export type SignInResult =
  | { ok: true; user: { id: string; iin: string; fullName: string; sessionVersion: number; orgId: string | null }; created: boolean }
  | { ok: false; code: SignInFailure; message: string };

/** Attempts allowed per browser in the window; an IP (an office behind NAT is many people) gets more. */
export const SIGN_IN_LIMIT = 10;
export const SIGN_IN_LIMIT_PER_IP = 100;
export const SIGN_IN_WINDOW_MS = 5 * 60 * 1000;

export type SignInInput = {
  challengeId: unknown;
  cms: unknown;
  /** The binding id from the browser's cookie. */
  bindingId: string | null | undefined;
  /** The client's IP address (rate limiting), if known. */
  ip?: string | null;
};

type RateKey = { key: string; limit: number };

function rateKeys(input: SignInInput): RateKey[] {
  const keys: RateKey[] = [];
  if (input.ip) keys.push({ key: 'ip:' + crypto.createHash('sha256').update(input.ip).digest('hex'), limit: SIGN_IN_LIMIT_PER_IP });
  // Without the cookie the request cannot succeed anyway; it is still counted (under one shared key).
  keys.push({ key: 'browser:' + (input.bindingId ? hashBinding(input.bindingId) : 'none'), limit: SIGN_IN_LIMIT });
  return keys;
}

/** Counts the attempt; refuses when this IP or browser already used up its attempts in the window. */
async function checkRateLimit(db: DbOrTx, keys: RateKey[]): Promise<boolean> {
  const at = now();
  const since = new Date(at.getTime() - SIGN_IN_WINDOW_MS);
  const rows = await db
    .select({ key: signInAttempts.key, n: count() })
    .from(signInAttempts)
    .where(and(inArray(signInAttempts.key, keys.map((k) => k.key)), gt(signInAttempts.at, since)))
    .groupBy(signInAttempts.key);
  const limitOf = new Map(keys.map((k) => [k.key, k.limit]));
  if (rows.some((r) => r.n >= (limitOf.get(r.key) ?? SIGN_IN_LIMIT))) return false;
  await db.insert(signInAttempts).values(keys.map(({ key }) => ({ key, at, outcome: 'attempt' })));
  return true;
}

const MESSAGES: Record<SignInFailure, string> = {
  bad_request: 'The sign-in request is incomplete. Please try again.',
  rate_limited: 'Too many sign-in attempts. Please wait 5 minutes and try again.',
  challenge_unknown: 'The sign-in request is not known. Please try again.',
  challenge_used: 'This sign-in request has already been used. Please try again.',
  challenge_expired: 'The sign-in request has expired (5 minutes). Please try again.',
  challenge_wrong_browser: 'The sign-in request was issued to another browser. Please try again.',
  malformed: 'The signature could not be read.',
  bad_signature: 'The signature is not valid.',
  payload_mismatch: 'The signature is not over this sign-in request.',
  untrusted_chain: 'The certificate was not issued by the National Certification Centre.',
  expired: 'The certificate has expired.',
  not_yet_valid: 'The certificate is not valid yet.',
  revoked: 'The certificate has been revoked.',
  revocation_unknown: 'The certificate status could not be checked (OCSP and CRL did not answer). Please try again later.',
  wrong_key_usage: 'This key is not an authentication (AUTH) key. Choose the AUTH key.',
  unsupported_algorithm: 'The signature algorithm is not supported.',
  no_iin: 'The certificate has no IIN.',
  deactivated: 'Your account has been deactivated. Contact the administrator.',
  internal: 'Something went wrong on our side. Please try again.',
};

export function signInMessage(code: SignInFailure): string {
  return MESSAGES[code] ?? MESSAGES.internal;
}

type AuditActor = { userId: string | null; iin: string | null; bin: string | null; role: string | null; name: string | null };

async function auditAttempt(
  db: DbOrTx,
  outcome: { ok: true; userId: string; created: boolean } | { ok: false; code: SignInFailure },
  signer: CertInfo | undefined,
  meta: { challengeId: string | null },
): Promise<void> {
  const actor: AuditActor = {
    userId: outcome.ok ? outcome.userId : null,
    iin: signer?.iin ?? null,
    bin: signer?.bin ?? null,
    role: null,
    name: signer ? fullNameOf(signer) || null : null,
  };
  await appendAudit(db, {
    actor,
    action: outcome.ok ? 'auth.sign_in' : 'auth.sign_in_failed',
    entityType: 'user',
    entityId: outcome.ok ? outcome.userId : null,
    basis: 'X-3 EDS sign-in',
    before: null,
    after: {
      outcome: outcome.ok ? 'ok' : outcome.code,
      ...(outcome.ok && outcome.created ? { created: true } : {}),
      challengeId: meta.challengeId,
      certificateSerial: signer?.serialNumber ?? null,
      certificateIssuer: signer?.issuerDn ?? null,
    },
  });
}

/** Finds or creates the organisation by BIN and the user by IIN (names from the certificate). */
export async function upsertUserFromCertificate(db: DbOrTx, signer: CertInfo & { iin: string }) {
  let orgId: string | null = null;
  if (signer.bin) {
    await db
      .insert(organisations)
      .values({ bin: signer.bin, name: signer.organization ?? `BIN ${signer.bin}` })
      .onConflictDoNothing({ target: organisations.bin });
    const [org] = await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.bin, signer.bin));
    orgId = org.id;
  }
  const at = now();
  const fullName = fullNameOf(signer) || signer.iin;
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.iin, signer.iin));
  const [row] = await db
    .insert(users)
    .values({
      iin: signer.iin,
      fullName,
      surname: signer.surname,
      givenName: signer.givenName,
      patronymic: signer.patronymic,
      email: signer.email,
      orgId,
      createdAt: at,
      lastSignInAt: at,
    })
    .onConflictDoUpdate({
      target: users.iin,
      // The certificate is the authority on the name; the organisation follows the latest legal-entity key.
      set: {
        fullName,
        surname: signer.surname,
        givenName: signer.givenName,
        patronymic: signer.patronymic,
        email: sql`coalesce(${users.email}, excluded.email)`,
        orgId: sql`coalesce(excluded.org_id, ${users.orgId})`,
        lastSignInAt: at,
      },
    })
    .returning({
      id: users.id,
      iin: users.iin,
      fullName: users.fullName,
      sessionVersion: users.sessionVersion,
      orgId: users.orgId,
      status: users.status,
    });
  return { row, created: !existing };
}

/**
 * Consumes the challenge, verifies the CMS signature over its nonce with the AUTH key, finds or creates the
 * user and the organisation, and writes the outcome to the audit journal. Never throws for a user's mistake.
 */
export async function signInWithEds(db: DbOrTx, input: SignInInput, deps: { verifier?: SignatureVerifier } = {}): Promise<SignInResult> {
  const challengeId = typeof input.challengeId === 'string' ? input.challengeId : null;
  const fail = async (code: SignInFailure, signer?: CertInfo, message?: string): Promise<SignInResult> => {
    await auditAttempt(db, { ok: false, code }, signer, { challengeId });
    return { ok: false, code, message: message ?? signInMessage(code) };
  };

  if (!(await checkRateLimit(db, rateKeys(input)))) return fail('rate_limited');
  if (!challengeId || typeof input.cms !== 'string' || input.cms.length === 0 || input.cms.length > 200_000) {
    return fail('bad_request');
  }

  let nonce: Uint8Array;
  try {
    nonce = await consumeChallenge(db, challengeId, input.bindingId);
  } catch (e) {
    if (e instanceof ChallengeError) return fail(e.code);
    throw e;
  }

  const verifier = deps.verifier ?? (await getVerifier());
  const result = await verifier.verifyCms({ cms: input.cms, detachedContent: nonce, purpose: 'auth', judgeAt: 'now', now: now() });
  if (!result.ok) return fail(result.code, result.signer);
  const signer = result.signer;
  if (!signer.iin) return fail('no_iin', signer);

  const iin = signer.iin;
  const outcome = await db.transaction(async (tx) => {
    const o = await upsertUserFromCertificate(tx, { ...signer, iin });
    if (o.row.status === 'active') {
      await auditAttempt(tx, { ok: true, userId: o.row.id, created: o.created }, signer, { challengeId });
      // a first head proven by the certificate gets the role in a confirmed organisation.
      await grantFirstHeadBySignInTx(tx, o.row, result, { cms: input.cms as string, content: nonce });
    }
    return o;
  });
  if (outcome.row.status !== 'active') return fail('deactivated', signer);
  const { id, fullName, sessionVersion, orgId } = outcome.row;
  return { ok: true, user: { id, iin, fullName, sessionVersion, orgId }, created: outcome.created };
}
