import { describe, expect, it } from 'vitest';
import { registrationRequests, registrationResponsiblePersons } from '@/db/schema/registration';
import { makeSig, makeUser } from '@/lib/expertise/test-fixtures';
import { markRead, notify } from '@/lib/notify';
import { useTestDb } from '@/lib/testing/db';
import { setClock } from '@/lib/time/clock';
import { loadCabinet } from './data';

const t = useTestDb();

async function registration(userId: string, iin: string, sigId: string, kind: 'construction_user' | 'procurement_authorised') {
  const [r] = await t.db
    .insert(registrationRequests)
    .values({
      kind,
      applicantUserId: userId,
      personType: 'individual',
      subjectKey: `iin:${iin}:${kind}`,
      formData: {},
      attachments: [],
      signatureId: sigId,
      submittedAt: new Date(),
    })
    .returning();
  return r;
}

describe('personal cabinet data', () => {
  it('X-7 X-11 the cabinet shows only the user’s own notifications, registrations and documents to sign; unread first', async () => {
    const me = await makeUser(t.db, ['applicant']);
    const other = await makeUser(t.db, ['applicant']);
    setClock(new Date('2026-03-02T05:00:00Z'));
    const first = await notify(t.db, { userId: me.userId, kind: 'test', title: 'First', body: 'b', email: false });
    setClock(new Date('2026-03-02T06:00:00Z'));
    await notify(t.db, { userId: me.userId, kind: 'test', title: 'Second', body: 'b', email: false });
    await notify(t.db, { userId: other.userId, kind: 'test', title: 'Not mine', body: 'b', email: false });
    setClock(new Date('2026-03-02T07:00:00Z'));
    await notify(t.db, { userId: me.userId, kind: 'test', title: 'Third', body: 'b', email: false });
    setClock(null);
    await markRead(t.db, me.userId, [first.notificationId]);
    // Marking another user's notification read through my id changes nothing.
    expect(await markRead(t.db, other.userId, [first.notificationId])).toBe(0);

    const mySig = await makeSig(t.db, me);
    const otherSig = await makeSig(t.db, other);
    const mine = await registration(me.userId, me.iin, mySig, 'construction_user');
    const theirs = await registration(other.userId, other.iin, otherSig, 'procurement_authorised');
    // P-7: the other user's registration names me as a responsible person who must sign the obligation.
    await t.db.insert(registrationResponsiblePersons).values({ registrationId: theirs.id, iin: me.iin, fullName: me.fullName, position: 'Engineer' });
    await t.db.insert(registrationResponsiblePersons).values({ registrationId: theirs.id, iin: other.iin, fullName: other.fullName, position: 'Head' });

    const c = await loadCabinet(t.db, me);
    expect(c.notifications.map((n) => n.title)).toEqual(['Third', 'Second', 'First']);
    expect(c.unread).toBe(2);
    expect(c.registrations.map((r) => r.id)).toEqual([mine.id]);
    expect(c.toSign).toEqual([expect.objectContaining({ kind: 'nda', subject: theirs.subjectKey })]);
    expect(c.organisation).toBeNull();

    const o = await loadCabinet(t.db, other);
    expect(o.notifications.map((n) => n.title)).toEqual(['Not mine']);
    expect(o.registrations.map((r) => r.id)).toEqual([theirs.id]);
    expect(o.toSign).toHaveLength(1);
  });
});
