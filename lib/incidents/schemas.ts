/** Input schemas of the incident and maintenance forms and actions (shared by the client forms and the server). */
import { z } from 'zod';
import { INCIDENT_CAUSES, INCIDENT_CHANNELS, INCIDENT_COMPONENTS, INCIDENT_CRITICALITIES, INCIDENT_SOURCES } from '@/db/schema/incidents';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'incidents.date');
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'incidents.time');
const text = (max: number) => z.string().trim().max(max, 'incidents.too_long');
const optText = (max: number) => text(max).transform((v) => (v ? v : undefined)).optional();

/** I-3: who reports, when the failure was detected, what happened, the attachments. */
const reportFields = {
  component: z.enum(INCIDENT_COMPONENTS, 'incidents.component'),
  detectedDate: date,
  detectedTime: time,
  description: text(5000).pipe(z.string().min(10, 'incidents.description_short')),
  orgName: optText(300),
  fullName: optText(300),
  idNumber: z.string().trim().regex(/^\d{12}$/, 'incidents.id_number'),
  email: z.string().trim().max(254).optional().transform((v) => (v ? v : undefined)).pipe(z.email('incidents.email').optional()),
  phone: z
    .string()
    .trim()
    .max(40)
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(z.string().regex(/^\+?[\d\s()-]{6,40}$/, 'incidents.phone').optional()),
  applicationNumber: optText(100),
  uploadIds: z.array(z.uuid()).max(10, 'incidents.too_many_files').optional(),
  idempotencyKey: z.string().trim().min(8).max(100).optional(),
};

function reporterChecks(v: { orgName?: string; fullName?: string; email?: string; phone?: string }, ctx: z.RefinementCtx) {
  if (!v.orgName && !v.fullName) ctx.addIssue({ code: 'custom', path: ['fullName'], message: 'incidents.name_required' });
  if (!v.email && !v.phone) ctx.addIssue({ code: 'custom', path: ['email'], message: 'incidents.contact_required' });
}

/** A user's report through the portal (I-3). */
export const reportSchema = z.object(reportFields).superRefine(reporterChecks);
export type ReportInput = z.input<typeof reportSchema>;

/** The operator records a report that came by e-mail or phone, or a failure found by monitoring (I-2, I-19). */
export const recordSchema = z
  .object({
    ...reportFields,
    idNumber: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v : undefined))
      .pipe(z.string().regex(/^\d{12}$/, 'incidents.id_number').optional()),
    source: z.enum(INCIDENT_SOURCES),
    channel: z.enum(INCIDENT_CHANNELS).optional(),
    forceMajeure: z.boolean().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.source === 'user_report') {
      reporterChecks(v, ctx);
      if (!v.idNumber) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: 'incidents.id_number' });
      if (!v.channel || v.channel === 'portal') ctx.addIssue({ code: 'custom', path: ['channel'], message: 'incidents.channel' });
    }
  });
export type RecordInput = z.input<typeof recordSchema>;

const id = z.uuid();

export const registerSchema = z.object({ id });
export const requestInfoSchema = z.object({ id, question: text(2000).pipe(z.string().min(5, 'incidents.text_short')) });
export const answerInfoSchema = z.object({ id, answer: text(5000).pipe(z.string().min(2, 'incidents.text_short')), uploadIds: z.array(z.uuid()).max(10).optional() });
export const refuteSchema = z.object({
  id,
  evidence: text(5000).pipe(z.string().min(10, 'incidents.text_short')),
  cause: z.enum(INCIDENT_CAUSES).optional(),
});
export const confirmSchema = z
  .object({
    id,
    criticality: z.enum(INCIDENT_CRITICALITIES, 'incidents.criticality').optional(),
    cause: z.enum(INCIDENT_CAUSES).optional(),
    startedDate: date.optional(),
    startedTime: time.optional(),
    plannedFixDate: date,
    plannedFixTime: time,
    applicationNumber: optText(100),
  })
  .superRefine((v, ctx) => {
    if ((v.startedDate && !v.startedTime) || (!v.startedDate && v.startedTime)) ctx.addIssue({ code: 'custom', path: ['startedTime'], message: 'incidents.time' });
  });
export const fixSchema = z.object({ id, fixedDate: date, fixedTime: time, note: text(2000).pipe(z.string().min(3, 'incidents.text_short')) });
export const closeSchema = z.object({ id });
export const extensionsSchema = z.object({ id });
export const lawEnforcementSchema = z.object({
  id,
  body: text(300).pipe(z.string().min(3, 'incidents.text_short')),
  reference: text(200).pipe(z.string().min(1, 'incidents.text_short')),
});

// ---- maintenance ----

export const planSchema = z.object({ year: z.coerce.number().int().min(2024).max(2100), note: optText(2000) });
export const windowSchema = z.object({
  year: z.coerce.number().int().min(2024).max(2100),
  component: z.enum(INCIDENT_COMPONENTS, 'incidents.component'),
  startsDate: date,
  startsTime: time,
  endsDate: date,
  endsTime: time,
  description: text(2000).pipe(z.string().min(5, 'incidents.text_short')),
  reason: optText(2000),
  unplanned: z.boolean().optional(),
});
export type WindowInput = z.input<typeof windowSchema>;
export const cancelWindowSchema = z.object({ id, reason: text(2000).pipe(z.string().min(3, 'incidents.text_short')) });
