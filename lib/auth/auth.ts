import NextAuth, { CredentialsSignin } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { getDb } from '@/db/client';
import { appendAudit } from '@/lib/audit';
import { BINDING_COOKIE } from './challenge';
import { signInWithEds } from './eds-sign-in';
import { principalFromToken } from './principal';

/**
 * Auth.js v5 with JWT sessions and one Credentials provider, 'eds'. The token holds only the user id and
 * the session version; every request checks both against the database, so that a deactivated account or a
 * bumped session version ends the session at once. Roles are always read from the database.
 */

/** The failure code travels to the browser as `code` (see components/eds/sign-in.tsx for the messages). */
class EdsSignInError extends CredentialsSignin {
  constructor(code: string) {
    super(code);
    this.code = code;
  }
}

function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return null;
}

function clientIp(request: Request): string | null {
  const fwd = request.headers.get('x-forwarded-for');
  if (fwd) return fwd.split(',')[0].trim() || null;
  return request.headers.get('x-real-ip');
}

export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

export const { handlers, auth, signIn, signOut } = NextAuth({
  trustHost: true,
  secret: process.env.AUTH_SECRET,
  // A refused EDS sign-in is an expected outcome (it is in the audit journal), not a server error.
  logger: {
    error(error) {
      if (error instanceof CredentialsSignin || (error as { type?: string }).type === 'CredentialsSignin') return;
      console.error(error);
    },
  },
  session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS, updateAge: 15 * 60 },
  pages: { signIn: '/signin', error: '/signin' },
  providers: [
    Credentials({
      id: 'eds',
      name: 'EDS',
      credentials: { challengeId: {}, cms: {} },
      async authorize(credentials, request) {
        const result = await signInWithEds(getDb(), {
          challengeId: credentials.challengeId,
          cms: credentials.cms,
          bindingId: readCookie(request.headers.get('cookie'), BINDING_COOKIE),
          ip: clientIp(request),
        });
        if (!result.ok) throw new EdsSignInError(result.code);
        return { id: result.user.id, name: result.user.fullName, sessionVersion: result.user.sessionVersion } as {
          id: string;
          name: string;
        };
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        // Just signed in.
        token.uid = user.id;
        token.sv = (user as { sessionVersion?: number }).sessionVersion;
        return token;
      }
      const p = await principalFromToken(getDb(), token);
      // null clears the session cookie: deactivated, or the session version was bumped.
      if (!p) return null;
      token.name = p.fullName;
      return token;
    },
    async session({ session, token }) {
      const user = session.user as unknown as Record<string, unknown>;
      user.id = token.uid;
      user.sessionVersion = token.sv;
      return session;
    },
  },
  events: {
    async signOut(message) {
      const token = 'token' in message ? message.token : null;
      if (!token || typeof token.uid !== 'string') return;
      await appendAudit(getDb(), {
        actor: { userId: token.uid, iin: null, bin: null, role: null, name: typeof token.name === 'string' ? token.name : null },
        action: 'auth.sign_out',
        entityType: 'user',
        entityId: token.uid,
        basis: 'X-3 sign-out',
        before: null,
        after: null,
      });
    },
  },
});
