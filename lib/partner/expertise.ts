/**
 * E-20 / E-21: the expert organisation's own expert IS and the portal.
 * - the feed: registered applications addressed to the key's organisation, new or changed since the cursor, with
 *   their documents (download links authorised by the same key) and the state of documents sent for signature;
 * - pushes: progress, documents for the applicant's signature, results (the conclusion). Each push is signed with
 *   the organisation's EDS (verified in lib/partner/http.ts), idempotent by the client's id, and lands in the
 *   application's timeline and the applicant's cabinet, with an audit row, in one transaction.
 */
import crypto from 'node:crypto';
import { and, asc, eq, gt, inArray, max, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import {
  APPLICATION_STATUSES,
  applicationDeadlines,
  applicationDocuments,
  applicationEvents,
  applications,
  conclusionOutcomes,
  organisations,
  partnerPushes,
  partnerSignRequests,
  users,
} from '@/db/schema';
import { appendAudit, type AuditActor } from '@/lib/audit';
import { sha256Hex } from '@/lib/canonical';
import { fileStore } from '@/lib/documents/store';
import { AppError } from '@/lib/errors';
import { addEvent, lockApplication, type Application } from '@/lib/expertise/internal';
import { notifyApplicant } from '@/lib/expertise/notify';
import { astanaDateOf } from '@/lib/time/astana';
import { now } from '@/lib/time/clock';
import { sequenceFeedEvents } from './feed-order';
import { apiPath, storePartnerSignature, verifyPartnerSignature, type VerifiedPartnerSignature } from './http';
import type { PartnerPrincipal } from './keys';
import { notifyUser, PROGRESS_STAGES } from './notify';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Statuses in which the expert organisation is still reviewing (whatever subset the schema has). */
const CLOSED = new Set<string>(['draft', 'conclusion_signed', 'conclusion_released', 'archived']);
export const REVIEW_STATUSES = APPLICATION_STATUSES.filter((s) => !CLOSED.has(s));

export function partnerAuditActor(p: PartnerPrincipal, signerIin?: string | null): AuditActor {
  return { userId: null, iin: signerIin ?? null, bin: p.orgBin, role: `partner:${p.kind}`, name: `${p.orgName} (API key ${p.prefix})` };
}

// ---- the feed (E-20) -------------------------------------------------------------------------------------

export const feedQuerySchema = z.object({
  /** The `nextCursor` of the previous page (the last change seen); absent = from the beginning. */
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, 'a cursor from a previous page')
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

type Doc = typeof applicationDocuments.$inferSelect;

function documentJson(d: Doc, app: { id: string }) {
  return {
    id: d.id,
    slot: d.slot,
    version: d.version,
    fileName: d.fileName,
    size: d.size,
    sha256: d.sha256,
    isCostEstimate: d.isCostEstimate,
    issuedBy: d.issuedBy,
    registeredOn: d.registeredOn,
    registeredAt: d.registeredAt,
    supersedesId: d.supersedesId,
    annulledAt: d.annulledAt,
    downloadUrl: d.storageKey ? apiPath('expertise', 'applications', app.id, 'documents', d.id) : null,
  };
}

/**
 * The key's organisation's applications changed after `cursor` (oldest change first), with their documents. The
 * cursor is a feed position (lib/partner/feed-order.ts): positions follow commit order, so none is skipped.
 */
export async function expertFeed(db: DbOrTx, partner: PartnerPrincipal, q: z.output<typeof feedQuerySchema>) {
  const after = q.cursor ? Number(q.cursor) : 0;
  // Positions in commit order (I-INT-1): number what has committed, then read only numbered events.
  await sequenceFeedEvents(db);
  const seq = max(applicationEvents.feedSeq);
  const changed = await db
    .select({ applicationId: applicationEvents.applicationId, seq })
    .from(applicationEvents)
    .innerJoin(applications, eq(applications.id, applicationEvents.applicationId))
    .where(and(gt(applicationEvents.feedSeq, after), eq(applications.expertOrgId, partner.orgId), ne(applications.status, 'draft')))
    .groupBy(applicationEvents.applicationId)
    .orderBy(asc(seq))
    .limit(q.limit + 1);
  const page = changed.slice(0, q.limit);
  const ids = page.map((r) => r.applicationId);
  if (!ids.length) return { items: [], nextCursor: null as string | null, cursor: String(after) };
  const [apps, docs, requests] = await Promise.all([
    db
      .select({ app: applications, applicantName: users.fullName, orgName: organisations.name, orgBin: organisations.bin })
      .from(applications)
      .innerJoin(users, eq(users.id, applications.applicantUserId))
      .leftJoin(organisations, eq(organisations.id, applications.applicantOrgId))
      .where(inArray(applications.id, ids)),
    db.select().from(applicationDocuments).where(inArray(applicationDocuments.applicationId, ids)).orderBy(asc(applicationDocuments.slot), asc(applicationDocuments.version)),
    db.select().from(partnerSignRequests).where(inArray(partnerSignRequests.applicationId, ids)),
  ]);
  const byId = new Map(apps.map((a) => [a.app.id, a]));
  const items = page.map(({ applicationId, seq: s }) => {
    const { app: a, applicantName, orgName, orgBin } = byId.get(applicationId)!;
    return {
      seq: String(s),
      application: {
        id: a.id,
        number: a.number,
        status: a.status,
        objectName: a.objectName,
        region: a.region,
        address: a.address,
        category: a.category,
        workKind: a.workKind,
        financingSource: a.financingSource,
        receivedAt: a.receivedAt,
        registrationDate: a.registrationDate,
        registeredAt: a.registeredAt,
        completenessResult: a.completenessResult,
        conclusionSignedAt: a.conclusionSignedAt,
        paymentConfirmedAt: a.paymentConfirmedAt,
        applicant: orgBin ? { kind: 'organisation', name: orgName, bin: orgBin, representative: applicantName } : { kind: 'individual', name: applicantName },
      },
      documents: docs.filter((d) => d.applicationId === a.id).map((d) => documentJson(d, a)),
      signRequests: requests
        .filter((r) => r.applicationId === a.id)
        .map((r) => ({ id: r.id, documentId: r.documentId, createdAt: r.createdAt, signedAt: r.signedAt, signatureId: r.signatureId })),
    };
  });
  const last = page[page.length - 1];
  return { items, nextCursor: changed.length > q.limit ? String(last.seq) : null, cursor: String(last.seq) };
}

/** A document of one of the organisation's applications (X-11: another organisation's answers 404). */
export async function expertDocument(db: DbOrTx, partner: PartnerPrincipal, applicationId: string, documentId: string): Promise<Doc> {
  if (!UUID.test(applicationId) || !UUID.test(documentId)) throw new AppError('not_found', 'The document does not exist.');
  const [row] = await db
    .select({ doc: applicationDocuments })
    .from(applicationDocuments)
    .innerJoin(applications, eq(applications.id, applicationDocuments.applicationId))
    .where(
      and(
        eq(applicationDocuments.id, documentId),
        eq(applications.id, applicationId),
        eq(applications.expertOrgId, partner.orgId),
        ne(applications.status, 'draft'),
      ),
    );
  if (!row) throw new AppError('not_found', 'The document does not exist.');
  return row.doc;
}

/** The bytes of a stored document as a download answer. */
export async function fileResponse(doc: { sha256: string; size: number; fileName: string; storageKey: string | null }, headers: Record<string, string> = {}): Promise<Response> {
  const store = fileStore();
  if (!doc.storageKey || !(await store.stat(doc.sha256))) throw new AppError('not_found', 'The file is not stored on the portal.');
  const { Readable } = await import('node:stream');
  const stream = Readable.toWeb(await store.get(doc.sha256)) as ReadableStream<Uint8Array>;
  return new Response(stream, {
    headers: {
      'content-type': 'application/octet-stream',
      'content-length': String(doc.size),
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(doc.fileName)}`,
      'x-content-sha256': doc.sha256,
      'cache-control': 'no-store',
      ...headers,
    },
  });
}

// ---- pushes (E-21) ---------------------------------------------------------------------------------------

const clientId = z.string().regex(/^[A-Za-z0-9._:-]{8,200}$/, '8–200 characters: letters, digits, . _ : -');
const signature = z.string().min(1).max(200_000);
const note = z.string().trim().max(2000).optional();
const fileSchema = z.object({
  fileName: z.string().trim().min(1).max(255),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'hex SHA-256'),
  contentBase64: z.string().min(1).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64'),
});

export const progressPushSchema = z.object({
  clientId,
  stage: z.enum(PROGRESS_STAGES),
  note,
  occurredAt: z.iso.datetime({ offset: true }).optional(),
  signature,
});
export const documentPushSchema = z.object({
  clientId,
  document: fileSchema.extend({ slot: z.string().regex(/^[a-z0-9_]{1,60}$/, 'a-z, 0-9, _') }),
  note,
  signature,
});
export const resultPushSchema = z.object({
  clientId,
  outcome: z.enum(['positive', 'negative']),
  document: fileSchema,
  note,
  signature,
});

/** Max request body of a push with a document (base64 inflates by 4/3). */
export const PUSH_MAX_BYTES = 24 * 1024 * 1024;

export type PushResult = { status: 201 | 200; body: Record<string, unknown> & { pushId: string; duplicate: boolean } };

type PushKind = 'progress' | 'document' | 'result';
type PushContext = { tx: DbOrTx; app: Application; signatureId: string; signedAt: Date; signerIin: string; pushId: string; at: Date };

/** The file's bytes, checked against the declared digest; stored content-addressed. */
async function storeFile(f: z.output<typeof fileSchema>, field: string) {
  const bytes = Buffer.from(f.contentBase64, 'base64');
  if (bytes.length === 0) throw new AppError('validation_failed', 'The file is empty.', { [`${field}.contentBase64`]: 'empty' });
  if (sha256Hex(bytes) !== f.sha256) throw new AppError('validation_failed', 'The file does not match its SHA-256.', { [`${field}.sha256`]: 'mismatch' });
  const stored = await fileStore().put(bytes);
  return { fileName: f.fileName, sha256: stored.sha256, size: stored.size, storageKey: stored.storageKey };
}

function uniqueViolation(e: unknown): boolean {
  for (let c: unknown = e; c && typeof c === 'object'; c = (c as { cause?: unknown }).cause) {
    if ((c as { code?: string }).code === '23505') return true;
    if (!('cause' in c)) break;
  }
  return false;
}

async function replayOf(db: DbOrTx, partner: PartnerPrincipal, id: string, kind: PushKind, applicationId: string, requestSha256: string): Promise<PushResult | null> {
  const [seen] = await db
    .select()
    .from(partnerPushes)
    .where(and(eq(partnerPushes.orgId, partner.orgId), eq(partnerPushes.clientId, id)));
  if (!seen) return null;
  if (seen.kind !== kind || seen.applicationId !== applicationId || seen.requestSha256 !== requestSha256) {
    throw new AppError('idempotency_conflict', 'This clientId was already used for a different push.', { clientId: 'used' }, 409);
  }
  return { status: 200, body: { ...(seen.response as Record<string, unknown>), pushId: seen.id, duplicate: true } };
}

/**
 * The common course of a push: signature (organisation's EDS) → a repeat is recognised → the application (of the
 * key's organisation) locked → the change, its timeline event(s), the push row and the audit row, in one
 * transaction. Two identical pushes at once: the unique (org, clientId) decides, the loser answers as a repeat.
 */
async function applyPush(
  db: DbOrTx,
  partner: PartnerPrincipal,
  applicationId: string,
  kind: PushKind,
  body: { clientId: string; signature: string } & Record<string, unknown>,
  apply: (ctx: PushContext) => Promise<Record<string, unknown>>,
  verified?: VerifiedPartnerSignature,
): Promise<PushResult> {
  if (!UUID.test(applicationId)) throw new AppError('not_found', 'The application does not exist.');
  const sig = verified ?? (await verifyPartnerSignature(body, partner));
  const requestSha256 = sig.contentSha256;
  const replay = await replayOf(db, partner, body.clientId, kind, applicationId, requestSha256);
  if (replay) return replay;
  try {
    return await db.transaction(async (tx) => {
      const app = await lockApplication(tx, applicationId);
      if (app.expertOrgId !== partner.orgId || app.status === 'draft') throw new AppError('not_found', 'The application does not exist.');
      const again = await replayOf(tx, partner, body.clientId, kind, applicationId, requestSha256);
      if (again) return again;
      const stored = await storePartnerSignature(tx, sig, `partner.expertise.${kind}`);
      const pushId = crypto.randomUUID();
      const at = now();
      await tx.insert(partnerPushes).values({
        id: pushId,
        orgId: partner.orgId,
        keyId: partner.keyId,
        clientId: body.clientId,
        kind,
        applicationId: app.id,
        requestSha256,
        signatureId: stored.id,
        response: {},
        createdAt: at,
      });
      const response = await apply({ tx, app, signatureId: stored.id, signedAt: stored.signedAt, signerIin: sig.result.signer.iin!, pushId, at });
      const full = { ...response, applicationId: app.id, signatureId: stored.id };
      await tx.update(partnerPushes).set({ response: full }).where(eq(partnerPushes.id, pushId));
      await appendAudit(tx, {
        actor: partnerAuditActor(partner, sig.result.signer.iin),
        action: `partner.expertise.${kind}`,
        entityType: 'application',
        entityId: app.id,
        signatureId: stored.id,
        after: { pushId, clientId: body.clientId, requestSha256, ...full },
      });
      return { status: 201 as const, body: { ...full, pushId, duplicate: false } };
    });
  } catch (e) {
    if (uniqueViolation(e)) {
      const r = await replayOf(db, partner, body.clientId, kind, applicationId, requestSha256);
      if (r) return r;
    }
    throw e;
  }
}

const link = (id: string) => `/expertise/applications/${id}`;

/** E-21: progress from the expert IS → the timeline and the applicant's cabinet; 'payment_confirmed' releases a held conclusion (E-50). */
export async function pushProgress(db: DbOrTx, partner: PartnerPrincipal, applicationId: string, body: z.output<typeof progressPushSchema>): Promise<PushResult> {
  return applyPush(db, partner, applicationId, 'progress', body, async ({ tx, app, signatureId, pushId, at }) => {
    if (app.status === 'archived') throw new AppError('conflict', 'The application is archived.');
    const occurredAt = body.occurredAt ? new Date(body.occurredAt) : at;
    if (body.stage === 'payment_confirmed') {
      if (app.status !== 'conclusion_signed') throw new AppError('conflict', 'There is no signed conclusion waiting for the payment.');
      await tx
        .update(applications)
        .set({ status: 'conclusion_released', paymentConfirmedAt: at, paymentBasis: body.note || 'Confirmed by the expert information system' })
        .where(eq(applications.id, app.id));
      await addEvent(tx, app.id, at, 'expert', null, 'payment_confirmed', { source: 'partner', pushId, signatureId });
      await addEvent(tx, app.id, at, 'system', null, 'conclusion_released', { documentId: app.conclusionDocumentId });
      await notifyApplicant(tx, app, 'expertise.conclusion_released', { number: app.number });
      return { stage: body.stage, status: 'conclusion_released' };
    }
    await addEvent(tx, app.id, occurredAt, 'expert', null, 'partner_progress', { stage: body.stage, note: body.note ?? null, pushId, signatureId });
    await notifyUser(tx, app.applicantUserId, 'partner.progress', {
      applicationId: app.id,
      link: link(app.id),
      stage: body.stage,
      params: { number: app.number, note: body.note ?? '' },
    });
    return { stage: body.stage, status: app.status };
  });
}

async function currentVersion(tx: DbOrTx, applicationId: string, slot: string): Promise<{ version: number; last: Doc | null; live: Doc | null }> {
  const rows = await tx
    .select()
    .from(applicationDocuments)
    .where(and(eq(applicationDocuments.applicationId, applicationId), eq(applicationDocuments.slot, slot)))
    .orderBy(asc(applicationDocuments.version));
  const last = rows[rows.length - 1] ?? null;
  return { version: last?.version ?? 0, last, live: last && !last.annulledAt ? last : null };
}

async function insertDocument(ctx: PushContext, slot: string, file: Awaited<ReturnType<typeof storeFile>>): Promise<Doc> {
  const { version, last, live } = await currentVersion(ctx.tx, ctx.app.id, slot);
  if (live) throw new AppError('conflict', `A document in slot "${slot}" is already issued; a changed version goes through annulment (E-51).`, { 'document.slot': 'issued' });
  const [doc] = await ctx.tx
    .insert(applicationDocuments)
    .values({
      applicationId: ctx.app.id,
      slot,
      version: version + 1,
      sha256: file.sha256,
      fileName: file.fileName,
      size: file.size,
      storageKey: file.storageKey,
      certifiedSignatureId: ctx.signatureId,
      // E-46: registered at the instant the organisation's EDS certified it.
      registeredOn: astanaDateOf(ctx.signedAt),
      registeredAt: ctx.signedAt,
      supersedesId: last?.id ?? null,
      issuedBy: 'expert',
      createdBy: null,
      createdAt: ctx.at,
    })
    .returning();
  return doc;
}

/** E-21 / E-47: a document the applicant must sign, with the data of the organisation's signature → the cabinet. */
export async function pushDocument(db: DbOrTx, partner: PartnerPrincipal, applicationId: string, body: z.output<typeof documentPushSchema>): Promise<PushResult> {
  if (['remarks', 'conclusion'].includes(body.document.slot)) {
    throw new AppError('validation_failed', 'Remarks (E-48) and the conclusion (results) are not sent as documents to sign.', { 'document.slot': 'reserved' });
  }
  const sig = await verifyPartnerSignature(body, partner);
  const file = await storeFile(body.document, 'document');
  return applyPush(
    db,
    partner,
    applicationId,
    'document',
    body,
    async (ctx) => {
      if (!REVIEW_STATUSES.includes(ctx.app.status as (typeof REVIEW_STATUSES)[number])) {
        throw new AppError('conflict', `No document can be sent while the application is ${ctx.app.status}.`);
      }
      const doc = await insertDocument(ctx, body.document.slot, file);
      const [request] = await ctx.tx
        .insert(partnerSignRequests)
        .values({ applicationId: ctx.app.id, documentId: doc.id, pushId: ctx.pushId, createdAt: ctx.at })
        .returning();
      await addEvent(ctx.tx, ctx.app.id, ctx.at, 'expert', null, 'partner_document', {
        documentId: doc.id,
        slot: doc.slot,
        signRequestId: request.id,
        signatureId: ctx.signatureId,
        note: body.note ?? null,
      });
      await notifyUser(ctx.tx, ctx.app.applicantUserId, 'partner.sign_request', {
        applicationId: ctx.app.id,
        link: link(ctx.app.id),
        params: { number: ctx.app.number, fileName: doc.fileName, slot: doc.slot },
      });
      return { documentId: doc.id, signRequestId: request.id, registeredOn: doc.registeredOn };
    },
    sig,
  );
}

/** E-21 / E-50: the result — the conclusion signed by the organisation, held until the payment; E-56 outcome. */
export async function pushResult(db: DbOrTx, partner: PartnerPrincipal, applicationId: string, body: z.output<typeof resultPushSchema>): Promise<PushResult> {
  const sig = await verifyPartnerSignature(body, partner);
  const file = await storeFile(body.document, 'document');
  return applyPush(
    db,
    partner,
    applicationId,
    'result',
    body,
    async (ctx) => {
      if (!REVIEW_STATUSES.includes(ctx.app.status as (typeof REVIEW_STATUSES)[number])) {
        throw new AppError('conflict', `A result cannot be recorded while the application is ${ctx.app.status}.`);
      }
      const doc = await insertDocument(ctx, 'conclusion', file);
      await ctx.tx
        .update(applications)
        .set({ status: 'conclusion_signed', conclusionDocumentId: doc.id, conclusionSignatureId: ctx.signatureId, conclusionSignedAt: ctx.signedAt })
        .where(eq(applications.id, ctx.app.id));
      await ctx.tx
        .update(applicationDeadlines)
        .set({ status: 'met', closedAt: ctx.at })
        .where(and(eq(applicationDeadlines.applicationId, ctx.app.id), eq(applicationDeadlines.status, 'open')));
      await ctx.tx
        .insert(conclusionOutcomes)
        .values({ applicationId: ctx.app.id, outcome: body.outcome, documentId: doc.id, signatureId: ctx.signatureId, recordedAt: ctx.at })
        .onConflictDoUpdate({
          target: conclusionOutcomes.applicationId,
          set: { outcome: body.outcome, documentId: doc.id, signatureId: ctx.signatureId, recordedAt: ctx.at },
        });
      await addEvent(ctx.tx, ctx.app.id, ctx.at, 'expert', null, 'conclusion_signed', {
        documentId: doc.id,
        outcome: body.outcome,
        source: 'partner',
        signatureId: ctx.signatureId,
      });
      await notifyApplicant(ctx.tx, ctx.app, 'expertise.conclusion_held', { number: ctx.app.number });
      return { documentId: doc.id, outcome: body.outcome, status: 'conclusion_signed', registeredOn: doc.registeredOn };
    },
    sig,
  );
}

// ---- the applicant signs a document the expert IS sent (E-21) ---------------------------------------------

export type SignRequestView = {
  id: string;
  documentId: string;
  slot: string;
  fileName: string;
  sha256: string;
  createdAt: Date;
  signedAt: Date | null;
};

/** The documents sent to the applicant for signature (pending first). */
export async function listSignRequests(db: DbOrTx, applicationId: string): Promise<SignRequestView[]> {
  const rows = await db
    .select({ r: partnerSignRequests, d: applicationDocuments })
    .from(partnerSignRequests)
    .innerJoin(applicationDocuments, eq(applicationDocuments.id, partnerSignRequests.documentId))
    .where(eq(partnerSignRequests.applicationId, applicationId))
    .orderBy(asc(partnerSignRequests.createdAt));
  return rows
    .map(({ r, d }) => ({ id: r.id, documentId: d.id, slot: d.slot, fileName: d.fileName, sha256: d.sha256, createdAt: r.createdAt, signedAt: r.signedAt }))
    .sort((a, b) => Number(a.signedAt !== null) - Number(b.signedAt !== null));
}

export const signRequestActionSchema = z.object({
  applicationId: z.uuid(),
  requestId: z.uuid(),
  /** The digest of the document being signed: the signature covers it. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
