/**
 * `npm start`: validate the settings, build the production app when its sources changed, open the
 * database (the embedded PGlite under DATA_DIR unless DATABASE_URL is set), migrate and seed it, then serve
 * the portal with `next start`. The build runs in a child process while this one prepares the database (the
 * build never opens it): a first start's seeding — the test PKI, the water demo's history — hides behind the
 * build instead of following it. Stops cleanly on Ctrl-C / SIGTERM (PGlite is closed so its data survive).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { connect } from '@/db/client';
import { openEmbedded, type EmbeddedServer } from '@/db/embedded';
import { runMigrations } from '@/db/migrate';
import { seed } from '@/db/seed/all';
import { EnvError, parseEnv } from '@/lib/env';
import { checkTimeZoneData } from '@/lib/time/zone';

const root = process.cwd();
const args = new Set(process.argv.slice(2));

function fail(message: string): never {
  console.error(`\n✖ Bir Tereze cannot start.\n${message}\n`);
  process.exit(1);
}

/** A fingerprint of everything the production build depends on. */
function sourceFingerprint(): string {
  const h = crypto.createHash('sha256');
  const dirs = ['app', 'components', 'lib', 'db', 'public', 'messages'];
  const files = ['next.config.js', 'package-lock.json', 'tsconfig.json', 'postcss.config.mjs', 'proxy.ts', 'instrumentation.ts'];
  const walk = (p: string) => {
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const n of fs.readdirSync(p).sort()) if (!n.startsWith('.') && n !== 'node_modules') walk(path.join(p, n));
    } else h.update(`${path.relative(root, p)}:${st.size}:${st.mtimeMs}\n`);
  };
  dirs.forEach((d) => walk(path.join(root, d)));
  files.forEach((f) => walk(path.join(root, f)));
  return h.digest('hex');
}

/** Demo secrets, generated once and kept under DATA_DIR, unless the environment gives them. */
function demoSecrets(dataDir: string): { AUTH_SECRET: string; CRON_SECRET: string } {
  const file = path.join(dataDir, 'secrets.json');
  let stored: Record<string, string> = {};
  try {
    stored = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    /* first start */
  }
  const out = {
    AUTH_SECRET: process.env.AUTH_SECRET || stored.AUTH_SECRET || crypto.randomBytes(32).toString('base64url'),
    CRON_SECRET: process.env.CRON_SECRET || stored.CRON_SECRET || crypto.randomBytes(24).toString('base64url'),
  };
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(out, null, 2), { mode: 0o600 });
  return out;
}

async function main() {
  const tzProblem = checkTimeZoneData();
  if (tzProblem) fail(tzProblem);

  // The demo (`npm start`) trusts the test PKI unless told otherwise; production deployments set
  // EDS_TEST_MODE=0 (and never run this launcher's demo defaults with real users).
  process.env.EDS_TEST_MODE ??= '1';
  // The demo network gets live simulated telemetry (and 14 days of history) unless turned off.
  if (['1', 'true', 'on'].includes(process.env.EDS_TEST_MODE)) process.env.WATER_DEMO_SIMULATOR ??= '1';
  process.env.NEXT_TELEMETRY_DISABLED = '1';
  (process.env as Record<string, string>).NODE_ENV = 'production';

  let env;
  try {
    env = parseEnv();
  } catch (e) {
    if (e instanceof EnvError) fail(e.message);
    throw e;
  }
  const dataDir = path.resolve(root, env.DATA_DIR);
  Object.assign(process.env, demoSecrets(dataDir));

  // 1. Build when the sources changed since the last build.
  const distDir = path.join(root, process.env.NEXT_DIST_DIR || '.next');
  const stamp = path.join(distDir, 'bt-fingerprint');
  const fingerprint = sourceFingerprint();
  const built = fs.existsSync(path.join(distDir, 'BUILD_ID')) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === fingerprint;
  let builder: ChildProcess | null = null;
  let build: Promise<number | null> = Promise.resolve(0);
  if (!args.has('--no-build') && (!built || args.has('--build'))) {
    console.log('▸ Building the portal (next build), preparing the database meanwhile…');
    // The build gets the environment as it is now: without the embedded database's address set below.
    const child = spawn(process.execPath, [require.resolve('next/dist/bin/next'), 'build'], { stdio: 'inherit', env: { ...process.env } });
    builder = child;
    build = new Promise((resolve) => {
      child.once('error', () => resolve(null));
      child.once('exit', (code) => resolve(code));
    });
  }
  /** Stops a running build before failing: it must not outlive the launcher. */
  function failDuringBuild(message: string): never {
    if (builder && builder.exitCode === null) builder.kill('SIGTERM');
    fail(message);
  }

  // 2. The database.
  let embedded: EmbeddedServer | null = null;
  if (!env.DATABASE_URL) {
    console.log(`▸ Opening the embedded PostgreSQL (PGlite) in ${path.relative(root, dataDir) || '.'}/pglite…`);
    try {
      embedded = await openEmbedded(dataDir, env.PGLITE_PORT);
    } catch (e) {
      failDuringBuild((e as Error).message);
    }
    process.env.DATABASE_URL = embedded.url;
    process.env.DB_EMBEDDED = '1';
  } else {
    console.log(`▸ Using PostgreSQL at ${new URL(env.DATABASE_URL).host}`);
  }
  const h = connect(process.env.DATABASE_URL!, { max: 1 });
  try {
    await runMigrations(h.db);
    const ran = await seed(h.db, { log: (m) => console.log(`  ${m}`) });
    console.log(ran.length ? `▸ Seeded: ${ran.join(', ')}` : '▸ Database up to date');
  } catch (e) {
    await h.sql.end().catch(() => {});
    await embedded?.close();
    failDuringBuild(`The database could not be prepared: ${(e as Error).message}`);
  }
  await h.sql.end();

  if (builder) {
    if (builder.exitCode === null) console.log('▸ Database ready; waiting for the build…');
    if ((await build) !== 0) {
      await embedded?.close();
      fail('`next build` failed: see the messages above.');
    }
    fs.writeFileSync(stamp, fingerprint);
  }

  // 3. Serve.
  console.log(`▸ Serving on http://localhost:${env.PORT}`);
  const child = spawn(process.execPath, [require.resolve('next/dist/bin/next'), 'start', '-p', String(env.PORT)], {
    stdio: 'inherit',
    env: process.env,
  });
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (child.exitCode === null) child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(null)));
    await embedded?.close();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  child.on('exit', (code) => void stop(code ?? 0));
}

main().catch((e) => fail((e as Error).stack ?? String(e)));
