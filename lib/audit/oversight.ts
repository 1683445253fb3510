import type { DbOrTx } from '@/db/client';
import { dayNumber, dayStartMs, isIsoDate } from '@/lib/time/astana';
import { listAudit, type AuditFilters, type AuditRow } from './index';

/**
 * X-13 / C-16: the state control body's read-only view of users' actions — the audit journal filtered by user,
 * by information system and by action. Systems are recognised by the journal action's prefix (every domain
 * names its actions `<domain>.<what>`); the mapping below is the one place that says which prefix is which system.
 */

export const OVERSIGHT_SYSTEMS = {
  construction: ['construction.'],
  expertise: ['expertise.', 'expert_org.', 'expert_orgs.', 'tariff.', 'tariffs.', 'charge.', 'receipt.'],
  procurement: ['procurement.'],
  water: ['water.', 'feedback.'],
  identity: ['auth.', 'user.', 'role.', 'registration.', 'form.', 'forms.', 'cabinet.', 'signed_action.'],
  administration: ['calendar.', 'settings.', 'integration.', 'partner.', 'incident.', 'mail.'],
} as const satisfies Record<string, readonly string[]>;
export type OversightSystem = keyof typeof OVERSIGHT_SYSTEMS;
export const OVERSIGHT_SYSTEM_KEYS = Object.keys(OVERSIGHT_SYSTEMS) as OversightSystem[];

export function systemOfAction(action: string): OversightSystem | null {
  for (const k of OVERSIGHT_SYSTEM_KEYS) if (OVERSIGHT_SYSTEMS[k].some((p) => action.startsWith(p))) return k;
  return null;
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const IIN = /^\d{12}$/;
const ACTION = /^[a-z][a-z0-9_.:-]{0,79}$/;

export type OversightQuery = { user?: string; system?: string; action?: string; from?: string; to?: string; actor?: string };
export type OversightProblem = 'user' | 'system' | 'action' | 'period' | 'actor';

/**
 * The page's query as journal filters. `user`: an IIN or a user id; `system`: one of OVERSIGHT_SYSTEMS; `action`:
 * an exact action or a prefix ending with '.' ("expertise."); `actor`: 'users' (people only) or 'system'
 * (automatic jobs only); `from` / `to`: Astana dates, `to` inclusive.
 */
export function parseOversightQuery(q: OversightQuery): { filters: AuditFilters & { actorKind?: 'users' | 'system' }; problems: OversightProblem[] } {
  const filters: AuditFilters & { actorKind?: 'users' | 'system' } = {};
  const problems: OversightProblem[] = [];
  const user = q.user?.trim();
  if (user) {
    if (IIN.test(user)) filters.iin = user;
    else if (UUID.test(user)) filters.userId = user;
    else problems.push('user');
  }
  const system = q.system?.trim();
  const prefixes: string[] = [];
  if (system) {
    if ((OVERSIGHT_SYSTEM_KEYS as string[]).includes(system)) prefixes.push(...OVERSIGHT_SYSTEMS[system as OversightSystem]);
    else problems.push('system');
  }
  const action = q.action?.trim();
  if (action) {
    if (!ACTION.test(action)) problems.push('action');
    else if (action.endsWith('.')) {
      // A prefix inside the chosen system (or alone): both must hold, so keep only prefixes compatible with it.
      if (prefixes.length) {
        const within = prefixes.filter((p) => action.startsWith(p) || p.startsWith(action));
        prefixes.splice(0, prefixes.length, ...within.map((p) => (action.startsWith(p) ? action : p)));
        if (!prefixes.length) prefixes.push('\u0000none');
      } else prefixes.push(action);
    } else filters.action = action;
  }
  if (prefixes.length) filters.actionPrefixes = prefixes;
  const actor = q.actor?.trim();
  if (actor) {
    if (actor === 'users' || actor === 'system') filters.actorKind = actor;
    else problems.push('actor');
  }
  const from = q.from?.trim();
  const to = q.to?.trim();
  if ((from && !isIsoDate(from)) || (to && !isIsoDate(to)) || (from && to && from > to)) problems.push('period');
  else {
    if (from) filters.from = new Date(dayStartMs(dayNumber(from)));
    if (to) filters.to = new Date(dayStartMs(dayNumber(to) + 1));
  }
  return { filters, problems };
}

export type OversightRow = AuditRow & { system: OversightSystem | null };

/**
 * one page of the journal for the oversight view (newest first). `actorKind` 'users' keeps rows with a
 * user, 'system' rows without (jobs, the scheduler). Reads only.
 */
export async function listOversight(
  db: DbOrTx,
  filters: AuditFilters & { actorKind?: 'users' | 'system' },
  page: { limit: number; beforeSeq?: number },
): Promise<{ rows: OversightRow[]; nextBeforeSeq: number | null }> {
  const { actorKind, ...f } = filters;
  if (!actorKind) {
    const r = await listAudit(db, f, page);
    return { rows: r.rows.map((x) => ({ ...x, system: systemOfAction(x.action) })), nextBeforeSeq: r.nextBeforeSeq };
  }
  // Filter on the actor kind by reading ahead in bounded batches (the journal has no actor-kind index).
  const out: OversightRow[] = [];
  let before = page.beforeSeq;
  for (let i = 0; i < 20 && out.length < page.limit; i++) {
    const r = await listAudit(db, f, { limit: 200, beforeSeq: before });
    for (const row of r.rows) {
      const isUser = row.actorUserId !== null || row.actorIin !== null;
      if ((actorKind === 'users') === isUser) out.push({ ...row, system: systemOfAction(row.action) });
      if (out.length === page.limit) return { rows: out, nextBeforeSeq: row.seq };
    }
    if (!r.nextBeforeSeq) return { rows: out, nextBeforeSeq: null };
    before = r.nextBeforeSeq;
  }
  return { rows: out, nextBeforeSeq: before ?? null };
}
