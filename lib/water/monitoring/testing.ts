/** Test fixtures for the water domain: users with roles and water scopes, and a stored EDS signature row. */
import { randomBytes, randomInt } from 'node:crypto';
import type { DbOrTx } from '@/db/client';
import { organisations, signatures, userNotificationSettings, userRoles, users, waterUserScopes } from '@/db/schema';
import type { Principal } from '@/lib/auth/principal';
import type { Locale } from '@/lib/i18n/config';

export type WaterUserSpec = {
  role: 'water_utility' | 'akimat' | 'authorised_body' | 'operator' | 'applicant';
  /** The organisation's BIN (a utility user: the water entity's BIN). */
  bin?: string;
  scope?: { level: 'national' } | { level: 'region'; regionId: string } | { level: 'entity'; entityId: string };
  email?: string;
  locale?: Locale;
};

export async function createWaterUser(db: DbOrTx, spec: WaterUserSpec): Promise<Principal> {
  const iin = String(randomInt(100_000_000_000, 999_999_999_999));
  let orgId: string | null = null;
  if (spec.bin) {
    const [org] = await db
      .insert(organisations)
      .values({ bin: spec.bin, name: `Org ${spec.bin}` })
      .onConflictDoUpdate({ target: organisations.bin, set: { name: `Org ${spec.bin}` } })
      .returning({ id: organisations.id });
    orgId = org.id;
  }
  const [u] = await db
    .insert(users)
    .values({ iin, fullName: `Test ${spec.role} ${iin}`, orgId, email: spec.email ?? null })
    .returning({ id: users.id });
  await db.insert(userRoles).values({ userId: u.id, role: spec.role, orgId });
  if (spec.scope) {
    await db.insert(waterUserScopes).values({
      userId: u.id,
      level: spec.scope.level,
      regionId: spec.scope.level === 'region' ? spec.scope.regionId : null,
      entityId: spec.scope.level === 'entity' ? spec.scope.entityId : null,
    });
  }
  if (spec.locale) await db.insert(userNotificationSettings).values({ userId: u.id, locale: spec.locale, emailOptIn: true });
  return { userId: u.id, iin, bin: spec.bin ?? null, orgId, fullName: `Test ${spec.role} ${iin}`, roles: [spec.role] };
}

/** A signatures row as the EDS verifier would leave it (tests only: no real CMS). */
export async function storeTestSignature(db: DbOrTx, signer: { iin: string; bin?: string | null }, subject: string): Promise<string> {
  const [s] = await db
    .insert(signatures)
    .values({
      signerIin: signer.iin,
      signerBin: signer.bin ?? null,
      certDer: randomBytes(8).toString('base64'),
      certFingerprint: randomBytes(32).toString('hex'),
      certSerial: randomBytes(8).toString('hex'),
      purpose: 'sign',
      subject,
      cms: randomBytes(8).toString('base64'),
      contentSha256: randomBytes(32).toString('hex'),
      verifiedAt: new Date(),
      verdict: { valid: true, test: true },
    })
    .returning({ id: signatures.id });
  return s.id;
}
