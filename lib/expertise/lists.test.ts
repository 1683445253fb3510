import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '@/lib/auth/principal';
import { useTestDb } from '@/lib/testing/db';
import { astanaInstant } from '@/lib/time/astana';
import { setClock } from '@/lib/time/clock';
import { createDraft, listApplicationsForApplicant, listQueueForExpertOrg, openDeadlinesOf, recordCompleteness, submitApplication } from './index';
import { makeConfig, makeDraft, makeExpertOrg, makeOrg, makeSig, makeUser } from './test-fixtures';

const t = useTestDb();
let alice: Principal;
let bob: Principal;
let stranger: Principal;
let org: { orgId: string; expert: Principal };

beforeAll(async () => {
  await makeConfig(t.db, 'cat_working', 'working');
  org = await makeExpertOrg(t.db, 'LST');
  const builder = await makeOrg(t.db, 'Builder LLP');
  alice = await makeUser(t.db, ['applicant', 'employee'], builder);
  bob = await makeUser(t.db, ['applicant', 'employee'], builder);
  stranger = await makeUser(t.db, ['applicant']);
});

async function pages(p: Principal, limit: number) {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof listApplicationsForApplicant>> = await listApplicationsForApplicant(t.db, p, { limit, cursor });
    seen.push(...page.items.map((a) => a.objectName ?? ''));
    cursor = page.nextCursor;
  } while (cursor);
  return seen;
}

describe('lists', () => {
  it('X-11 an organisation member’s list holds its own and its colleagues’ applications, newest first, each once, across pages', async () => {
    const names: string[] = [];
    for (let i = 0; i < 7; i++) {
      setClock(new Date(Date.UTC(2026, 5, 1, 4, i)));
      const who = i % 3 === 0 ? bob : alice;
      await createDraft(t.db, who, { objectName: `object ${i}` });
      names.unshift(`object ${i}`);
      setClock(new Date(Date.UTC(2026, 5, 1, 4, i, 30)));
      await createDraft(t.db, stranger, { objectName: `stranger ${i}` });
    }
    setClock(null);
    for (const limit of [1, 2, 3, 100]) {
      expect(await pages(alice, limit)).toEqual(names);
      expect(await pages(bob, limit)).toEqual(names);
    }
    expect(await pages(stranger, 4)).toEqual(names.map((n) => n.replace('object', 'stranger')));
  });

  it('E-21 the queue pages by registration and lists the open deadlines of a page, earliest first', async () => {
    const ids: string[] = [];
    for (const [i, day] of ['2026-06-01', '2026-06-02', '2026-06-03'].entries()) {
      const receivedAt = astanaInstant(day, '10:00');
      setClock(receivedAt);
      const { draft } = await makeDraft(t.db, alice, org.orgId, { objectName: `queued ${i}` });
      await submitApplication(t.db, alice, { applicationId: draft.id }, { signatureId: await makeSig(t.db, alice), receivedAt });
      ids.push(draft.id);
    }
    await recordCompleteness(t.db, org.expert, ids[0], { result: 'positive' });
    setClock(null);
    const first = await listQueueForExpertOrg(t.db, org.expert, { limit: 2 });
    expect(first.items.map((a) => a.objectName)).toEqual(['queued 2', 'queued 1']);
    const second = await listQueueForExpertOrg(t.db, org.expert, { limit: 2, cursor: first.nextCursor });
    expect(second.items.map((a) => a.objectName)).toEqual(['queued 0']);
    expect(second.nextCursor).toBeNull();
    const open = await openDeadlinesOf(t.db, ids);
    // Completeness for the two still registered; for the one under expertise also remarks and conclusion (its
    // completeness deadline stays open until it passes: the result may change until then, E-45).
    expect(open.filter((d) => d.applicationId === ids[0]).map((d) => d.kind)).toEqual(['completeness', 'remarks', 'conclusion']);
    expect(open.filter((d) => d.applicationId !== ids[0]).map((d) => d.kind)).toEqual(['completeness', 'completeness']);
    expect(open.map((d) => d.dueAt.getTime())).toEqual([...open].map((d) => d.dueAt.getTime()).sort((a, b) => a - b));
    expect(await openDeadlinesOf(t.db, [])).toEqual([]);
  });

  it('E-48 E-50 the database accepts only the statuses the flow uses (completeness_review, awaiting_remedy are gone)', async () => {
    const draft = await createDraft(t.db, stranger, { objectName: 'status check' });
    for (const status of ['completeness_review', 'awaiting_remedy', 'whatever']) {
      await expect(t.sql.unsafe(`update applications set status = '${status}' where id = '${draft.id}'`)).rejects.toThrow(/applications_status_check/);
    }
    await t.sql.unsafe(`update applications set status = 'incomplete' where id = '${draft.id}'`);
  });
});
