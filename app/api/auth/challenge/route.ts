import { cookies } from 'next/headers';
import { NextResponse } from 'next/server';
import { getDb } from '@/db/client';
import { BINDING_COOKIE, CHALLENGE_TTL_MS, issueChallenge, newBindingId } from '@/lib/auth/challenge';
import { toAppError } from '@/lib/errors';
import { clientIp, enforceRateLimit } from '@/lib/http/rate-limit';

/**
 * issues a sign-in nonce bound to this browser. The binding id lives in an HttpOnly, SameSite=Strict cookie
 * that scripts cannot read; only its hash is stored with the challenge.
 */
export async function POST(request: Request) {
  try {
    // Generous (an office shares one IP); it only stops floods of challenges. Sign-in itself is limited per browser.
    await enforceRateLimit(`auth.challenge:${clientIp(request)}`, { limit: 300, windowSeconds: 300 });
    const jar = await cookies();
    const bindingId = jar.get(BINDING_COOKIE)?.value || newBindingId();
    const challenge = await issueChallenge(getDb(), bindingId);
    jar.set(BINDING_COOKIE, bindingId, {
      httpOnly: true,
      sameSite: 'strict',
      secure: new URL(request.url).protocol === 'https:',
      path: '/',
      maxAge: Math.max(CHALLENGE_TTL_MS / 1000, 24 * 60 * 60),
    });
    return NextResponse.json(
      { challengeId: challenge.id, nonce: challenge.nonce, expiresAt: challenge.expiresAt.toISOString() },
      { headers: { 'Cache-Control': 'no-store' } },
    );
  } catch (e) {
    const err = toAppError(e);
    if (err.code === 'internal') console.error(e);
    return NextResponse.json({ error: err.toJSON() }, { status: err.status });
  }
}
