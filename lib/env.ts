import { z } from 'zod';

/**
 * The environment, validated with zod at start (the launcher, the CLIs and the server all call
 * `loadEnv`). Wrong settings stop the start with a message per setting.
 */
const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off', ''])
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : ['1', 'true', 'yes', 'on'].includes(v)));

const postgresUrl = z
  .string()
  .url('must be a URL such as postgres://user@127.0.0.1:5432/dbname')
  .refine((u) => /^postgres(ql)?:\/\//.test(u), 'must start with postgres:// or postgresql://');

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Public base URL of the portal, used in e-mails and links. */
  APP_URL: z.string().url().default('http://localhost:3000'),
  /** A real PostgreSQL server. Unset: the embedded PGlite under DATA_DIR. */
  DATABASE_URL: postgresUrl.optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  /** Port of the embedded database's socket (0: any free port). */
  PGLITE_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).optional(),
  /** Set by the launcher when DATABASE_URL points at its embedded PGlite socket. */
  DB_EMBEDDED: bool,
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  CRON_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Turns on the demo: the test PKI is trusted, demo keys are offered. Never in production. */
  EDS_TEST_MODE: bool,
  /** Directory of trusted root (self-signed) and intermediate CA certificates, DER or PEM: NCA's in production. */
  EDS_TRUSTED_ROOTS_DIR: z.string().min(1).optional(),
  /** An external NCANode verifier (optional), e.g. http://127.0.0.1:14579. */
  NCANODE_URL: z.string().url('must be a URL such as http://127.0.0.1:14579').optional(),
  SMTP_URL: z.string().url('must be a URL such as smtp://127.0.0.1:2525').optional(),
  MAIL_FROM: z.string().default('Bir Tereze <no-reply@birtereze.kz>'),
  MQTT_URL: z.string().url('must be a URL such as mqtt://127.0.0.1:1883').optional(),
  /** The demo's live simulated water telemetry (on under `npm start`'s demo). */
  WATER_DEMO_SIMULATOR: bool,
  /** Seconds between scheduler ticks (0 turns the in-process scheduler off). */
  SCHEDULER_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(60),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Wrong settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses `source` (default `process.env`); throws `EnvError` listing every wrong setting. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).map(([k, v]) => [k, v === '' ? undefined : v]));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const env = result.data;
  return env;
}

let cached: Env | null = null;
export function env(): Env {
  if (!cached) cached = parseEnv();
  return cached;
}
/** Tests change process.env and then call this. */
export function resetEnvCache(): void {
  cached = null;
}
