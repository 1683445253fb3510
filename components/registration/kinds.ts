/**
 * The registration forms per kind (C-6, C-7, E-8, E-12, E-41, P-6, P-7), safe for the browser: which page registers
 * which kind, who may use it (individual / legal entity), the attachments and signed forms it needs, and the one
 * zod schema that both the form (react-hook-form) and the server action validate with.
 */
import { z } from 'zod';
import type { AttachmentType, FormKind, RegistrationKind } from '@/db/schema/registration';

export const PAGE_KINDS = {
  construction: 'construction_user',
  expertise: 'expertise_applicant',
  'expert-organisation': 'expert_organisation',
  procurement: 'procurement_applicant',
  authorised: 'procurement_authorised',
  'expert-is': 'expert_is_user',
} as const satisfies Record<string, RegistrationKind>;
export type PageKind = keyof typeof PAGE_KINDS;
export const PAGE_KIND_NAMES = Object.keys(PAGE_KINDS) as PageKind[];

export function pageKindOf(kind: RegistrationKind): PageKind | null {
  return (PAGE_KIND_NAMES.find((k) => PAGE_KINDS[k] === kind) as PageKind | undefined) ?? null;
}

export type PersonType = 'individual' | 'legal_entity';

/** Who may register as this kind. */
export const PERSON_TYPES: Record<PageKind, readonly PersonType[]> = {
  construction: ['legal_entity', 'individual'],
  expertise: ['legal_entity', 'individual'],
  'expert-organisation': ['legal_entity'],
  procurement: ['legal_entity', 'individual'],
  authorised: ['legal_entity'],
  'expert-is': ['legal_entity'],
};

/** The signed forms (E-7 versions in force) per kind — mirrors REQUIRED_FORMS in lib/registration/requests.ts. */
export const FORMS_OF: Record<PageKind, readonly FormKind[]> = {
  construction: ['user_agreement_construction'],
  expertise: ['user_agreement_expertise'],
  'expert-organisation': ['expert_org_agreement', 'questionnaire'],
  procurement: ['procurement_consent', 'procurement_undertaking'],
  authorised: [],
  // E-41: the agreement with the expert IS's operator (its signing starts the 3 working days).
  'expert-is': ['expert_org_agreement'],
};

/** Kinds whose form asks for bank details (P-7 and E-41 do not: E-41's organisation is registered already). */
export function asksBankDetails(kind: PageKind): boolean {
  return kind !== 'authorised' && kind !== 'expert-is';
}

/** C-6 / E-8 / E-12 attachments — mirrors requiredAttachments in lib/registration/requests.ts. */
export function attachmentsOf(kind: PageKind, personType: PersonType): AttachmentType[] {
  if (kind === 'authorised' || kind === 'expert-is') return [];
  const base: AttachmentType[] = personType === 'legal_entity' ? ['state_registration', 'tax', 'bank_details'] : ['identity_document'];
  return kind === 'expert-organisation' ? [...base, 'accreditation_certificate', 'questionnaire'] : base;
}

/** The operator's term shown on the form (working days) and its rule; none for P-6 / P-7. */
export const TERM_OF: Record<PageKind, { days: number; rule: string } | null> = {
  construction: { days: 1, rule: 'C-6' },
  expertise: { days: 3, rule: 'E-8' },
  'expert-organisation': { days: 3, rule: 'E-12' },
  procurement: null,
  authorised: null,
  'expert-is': { days: 3, rule: 'E-41' },
};

export const AUTHORITY_TYPES = ['technical_operator', 'financial_operator', 'tariff_regulator', 'sector_regulator', 'local_executive_body'] as const;

// Messages are keys under registration.form.errors (translated in the form; the server sends the same keys).
const text = (max: number) => z.string().trim().min(1, 'required').max(max, 'too_long');
const optionalText = (max: number) => z.string().trim().max(max, 'too_long').optional().or(z.literal(''));
const phone = z.string().trim().regex(/^\+?[0-9 ()-]{10,20}$/, 'phone');
const email = z.email('email').max(254, 'too_long');
/** Kazakhstan IBAN: KZ, 2 check digits, 3-digit bank code, 13 account characters (20 in all). */
const iban = z
  .string()
  .trim()
  .transform((v) => v.replace(/\s+/g, '').toUpperCase())
  .pipe(z.string().regex(/^KZ\d{2}[0-9A-Z]{16}$/, 'iban'));
const bic = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9]{8}([A-Z0-9]{3})?$/, 'bic'));
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date');
const iin = z.string().trim().regex(/^\d{12}$/, 'iin');

export const attachmentSchema = z.object({
  type: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/i, 'required'),
  name: z.string().min(1).max(255),
  signatureId: z.uuid('required'),
});

/** The form's values (client and server). */
export const registrationFormSchema = z
  .object({
    pageKind: z.enum(PAGE_KIND_NAMES as [PageKind, ...PageKind[]]),
    personType: z.enum(['individual', 'legal_entity']),
    phone,
    email,
    address: text(500),
    bankName: optionalText(200),
    iban: iban.optional().or(z.literal('')),
    bic: bic.optional().or(z.literal('')),
    // E-12: the accreditation certificate and the questionnaire's answers.
    certificateNumber: optionalText(100),
    issuedOn: isoDate.optional().or(z.literal('')),
    validUntil: isoDate.optional().or(z.literal('')),
    expertsCount: z.string().trim().optional(),
    sections: optionalText(1000),
    // P-7: the kind of authorised body and its responsible persons.
    authorityType: z.enum(AUTHORITY_TYPES).optional().or(z.literal('')),
    responsiblePersons: z.array(z.object({ iin, fullName: text(300), position: text(300) })).max(50).optional(),
    attachments: z.array(attachmentSchema).max(20),
    /** The signed forms: kind → acceptance id. */
    acceptances: z.record(z.string(), z.uuid()),
  })
  .superRefine((v, ctx) => {
    const need = (path: string, ok: boolean, message = 'required') => {
      if (!ok) ctx.addIssue({ code: 'custom', path: path.split('.'), message });
    };
    if (!PERSON_TYPES[v.pageKind].includes(v.personType)) need('personType', false, 'legal_entity_required');
    // C-6: bank details are required of a legal entity, optional for an individual.
    if (v.personType === 'legal_entity' && asksBankDetails(v.pageKind)) {
      need('bankName', Boolean(v.bankName));
      need('iban', Boolean(v.iban));
      need('bic', Boolean(v.bic));
    }
    if (v.pageKind === 'expert-organisation') {
      need('certificateNumber', Boolean(v.certificateNumber));
      need('issuedOn', Boolean(v.issuedOn));
      need('validUntil', Boolean(v.validUntil));
      if (v.issuedOn && v.validUntil && v.validUntil < v.issuedOn) need('validUntil', false, 'valid_until_before_issued_on');
      need('expertsCount', /^\d{1,4}$/.test(v.expertsCount ?? '') && Number(v.expertsCount) > 0, 'positive_number');
      need('sections', Boolean(v.sections));
    }
    if (v.pageKind === 'authorised') {
      need('authorityType', Boolean(v.authorityType));
      const persons = v.responsiblePersons ?? [];
      need('responsiblePersons', persons.length > 0, 'responsible_required');
      const seen = new Set<string>();
      persons.forEach((p, i) => {
        if (seen.has(p.iin)) need(`responsiblePersons.${i}.iin`, false, 'duplicate_iin');
        seen.add(p.iin);
      });
    }
    for (const type of attachmentsOf(v.pageKind, v.personType)) {
      need(`attachment_${type}`, v.attachments.some((a) => a.type === type), 'attachment_required');
    }
    for (const form of FORMS_OF[v.pageKind]) need(`form_${form}`, Boolean(v.acceptances[form]), 'form_required');
  });
export type RegistrationFormValues = z.input<typeof registrationFormSchema>;
export type RegistrationFormData = z.output<typeof registrationFormSchema>;
