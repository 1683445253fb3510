/**
 * The transaction guard of db/client.ts against postgres.js 3.4.9's reconnect-in-transaction bugs
 * (porsager/postgres #1208, #1215, #1216, #1154): once a transaction's session is lost, no later statement of it
 * runs — not outside it, not inside another request's transaction — and its callback's end sends no COMMIT.
 *
 * PostgreSQL only: the embedded PGlite has one in-process session and no backend to terminate.
 */
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, connectionLost } from '@/db/client';
import { useTestDb } from '@/lib/testing/db';

const onServer = Boolean(process.env.TEST_DATABASE_URL);

function gate() {
  let open!: () => void;
  const p = new Promise<void>((r) => (open = r));
  return { p, open };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!onServer)('transactions whose session is lost (PostgreSQL only: PGlite has no backends to terminate)', () => {
  const t = useTestDb();
  let admin: postgres.Sql;
  // One connection, as under load: the connection object of a dead transaction is the next one handed out.
  let h: ReturnType<typeof connect>;

  beforeAll(async () => {
    admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
    h = connect(t.url, { max: 1 });
    await h.sql`create table tx_guard (v int not null)`;
  });
  afterAll(async () => {
    await h?.sql.end({ timeout: 5 });
    await admin?.end();
  });

  const kill = (pid: number) => admin`select pg_terminate_backend(${pid})`;
  const rows = async () => (await h.sql<{ v: number }[]>`select v from tx_guard order by v`).map((r) => r.v);

  it('a statement of a killed transaction runs neither in the next request\'s transaction nor commits it', async () => {
    await h.sql`truncate tx_guard`;
    const resume = gate();
    const started = gate();
    let pid = 0;
    // A: inserts 1, then (after its session was killed and the connection reused) tries to insert 2 and commit.
    const a = h.db.transaction(async (tx) => {
      [{ pid }] = await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
      await tx.execute(sql`insert into tx_guard values (1)`);
      started.open();
      await resume.p;
      await tx.execute(sql`insert into tx_guard values (2)`);
      return 'a committed';
    });
    const aResult = a.then(
      () => null,
      (e: unknown) => e,
    );
    await started.p;
    await kill(pid);
    const aError = await aResult;
    expect(connectionLost(aError)).toBe(true); // the caller sees the lost session and may retry

    // B: the next transaction on the same (reconnected) connection object; it inserts 10 and waits.
    const bInside = gate();
    const bGo = gate();
    const b = h.db.transaction(async (tx) => {
      await tx.execute(sql`insert into tx_guard values (10)`);
      bInside.open();
      await bGo.p;
      await tx.execute(sql`insert into tx_guard values (11)`);
      throw new Error('B rolls back');
    });
    const bResult = b.then(
      () => null,
      (e: unknown) => e,
    );
    await bInside.p;
    // A's callback resumes now: unguarded, its insert would land in B's transaction and its COMMIT commit B.
    resume.open();
    await sleep(300);
    bGo.open();
    expect(((await bResult) as Error).message).toBe('B rolls back');
    expect(await rows()).toEqual([]); // 1 rolled back by the server, 2 never sent, 10 and 11 rolled back with B
  });

  it('a killed transaction resumed while its connection is closed sends nothing (no crash on the null socket)', async () => {
    await h.sql`truncate tx_guard`;
    const resume = gate();
    const started = gate();
    let pid = 0;
    const a = h.db.transaction(async (tx) => {
      [{ pid }] = await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
      started.open();
      await resume.p;
      await tx.execute(sql`insert into tx_guard values (3)`);
      await tx.execute(sql`insert into tx_guard values (4)`);
    });
    const aResult = a.then(
      () => null,
      (e: unknown) => e,
    );
    await started.p;
    await kill(pid);
    expect(connectionLost(await aResult)).toBe(true);
    resume.open(); // nothing else has reconnected the connection: unguarded, postgres.js would write to a null socket
    await sleep(300);
    expect(await rows()).toEqual([]);
    // The pool recovers for the next work.
    await h.db.transaction(async (tx) => {
      await tx.execute(sql`insert into tx_guard values (5)`);
    });
    expect(await rows()).toEqual([5]);
  });

  it('a lost nested transaction (savepoint) stops too, and a healthy one commits and rolls back as before', async () => {
    await h.sql`truncate tx_guard`;
    await h.db.transaction(async (tx) => {
      await tx.execute(sql`insert into tx_guard values (20)`);
      await tx
        .transaction(async (inner) => {
          await inner.execute(sql`insert into tx_guard values (21)`);
          inner.rollback();
        })
        .catch(() => {});
    });
    expect(await rows()).toEqual([20]);

    const resume = gate();
    const started = gate();
    let pid = 0;
    const a = h.db.transaction(async (tx) => {
      [{ pid }] = await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
      await tx.transaction(async (inner) => {
        started.open();
        await resume.p;
        await inner.execute(sql`insert into tx_guard values (22)`);
      });
    });
    const aResult = a.then(
      () => null,
      (e: unknown) => e,
    );
    await started.p;
    await kill(pid);
    expect(connectionLost(await aResult)).toBe(true);
    await h.sql`select 1`; // reconnects the connection object
    resume.open();
    await sleep(300);
    expect(await rows()).toEqual([20]);
  });
});
