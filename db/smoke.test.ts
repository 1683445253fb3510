import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useTestDb } from '@/lib/testing/db';
import { calendarDays } from './schema';

const t = useTestDb();

describe('database', () => {
  it('X-1 runs the migrations and stores instants as timestamptz in UTC', async () => {
    await t.db.insert(calendarDays).values({ date: '2026-01-01', kind: 'holiday', name: 'New Year' });
    const rows = await t.db.select().from(calendarDays);
    expect(rows).toHaveLength(1);
    expect(rows[0].updatedAt).toBeInstanceOf(Date);
    const [{ tz }] = await t.db.execute<{ tz: string }>(sql`select current_setting('TimeZone') as tz`);
    expect(tz).toBe('UTC');
  });
});
