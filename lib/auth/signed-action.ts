import { unstable_rethrow } from 'next/navigation';
import { z } from 'zod';
import { getDb, type Db, type Tx } from '@/db/client';
import { signatures } from '@/db/schema/eds';
import { runActionWith, type ActionError, type ErrorTranslator } from '@/lib/actions';
import { appendAudit } from '@/lib/audit';
import { canonicalJson, sha256Hex } from '@/lib/canonical';
import { fullNameOf } from '@/lib/eds/certificate';
import { getVerifier, type SignatureVerifier } from '@/lib/eds/verifier';
import { AppError, toAppError } from '@/lib/errors';
import { now } from '@/lib/time/clock';
import { ACTION_NAME, ActionNonceError, consumeActionNonce } from './action-nonce';
import { verdictOf } from './verdict';
import { can, toAuditActor, type Action } from './policy';
import type { Principal } from './principal';

/**
 * X-4: the one wrapper through which a server action changes data. The browser (<SignButton>) signs, with the
 * user's SIGN key, the UTF-8 bytes of
 *
 *     canonicalJson({ action: <action name>, input: <the input as sent>, nonce: <the issued nonce, base64> })
 *
 * as a detached CMS. The server rebuilds exactly those bytes from what it received, consumes the nonce, verifies
 * the signature and that the signer is the session's user, stores the signature (append-only, X-5) and runs the
 * action in the same transaction as its audit row (X-9). Any refusal changes nothing.
 */

export type SignedPayload = { input: unknown; nonceId: string; cms: string };

/** ActionError plus, for 'signature_invalid', the verifier's reason code and its (English) explanation. */
export type SignedActionError = ActionError & { reason?: string; detail?: string };
/** Assignable to ActionResult<T>: forms written for runAction work unchanged. */
export type SignedActionResult<T> = { ok: true; data: T } | { ok: false; error: SignedActionError };

export type SignedActionCode =
  | 'unauthenticated'
  | 'forbidden'
  | 'validation_failed'
  | 'signature_required'
  | 'signature_invalid'
  | 'nonce_invalid'
  | 'nonce_replayed'
  | 'nonce_expired'
  | 'signer_mismatch';

export type SignedActionContext<I> = { tx: Tx; principal: Principal; input: I; signatureId: string; requestId: string };

export type SignedActionDef<S extends z.ZodType, T> = {
  schema: S;
  /** The policy action checked with can(). */
  action: Action;
  /** The name the signature covers and the nonce is bound to (defaults to `action`). */
  name: string;
  fn: (ctx: SignedActionContext<z.output<S>>) => Promise<T>;
  /** For policy actions with a resource check: the resource the validated input names. */
  resource?: (input: z.output<S>, db: Db) => unknown;
};

export type RunOptions = { t?: ErrorTranslator; verifier?: SignatureVerifier; requestId?: string };

/** Default English texts (used when no translation is at hand: tests, scripts). */
const DEFAULT_MESSAGES: Record<SignedActionCode, string> = {
  unauthenticated: 'Please sign in with your EDS.',
  forbidden: 'You do not have the right to do this.',
  validation_failed: 'Some fields are not valid.',
  signature_required: 'This action must be confirmed with your EDS signature.',
  signature_invalid: 'The EDS signature was not accepted.',
  nonce_invalid: 'The confirmation request is not valid for this action. Please sign again.',
  nonce_replayed: 'This confirmation has already been used. Please sign again.',
  nonce_expired: 'The confirmation request has expired (5 minutes). Please sign again.',
  signer_mismatch: 'The signature was made with another person’s key. Sign with your own SIGN key.',
};

const englishOnly: ErrorTranslator = Object.assign((k: string) => k, { has: () => false });

const MAX_CMS_LENGTH = 200_000;

function failure(t: ErrorTranslator, code: SignedActionCode, extra: Partial<SignedActionError> = {}): { ok: false; error: SignedActionError } {
  return { ok: false, error: { code, message: t.has(code) ? t(code) : DEFAULT_MESSAGES[code], ...extra } };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The refusals recorded in the audit journal (X-4, X-9, X-13): attempts to change data that did not pass. */
const AUDITED_REFUSALS: ReadonlySet<string> = new Set([
  'forbidden',
  'signature_required',
  'signature_invalid',
  'nonce_invalid',
  'nonce_replayed',
  'nonce_expired',
  'signer_mismatch',
]);

/** The journal's action for a refused signed action (filter the journal on it). */
export const SIGNED_ACTION_REFUSED = 'signed_action.refused';

/**
 * X-9 / X-13: writes a refused attempt to the audit journal — who, which action, why (the code and the
 * verifier's reason), the signer's certificate when one was presented — in its own transaction, and nothing else.
 * A failure to write it is logged, never turned into another answer.
 */
async function auditRefusal(
  db: Db,
  principal: Principal,
  name: string,
  result: { ok: false; error: SignedActionError },
  extra: { requestId?: string; input?: unknown; signer?: { iin: string | null; serialNumber: string; subjectDn: string } | null },
): Promise<{ ok: false; error: SignedActionError }> {
  if (!AUDITED_REFUSALS.has(result.error.code)) return result;
  try {
    let inputSha256: string | null = null;
    try {
      inputSha256 = extra.input === undefined ? null : sha256Hex(canonicalJson(extra.input));
    } catch {
      inputSha256 = null;
    }
    await appendAudit(db, {
      actor: toAuditActor(principal),
      action: SIGNED_ACTION_REFUSED,
      entityType: 'action',
      entityId: name,
      basis: `X-4 refused: ${result.error.code}${result.error.reason ? ` (${result.error.reason})` : ''}`,
      after: {
        action: name,
        code: result.error.code,
        reason: result.error.reason ?? null,
        detail: result.error.detail ?? null,
        inputSha256,
        signer: extra.signer ? { iin: extra.signer.iin, serial: extra.signer.serialNumber, subject: extra.signer.subjectDn } : null,
      },
      requestId: extra.requestId ?? null,
    });
  } catch (e) {
    console.error('[signed-action] the refusal could not be written to the audit journal', e);
  }
  return result;
}

/** The bytes the user signs (and the server rebuilds). */
export function signedActionContent(name: string, input: unknown, nonce: string): Uint8Array {
  return new TextEncoder().encode(canonicalJson({ action: name, input, nonce }));
}

/**
 * The testable core of a signed action: everything but reading the session. `principal` is the session's
 * principal (null when signed out).
 */
export async function runSignedAction<S extends z.ZodType, T>(
  db: Db,
  principal: Principal | null,
  def: SignedActionDef<S, T>,
  payload: unknown,
  opts: RunOptions = {},
): Promise<SignedActionResult<T>> {
  const t = opts.t ?? englishOnly;
  if (!principal) return failure(t, 'unauthenticated');
  // X-9 / X-13: every refusal below (but bad input) is written to the journal; nothing else changes.
  const refuse = (r: { ok: false; error: SignedActionError }, signer?: Parameters<typeof auditRefusal>[4]['signer']) =>
    auditRefusal(db, principal, def.name, r, { requestId: opts.requestId, input: isRecord(payload) ? payload.input : undefined, signer });
  if (!def.resource && !can(principal, def.action)) return refuse(failure(t, 'forbidden'));

  const p = isRecord(payload) ? payload : {};
  // Field errors exactly as runAction reports them (the same form code shows them).
  const parsed = await runActionWith(t, def.schema, p.input, async (data) => data);
  if (!parsed.ok) return parsed;
  const input = parsed.data as z.output<S>;
  if (def.resource && !can(principal, def.action, await def.resource(input, db))) return refuse(failure(t, 'forbidden'));

  const nonceId = p.nonceId;
  const cms = typeof p.cms === 'string' ? p.cms.replace(/\s+/g, '') : '';
  if (typeof nonceId !== 'string' || !nonceId || !cms || cms.length > MAX_CMS_LENGTH) return refuse(failure(t, 'signature_required'));

  let nonce: string;
  try {
    nonce = await consumeActionNonce(db, nonceId, principal.userId, def.name);
  } catch (e) {
    if (e instanceof ActionNonceError) return refuse(failure(t, e.code));
    throw e;
  }

  let content: Uint8Array;
  try {
    content = signedActionContent(def.name, p.input, nonce);
  } catch {
    // Values JSON cannot carry exactly (Map, bigint…) cannot have been signed as sent.
    return failure(t, 'validation_failed', { fields: { _: t.has('validation_failed') ? t('validation_failed') : DEFAULT_MESSAGES.validation_failed } });
  }

  const verifier = opts.verifier ?? (await getVerifier());
  const result = await verifier.verifyCms({ cms, detachedContent: content, purpose: 'sign', judgeAt: 'now', now: now() });
  if (!result.ok) {
    const reasonKey = `reason.${result.code}`;
    return refuse(
      failure(t, 'signature_invalid', {
        reason: result.code,
        detail: result.message,
        message: t.has(reasonKey) ? t(reasonKey) : `${DEFAULT_MESSAGES.signature_invalid} ${result.message}`,
      }),
      result.signer,
    );
  }
  const signer = result.signer;
  if (!signer.iin || signer.iin !== principal.iin) return refuse(failure(t, 'signer_mismatch'), signer);
  if (principal.bin && signer.bin && signer.bin !== principal.bin) return refuse(failure(t, 'signer_mismatch'), signer);

  const requestId = opts.requestId ?? crypto.randomUUID();
  const contentSha256 = sha256Hex(content);
  try {
    const data = await db.transaction(async (tx) => {
      const [sig] = await tx
        .insert(signatures)
        .values({
          signerIin: signer.iin!,
          signerBin: signer.bin,
          signerName: fullNameOf(signer) || null,
          certDer: Buffer.from(signer.der).toString('base64'),
          certFingerprint: signer.fingerprintSha256,
          certSerial: signer.serialNumber,
          purpose: 'sign',
          subject: def.name,
          cms,
          contentSha256,
          signedAt: result.signedAt,
          verifiedAt: now(),
          verdict: verdictOf(result),
        })
        .returning({ id: signatures.id });
      const out = await def.fn({ tx, principal, input, signatureId: sig.id, requestId });
      await appendAudit(tx, {
        actor: toAuditActor(principal),
        action: def.name,
        entityType: 'action',
        signatureId: sig.id,
        requestId,
        after: { inputSha256: sha256Hex(canonicalJson(p.input)), contentSha256 },
      });
      return out;
    });
    return { ok: true, data };
  } catch (e) {
    unstable_rethrow(e);
    if (!(e instanceof AppError)) console.error('[signed-action] unexpected error', e);
    const err = toAppError(e);
    const message = t.has(err.code) ? t(err.code, err.params) : err.message;
    return { ok: false, error: { code: err.code, message, ...(err.fields ? { fields: err.fields } : {}) } };
  }
}

/** errors.<code> and sign.errors.<code> as one translator (sign's texts first). */
async function requestTranslator(): Promise<ErrorTranslator> {
  try {
    const { getTranslations } = await import('next-intl/server');
    const te = (await getTranslations('errors')) as unknown as ErrorTranslator;
    const ts = (await getTranslations('sign.errors')) as unknown as ErrorTranslator;
    return Object.assign((k: string, v?: Record<string, string | number>) => (ts.has(k) ? ts(k, v) : te(k, v)), {
      has: (k: string) => ts.has(k) || te.has(k),
    });
  } catch (e) {
    console.error('[signed-action] translations unavailable', e);
    return englishOnly;
  }
}

/**
 * Makes a server action that runs `fn` only after a valid SIGN signature by the session's user. Export the
 * result from a 'use server' module and pass it to <SignButton action={…} actionName={name} />.
 * Do not call redirect() inside `fn` (it would roll the transaction back); redirect after the result.
 */
export function signedAction<S extends z.ZodType, T>(
  schema: S,
  action: Action,
  fn: (ctx: SignedActionContext<z.output<S>>) => Promise<T>,
  opts: { name?: string; resource?: SignedActionDef<S, T>['resource'] } = {},
): (payload: SignedPayload) => Promise<SignedActionResult<T>> {
  const name = opts.name ?? action;
  if (!ACTION_NAME.test(name)) throw new Error(`signedAction: invalid action name ${JSON.stringify(name)}`);
  const def: SignedActionDef<S, T> = { schema, action, name, fn, resource: opts.resource };
  return async (payload: SignedPayload) => {
    const { getPrincipal } = await import('./principal');
    const { currentRequestId } = await import('@/lib/audit/request-id');
    const [principal, t, requestId] = await Promise.all([getPrincipal(), requestTranslator(), currentRequestId()]);
    return runSignedAction(getDb(), principal, def, payload, { t, requestId });
  };
}

/** signedAction() for a definition kept in lib (tested there through runSignedAction): nothing of it is dropped. */
export function signedActionOf<S extends z.ZodType, T>(def: SignedActionDef<S, T>): (payload: SignedPayload) => Promise<SignedActionResult<T>> {
  return signedAction(def.schema, def.action, def.fn, { name: def.name, resource: def.resource });
}

/** Input schema helper for actions without input. */
export const noInput = z.object({}).strict();
