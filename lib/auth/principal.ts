import { eq, sql } from 'drizzle-orm';
import { cache } from 'react';
import { getDb, type DbOrTx } from '@/db/client';
import { organisations, userRoles, users } from '@/db/schema/identity';

/** Who is acting: the signed-in user with their roles as they are in the database now. */
export type Principal = { userId: string; iin: string; bin: string | null; orgId: string | null; fullName: string; roles: string[] };

/**
 * The principal of a session token's user, or null when the account is gone, deactivated or the token's
 * session version is older than the user's (deactivation and forced sign-out bump it). Roles come from the
 * active user_roles rows, never from the token.
 */
export async function loadPrincipal(db: DbOrTx, userId: string, sessionVersion: number): Promise<Principal | null> {
  if (!/^[0-9a-f-]{36}$/i.test(userId)) return null;
  // One round trip: the user, its organisation's BIN and its active roles.
  const [row] = await db
    .select({
      id: users.id,
      iin: users.iin,
      fullName: users.fullName,
      orgId: users.orgId,
      status: users.status,
      sessionVersion: users.sessionVersion,
      bin: organisations.bin,
      roles: sql<string[]>`array(select distinct ${userRoles.role} from ${userRoles} where ${userRoles.userId} = ${users.id} and ${userRoles.revokedAt} is null)`,
    })
    .from(users)
    .leftJoin(organisations, eq(organisations.id, users.orgId))
    .where(eq(users.id, userId));
  if (!row || row.status !== 'active' || row.sessionVersion !== sessionVersion) return null;
  return {
    userId: row.id,
    iin: row.iin,
    bin: row.bin ?? null,
    orgId: row.orgId,
    fullName: row.fullName,
    roles: [...row.roles].sort(),
  };
}

/**
 * The check every request's session token goes through (Auth.js jwt callback): the token names a user id and the
 * session version it was issued for; null means "no session" (Auth.js then clears the cookie).
 */
export async function principalFromToken(db: DbOrTx, token: Record<string, unknown> | null | undefined): Promise<Principal | null> {
  if (!token || typeof token.uid !== 'string' || typeof token.sv !== 'number') return null;
  return loadPrincipal(db, token.uid, token.sv);
}

/**
 * The current request's principal, or null when signed out. Reads the Auth.js session (whose callbacks already
 * refuse stale sessions) and then the user's current roles; cached for the duration of one request.
 */
export const getPrincipal = cache(async (): Promise<Principal | null> => {
  // Imported lazily so that domain code and tests can use this module without loading next-auth.
  const { auth } = await import('./auth');
  const session = await auth();
  const u = session?.user as { id?: string; sessionVersion?: number } | undefined;
  if (!u?.id || typeof u.sessionVersion !== 'number') return null;
  return loadPrincipal(getDb(), u.id, u.sessionVersion);
});

/**
 * The principal of a JSON API request, read straight from its Auth.js session cookie: the same encrypted JWT
 * (AUTH_SECRET), expiry and user id + session version check against the database as the Auth.js jwt callback,
 * but without Auth.js's whole session round (which re-issues the token and then has the principal loaded a
 * second time). For GET endpoints that pages call often (issue 5's lists); the session is refreshed by pages.
 */
export async function principalOfRequest(req: Request): Promise<Principal | null> {
  const secret = process.env.AUTH_SECRET;
  if (!secret) return null;
  const { getToken } = await import('next-auth/jwt');
  // The __Secure- cookie over https, the plain one over http (as Auth.js names them).
  for (const secureCookie of [true, false]) {
    const token = await getToken({ req, secret, secureCookie });
    if (token) return principalFromToken(getDb(), token);
  }
  return null;
}
