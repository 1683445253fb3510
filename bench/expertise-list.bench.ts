/**
 * Expertise lists benchmark (issue 5): the applicant's application list and the expert organisation's queue with
 * 10,000 applications in the database, 50 concurrent requests; goal p95 ≤ 150 ms. Run:
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/expertise-list.bench.ts
 *
 * It creates a fresh database on that server, migrates it, bulk-inserts 10,000 registered applications (one
 * INSERT … SELECT over generate_series) for 6 applicants (3 of them in 2 applicant organisations) addressed to 2
 * expert organisations, with 2 open deadlines each, then measures — through the same server functions the pages
 * call (lib/expertise: listApplicationsForApplicant; listQueueForExpertOrg + openDeadlinesOf), not over HTTP:
 * a production build would add rendering but the same queries — the first page and a later (cursor) page of each
 * list, and the queue filtered by status. 50 requests in flight at a time over the app's default pool of 10
 * connections (DB_POOL_MAX), BENCH_RUNS (default 500) per list. Prints
 * `BENCH expertise.list.p95 <ms> ms` and `BENCH expertise.queue.p95 <ms> ms` and drops the database.
 */
import crypto from 'node:crypto';
import postgres from 'postgres';
import { connect, setDb, type Db } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import { deadlineConfigs, expertOrgSettings, organisations, userRoles, users } from '@/db/schema';
import type { Principal } from '@/lib/auth/principal';
import { listApplicationsForApplicant, listQueueForExpertOrg, openDeadlinesOf } from '@/lib/expertise';

const APPLICATIONS = 10_000;
const CONCURRENCY = 50;
const RUNS = Math.max(200, Number(process.env.BENCH_RUNS) || 500);
const POOL = Number(process.env.DB_POOL_MAX) || 10;

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)];
}

async function measure(name: string, fns: Array<() => Promise<unknown>>, concurrency = CONCURRENCY): Promise<number> {
  for (const fn of fns) await fn(); // warm-up
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < RUNS) {
        const fn = fns[next++ % fns.length];
        const t0 = performance.now();
        await fn();
        times.push(performance.now() - t0);
      }
    }),
  );
  const sorted = [...times].sort((a, b) => a - b);
  const v = p95(times);
  console.log(`  ${name} (${concurrency} concurrent, pool ${POOL}): runs=${times.length} p50=${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms p95=${v.toFixed(1)} ms`);
  return v;
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

async function main() {
  const serverUrl = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (!serverUrl || !/^postgres(ql)?:\/\//.test(serverUrl)) throw new Error('Set DATABASE_URL or TEST_DATABASE_URL to a PostgreSQL server.');
  const name = `bt_bench_exp_${Date.now()}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const h = connect(url.toString(), { max: POOL });
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

    // A later page: the cursor of the first page (keyset pagination).
    const cursorOf = async (p: Principal) => (await listApplicationsForApplicant(db, p, { limit: 20 })).nextCursor;
    const applicantFns = await Promise.all(
      applicants.map(async (p) => {
        const cursor = await cursorOf(p);
        return [() => listApplicationsForApplicant(db, p, { limit: 20 }), () => listApplicationsForApplicant(db, p, { limit: 20, cursor })];
      }),
    );
    const queuePage = async (p: Principal, opts: Parameters<typeof listQueueForExpertOrg>[2]) => {
      const page = await listQueueForExpertOrg(db, p, opts);
      await openDeadlinesOf(
        db,
        page.items.map((a) => a.id),
      );
      return page;
    };
    const queueFns = await Promise.all(
      experts.map(async (p) => {
        const cursor = (await listQueueForExpertOrg(db, p, { limit: 20 })).nextCursor;
        return [
          () => queuePage(p, { limit: 20 }),
          () => queuePage(p, { limit: 20, cursor }),
          () => queuePage(p, { limit: 20, status: 'remarks_issued' }),
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
    const list = await measure('applicant list (first and second page)', applicantFns.flat());
    const queue = await measure('expert queue (first page, second page, by status; with open deadlines)', queueFns.flat());
    const listSerial = await measure('applicant list, one at a time', applicantFns.flat(), 1);
    const queueSerial = await measure('expert queue, one at a time', queueFns.flat(), 1);
    console.log(`BENCH expertise.list.p95 ${list.toFixed(1)} ms`);
    console.log(`BENCH expertise.queue.p95 ${queue.toFixed(1)} ms`);
    console.log(`BENCH expertise.list.p95.serial ${listSerial.toFixed(1)} ms`);
    console.log(`BENCH expertise.queue.p95.serial ${queueSerial.toFixed(1)} ms`);
  } finally {
    await h.sql.end({ timeout: 5 });
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 5 });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
