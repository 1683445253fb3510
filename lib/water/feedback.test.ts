import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '@/lib/auth/principal';
import { setClock } from '@/lib/time/clock';
import { useTestDb } from '@/lib/testing/db';
import { feedbackSummary, submitFeedback } from './feedback';
import { createWaterUser } from './monitoring/testing';

const t = useTestDb();
let a: Principal;
let b: Principal;

beforeAll(async () => {
  a = await createWaterUser(t.db, { role: 'water_utility' });
  b = await createWaterUser(t.db, { role: 'akimat' });
});
afterAll(() => setClock(null));

describe('W-3 feedback', () => {
  it('W-3 ratings and comments are collected and summarised for the operator (average, count, distribution, recent comments)', async () => {
    setClock('2025-06-01T05:00:00Z');
    await submitFeedback(t.db, a, { service: 'water.monitoring', rating: 5, comment: 'Alerts arrive fast' });
    setClock('2025-06-02T05:00:00Z');
    await submitFeedback(t.db, b, { service: 'water.monitoring', rating: 2, comment: 'Charts slow on phone' });
    await submitFeedback(t.db, b, { service: 'water.reports', rating: 4 });
    setClock('2025-07-01T05:00:00Z');
    await submitFeedback(t.db, a, { service: 'water.monitoring', rating: 4, comment: '  ' });
    await expect(submitFeedback(t.db, a, { service: 'water.monitoring', rating: 6 })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(submitFeedback(t.db, a, { service: 'water.monitoring', rating: 0 })).rejects.toMatchObject({ code: 'validation_failed' });

    const all = await feedbackSummary(t.db);
    expect(all).toMatchObject({ count: 4, average: 3.75, distribution: { 1: 0, 2: 1, 3: 0, 4: 2, 5: 1 } });
    const mon = await feedbackSummary(t.db, { service: 'water.monitoring' });
    expect(mon).toMatchObject({ count: 3, average: 3.67 });
    expect(mon.recentComments.map((c) => c.comment)).toEqual(['Charts slow on phone', 'Alerts arrive fast']);
    const june = await feedbackSummary(t.db, { service: 'water.monitoring', from: new Date('2025-06-01T00:00:00Z'), to: new Date('2025-07-01T00:00:00Z') });
    expect(june).toMatchObject({ count: 2, average: 3.5 });
    expect(await feedbackSummary(t.db, { service: 'none' })).toMatchObject({ count: 0, average: null });
  });
});
