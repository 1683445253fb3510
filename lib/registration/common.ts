import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { signatures } from '@/db/schema/eds';
import type { AuditActor } from '@/lib/audit';
import { parseCertificate, type CertInfo } from '@/lib/eds/certificate';
import { AppError, fieldErrorsFromZod } from '@/lib/errors';

/** Who acts. `orgId`/`fullName` are optional: domain functions read what they need from the database. */
export type Actor = { userId: string; iin: string; bin: string | null; roles: readonly string[]; orgId?: string | null; fullName?: string };

export function auditActor(a: Actor): AuditActor {
  return { userId: a.userId, iin: a.iin, bin: a.bin, role: a.roles.length ? [...a.roles].sort().join(',') : null, name: a.fullName ?? null };
}

export function requireRole(a: Actor, roles: readonly string[]): void {
  if (!roles.some((r) => a.roles.includes(r))) throw new AppError('forbidden', 'You do not have the right to do this.');
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw new AppError('validation_failed', 'Some fields are not valid.', fieldErrorsFromZod(r.error));
  return r.data;
}

export type StoredSignature = typeof signatures.$inferSelect & { cert: CertInfo };

/**
 * the stored (already verified) signature an action rests on. It must be a SIGN signature by the acting
 * person (same IIN); the certificate is parsed again so that callers can check its NCA roles and BIN.
 */
export async function actorSignature(db: DbOrTx, actor: Actor, signatureId: string): Promise<StoredSignature> {
  const [row] = await db.select().from(signatures).where(eq(signatures.id, signatureId));
  if (!row) throw new AppError('signature_required', 'The action must be confirmed with your EDS.', { signatureId: 'not_found' });
  if (row.signerIin !== actor.iin) throw new AppError('signature_invalid', 'The signature is not yours (another IIN).', { signatureId: 'other_signer' });
  if (row.purpose !== 'sign') throw new AppError('signature_invalid', 'Sign with your SIGN key, not the AUTH key.', { signatureId: 'wrong_purpose' });
  return { ...row, cert: parseCertificate(row.certDer) };
}
