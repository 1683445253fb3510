import { sql } from 'drizzle-orm';
import { index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** Organisations known by their BIN (created at first EDS sign-in of a legal entity's employee, or registration). */
export const orgStatus = pgEnum('org_status', ['active', 'blocked']);

export const organisations = pgTable('organisations', {
  id: uuid().primaryKey().defaultRandom(),
  bin: text().notNull().unique(),
  name: text().notNull(),
  /** 'legal_entity' by default; registration sets e.g. 'expert_organisation', 'water_utility', 'akimat'. */
  kind: text().notNull().default('legal_entity'),
  status: orgStatus().notNull().default('active'),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** users are never deleted, only deactivated. */
export const userStatus = pgEnum('user_status', ['active', 'deactivated']);

export const users = pgTable(
  'users',
  {
    id: uuid().primaryKey().defaultRandom(),
    iin: text().notNull().unique(),
    fullName: text().notNull(),
    surname: text(),
    givenName: text(),
    patronymic: text(),
    email: text(),
    phone: text(),
    orgId: uuid().references(() => organisations.id),
    status: userStatus().notNull().default('active'),
    /** Bumped on deactivation (and role changes that must end sessions): older JWTs are refused. */
    sessionVersion: integer().notNull().default(1),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    deactivatedAt: timestamp({ withTimezone: true }),
    lastSignInAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('users_org_idx').on(t.orgId)],
);

/**
 * Role grants. A row is active while revoked_at is null; withdrawing sets revoked_at (history is kept).
 * grants by a first head carry the id of the EDS signature that confirmed them.
 */
export const userRoles = pgTable(
  'user_roles',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    role: text().notNull(),
    /** The organisation the role is held in (null: a portal-wide role such as operator). */
    orgId: uuid().references(() => organisations.id),
    grantedBy: uuid().references(() => users.id),
    grantedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp({ withTimezone: true }),
    revokedBy: uuid().references(() => users.id),
    signatureId: uuid(),
  },
  (t) => [
    index('user_roles_user_idx').on(t.userId),
    // One active grant of a role per user and organisation.
    uniqueIndex('user_roles_active_uq')
      .on(t.userId, t.role, sql`coalesce(${t.orgId}, '00000000-0000-0000-0000-000000000000'::uuid)`)
      .where(sql`${t.revokedAt} is null`),
  ],
);

/** single-use sign-in nonces, bound to the browser that asked for them. */
export const authChallenges = pgTable(
  'auth_challenges',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** base64 of 32 random bytes: what the AUTH key signs. */
    nonce: text().notNull(),
    /** hex SHA-256 of the random binding id kept in the browser's HttpOnly cookie. */
    browserBinding: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('auth_challenges_expires_idx').on(t.expiresAt)],
);

/** Sign-in attempts for rate limiting, keyed by a hash of the client's IP or browser binding. */
export const signInAttempts = pgTable(
  'sign_in_attempts',
  {
    id: uuid().primaryKey().defaultRandom(),
    key: text().notNull(),
    at: timestamp({ withTimezone: true }).notNull(),
    /** 'ok' or the failure code. */
    outcome: text().notNull(),
  },
  (t) => [index('sign_in_attempts_key_at_idx').on(t.key, t.at)],
);
