import { AppError } from '@/lib/errors';
import type { Principal } from './principal';

/**
 * the one authorisation policy. Every page, server action and route handler asks `can()` (or
 * `requirePermission()`) before it reads or changes anything. The table below is the whole policy: an action is
 * allowed to the roles listed (AUTHENTICATED: any signed-in, active user), and some actions add a check on the
 * resource (the same organisation, the record's owner).
 */

export const ROLES = [
  'operator', // the portal operator's staff: registrations, calendar, incidents, forms
  'admin', // system administrator: users, integrations, settings
  'oversight', // X-13 / C-16: the state control body, read-only monitoring of users' actions
  'applicant', // construction / expertise applicant (C-6, E-8)
  'construction_user', // C-6: a registered user of the construction portal (granted when the operator confirms)
  'first_head', // first head of an organisation, grants roles to its employees
  'employee', // an organisation's employee (roles granted by the first head)
  'expert', // an expert of an accredited expert organisation (E-44..)
  'expert_head', // head of an expert organisation
  'procurement_applicant', // P-6
  'procurement_authorised', // P-7 / P-8: an authorised person (operators, regulators, akimats) on the procurement platform
  'water_utility', // W-: a water supply / sewerage entity
  'akimat', // local executive body
  'authorised_body', // P-7 / W-: the authorised state body
  'environmental_authority', // E-49: a user of an environmental-protection authority (exchanges with expert organisations)
] as const;
export type Role = (typeof ROLES)[number];

/** the organisation roles a first head grants (never portal roles: operator, admin, oversight). */
export const ROLES_GRANTABLE_BY_FIRST_HEAD = [
  'employee',
  'applicant',
  'construction_user',
  'expert',
  'expert_head',
  'procurement_applicant',
  'procurement_authorised',
  'water_utility',
] as const satisfies readonly Role[];

/** Any signed-in active user, whatever their roles. */
const AUTHENTICATED = 'authenticated' as const;

type Rule = {
  roles: readonly Role[] | typeof AUTHENTICATED;
  /** An extra check on the resource, applied after the role matched. */
  resource?: (p: Principal, resource: unknown) => boolean;
  /** Why (shown in the admin's permission overview and in tests). */
  note: string;
};

type OrgResource = { orgId: string | null | undefined };
type OwnedResource = { ownerUserId?: string | null; orgId?: string | null };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** The resource belongs to the principal's organisation (a missing resource is refused: it must be named). */
function sameOrg(p: Principal, resource: unknown): boolean {
  if (!isObject(resource)) return false;
  const orgId = (resource as OrgResource).orgId;
  return typeof orgId === 'string' && p.orgId !== null && orgId === p.orgId;
}

/** a user sees what they (or their organisation) submitted; staff roles see everything. */
function ownerOrStaff(p: Principal, resource: unknown): boolean {
  if (p.roles.some((r) => r === 'operator' || r === 'admin' || r === 'oversight')) return true;
  if (!isObject(resource)) return false;
  const r = resource as OwnedResource;
  if (typeof r.ownerUserId === 'string' && r.ownerUserId === p.userId) return true;
  if (typeof r.orgId === 'string' && p.orgId !== null && r.orgId === p.orgId) return true;
  return false;
}

const STAFF_READ: readonly Role[] = ['operator', 'admin', 'oversight'];

const POLICY = {
  // Administration area
  'admin.access': { roles: STAFF_READ, note: 'open the admin area (oversight sees it read-only)' },
  'calendar.read': { roles: AUTHENTICATED, note: 'see the working calendar' },
  'calendar.manage': { roles: ['operator', 'admin'], note: 'X-2 edit the working calendar' },
  'audit.read': { roles: STAFF_READ, note: 'X-9 / X-13 read the audit journal' },
  'users.read': { roles: STAFF_READ, note: 'list users and their roles' },
  'users.manage': { roles: ['admin'], note: 'X-8 deactivate accounts, grant operator roles' },
  'registrations.read': { roles: STAFF_READ, note: 'see the registration queues' },
  'registrations.review': { roles: ['operator'], note: 'C-6 / E-8 / E-12 confirm or refuse registrations' },
  'forms.manage': { roles: ['operator', 'admin'], note: 'E-7 edit agreements, questionnaires, instructions' },
  'settings.manage': { roles: ['admin'], note: 'system settings' },
  'incidents.manage': { roles: ['operator', 'admin'], note: 'I- incidents and maintenance windows' },
  'incidents.read': { roles: STAFF_READ, note: 'I-4..I-12 see the incident journal and its SLA timers' },
  'incidents.report': { roles: AUTHENTICATED, note: 'I-3 report a technical failure; see and answer own reports' },
  'maintenance.manage': { roles: ['operator', 'admin'], note: 'I-17 / I-18 the yearly maintenance plan and its windows' },
  'integrations.manage': { roles: ['admin'], note: 'integration endpoints and API keys' },
  'tariffs.manage': { roles: ['operator', 'admin'], note: 'E-15 tariffs of expert organisations' },
  'expertise.configure': { roles: ['operator', 'admin'], note: 'E-16 / E-18 / E-44 number templates, upload limits, deadline durations' },
  'jobs.run': { roles: ['admin'], note: 'run background jobs by hand' },
  'oversight.monitor': { roles: ['oversight', 'admin'], note: 'X-13 monitor users’ actions' },

  // Organisation
  'org.roles.manage': {
    roles: ['first_head'],
    resource: sameOrg,
    note: 'X-12 grant / withdraw roles of the own organisation’s employees',
  },
  'org.read': { roles: AUTHENTICATED, resource: ownerOrStaff, note: 'see an organisation’s card' },

  // Personal cabinet
  'cabinet.access': { roles: AUTHENTICATED, note: 'X-7 the personal cabinet' },
  'record.read': { roles: AUTHENTICATED, resource: ownerOrStaff, note: 'X-11 read an own (or own org’s) record' },
  'registration.submit': { roles: AUTHENTICATED, note: 'C-6 / E-8 / E-12 / P-6 submit a registration request' },

  // Domains
  'construction.apply': {
    roles: ['construction_user', 'applicant', 'first_head', 'employee'],
    note: 'C-9 upload object information and documents, submit construction applications',
  },
  'expertise.apply': { roles: ['applicant', 'first_head', 'employee'], note: 'E- submit expertise applications' },
  'expertise.review': { roles: ['expert', 'expert_head'], note: 'E-44.. review in an expert organisation' },
  'expertise.assign': { roles: ['expert_head'], note: 'assign experts to an application' },
  'environment.exchange': {
    roles: ['environmental_authority'],
    note: 'E-49 an environmental-protection authority sees the applications sent to it and answers (X-11)',
  },
  'procurement.apply': { roles: ['procurement_applicant'], note: 'P- submit bids and projects' },
  'procurement.manage': {
    roles: ['procurement_authorised', 'authorised_body', 'operator'],
    note: 'P-8 agree and review applications, notify applicants, monitor projects; run tenders, awards, contracts',
  },
  'procurement.read': {
    roles: ['procurement_applicant', 'procurement_authorised', 'authorised_body', 'operator', 'oversight'],
    note: 'P- read procurement',
  },
  'water.submit': { roles: ['water_utility'], note: 'W- submit water data' },
  'water.read': {
    roles: ['water_utility', 'akimat', 'authorised_body', 'operator', 'admin', 'oversight'],
    note: 'W-16 read water dashboards',
  },
  'water.import': {
    roles: ['water_utility', 'operator', 'admin'],
    note: 'W-16 import hourly history and weather from CSV (own objects and regions; staff: all)',
  },
  'water.alerts.manage': {
    roles: ['water_utility', 'akimat', 'authorised_body', 'operator', 'admin'],
    note: 'W-27 acknowledge and clear water alerts of the own access area (W-16)',
  },
} satisfies Record<string, Rule>;

export type Action = keyof typeof POLICY;
export const ACTIONS = Object.keys(POLICY) as Action[];

/** The policy table, for the admin's overview and the X-11 test. */
export function policyTable(): Record<Action, { roles: readonly Role[] | 'authenticated'; hasResourceCheck: boolean; note: string }> {
  return Object.fromEntries(
    ACTIONS.map((a) => {
      const rule: Rule = POLICY[a];
      return [a, { roles: rule.roles, hasResourceCheck: Boolean(rule.resource), note: rule.note }];
    }),
  ) as ReturnType<typeof policyTable>;
}

/** may this principal do this action (on this resource)? A null principal (signed out) may do nothing. */
export function can(p: Principal | null, action: Action, resource?: unknown): boolean {
  if (!p) return false;
  const rule: Rule | undefined = POLICY[action];
  if (!rule) return false;
  const roleOk = rule.roles === AUTHENTICATED || rule.roles.some((r) => p.roles.includes(r));
  if (!roleOk) return false;
  return rule.resource ? rule.resource(p, resource) : true;
}

/**
 * The principal of the current request, if allowed; otherwise throws AppError 'unauthenticated' (no session) or
 * 'forbidden'. Call it first in every server action and route handler.
 */
export async function requirePermission(action: Action, resource?: unknown): Promise<Principal> {
  const { getPrincipal } = await import('./principal');
  const p = await getPrincipal();
  assertCan(p, action, resource);
  return p;
}

/** The same check for a principal you already hold (domain functions, tests). */
export function assertCan(p: Principal | null, action: Action, resource?: unknown): asserts p is Principal {
  if (!p) throw new AppError('unauthenticated', 'Please sign in with your EDS.');
  if (!can(p, action, resource)) throw new AppError('forbidden', 'You do not have the right to do this.');
}

/** The actor of an audit row. `role` lists the principal's roles at the time (comma separated) or null. */
export function toAuditActor(p: Principal): { userId: string; iin: string; bin: string | null; role: string | null; name: string } {
  return { userId: p.userId, iin: p.iin, bin: p.bin, role: p.roles.length ? [...p.roles].sort().join(',') : null, name: p.fullName };
}
