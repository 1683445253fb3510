import { afterEach, describe, expect, it } from 'vitest';
import { actionNonces } from '@/db/schema/actions';
import { users } from '@/db/schema/identity';
import { jobHandler } from '@/lib/jobs/queue';
import { useTestDb } from '@/lib/testing/db';
import { now, setClock } from '@/lib/time/clock';
import { consumeActionNonce, issueActionNonce } from './action-nonce';
import './jobs';

const t = useTestDb();
const DAY = 24 * 60 * 60 * 1000;
afterEach(() => setClock(null));

async function runCleanup() {
  const handler = jobHandler('auth.cleanup');
  if (!handler) throw new Error('auth.cleanup is not registered');
  const at = now();
  return handler({ slot: 'test', scheduledFor: at.toISOString() }, { db: t.db, now: at, jobId: 1, name: 'auth.cleanup', attempt: 1, maxAttempts: 3 });
}

describe('auth.cleanup', () => {
  it('X-4 the daily cleanup drops signed-action nonces used or expired over a day ago and keeps fresh ones', async () => {
    const T0 = new Date('2031-06-01T00:00:00Z');
    setClock(T0);
    const [u] = await t.db.insert(users).values({ iin: '900101300123', fullName: 'Сынақ Пайдаланушы' }).returning();
    const expired = await issueActionNonce(t.db, u.id, 'calendar.add');
    const used = await issueActionNonce(t.db, u.id, 'calendar.add');
    await consumeActionNonce(t.db, used.nonceId, u.id, 'calendar.add');

    setClock(new Date(T0.getTime() + 2 * DAY));
    const fresh = await issueActionNonce(t.db, u.id, 'calendar.add');
    const r = (await runCleanup()) as { nonces: number };
    expect(r.nonces).toBe(2);
    const left = await t.db.select({ id: actionNonces.id }).from(actionNonces);
    expect(left.map((n) => n.id)).toEqual([fresh.nonceId]);
    expect(expired.nonceId).not.toBe(fresh.nonceId);
  });
});
