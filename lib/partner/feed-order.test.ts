/**
 * E-20 / I-INT-1: the expert IS feed never skips an event whose transaction commits after a later event was read.
 * On PostgreSQL with two real concurrent transactions; on PGlite (one connection, so no concurrency) with an
 * event inserted under an id below the one already read, which is what a late commit looks like to a reader.
 */
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { applicationEvents } from '@/db/schema';
import type { Principal } from '@/lib/auth/principal';
import { submitApplication } from '@/lib/expertise';
import { addEvent } from '@/lib/expertise/internal';
import { makeConfig, makeDraft, makeExpertOrg, makeSig, makeUser } from '@/lib/expertise/test-fixtures';
import { useTestDb } from '@/lib/testing/db';
import { expertFeed } from './expertise';
import { sequenceFeedEvents } from './feed-order';
import type { PartnerPrincipal } from './keys';

const t = useTestDb();
let partner: PartnerPrincipal;
let applicant: Principal;
let orgId: string;

beforeAll(async () => {
  await makeConfig(t.db, 'cat_working', 'working');
  const org = await makeExpertOrg(t.db, 'FEED');
  orgId = org.orgId;
  applicant = await makeUser(t.db, ['applicant']);
  partner = { keyId: crypto.randomUUID(), orgId, orgBin: '000000000000', orgName: 'Expert FEED', kind: 'expert_is', prefix: 'feedtest00' };
});

async function registeredApp(): Promise<string> {
  const { draft } = await makeDraft(t.db, applicant, orgId);
  await submitApplication(t.db, applicant, { applicationId: draft.id }, { signatureId: await makeSig(t.db, applicant) });
  return draft.id;
}

/** Reads the feed to its end from `cursor`; the application ids served and the cursor to go on from. */
async function readAll(cursor: string | undefined): Promise<{ ids: string[]; cursor: string | undefined }> {
  const ids: string[] = [];
  for (;;) {
    const page = await expertFeed(t.db, partner, { cursor, limit: 2 });
    ids.push(...page.items.map((i) => i.application.id));
    cursor = page.cursor;
    if (!page.nextCursor) return { ids, cursor };
  }
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function eventId(applicationId: string, kind: string): Promise<number> {
  const [row] = await t.db
    .select({ id: applicationEvents.id })
    .from(applicationEvents)
    .where(and(eq(applicationEvents.applicationId, applicationId), eq(applicationEvents.kind, kind)));
  return row.id;
}

describe('E-20 I-INT-1 the feed in commit order', () => {
  it('E-20 I-INT-1 an event whose transaction commits after a later event was read is still served (two concurrent transactions)', async () => {
    const a = await registeredApp();
    const b = await registeredApp();
    let { cursor } = await readAll(undefined);
    expect((await readAll(cursor)).ids).toEqual([]);

    if (t.kind === 'postgres') {
      // T1 writes an event of `a` first (the lower id) and stays open; T2 writes one of `b` and commits.
      const t1Wrote = deferred();
      const t1MayCommit = deferred();
      const t1 = t.db.transaction(async (tx) => {
        await addEvent(tx, a, new Date(), 'system', null, 'progress_late');
        t1Wrote.resolve();
        await t1MayCommit.promise;
      });
      await t1Wrote.promise;
      await t.db.transaction((tx) => addEvent(tx, b, new Date(), 'system', null, 'progress_early'));
      const first = await readAll(cursor);
      expect(first.ids).toEqual([b]);
      cursor = first.cursor;
      t1MayCommit.resolve();
      await t1;
      expect(await eventId(a, 'progress_late')).toBeLessThan(await eventId(b, 'progress_early'));
    } else {
      // PGlite serves one connection: a late commit looks like an event appearing under an id taken before the
      // ids already read (T1 took id `early` from the sequence, T2 a later one and committed first).
      const [{ early }] = (await t.db.execute(sql`select nextval(pg_get_serial_sequence('application_events', 'id'))::int as early`)) as unknown as { early: number }[];
      await addEvent(t.db, b, new Date(), 'system', null, 'progress_early');
      const first = await readAll(cursor);
      expect(first.ids).toEqual([b]);
      cursor = first.cursor;
      await t.db.execute(
        sql`insert into application_events (id, application_id, at, actor, kind) overriding system value values (${early}, ${a}, now(), 'system', 'progress_late')`,
      );
      expect(await eventId(a, 'progress_late')).toBeLessThan(await eventId(b, 'progress_early'));
    }
    // The late event of `a` comes after the cursor already past `b`'s: nothing is skipped.
    const second = await readAll(cursor);
    expect(second.ids).toEqual([a]);
    expect((await readAll(second.cursor)).ids).toEqual([]);
  });

  it('E-20 I-INT-1 positions are given once, in id order, above every position already given, and only to committed events', async () => {
    const a = await registeredApp();
    await sequenceFeedEvents(t.db);
    const [{ top }] = (await t.db.execute(sql`select max(feed_seq)::int as top from application_events`)) as unknown as { top: number }[];
    await addEvent(t.db, a, new Date(), 'system', null, 'one');
    await addEvent(t.db, a, new Date(), 'system', null, 'two');
    expect(await sequenceFeedEvents(t.db)).toBe(2);
    expect(await sequenceFeedEvents(t.db)).toBe(0);
    const rows = await t.db
      .select({ id: applicationEvents.id, seq: applicationEvents.feedSeq, kind: applicationEvents.kind })
      .from(applicationEvents)
      .where(eq(applicationEvents.applicationId, a))
      .orderBy(applicationEvents.id);
    expect(rows.filter((r) => r.kind === 'one' || r.kind === 'two').map((r) => r.seq)).toEqual([top + 1, top + 2]);
    if (t.kind === 'postgres') {
      // An open transaction's event is not numbered (the numbering sees committed rows only) and does not block it.
      const wrote = deferred();
      const mayCommit = deferred();
      const open = t.db.transaction(async (tx) => {
        await addEvent(tx, a, new Date(), 'system', null, 'open');
        wrote.resolve();
        await mayCommit.promise;
      });
      await wrote.promise;
      expect(await sequenceFeedEvents(t.db)).toBe(0);
      mayCommit.resolve();
      await open;
      expect(await sequenceFeedEvents(t.db)).toBe(1);
    }
  });
});
