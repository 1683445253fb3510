import { NextResponse } from 'next/server';
import { getDb } from '@/db/client';
import { env } from '@/lib/env';
import { ensureTestPki, type DemoKeyName } from '@/lib/eds/test-pki';

/**
 * EDS test mode only: the demo key files (PKCS#12) of the generated test PKI, for the demo sign-in page.
 * Outside test mode this route does not exist (404), so no key of any kind is ever served in production.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ name: string; purpose: string }> }) {
  if (!env().EDS_TEST_MODE) return NextResponse.json({ error: { code: 'not_found', message: 'Not found.' } }, { status: 404 });
  const { name, purpose } = await params;
  if (purpose !== 'auth' && purpose !== 'sign') {
    return NextResponse.json({ error: { code: 'not_found', message: 'Purpose must be auth or sign.' } }, { status: 404 });
  }
  const pki = await ensureTestPki(getDb());
  const key = Object.prototype.hasOwnProperty.call(pki.keys, name) ? pki.keys[name as DemoKeyName] : undefined;
  if (!key) return NextResponse.json({ error: { code: 'not_found', message: 'No such demo key.' } }, { status: 404 });
  const p12 = key[purpose].p12;
  return new NextResponse(Buffer.from(p12), {
    headers: {
      'Content-Type': 'application/x-pkcs12',
      'Content-Disposition': `attachment; filename="${name}-${purpose}.p12"`,
      'Cache-Control': 'no-store',
    },
  });
}
