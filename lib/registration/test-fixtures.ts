/** Test helpers: real EDS signatures from the test PKI, verified and stored; users and organisations by certificate. */
import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { organisations, signatures, userRoles, users } from '@/db/schema';
import { openP12, signCmsDetached } from '@/lib/eds/browser/p12-signer';
import { toBase64 } from '@/lib/eds/encoding';
import { ensureTestPki, type DemoKeyName, type TestPki } from '@/lib/eds/test-pki';
import { createBuiltinVerifier, testPkiRevocationSource } from '@/lib/eds/verifier';
import { now } from '@/lib/time/clock';
import type { Actor } from './common';

export type TestActor = Actor & { orgId: string | null; fullName: string };

export async function pkiOf(db: DbOrTx): Promise<TestPki> {
  return ensureTestPki(db);
}

/** The user (and organisation, by BIN) the demo key's certificate names, as the sign-in would create them. */
export async function userOf(db: DbOrTx, pki: TestPki, name: DemoKeyName, roles: string[] = []): Promise<TestActor> {
  const k = pki.keys[name];
  let orgId: string | null = null;
  if (k.bin) {
    await db.insert(organisations).values({ bin: k.bin, name: k.organization ?? k.bin }).onConflictDoNothing();
    const [o] = await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.bin, k.bin));
    orgId = o.id;
  }
  await db.insert(users).values({ iin: k.iin, fullName: k.fullName, orgId }).onConflictDoNothing();
  const [u] = await db.select().from(users).where(eq(users.iin, k.iin));
  for (const role of roles) await db.insert(userRoles).values({ userId: u.id, role, orgId: role === 'operator' || role === 'admin' ? null : orgId }).onConflictDoNothing();
  return { userId: u.id, iin: k.iin, bin: k.bin, orgId, fullName: k.fullName, roles };
}

/** A real detached CMS signature with the key's SIGN (or AUTH) certificate, verified, stored; returns its id. */
export async function signAs(db: DbOrTx, pki: TestPki, name: DemoKeyName, subject: string, purpose: 'sign' | 'auth' = 'sign'): Promise<string> {
  const content = new TextEncoder().encode(JSON.stringify({ action: subject, nonce: crypto.randomBytes(16).toString('base64') }));
  const f = pki.keys[name][purpose];
  const key = await openP12(f.p12, f.password);
  const cms = await signCmsDetached(key, content, { signingTime: now() });
  const verifier = createBuiltinVerifier({ trustedRoots: [pki.rootDer], intermediates: [pki.intermediateDer], revocation: [testPkiRevocationSource(db)] });
  const r = await verifier.verifyCms({ cms, detachedContent: content, purpose });
  if (!r.ok) throw new Error(`test signature refused: ${r.code} ${r.message}`);
  const [row] = await db
    .insert(signatures)
    .values({
      signerIin: r.signer.iin!,
      signerBin: r.signer.bin,
      signerName: r.signer.commonName,
      certDer: toBase64(r.signer.der),
      certFingerprint: r.signer.fingerprintSha256,
      certSerial: r.signer.serialNumber,
      purpose,
      subject,
      cms,
      contentSha256: crypto.createHash('sha256').update(content).digest('hex'),
      signedAt: r.signedAt,
      verifiedAt: now(),
      verdict: { ok: true, revocation: r.revocation.source, validNow: r.validNow },
    })
    .returning({ id: signatures.id });
  return row.id;
}

export const sha = () => crypto.randomBytes(32).toString('hex');
