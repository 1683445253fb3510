import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { officialCalendarDays } from '@/db/seed/calendar';
import { addDays, astanaInstant } from './astana';
import { EXPERTISE_SUPPORT_HOURS, SupportCalendar } from './business-hours';
import { WorkingCalendar } from './calendar';
import { computeDeadline, extendDeadline } from './deadline';
import { renderExplanation } from './explain';

const cal = new WorkingCalendar(officialCalendarDays);
const expertise = new SupportCalendar(cal, EXPERTISE_SUPPORT_HOURS, 'expertise');
const rule = { id: 'E-8', key: 'rules.E-8' };
const at = (date: string, time: string) => astanaInstant(date, time);

describe('deadlines with their explanation (X-2)', () => {
  it('X-2 3 working days from Friday 3 May 2024: the working Saturday counts, 7–9 May are skipped', () => {
    const d = computeDeadline(cal, { start: at('2024-05-03', '10:00'), amount: 3, unit: 'working_days', rule });
    expect(d.startDate).toBe('2024-05-03');
    expect(d.dueDate).toBe('2024-05-10');
    expect(d.due.toISOString()).toBe('2024-05-10T18:59:59.999Z'); // the end of 10 May, Astana
    expect(d.skipped).toEqual([
      { date: '2024-05-05', reason: 'weekend' },
      { date: '2024-05-07', reason: 'holiday', name: 'Defender of the Fatherland Day' },
      { date: '2024-05-08', reason: 'transferred_day_off', name: 'Day off transferred from 4 May' },
      { date: '2024-05-09', reason: 'holiday', name: 'Victory Day' },
    ]);
    expect(d.rule).toEqual(rule);
    expect(renderExplanation(d.explanation, 'en')).toMatch(/^3 working days from 03\.05\.2024 10:00 \(Astana, UTC\+5\): due by the end of 10\.05\.2024 \(E-8\)\. Skipped: 05\.05\.2024 \(weekend\)/);
  });

  it('X-2 calendar days: a term ending on New Year 2026 moves to the next working day, 5 January', () => {
    const d = computeDeadline(cal, { start: at('2025-12-22', '09:00'), amount: 10, unit: 'calendar_days', rule });
    expect(d.dueDate).toBe('2026-01-05');
    expect(d.skipped.map((s) => s.date)).toEqual(['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04']);
  });

  it('X-2 business minutes: 2 working hours from 11:30 skip lunch and fall due at 15:00', () => {
    const d = computeDeadline(expertise, { start: at('2026-11-25', '11:30'), amount: 120, unit: 'business_minutes', rule: { id: 'I-6', key: 'rules.I-6' } });
    expect(d.due.toISOString()).toBe(at('2026-11-25', '15:00').toISOString());
    expect(d.skipped).toEqual([]);
    expect(() => computeDeadline(cal, { start: at('2026-11-25', '11:30'), amount: 120, unit: 'business_minutes', rule })).toThrow(TypeError);
  });

  it('X-2 an extension counts from the current due and is listed with its reason', () => {
    const base = computeDeadline(cal, { start: at('2024-05-03', '10:00'), amount: 3, unit: 'working_days', rule });
    const ext = { by: 2, unit: 'working_days' as const, reason: 'documents requested', ref: 'order-17' };
    const longer = extendDeadline(base, ext);
    expect(longer.dueDate).toBe('2024-05-14');
    expect(longer.extensions).toEqual([ext]);
    expect(longer.skipped.map((s) => s.date)).toContain('2024-05-11');
    expect(longer.amount).toBe(3);
    // the same with the calendar passed explicitly, and by listing the extension in the input
    expect(extendDeadline(base, ext, cal).dueDate).toBe('2024-05-14');
    expect(computeDeadline(cal, { ...base, extensions: [ext] }).due.getTime()).toBe(longer.due.getTime());
    const plain = { ...base };
    expect(() => extendDeadline(plain, ext)).toThrow(/pass the calendar/);
  });

  it('X-2 recomputing with a changed calendar moves the deadline (a new holiday on the due date)', () => {
    const input = { start: at('2026-11-20', '10:00'), amount: 3, unit: 'working_days' as const, rule };
    const before = computeDeadline(cal, input);
    expect(before.dueDate).toBe('2026-11-25');
    const after = computeDeadline(new WorkingCalendar([...officialCalendarDays, { date: '2026-11-25', kind: 'holiday', name: 'Test holiday' }]), input);
    expect(after.dueDate).toBe('2026-11-26');
    expect(after.skipped.at(-1)).toEqual({ date: '2026-11-25', reason: 'holiday', name: 'Test holiday' });
  });

  it('X-2 property: a working-days deadline falls on a working day exactly N working days after the start', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1400 }), fc.integer({ min: 1, max: 60 }), (k, n) => {
        const start = addDays('2024-03-01', k);
        const d = computeDeadline(cal, { start: at(start, '12:00'), amount: n, unit: 'working_days', rule });
        expect(cal.isWorkingDay(d.dueDate)).toBe(true);
        expect(cal.workingDaysBetween(start, d.dueDate)).toBe(n);
        for (const s of d.skipped) expect(cal.isWorkingDay(s.date)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
