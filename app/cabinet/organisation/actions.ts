'use server';

import { z } from 'zod';
import { signedAction } from '@/lib/auth/signed-action';
import { grantRole, withdrawRole } from '@/lib/registration';
import { ROLES_GRANTABLE_BY_FIRST_HEAD } from '@/lib/auth/policy';

const schema = z.object({
  orgId: z.uuid(),
  userIin: z.string().regex(/^\d{12}$/, 'iin'),
  role: z.enum(ROLES_GRANTABLE_BY_FIRST_HEAD),
});

/** the first head grants a role to an employee, signed with the first head's EDS (the certificate decides). */
export const grantOrgRoleAction = signedAction(
  schema,
  'org.roles.manage',
  async ({ tx, principal, input, signatureId }) => {
    const g = await grantRole(tx, principal, input, { signatureId });
    return { id: g.id, role: g.role };
  },
  { name: 'org.role.grant', resource: (input) => ({ orgId: input.orgId }) },
);

/** the first head withdraws a role (the grant is kept with its withdrawal; the employee's sessions end). */
export const withdrawOrgRoleAction = signedAction(
  schema,
  'org.roles.manage',
  async ({ tx, principal, input, signatureId }) => ({ withdrawn: await withdrawRole(tx, principal, input, { signatureId }) }),
  { name: 'org.role.withdraw', resource: (input) => ({ orgId: input.orgId }) },
);
