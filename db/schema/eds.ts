import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * The generated test PKI (demo and tests only; lib/eds/test-pki.ts). One row per generation version:
 * certificates, PKCS#12 files and the CA private keys (PKCS#8) as base64 in `material`.
 */
export const edsTestPki = pgTable('eds_test_pki', {
  version: integer().primaryKey(),
  material: jsonb().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * every verified EDS signature the portal relies on (an action's confirmation, a signed document).
 * The audit journal's `signature_id` points here. Append-only: a trigger refuses UPDATE and DELETE.
 */
export const signatures = pgTable(
  'signatures',
  {
    id: uuid().primaryKey().defaultRandom(),
    signerIin: text().notNull(),
    signerBin: text(),
    signerName: text(),
    /** The signer's certificate, base64 DER, and its SHA-256 fingerprint (hex). */
    certDer: text().notNull(),
    certFingerprint: text().notNull(),
    certSerial: text().notNull(),
    purpose: text({ enum: ['auth', 'sign'] }).notNull(),
    /** What was signed: an action name or a document kind. */
    subject: text(),
    /** The CMS SignedData, base64 DER. */
    cms: text().notNull(),
    /** SHA-256 (hex) of the signed content. */
    contentSha256: text().notNull(),
    signedAt: timestamp({ withTimezone: true }),
    verifiedAt: timestamp({ withTimezone: true }).notNull(),
    /** The verifier's verdict (validity at signing time / now, revocation source, chain). */
    verdict: jsonb().notNull(),
  },
  (t) => [
    index('signatures_signer_iin_idx').on(t.signerIin),
    index('signatures_content_idx').on(t.contentSha256),
  ],
);
