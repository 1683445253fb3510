/**
 * Expertise lists benchmark (issue 5): the applicant's application list and the expert organisation's queue with
 * 10,000 applications in the database answer in ≤ 150 ms at p95 with 50 concurrent requests **on the production
 * build**. Run:
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/expertise-list.bench.ts
 *
 * 1. Creates a fresh database on that server, migrates it, bulk-inserts 10,000 registered applications (one
 *    INSERT … SELECT over generate_series) for 6 applicants (3 of them in 2 applicant organisations) addressed to 2
 *    expert organisations, with 2 deadlines each.
 * 2. In-process: the lib functions the routes and pages call (`expertise.*.inproc.p95`), for comparison.
 * 3. Over HTTP: builds the app into its own dist dir (`NEXT_DIST_DIR=.next-bench` under BENCH_APP_DIR, default the
 *    repository; an existing build is reused unless BENCH_REBUILD=1), starts `next start` on a free port against
 *    the bench database (NODE_ENV=production, scheduler off), mints real Auth.js session cookies (the JWT a
 *    sign-in issues: sub/uid/sv/name, encrypted with the server's AUTH_SECRET) and fires 50 concurrent keep-alive
 *    requests: `GET /api/v1/expertise/applications` (first page and a cursor page of each applicant) and
 *    `GET /api/v1/expertise/queue` (first page, a cursor page and a status filter of each expert organisation),
 *    then the HTML pages /expertise/applications and /expertise/workspace. BENCH_RUNS (default 500) requests per
 *    figure. Every answer is checked (200 and the expected content).
 *
 * Prints `BENCH expertise.list.p95` / `expertise.queue.p95` (HTTP API, the goal), `…page.p95` (HTML),
 * `…serial` (one request at a time), `…inproc…` (no HTTP), and the CPU each request cost the Next.js server and
 * the PostgreSQL backends (`…cpu`, ms per request): on a busy machine the p95 is queueing for CPU, the CPU cost
 * is not. The load average is printed with each figure. The server is stopped and the database dropped at the
 * end.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { encode } from 'next-auth/jwt';
import postgres from 'postgres';
import { connect, setDb, type Db } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import { deadlineConfigs, expertOrgSettings, organisations, userRoles, users } from '@/db/schema';
import type { Principal } from '@/lib/auth/principal';
import { listApplicationsForApplicant, listQueueForExpertOrg } from '@/lib/expertise';
import { applicantListBody, expertQueueBody, LIST_PAGE_SIZE } from '@/lib/expertise/list-api';

const APPLICATIONS = 10_000;
const CONCURRENCY = 50;
const RUNS = Math.max(200, Number(process.env.BENCH_RUNS) || 500);
const POOL = Number(process.env.DB_POOL_MAX) || 10;
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const APP_DIR = path.resolve(process.env.BENCH_APP_DIR || ROOT);
const DIST_DIR = '.next-bench';
/** Auth.js's session cookie on plain http (its name is also the JWT's key-derivation salt). */
const SESSION_COOKIE = 'authjs.session-token';

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)];
}

const load = () => os.loadavg()[0].toFixed(2);

/** CPU time (ms) used so far by processes: utime + stime from /proc (Linux; 0 elsewhere). */
function cpuMs(pids: number[]): number {
  const tick = 1000 / 100; // USER_HZ is 100 on Linux
  let total = 0;
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(f[11]) + Number(f[12])) * tick;
    } catch {
      // gone or not Linux
    }
  }
  return total;
}

/** The processes whose CPU a request costs: the Next.js server and the PostgreSQL backends serving it. */
type Cpu = { node: number; pg: () => Promise<number[]> };

async function measure(name: string, fns: Array<() => Promise<unknown>>, opts: { concurrency?: number; cpu?: Cpu } = {}) {
  const concurrency = opts.concurrency ?? CONCURRENCY;
  for (const fn of fns) await fn(); // warm-up
  const pg = opts.cpu ? await opts.cpu.pg() : [];
  const node0 = opts.cpu ? cpuMs([opts.cpu.node]) : 0;
  const pg0 = cpuMs(pg);
  const times: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < RUNS) {
        const fn = fns[next++ % fns.length];
        const t = performance.now();
        await fn();
        times.push(performance.now() - t);
      }
    }),
  );
  const wall = performance.now() - t0;
  const nodeCpu = opts.cpu ? (cpuMs([opts.cpu.node]) - node0) / times.length : null;
  const pgCpu = opts.cpu ? (cpuMs(pg) - pg0) / times.length : null;
  const cpuPerRequest = nodeCpu !== null && pgCpu !== null ? nodeCpu + pgCpu : null;
  const sorted = [...times].sort((a, b) => a - b);
  const v = p95(times);
  console.log(
    `  ${name} (${concurrency} concurrent): runs=${times.length} p50=${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms p95=${v.toFixed(1)} ms` +
      ` ${(times.length / (wall / 1000)).toFixed(0)} req/s` +
      (cpuPerRequest !== null ? ` server CPU ${cpuPerRequest.toFixed(2)} ms/request (Node ${nodeCpu!.toFixed(2)}, PostgreSQL ${pgCpu!.toFixed(2)})` : '') +
      ` load ${load()}`,
  );
  return { p95: v, cpu: cpuPerRequest };
}

function bench(name: string, value: number, unit = 'ms') {
  console.log(`BENCH ${name} ${value.toFixed(unit === 'ms' ? 1 : 2)} ${unit} (load ${load()})`);
}

let iinSeq = 0;
async function person(db: Db, roles: string[], orgId: string | null): Promise<Principal> {
  const iin = `99${String(++iinSeq).padStart(10, '0')}`;
  const [u] = await db.insert(users).values({ iin, fullName: `Bench ${iin}`, orgId }).returning();
  await db.insert(userRoles).values(roles.map((role) => ({ userId: u.id, role, orgId })));
  return { userId: u.id, iin, bin: null, orgId, fullName: u.fullName, roles };
}

async function org(db: Db, name: string, kind: string): Promise<string> {
  const [o] = await db
    .insert(organisations)
    .values({ bin: `98${crypto.randomInt(1e9).toString().padStart(10, '0')}`, name, kind })
    .returning();
  return o.id;
}

// ---- the production server ----------------------------------------------------------------------------------

function nextBin(): string {
  return path.join(APP_DIR, 'node_modules', 'next', 'dist', 'bin', 'next');
}

/** `next build` into .next-bench unless a build is there already (BENCH_REBUILD=1 forces one). */
function ensureBuild() {
  const buildId = path.join(APP_DIR, DIST_DIR, 'BUILD_ID');
  if (fs.existsSync(buildId) && !process.env.BENCH_REBUILD) {
    console.log(`  reusing the production build in ${path.join(APP_DIR, DIST_DIR)} (BENCH_REBUILD=1 to rebuild)`);
    return;
  }
  console.log(`  building the app into ${path.join(APP_DIR, DIST_DIR)} (next build)…`);
  // next build adds its dist dir's types to tsconfig.json: put the file back as it was.
  const tsconfig = path.join(APP_DIR, 'tsconfig.json');
  const before = fs.readFileSync(tsconfig, 'utf8');
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [nextBin(), 'build'], {
    cwd: APP_DIR,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NEXT_DIST_DIR: DIST_DIR, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
  });
  if (fs.readFileSync(tsconfig, 'utf8') !== before) fs.writeFileSync(tsconfig, before);
  if (r.status !== 0) throw new Error(`next build failed (exit ${r.status ?? r.signal})`);
  console.log(`  built in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function startServer(databaseUrl: string, secret: string): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.TEST_DATABASE_URL;
  delete env.DB_EMBEDDED;
  Object.assign(env, {
    NODE_ENV: 'production',
    NEXT_DIST_DIR: DIST_DIR,
    NEXT_TELEMETRY_DISABLED: '1',
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: secret,
    PORT: String(port),
    APP_URL: `http://127.0.0.1:${port}`,
    SCHEDULER_INTERVAL_SECONDS: '0',
  });
  // BENCH_NODE_ARGS e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, nextBin(), 'start', '-p', String(port), '-H', '127.0.0.1'], { cwd: APP_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${log}`);
    try {
      const r = await fetch(`${base}/api/health`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`next start did not answer within 120 s:\n${log}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  console.log(`  next start (pid ${child.pid}) answers on ${base}`);
  return { child, base };
}

async function stopServer(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** The cookie a real EDS sign-in sets: Auth.js's encrypted JWT with the claims lib/auth/auth.ts puts in it. */
async function sessionCookie(p: Principal, sessionVersion: number, secret: string): Promise<string> {
  const token = await encode({
    token: { name: p.fullName, sub: p.userId, uid: p.userId, sv: sessionVersion },
    secret,
    salt: SESSION_COOKIE,
    maxAge: 8 * 60 * 60,
  });
  return `${SESSION_COOKIE}=${token}`;
}

async function get(base: string, url: string, cookie: string, expect: (body: string) => boolean): Promise<string> {
  const r = await fetch(base + url, { headers: { cookie }, redirect: 'manual' });
  const body = await r.text();
  if (r.status !== 200 || !expect(body)) throw new Error(`GET ${url}: ${r.status} ${body.slice(0, 300)}`);
  return body;
}

/** The lib functions behind the routes and pages, without HTTP (BENCH_SKIP_INPROC=1 skips them). */
async function inProcess(applicantFns: Array<() => Promise<unknown>>, queueFns: Array<() => Promise<unknown>>) {
  console.log(`in-process (lib functions, pool ${POOL}):`);
  const list = await measure('applicant list (first and second page)', applicantFns);
  const queue = await measure('expert queue (first page, second page, by status; with open deadlines)', queueFns);
  const listSerial = await measure('applicant list, one at a time', applicantFns, { concurrency: 1 });
  const queueSerial = await measure('expert queue, one at a time', queueFns, { concurrency: 1 });
  bench('expertise.list.inproc.p95', list.p95);
  bench('expertise.queue.inproc.p95', queue.p95);
  bench('expertise.list.inproc.p95.serial', listSerial.p95);
  bench('expertise.queue.inproc.p95.serial', queueSerial.p95);
}

async function main() {
  const serverUrl = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (!serverUrl || !/^postgres(ql)?:\/\//.test(serverUrl)) throw new Error('Set DATABASE_URL or TEST_DATABASE_URL to a PostgreSQL server.');
  const name = `bt_bench_exp_${Date.now()}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const h = connect(url.toString(), { max: POOL });
  let poolOpen = true;
  let server: ChildProcess | null = null;
  const onExit = () => server?.kill('SIGKILL');
  process.on('exit', onExit);
  try {
    setDb(h);
    await runMigrations(h.db);
    const db = h.db;
    await db.insert(deadlineConfigs).values({ category: 'level_2', label: 'II', completenessDays: 5, remarksDays: 25, remedyDays: 15, conclusionDays: 45, unit: 'working' });
    const expertOrgs = [await org(db, 'Bench Expert A', 'expert_organisation'), await org(db, 'Bench Expert B', 'expert_organisation')];
    for (const [i, id] of expertOrgs.entries()) {
      await db.insert(expertOrgSettings).values({ orgId: id, orgCode: `BX${i}`, numberTemplate: '{ORG}-{YYYY}-{SEQ:5}', accredited: true, blocked: false });
    }
    const experts = await Promise.all(expertOrgs.map((id) => person(db, ['expert'], id)));
    const applicantOrgs = [await org(db, 'Bench Builder 1', 'legal_entity'), await org(db, 'Bench Builder 2', 'legal_entity')];
    const applicants = [
      await person(db, ['applicant'], null),
      await person(db, ['applicant'], null),
      await person(db, ['applicant'], null),
      await person(db, ['applicant', 'employee'], applicantOrgs[0]),
      await person(db, ['applicant', 'employee'], applicantOrgs[0]),
      await person(db, ['applicant', 'employee'], applicantOrgs[1]),
    ];

    // Bulk insert: applications spread over two years of registrations, statuses of a live portal.
    const t0 = performance.now();
    await h.sql.unsafe('set synchronous_commit = off');
    await h.sql.unsafe(
      `insert into applications (number, applicant_user_id, applicant_org_id, expert_org_id, object_name, region, address, category, work_kind,
                                 financing_source, status, received_at, registration_date, registered_at, created_at)
       select 'BX' || (g % 2) || '-' || g, (a.ids)[1 + g % 6], (a.orgs)[1 + g % 6], (e.ids)[1 + g % 2], 'Object ' || g, 'Astana', 'Street ' || g,
              'level_2', 'new_construction', 'budget',
              (array['registered','incomplete','in_review','remarks_issued','conclusion_signed','conclusion_released'])[1 + (g / 2) % 6],
              ts, (ts + interval '5 hours')::date, ts, ts - interval '1 hour'
       from generate_series(1, ${APPLICATIONS}) g,
            lateral (select now() - (g * interval '1 hour' * 1.75) as ts) t,
            (select $1::uuid[] as ids, $2::uuid[] as orgs) a,
            (select $3::uuid[] as ids) e`,
      [applicants.map((a) => a.userId), applicants.map((a) => a.orgId), expertOrgs],
    );
    await h.sql.unsafe(
      `insert into application_deadlines (application_id, kind, start_at, amount, unit, due_at, due_date, explanation, status)
       select a.id, k.kind, a.registered_at, 5, 'working_days', a.registered_at + k.days * interval '1 day', (a.registered_at + k.days * interval '1 day')::date,
              '{}'::jsonb, case when a.status in ('conclusion_signed', 'conclusion_released') then 'met' else 'open' end
       from applications a cross join (values ('remarks', 30), ('conclusion', 60)) k(kind, days)`,
    );
    await h.sql.unsafe('analyze');
    const [{ n }] = await h.sql<{ n: number }[]>`select count(*)::int as n from applications`;
    console.log(`  seeded ${n} applications and ${n * 2} deadlines in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // ---- in-process: the lib functions behind the routes and pages --------------------------------------------
    const at = new Date();
    const applicantFns = await Promise.all(
      applicants.map(async (p) => {
        const cursor = (await listApplicationsForApplicant(db, p, { limit: LIST_PAGE_SIZE })).nextCursor ?? undefined;
        return [() => applicantListBody(db, p, { limit: LIST_PAGE_SIZE }), () => applicantListBody(db, p, { limit: LIST_PAGE_SIZE, cursor })];
      }),
    );
    const queueFns = await Promise.all(
      experts.map(async (p) => {
        const cursor = (await listQueueForExpertOrg(db, p, { limit: LIST_PAGE_SIZE })).nextCursor ?? undefined;
        return [
          () => expertQueueBody(db, p, { limit: LIST_PAGE_SIZE }, at),
          () => expertQueueBody(db, p, { limit: LIST_PAGE_SIZE, cursor }, at),
          () => expertQueueBody(db, p, { limit: LIST_PAGE_SIZE, status: 'remarks_issued' }, at),
        ];
      }),
    );
    if (process.env.BENCH_EXPLAIN) {
      // The plans of the two list queries (drizzle's SQL as the functions build it).
      const a = applicants[3];
      const e = experts[0];
      for (const q of [
        `(select id, created_at from applications where applicant_user_id = '${a.userId}' order by created_at desc nulls last, id desc nulls last limit 21)
         union (select id, created_at from applications where applicant_org_id = '${a.orgId}' order by created_at desc nulls last, id desc nulls last limit 21)
         order by created_at desc nulls last, id desc nulls last limit 21`,
        `select id from applications where applicant_user_id = '${applicants[0].userId}' order by created_at desc nulls last, id desc nulls last limit 21`,
        `select id from applications where expert_org_id = '${e.orgId}' and status <> 'draft' order by registered_at desc nulls last, id desc nulls last limit 21`,
        `select id from applications where expert_org_id = '${e.orgId}' and status <> 'draft' and status = 'remarks_issued' order by registered_at desc nulls last, id desc nulls last limit 21`,
      ]) {
        const plan = await h.sql.unsafe(`explain (analyze, buffers) ${q}`);
        console.log(plan.map((r) => r['QUERY PLAN']).join('\n'));
      }
    }
    if (process.env.BENCH_SKIP_INPROC !== '1') await inProcess(applicantFns.flat(), queueFns.flat());

    // ---- over HTTP: next start of a production build ----------------------------------------------------------
    const versions = new Map((await db.select({ id: users.id, sv: users.sessionVersion }).from(users)).map((u) => [u.id, u.sv]));
    await h.sql.end({ timeout: 5 });
    poolOpen = false;
    setDb(null);
    ensureBuild();
    const secret = crypto.randomBytes(32).toString('base64url');
    const started = await startServer(url.toString(), secret);
    server = started.child;
    const base = started.base;
    const serverPid = started.child.pid!;
    const cpu: Cpu = {
      node: serverPid,
      pg: async () => (await admin<{ pid: number }[]>`select pid from pg_stat_activity where datname = ${name} and backend_type = 'client backend'`).map((r) => r.pid),
    };
    const cookieOf = async (p: Principal) => sessionCookie(p, versions.get(p.userId)!, secret);
    const isJson = (b: string) => b.startsWith('{"items":[{');
    const api = async (p: Principal, kind: 'applications' | 'queue', extra = '') => {
      const cookie = await cookieOf(p);
      const first = JSON.parse(await get(base, `/api/v1/expertise/${kind}?limit=${LIST_PAGE_SIZE}`, cookie, isJson)) as { nextCursor: string };
      const urls = [`/api/v1/expertise/${kind}?limit=${LIST_PAGE_SIZE}`, `/api/v1/expertise/${kind}?limit=${LIST_PAGE_SIZE}&cursor=${first.nextCursor}`];
      if (extra) urls.push(`/api/v1/expertise/${kind}?limit=${LIST_PAGE_SIZE}&${extra}`);
      return { cookie, cursor: first.nextCursor, fns: urls.map((u) => () => get(base, u, cookie, isJson)) };
    };
    const listApi = await Promise.all(applicants.map((p) => api(p, 'applications')));
    const queueApi = await Promise.all(experts.map((p) => api(p, 'queue', 'status=remarks_issued')));
    const hasList = (b: string) => b.includes('data-testid="my-applications"');
    const hasQueue = (b: string) => b.includes('data-testid="queue"');
    const listPages = listApi.flatMap(({ cookie, cursor }) => [
      () => get(base, '/expertise/applications', cookie, hasList),
      () => get(base, `/expertise/applications?after=${cursor}`, cookie, hasList),
    ]);
    const queuePages = queueApi.flatMap(({ cookie, cursor }) => [
      () => get(base, '/expertise/workspace', cookie, hasQueue),
      () => get(base, `/expertise/workspace?after=${cursor}`, cookie, hasQueue),
      () => get(base, '/expertise/workspace?status=remarks_issued', cookie, hasQueue),
    ]);
    // Open the server's pool and keep-alive sockets before timing.
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => [...listApi, ...queueApi].flatMap((a) => a.fns)[i % 15]()));

    console.log(`over HTTP (next start, production build, ${CONCURRENCY} keep-alive connections):`);
    const httpList = await measure('GET /api/v1/expertise/applications (first and cursor page)', listApi.flatMap((a) => a.fns), { cpu });
    const httpQueue = await measure('GET /api/v1/expertise/queue (first, cursor page, by status)', queueApi.flatMap((a) => a.fns), { cpu });
    const httpListSerial = await measure('GET /api/v1/expertise/applications, one at a time', listApi.flatMap((a) => a.fns), { concurrency: 1, cpu });
    const httpQueueSerial = await measure('GET /api/v1/expertise/queue, one at a time', queueApi.flatMap((a) => a.fns), { concurrency: 1, cpu });
    // BENCH_SKIP_PAGES=1: the API only (e.g. to profile it alone).
    const skipPages = process.env.BENCH_SKIP_PAGES === '1';
    const pageList = skipPages ? null : await measure('page /expertise/applications (first and cursor page)', listPages, { cpu });
    const pageQueue = skipPages ? null : await measure('page /expertise/workspace (first, cursor page, by status)', queuePages, { cpu });
    bench('expertise.list.p95', httpList.p95);
    bench('expertise.queue.p95', httpQueue.p95);
    bench('expertise.list.p95.serial', httpListSerial.p95);
    bench('expertise.queue.p95.serial', httpQueueSerial.p95);
    bench('expertise.list.cpu', httpList.cpu ?? NaN, 'ms/request');
    bench('expertise.queue.cpu', httpQueue.cpu ?? NaN, 'ms/request');
    if (pageList && pageQueue) {
      bench('expertise.list.page.p95', pageList.p95);
      bench('expertise.queue.page.p95', pageQueue.p95);
      bench('expertise.list.page.cpu', pageList.cpu ?? NaN, 'ms/request');
      bench('expertise.queue.page.cpu', pageQueue.cpu ?? NaN, 'ms/request');
    }
  } finally {
    if (server) await stopServer(server);
    process.off('exit', onExit);
    if (poolOpen) await h.sql.end({ timeout: 5 });
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 5 });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
