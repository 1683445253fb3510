import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { ACTIONS, assertCan, can, policyTable, ROLES, ROLES_GRANTABLE_BY_FIRST_HEAD, toAuditActor, type Action } from './policy';
import type { Principal } from './principal';

const ORG = '11111111-1111-4111-8111-111111111111';
const OTHER_ORG = '22222222-2222-4222-8222-222222222222';

function principal(roles: string[], orgId: string | null = ORG): Principal {
  return { userId: '33333333-3333-4333-8333-333333333333', iin: '900715401234', bin: orgId ? '180540001234' : null, orgId, fullName: 'Test User', roles };
}

/** A resource that passes every resource check when the principal belongs to ORG and owns it. */
const OWN_RESOURCE = { orgId: ORG, ownerUserId: '33333333-3333-4333-8333-333333333333' };

// The expected table, written out independently of policy.ts so that any change to the policy shows up here.
const EXPECTED: Record<Action, readonly string[] | 'authenticated'> = {
  'admin.access': ['operator', 'admin', 'oversight'],
  'calendar.read': 'authenticated',
  'calendar.manage': ['operator', 'admin'],
  'audit.read': ['operator', 'admin', 'oversight'],
  'users.read': ['operator', 'admin', 'oversight'],
  'users.manage': ['admin'],
  'registrations.read': ['operator', 'admin', 'oversight'],
  'registrations.review': ['operator'],
  'forms.manage': ['operator', 'admin'],
  'settings.manage': ['admin'],
  'incidents.manage': ['operator', 'admin'],
  'incidents.read': ['operator', 'admin', 'oversight'],
  'incidents.report': 'authenticated',
  'maintenance.manage': ['operator', 'admin'],
  'integrations.manage': ['admin'],
  'tariffs.manage': ['operator', 'admin'],
  'expertise.configure': ['operator', 'admin'],
  'jobs.run': ['admin'],
  'oversight.monitor': ['oversight', 'admin'],
  'org.roles.manage': ['first_head'],
  'org.read': 'authenticated',
  'cabinet.access': 'authenticated',
  'record.read': 'authenticated',
  'registration.submit': 'authenticated',
  'construction.apply': ['construction_user', 'applicant', 'first_head', 'employee'],
  'expertise.apply': ['applicant', 'first_head', 'employee'],
  'expertise.review': ['expert', 'expert_head'],
  'expertise.assign': ['expert_head'],
  'environment.exchange': ['environmental_authority'],
  'procurement.apply': ['procurement_applicant'],
  'procurement.manage': ['procurement_authorised', 'authorised_body', 'operator'],
  'procurement.read': ['procurement_applicant', 'procurement_authorised', 'authorised_body', 'operator', 'oversight'],
  'water.submit': ['water_utility'],
  'water.read': ['water_utility', 'akimat', 'authorised_body', 'operator', 'admin', 'oversight'],
  'water.alerts.manage': ['water_utility', 'akimat', 'authorised_body', 'operator', 'admin'],
  'water.import': ['water_utility', 'operator', 'admin'],
};

describe('authorisation policy', () => {
  it('X-11 the table covers exactly the declared actions', () => {
    expect([...ACTIONS].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it('X-11 every action × every role: allowed exactly to the roles in the table, refused to every other role', () => {
    for (const action of ACTIONS) {
      for (const role of ROLES) {
        const expected = EXPECTED[action] === 'authenticated' || (EXPECTED[action] as readonly string[]).includes(role);
        expect({ action, role, allowed: can(principal([role]), action, OWN_RESOURCE) }).toEqual({ action, role, allowed: expected });
        if (!expected) {
          expect(() => assertCan(principal([role]), action, OWN_RESOURCE)).toThrowError(
            expect.objectContaining({ code: 'forbidden' }) as unknown as Error,
          );
        }
      }
    }
  });

  it('X-11 a signed-out visitor and a user without roles are refused everything but the "any signed-in user" actions', () => {
    for (const action of ACTIONS) {
      expect(can(null, action, OWN_RESOURCE)).toBe(false);
      expect(can(principal([]), action, OWN_RESOURCE)).toBe(EXPECTED[action] === 'authenticated');
    }
    expect(() => assertCan(null, 'cabinet.access')).toThrowError(AppError);
    try {
      assertCan(null, 'cabinet.access');
    } catch (e) {
      expect((e as AppError).code).toBe('unauthenticated');
      expect((e as AppError).status).toBe(401);
    }
  });

  it('X-11 an unknown action is refused even to an administrator', () => {
    expect(can(principal([...ROLES]), 'no.such.action' as Action)).toBe(false);
  });

  it('X-12 a first head manages roles only in their own organisation', () => {
    const head = principal(['first_head']);
    expect(can(head, 'org.roles.manage', { orgId: ORG })).toBe(true);
    expect(can(head, 'org.roles.manage', { orgId: OTHER_ORG })).toBe(false);
    expect(can(head, 'org.roles.manage')).toBe(false);
    expect(can(principal(['first_head'], null), 'org.roles.manage', { orgId: ORG })).toBe(false);
    expect(can(principal(['employee']), 'org.roles.manage', { orgId: ORG })).toBe(false);
  });

  it('X-11 a user reads only own or own organisation’s records; staff read all', () => {
    const u = principal(['applicant']);
    expect(can(u, 'record.read', { ownerUserId: u.userId })).toBe(true);
    expect(can(u, 'record.read', { orgId: ORG })).toBe(true);
    expect(can(u, 'record.read', { ownerUserId: '44444444-4444-4444-8444-444444444444', orgId: OTHER_ORG })).toBe(false);
    expect(can(u, 'record.read')).toBe(false);
    expect(can(principal(['oversight'], null), 'record.read', { orgId: OTHER_ORG })).toBe(true);
  });

  it('X-13 the oversight role can read the audit journal but cannot manage the calendar or change anything', () => {
    const o = principal(['oversight'], null);
    expect(can(o, 'audit.read')).toBe(true);
    expect(can(o, 'oversight.monitor')).toBe(true);
    expect(can(o, 'admin.access')).toBe(true);
    expect(can(o, 'calendar.manage')).toBe(false);
    // Read-only: no action that changes data is open to it beyond the "any signed-in user" ones.
    const table = policyTable();
    for (const action of ACTIONS) {
      const writes = !/\.(read|access|monitor)$/.test(action);
      if (writes && table[action].roles !== 'authenticated') expect({ action, allowed: can(o, action, OWN_RESOURCE) }).toEqual({ action, allowed: false });
    }
  });

  it('X-12 the roles granted on confirmed registrations: a construction user (C-6) works in the construction portal only, an authorised person (P-7) reviews procurement but does not apply', () => {
    const cu = principal(['construction_user']);
    expect(can(cu, 'construction.apply')).toBe(true);
    expect(can(cu, 'expertise.apply')).toBe(false);
    expect(can(cu, 'procurement.read')).toBe(false);
    const pa = principal(['procurement_authorised']);
    expect(can(pa, 'procurement.manage')).toBe(true);
    expect(can(pa, 'procurement.read')).toBe(true);
    expect(can(pa, 'procurement.apply')).toBe(false);
    expect(can(pa, 'admin.access')).toBe(false);
    expect(can(pa, 'users.manage')).toBe(false);
  });

  it('X-13 a first head grants organisation roles only, never operator, admin or oversight', () => {
    expect([...ROLES_GRANTABLE_BY_FIRST_HEAD].sort()).toEqual(
      ['applicant', 'construction_user', 'employee', 'expert', 'expert_head', 'procurement_applicant', 'procurement_authorised', 'water_utility'].sort(),
    );
    for (const r of ['operator', 'admin', 'oversight', 'first_head']) expect(ROLES_GRANTABLE_BY_FIRST_HEAD).not.toContain(r);
  });

  it('X-9 the audit actor carries who acted and their roles', () => {
    expect(toAuditActor(principal(['operator', 'admin']))).toEqual({
      userId: '33333333-3333-4333-8333-333333333333',
      iin: '900715401234',
      bin: '180540001234',
      role: 'admin,operator',
      name: 'Test User',
    });
  });
});
