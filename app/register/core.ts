import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { ATTACHMENT_TYPES, FORM_KINDS, type AttachmentType } from '@/db/schema/registration';
import type { Principal } from '@/lib/auth/principal';
import { requireSignedUpload } from '@/lib/documents/tus';
import { AppError } from '@/lib/errors';
import { acceptFormTx, assertNotRegistered, assertOwnAttachments, getFormInForce, submitRegistration, subjectKeyOf } from '@/lib/registration';
import { FORMS_OF, PAGE_KINDS, attachmentsOf, type RegistrationFormData } from '@/components/registration/kinds';

/**
 * The testable cores of the registration page's signed actions (actions.ts wraps them in signedAction): certify
 * an uploaded attachment (X-4, its name, size and SHA-256 are what is signed), sign a form version in force (E-7),
 * and submit the request (C-6 / E-8 / E-12 / P-6 / P-7) signed over the whole form.
 */

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const certifyAttachmentSchema = z.object({
  type: z.enum(ATTACHMENT_TYPES),
  uploadId: z.uuid(),
  fileName: z.string().min(1).max(255),
  size: z.number().int().min(0),
  sha256: hex64,
});

export type CertifiedAttachment = { type: AttachmentType; sha256: string; name: string; signatureId: string };

/** the applicant's signature over {type, file name, size, SHA-256} certifies its own finished upload. */
export async function certifyAttachment(tx: DbOrTx, p: Principal, input: z.output<typeof certifyAttachmentSchema>, signatureId: string): Promise<CertifiedAttachment> {
  const up = await requireSignedUpload(tx, p, input);
  return { type: input.type, sha256: up.sha256, name: input.fileName, signatureId };
}

export const signFormSchema = z.object({ kind: z.enum(FORM_KINDS), formDocumentId: z.uuid() });

/** E-7: signs the version the user read (a version no longer in force is refused by acceptFormTx). */
export async function signForm(tx: DbOrTx, p: Principal, input: z.output<typeof signFormSchema>, signatureId: string) {
  const acceptance = await acceptFormTx(tx, p, input, signatureId);
  const form = await getFormInForce(tx, input.kind, acceptance.acceptedAt);
  return { kind: input.kind, acceptanceId: acceptance.id, version: form?.version ?? null };
}

/** The request's form data without empty fields (what the operator reads). */
function formDataOf(v: RegistrationFormData): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    phone: v.phone,
    email: v.email,
    address: v.address,
    bankName: v.bankName,
    iban: v.iban,
    bic: v.bic,
  };
  if (v.pageKind === 'expert-organisation') Object.assign(fields, { expertsCount: Number(v.expertsCount), sections: v.sections });
  if (v.pageKind === 'authorised') fields.authorityType = v.authorityType;
  return Object.fromEntries(Object.entries(fields).filter(([, x]) => x !== undefined && x !== ''));
}

export type SubmittedRegistration = { id: string; duplicate: boolean; kind: string; dueAt: string | null };

/**
 * C-6 / E-8 / E-12 / P-6 / P-7: submits the form. A subject already registered for this kind is refused
 * ('duplicate', C-7); a request still under review is returned (`duplicate: true`); each attachment must be the
 * applicant's own upload, certified with its EDS.
 */
export async function submitRegistrationForm(tx: DbOrTx, p: Principal, v: RegistrationFormData, signatureId: string): Promise<SubmittedRegistration> {
  const kind = PAGE_KINDS[v.pageKind];
  const subjectKey = subjectKeyOf(p, v.personType);
  if (!subjectKey) {
    throw new AppError('validation_failed', 'A legal entity registers with the EDS of its first head or employee (a certificate with the BIN).', {
      personType: 'no_organisation',
    });
  }
  await assertNotRegistered(tx, kind, subjectKey);
  const needed = new Set<string>(attachmentsOf(v.pageKind, v.personType));
  const attachments = v.attachments
    .filter((a) => needed.has(a.type))
    .map((a) => ({ type: a.type as AttachmentType, sha256: a.sha256.toLowerCase(), name: a.name, signatureId: a.signatureId }));
  await assertOwnAttachments(tx, p, attachments);
  const acceptanceIds = FORMS_OF[v.pageKind].map((f) => v.acceptances[f]).filter((x): x is string => Boolean(x));
  const r = await submitRegistration(
    tx,
    p,
    {
      kind,
      personType: v.personType,
      formData: formDataOf(v),
      attachments,
      acceptanceIds,
      ...(v.pageKind === 'expert-organisation'
        ? { accreditation: { certificateNumber: v.certificateNumber ?? '', issuedOn: v.issuedOn ?? '', validUntil: v.validUntil ?? '' } }
        : {}),
      ...(v.pageKind === 'authorised' ? { responsiblePersons: v.responsiblePersons ?? [] } : {}),
    },
    { signatureId },
  );
  return { id: r.request.id, duplicate: r.duplicate, kind: r.request.kind, dueAt: r.request.dueAt?.toISOString() ?? null };
}
