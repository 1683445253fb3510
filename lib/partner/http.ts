/**
 * The partner API's route wrapper (I-INT): the key authenticates the organisation, jsonRoute gives the error
 * contract (`{ error: { code, message, fields? } }`, 4xx for client faults), and every exchange — answered or
 * refused — is written to partner_exchanges with the key, the organisation, the status, the error code, the
 * client's id and the body's digest. Pushes carry an EDS (CMS, detached) of the organisation over the canonical
 * JSON of the body without its `signature` member (X-4, 003 §36: authorship of an integration message).
 */
import type { z } from 'zod';
import { getDb, type DbOrTx } from '@/db/client';
import { partnerExchanges, signatures, type PartnerKind } from '@/db/schema';
import { canonicalJson, sha256Hex } from '@/lib/canonical';
import { fullNameOf } from '@/lib/eds/certificate';
import { getVerifier, type SignatureVerifier, type VerificationResult } from '@/lib/eds/verifier';
import { AppError } from '@/lib/errors';
import { enforceRateLimit } from '@/lib/http/rate-limit';
import { DEFAULT_MAX_BYTES, jsonRoute, queryObject, readJsonBody, type RouteInput } from '@/lib/http/route';
import { now } from '@/lib/time/clock';
import { authenticatePartner, identifyKey, type PartnerPrincipal } from './keys';

/** Requests per key and minute (counted refused ones too). */
export const PARTNER_RATE_LIMIT = { limit: 600, windowSeconds: 60 };

/** What the handler tells the exchange log about the request. */
export type ExchangeNote = { clientId?: string | null; applicationId?: string | null; bodySha256?: string | null };

export type PartnerHandlerInput<B, Q, P> = RouteInput<B, Q, P> & { partner: PartnerPrincipal; db: DbOrTx; note: ExchangeNote };

type Options<B extends z.ZodType | undefined, Q extends z.ZodType | undefined> = {
  kind: PartnerKind;
  /** The exchange log's operation name, e.g. 'expertise.feed'. */
  operation: string;
  body?: B;
  query?: Q;
  maxBytes?: number;
};

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** A route handler of the partner API (GET or POST). */
export function partnerRoute<B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined, P = Record<string, string>>(
  opts: Options<B, Q>,
  handler: (input: PartnerHandlerInput<B, Q, P>) => unknown,
): (req: Request, props: { params: Promise<P> }) => Promise<Response> {
  return async (req, props) => {
    const started = Date.now();
    const db = getDb();
    let partner: PartnerPrincipal | null = null;
    const note: ExchangeNote = {};
    let requestId = '';
    const inner = jsonRoute<undefined, undefined, P>({}, async (input) => {
      requestId = input.requestId;
      // The key first: an unauthenticated caller learns nothing, not even whether its body is valid.
      partner = await authenticatePartner(db, input.req.headers.get('authorization'), opts.kind);
      await enforceRateLimit(`partner:${partner.keyId}`, { ...PARTNER_RATE_LIMIT, db });
      // A ZodError thrown here is answered by jsonRoute as 422 with localised field errors.
      const query = opts.query ? opts.query.parse(queryObject(req.url)) : undefined;
      let body: unknown = undefined;
      if (opts.body) {
        const raw = await readJsonBody(req, opts.maxBytes ?? DEFAULT_MAX_BYTES);
        note.bodySha256 = sha256Hex(canonicalJson(raw));
        body = opts.body.parse(raw);
      }
      return handler({ ...input, body: body as Parsed<B>, query: query as Parsed<Q>, partner, db, note });
    });
    const res = await inner(req, props);
    if (!requestId) requestId = res.headers.get('x-request-id') ?? '';
    // A refused key (revoked, expired, another integration's) is still named in the log.
    const known = partner as PartnerPrincipal | null;
    const who = known ? { keyId: known.keyId, orgId: known.orgId } : await identifyKey(db, req.headers.get('authorization')).catch(() => null);
    let errorCode: string | null = null;
    if (res.status >= 400) {
      try {
        const body = (await res.clone().json()) as { error?: { code?: string } };
        errorCode = body.error?.code ?? null;
      } catch {
        errorCode = null;
      }
    }
    await db
      .insert(partnerExchanges)
      .values({
        at: now(),
        keyId: who?.keyId ?? null,
        orgId: who?.orgId ?? null,
        method: req.method,
        path: new URL(req.url).pathname.slice(0, 500),
        operation: opts.operation,
        status: res.status,
        errorCode,
        requestId: requestId || 'unknown',
        clientId: note.clientId ?? null,
        applicationId: note.applicationId ?? null,
        bodySha256: note.bodySha256 ?? null,
        durationMs: Date.now() - started,
      })
      .catch((e: unknown) => console.error('[partner] the exchange could not be logged', e));
    return res;
  };
}

/** The bytes a partner signs: canonical JSON of the body without `signature`, UTF-8. */
export function partnerSignedContent(body: Record<string, unknown>): Uint8Array {
  const { signature: _s, ...rest } = body;
  void _s;
  return new TextEncoder().encode(canonicalJson(rest));
}

export type VerifiedPartnerSignature = { cms: string; result: Extract<VerificationResult, { ok: true }>; contentSha256: string };

const MAX_CMS = 200_000;

/**
 * X-4 / 003 §36: verifies the body's CMS (SIGN key, chain, validity, revocation) and that the signer's BIN is the
 * key's organisation. 422 'signature_required' / 'signature_invalid' (fields.signature names the reason),
 * 403 'signer_not_key_org'.
 */
export async function verifyPartnerSignature(
  body: Record<string, unknown> & { signature: string },
  partner: PartnerPrincipal,
  verifier?: SignatureVerifier,
): Promise<VerifiedPartnerSignature> {
  const cms = body.signature.replace(/\s+/g, '');
  if (!cms || cms.length > MAX_CMS) throw new AppError('signature_required', 'The body must carry the organisation’s EDS signature.', { signature: 'required' });
  const content = partnerSignedContent(body);
  const v = verifier ?? (await getVerifier());
  const result = await v.verifyCms({ cms, detachedContent: content, purpose: 'sign', judgeAt: 'now', now: now() });
  if (!result.ok) {
    throw new AppError('signature_invalid', `The EDS signature was not accepted: ${result.message}`, { signature: result.code });
  }
  if (!result.signer.bin || result.signer.bin !== partner.orgBin) {
    throw new AppError('signer_not_key_org', 'The signature is not made by an EDS of the organisation the API key belongs to.', undefined, 403);
  }
  if (!result.signer.iin) throw new AppError('signature_invalid', 'The certificate names no person (IIN).', { signature: 'no_iin' });
  return { cms, result, contentSha256: sha256Hex(content) };
}

/** Stores a verified partner signature (append-only, X-5); returns its id. */
export async function storePartnerSignature(tx: DbOrTx, sig: VerifiedPartnerSignature, subject: string): Promise<{ id: string; signedAt: Date }> {
  const r = sig.result;
  const at = now();
  const [row] = await tx
    .insert(signatures)
    .values({
      signerIin: r.signer.iin!,
      signerBin: r.signer.bin,
      signerName: fullNameOf(r.signer) || null,
      certDer: Buffer.from(r.signer.der).toString('base64'),
      certFingerprint: r.signer.fingerprintSha256,
      certSerial: r.signer.serialNumber,
      purpose: 'sign',
      subject,
      cms: sig.cms,
      contentSha256: sig.contentSha256,
      signedAt: r.signedAt,
      verifiedAt: at,
      verdict: {
        ok: true,
        validAtSigningTime: r.validAtSigningTime,
        validNow: r.validNow,
        signingTimeSource: r.signingTimeSource,
        revocation: { status: r.revocation.status, source: r.revocation.source, checkedAt: r.revocation.checkedAt.toISOString() },
        chain: r.chain.map((c) => c.subjectDn),
      },
    })
    .returning({ id: signatures.id });
  return { id: row.id, signedAt: r.signedAt ?? at };
}

/** The public URL path of a route (documents' download links). */
export function apiPath(...parts: string[]): string {
  return `/api/v1/partner/${parts.map(encodeURIComponent).join('/')}`;
}
