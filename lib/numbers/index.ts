import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { numberSequences } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { now } from '@/lib/time/clock';
import { astanaParts } from '@/lib/time/astana';

/**
 * human-readable unique numbers from a template, e.g. `{ORG}-{YYYY}-{SEQ:6}` → `KGE-2026-000042`.
 * Placeholders: {ORG} {SYS} {YYYY} {YY} {MM} {SEQ} {SEQ:n} (SEQ zero-padded to n digits, 1–12).
 */
export type NumberVars = {
  ORG?: string;
  SYS?: string;
  YYYY: number;
  YY?: number | string;
  MM?: number | string;
  SEQ: number;
};

const PLACEHOLDER = /\{([^{}]*)\}/g;
const KNOWN = new Set(['ORG', 'SYS', 'YYYY', 'YY', 'MM', 'SEQ']);
/** Characters allowed outside placeholders: letters (any script), digits and a few separators. */
const LITERAL = /^[\p{L}\p{N}\-/._ №#]*$/u;
const MAX_TEMPLATE = 100;

/**
 * The problems of a template, in plain words (empty when the template is usable). Sequences restart every
 * year, so a template must contain the year ({YYYY} or {YY}) as well as {SEQ…} to stay unique.
 */
export function validateTemplate(template: string): string[] {
  const problems: string[] = [];
  if (!template.trim()) return ['The template is empty.'];
  if (template.length > MAX_TEMPLATE) problems.push(`The template is longer than ${MAX_TEMPLATE} characters.`);
  let seqCount = 0;
  let hasYear = false;
  for (const m of template.matchAll(PLACEHOLDER)) {
    const name = m[1];
    const seq = /^SEQ(?::(\d+))?$/.exec(name);
    if (seq) {
      seqCount++;
      if (seq[1] !== undefined) {
        const n = Number(seq[1]);
        if (n < 1 || n > 12) problems.push(`{${name}}: the width must be from 1 to 12.`);
      }
    } else if (!KNOWN.has(name)) {
      problems.push(`Unknown placeholder {${name}}; use {ORG}, {SYS}, {YYYY}, {YY}, {MM}, {SEQ} or {SEQ:n}.`);
    } else if (name === 'YYYY' || name === 'YY') {
      hasYear = true;
    }
  }
  const literal = template.replace(PLACEHOLDER, '');
  if (/[{}]/.test(literal)) problems.push('Unbalanced { or } in the template.');
  else if (!LITERAL.test(literal)) {
    problems.push('Outside placeholders only letters, digits, spaces and - / . _ № # are allowed.');
  }
  if (seqCount === 0) problems.push('The template must contain {SEQ} or {SEQ:n}.');
  if (seqCount > 1) problems.push('The template must contain {SEQ} only once.');
  if (!hasYear) problems.push('The template must contain the year ({YYYY} or {YY}): numbering restarts every year.');
  return problems;
}

function assertTemplate(template: string): void {
  const problems = validateTemplate(template);
  if (problems.length) {
    throw new AppError('validation_failed', `Invalid number template "${template}": ${problems.join(' ')}`, {
      template: problems.join(' '),
    });
  }
}

function varText(name: string, v: string | number | undefined): string {
  if (v === undefined || v === '') throw new AppError('bad_request', `formatNumber: {${name}} is used but no value was given`);
  const s = String(v);
  if (/[\p{Cc}{}]/u.test(s)) throw new AppError('bad_request', `formatNumber: the value of {${name}} has forbidden characters`);
  return s;
}

/** Fills a (valid) template. YY and MM default from YYYY / are required when used. */
export function formatNumber(template: string, vars: NumberVars): string {
  assertTemplate(template);
  if (!Number.isSafeInteger(vars.SEQ) || vars.SEQ < 1) throw new AppError('bad_request', 'formatNumber: SEQ must be a positive integer');
  if (!Number.isInteger(vars.YYYY) || vars.YYYY < 1000 || vars.YYYY > 9999) {
    throw new AppError('bad_request', 'formatNumber: YYYY must be a four-digit year');
  }
  return template.replace(PLACEHOLDER, (_m, name: string) => {
    const seq = /^SEQ(?::(\d+))?$/.exec(name);
    if (seq) return String(vars.SEQ).padStart(seq[1] ? Number(seq[1]) : 0, '0');
    switch (name) {
      case 'YYYY':
        return String(vars.YYYY);
      case 'YY':
        return vars.YY !== undefined ? varText('YY', vars.YY).padStart(2, '0') : String(vars.YYYY % 100).padStart(2, '0');
      case 'MM':
        return varText('MM', vars.MM).padStart(2, '0');
      default:
        return varText(name, vars[name as 'ORG' | 'SYS']);
    }
  });
}

/** The Astana calendar year and month of an instant (lib/time does the zone arithmetic). */
export function astanaYearMonth(at: Date): { year: number; month: number } {
  const [year, month] = astanaParts(at).date.split('-').map(Number);
  return { year, month };
}

/**
 * Allocates the next number of (system, scope, Astana year of `at`) and formats it. Gapless: the counter
 * row is incremented inside the caller's transaction (a rollback returns the number) and concurrent
 * allocations wait on that row's lock. Call it inside the transaction that stores the numbered record;
 * on the plain db the number is consumed at once.
 */
export async function allocateNumber(
  tx: DbOrTx,
  opts: { system: string; scope: string; template: string; vars?: Record<string, string>; at?: Date },
): Promise<{ number: string; seq: number; year: number }> {
  assertTemplate(opts.template);
  if (!opts.system || !opts.scope) throw new AppError('bad_request', 'allocateNumber: system and scope are required');
  const at = opts.at ?? now();
  if (Number.isNaN(at.getTime())) throw new AppError('bad_request', 'allocateNumber: invalid `at`');
  const { year, month } = astanaYearMonth(at);
  const vars = (seq: number): NumberVars => ({ SYS: opts.system, ...opts.vars, YYYY: year, MM: month, SEQ: seq });
  formatNumber(opts.template, vars(1)); // fail on a missing variable before touching the counter
  const [row] = await tx
    .insert(numberSequences)
    .values({ system: opts.system, scope: opts.scope, year, lastValue: 1, updatedAt: now() })
    .onConflictDoUpdate({
      target: [numberSequences.system, numberSequences.scope, numberSequences.year],
      set: { lastValue: sql`${numberSequences.lastValue} + 1`, updatedAt: sql`excluded.updated_at` },
    })
    .returning({ seq: numberSequences.lastValue });
  return { number: formatNumber(opts.template, vars(row.seq)), seq: row.seq, year };
}
