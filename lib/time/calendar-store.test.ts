import crypto from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, calendarDays } from '@/db/schema';
import { calendarSeeder, officialCalendarDays } from '@/db/seed/calendar';
import { verifyAuditChain } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import { useTestDb } from '@/lib/testing/db';
import { astanaInstant } from './astana';
import { WorkingCalendar } from './calendar';
import {
  addCalendarDay,
  listCalendarDays,
  listSupportCalendars,
  loadSupportCalendar,
  loadWorkingCalendar,
  removeCalendarDay,
  updateCalendarDay,
  updateSupportCalendar,
} from './calendar-store';
import { setClock } from './clock';
import { computeDeadline, deadlinesMovedBy, previewCalendarChange, registerDeadlineSource, unregisterDeadlineSource } from './deadline';

 
const t = useTestDb();
const actor = { userId: crypto.randomUUID(), iin: '850101300123', role: 'operator', name: 'Test Operator' };
const rule = { id: 'E-8', key: 'rules.E-8' };

async function auditRows(entityType: string, entityId?: string) {
  return t.db
    .select()
    .from(auditLog)
    .where(entityId ? and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId)) : eq(auditLog.entityType, entityType))
    .orderBy(asc(auditLog.seq));
}

async function expectAppError(p: Promise<unknown>, code: string): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  expect((e as AppError).code).toBe(code);
  return e as AppError;
}

beforeAll(async () => {
  await calendarSeeder.run(t.db);
});
afterEach(() => {
  setClock(null);
  unregisterDeadlineSource('test-applications');
});
afterAll(() => unregisterDeadlineSource('test-applications'));

describe('calendar store (X-2, X-9)', () => {
  it('X-2 the seed loads the official days with their preliminary flags and both support calendars', async () => {
    const all = await listCalendarDays(t.db);
    expect(all).toHaveLength(officialCalendarDays.length);
    const y2024 = await listCalendarDays(t.db, { year: 2024 });
    expect(y2024.map((d) => d.date)).toContain('2024-05-04');
    expect(y2024.every((d) => d.date.startsWith('2024-'))).toBe(true);
    expect(all.find((d) => d.date === '2027-01-01')?.preliminary).toBe(true);
    expect(all.find((d) => d.date === '2026-01-01')?.preliminary).toBe(false);
    const cal = await loadWorkingCalendar(t.db);
    expect(cal.isWorkingDay('2024-05-04')).toBe(true);
    expect(cal.isWorkingDay('2024-05-08')).toBe(false);
    expect(cal.registrationDate(astanaInstant('2025-12-31', '15:00')).date).toBe('2026-01-05');
    expect((await listSupportCalendars(t.db)).map((s) => s.system)).toEqual(['expertise', 'procurement']);
    const expertise = await loadSupportCalendar(t.db, 'expertise');
    expect(expertise.intervals).toEqual([
      { start: '09:00', end: '12:30' },
      { start: '14:00', end: '18:30' },
    ]);
    await expectAppError(loadSupportCalendar(t.db, 'nope'), 'not_found');
  });

  it('X-2 adding a holiday is audited, refreshes the cached calendar and lists the deadlines it moves', async () => {
    setClock('2026-11-20T06:00:00Z');
    const cached = await loadWorkingCalendar(t.db);
    expect(cached.isWorkingDay('2026-11-25')).toBe(true);
    expect(await loadWorkingCalendar(t.db)).toBe(cached); // served from the cache

    const open = computeDeadline(cached, { start: astanaInstant('2026-11-20', '10:00'), amount: 3, unit: 'working_days', rule });
    const untouched = computeDeadline(cached, { start: astanaInstant('2026-12-01', '10:00'), amount: 3, unit: 'working_days', rule });
    expect(open.dueDate).toBe('2026-11-25');
    registerDeadlineSource({
      name: 'test-applications',
      listOpen: async () =>
        [
          { id: 'A-1', d: open },
          { id: 'A-2', d: untouched },
        ].map(({ id, d }) => ({ id, label: `Application ${id}`, current: d, recompute: (cal: WorkingCalendar) => computeDeadline(cal, d) })),
    });

    const res = await addCalendarDay(t.db, actor, { date: '2026-11-25', kind: 'holiday', name: 'Test holiday', reason: 'Decree No. 1 (test)' });
    expect(res.day).toMatchObject({ date: '2026-11-25', kind: 'holiday', name: 'Test holiday', reason: 'Decree No. 1 (test)', updatedBy: actor.userId });
    expect(res.moved).toHaveLength(1);
    expect(res.moved[0]).toMatchObject({ source: 'test-applications', id: 'A-1', label: 'Application A-1' });
    expect(res.moved[0].from.dueDate).toBe('2026-11-25');
    expect(res.moved[0].to.dueDate).toBe('2026-11-26');

    const after = await loadWorkingCalendar(t.db);
    expect(after).not.toBe(cached);
    expect(after.isWorkingDay('2026-11-25')).toBe(false);

    const rows = await auditRows('calendar_day', '2026-11-25');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'calendar.day.add',
      basis: 'Decree No. 1 (test)',
      actorUserId: actor.userId,
      actorIin: actor.iin,
      before: null,
      after: { date: '2026-11-25', kind: 'holiday', name: 'Test holiday', preliminary: false, reason: 'Decree No. 1 (test)' },
    });
    expect(rows[0].at.toISOString()).toBe('2026-11-20T06:00:00.000Z');
  });

  it('X-2 previewCalendarChange compares two calendars without writing', async () => {
    const current = await loadWorkingCalendar(t.db);
    const d = computeDeadline(current, { start: astanaInstant('2026-12-01', '10:00'), amount: 3, unit: 'working_days', rule });
    expect(d.dueDate).toBe('2026-12-04');
    registerDeadlineSource({
      name: 'test-applications',
      listOpen: async () => [{ id: 'B-1', label: 'B-1', current: d, recompute: (cal: WorkingCalendar) => computeDeadline(cal, d) }],
    });
    const proposed = new WorkingCalendar([...current.exceptions, { date: '2026-12-03', kind: 'transferred_day_off', name: 'Proposed' }]);
    const moves = await previewCalendarChange(t.db, current, proposed);
    expect(moves.map((m) => [m.id, m.from.dueDate, m.to.dueDate])).toEqual([['B-1', '2026-12-04', '2026-12-07']]);
    expect(await deadlinesMovedBy(t.db, current)).toEqual([]);
    expect((await loadWorkingCalendar(t.db)).isWorkingDay('2026-12-03')).toBe(true);
  });

  it('X-2 a duplicate date is refused with calendar_day_exists and nothing is audited', async () => {
    const before = (await auditRows('calendar_day')).length;
    const e = await expectAppError(
      addCalendarDay(t.db, actor, { date: '2024-05-09', kind: 'holiday', name: 'Again', reason: 'dup' }),
      'calendar_day_exists',
    );
    expect(e.status).toBe(409);
    expect((await auditRows('calendar_day')).length).toBe(before);
  });

  it('X-2 input is validated: a reason and a name are required, the date must exist', async () => {
    const e = await expectAppError(addCalendarDay(t.db, actor, { date: '2026-02-30', kind: 'holiday', name: ' ', reason: '' }), 'validation_failed');
    expect(Object.keys(e.fields ?? {}).sort()).toEqual(['date', 'name', 'reason']);
    await expectAppError(removeCalendarDay(t.db, actor, { date: '2026-11-25', reason: '   ' }), 'validation_failed');
  });

  it('X-2 X-9 updating a day is audited with before and after; a missing day is calendar_day_not_found', async () => {
    const res = await updateCalendarDay(t.db, actor, {
      date: '2027-01-01',
      kind: 'holiday',
      name: 'New Year',
      preliminary: false,
      reason: 'Confirmed by the 2027 transfer order',
    });
    expect(res.day).toMatchObject({ preliminary: false, reason: 'Confirmed by the 2027 transfer order' });
    const [row] = await auditRows('calendar_day', '2027-01-01');
    expect(row).toMatchObject({ action: 'calendar.day.update', basis: 'Confirmed by the 2027 transfer order' });
    expect(row.before).toMatchObject({ preliminary: true });
    expect(row.after).toMatchObject({ preliminary: false });
    await expectAppError(
      updateCalendarDay(t.db, actor, { date: '2026-06-15', kind: 'holiday', name: 'x', reason: 'x' }),
      'calendar_day_not_found',
    );
  });

  it('X-2 X-9 removing a day restores the weekday rule, is audited, and the seed does not put edits back', async () => {
    expect((await loadWorkingCalendar(t.db)).isWorkingDay('2026-11-25')).toBe(false);
    const res = await removeCalendarDay(t.db, actor, { date: '2026-11-25', reason: 'Decree No. 1 cancelled' });
    expect(res.day).toBeNull();
    expect((await loadWorkingCalendar(t.db)).isWorkingDay('2026-11-25')).toBe(true);
    const rows = await auditRows('calendar_day', '2026-11-25');
    expect(rows.map((r) => r.action)).toEqual(['calendar.day.add', 'calendar.day.remove']);
    expect(rows[1]).toMatchObject({ basis: 'Decree No. 1 cancelled', after: null, before: { kind: 'holiday', name: 'Test holiday' } });
    await expectAppError(removeCalendarDay(t.db, actor, { date: '2026-11-25', reason: 'again' }), 'calendar_day_not_found');

    // an operator edit of a seeded day survives a re-run of the seed
    await updateCalendarDay(t.db, actor, { date: '2024-05-01', kind: 'holiday', name: 'Unity Day (edited)', reason: 'typo' });
    await calendarSeeder.run(t.db);
    const [day] = await t.db.select().from(calendarDays).where(eq(calendarDays.date, '2024-05-01'));
    expect(day.name).toBe('Unity Day (edited)');
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('X-2 a write and its audit row are one transaction: when listing moved deadlines fails, the day is not added', async () => {
    registerDeadlineSource({
      name: 'test-applications',
      listOpen: async () => {
        throw new Error('source down');
      },
    });
    const before = (await auditRows('calendar_day')).length;
    await expect(addCalendarDay(t.db, actor, { date: '2026-06-15', kind: 'holiday', name: 'x', reason: 'x' })).rejects.toThrow('source down');
    expect(await t.db.select().from(calendarDays).where(eq(calendarDays.date, '2026-06-15'))).toEqual([]);
    expect((await auditRows('calendar_day')).length).toBe(before);
    expect((await loadWorkingCalendar(t.db)).isWorkingDay('2026-06-15')).toBe(true);
  });

  it('I-4 X-9 support hours are edited with an audit row; bad intervals are refused', async () => {
    const before = await loadSupportCalendar(t.db, 'procurement');
    expect(before.isOpen(astanaInstant('2026-11-25', '09:30'))).toBe(true);
    const row = await updateSupportCalendar(t.db, actor, {
      system: 'procurement',
      intervals: [{ start: '10:00', end: '18:30' }],
      reason: 'Order No. 5 (test)',
    });
    expect(row).toMatchObject({ system: 'procurement', name: 'Procurement platform support', intervals: [{ start: '10:00', end: '18:30' }] });
    const after = await loadSupportCalendar(t.db, 'procurement');
    expect(after.isOpen(astanaInstant('2026-11-25', '09:30'))).toBe(false);
    const [audit] = await auditRows('support_calendar', 'procurement');
    expect(audit).toMatchObject({
      action: 'calendar.support.update',
      basis: 'Order No. 5 (test)',
      before: { intervals: [{ start: '09:00', end: '18:30' }] },
      after: { intervals: [{ start: '10:00', end: '18:30' }] },
    });
    const e = await expectAppError(
      updateSupportCalendar(t.db, actor, {
        system: 'procurement',
        intervals: [
          { start: '09:00', end: '13:00' },
          { start: '12:00', end: '18:00' },
        ],
        reason: 'overlap',
      }),
      'validation_failed',
    );
    expect(e.fields?.intervals).toMatch(/overlap/);
    // a new expert IS sets its own hours; it needs a name
    await expectAppError(updateSupportCalendar(t.db, actor, { system: 'is-ke-2', intervals: [{ start: '08:00', end: '17:00' }], reason: 'r' }), 'validation_failed');
    await updateSupportCalendar(t.db, actor, { system: 'is-ke-2', name: 'Expert IS 2', intervals: [{ start: '08:00', end: '17:00' }], reason: 'r' });
    expect((await loadSupportCalendar(t.db, 'is-ke-2')).isOpen(astanaInstant('2026-11-25', '08:30'))).toBe(true);
  });
});
