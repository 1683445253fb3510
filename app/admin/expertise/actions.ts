'use server';

import { revalidatePath } from 'next/cache';
import { getDb } from '@/db/client';
import { runAction, type ActionResult } from '@/lib/actions';
import { requirePermission } from '@/lib/auth/policy';
import { signedActionOf, type SignedActionResult, type SignedPayload } from '@/lib/auth/signed-action';
import { getTranslations } from 'next-intl/server';
import { orgCodeSchema, previewNumberSchema } from '@/lib/expertise/admin-schemas';
import { previewNextNumber, templateProblems } from '@/lib/expertise/settings';
import { deadlineConfigDef, orgSettingsDef, uploadSettingsDef } from './defs';

/** The operator's expertise settings (E-16, E-18, E-44), each confirmed with the operator's SIGN key. */
const org = signedActionOf(orgSettingsDef);
const deadlines = signedActionOf(deadlineConfigDef);
const uploads = signedActionOf(uploadSettingsDef);

function afterCommit<T>(r: SignedActionResult<T>): SignedActionResult<T> {
  if (r.ok) revalidatePath('/admin/expertise');
  return r;
}

/** lib/numbers words its template problems in English; the operator reads them in the page's language. */
const PROBLEM_KEYS: [RegExp, string][] = [
  [/is empty/, 'empty'],
  [/longer than/, 'tooLong'],
  [/width/, 'seqWidth'],
  [/Unknown placeholder/, 'unknown'],
  [/Unbalanced/, 'unbalanced'],
  [/Outside placeholders/, 'literal'],
  [/only once/, 'multiSeq'],
  [/must contain \{SEQ\} or/, 'noSeq'],
  [/year/, 'noYear'],
  [/\{ORG\}/, 'noOrg'],
];

async function inWords(problems: string[]): Promise<string> {
  const t = await getTranslations('adminExpertise.templateProblems');
  return problems.map((p) => PROBLEM_KEYS.find(([re]) => re.test(p))?.[1]).map((k, i) => (k ? t(k) : problems[i])).join(' ');
}

export async function setOrgSettingsAction(payload: SignedPayload) {
  const r = await org(payload);
  if (!r.ok && r.error.fields?.numberTemplate) {
    const template = (payload?.input as { numberTemplate?: unknown } | undefined)?.numberTemplate;
    const problems = templateProblems(String(template ?? ''));
    if (problems.length) r.error.fields.numberTemplate = await inWords(problems);
  }
  return afterCommit(r);
}

export async function setDeadlineConfigAction(payload: SignedPayload) {
  return afterCommit(await deadlines(payload));
}

export async function setUploadSettingsAction(payload: SignedPayload) {
  return afterCommit(await uploads(payload));
}

/**
 * the number the next application would get with the template being edited (nothing is allocated), or the
 * template's problems in words.
 */
export async function previewNumberAction(input: unknown): Promise<ActionResult<{ number: string | null; problems: string | null }>> {
  return runAction(previewNumberSchema, input, async (v) => {
    await requirePermission('expertise.configure');
    const problems = templateProblems(v.numberTemplate);
    if (problems.length) return { number: null, problems: await inWords(problems) };
    if (!orgCodeSchema.safeParse(v.orgCode).success) return { number: null, problems: null };
    return { number: await previewNextNumber(getDb(), v), problems: null };
  });
}
