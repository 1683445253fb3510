import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { officialCalendarDays } from '@/db/seed/calendar';
import { addDays, astanaDateOf, astanaInstant, weekday } from './astana';
import { WorkingCalendar } from './calendar';
import { renderExplanation } from './explain';

const cal = new WorkingCalendar(officialCalendarDays);
const at = (date: string, time: string) => astanaInstant(date, time);

/** A slow, obviously right reading of X-2, to check the precomputed tables against. */
function naiveWorking(date: string): boolean {
  const e = officialCalendarDays.find((d) => d.date === date);
  if (e) return e.kind === 'working_weekend';
  return weekday(date) <= 5;
}

const anyDate = fc
  .integer({ min: 0, max: 365 * 6 })
  .map((n) => addDays('2023-06-01', n));
const astanaHour = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Almaty', hour: '2-digit', hourCycle: 'h23' });
const anyInstant = fc.date({ min: new Date('2023-12-01T00:00:00Z'), max: new Date('2028-03-01T00:00:00Z'), noInvalidDate: true });

describe('working calendar (X-2)', () => {
  it('X-2 an ordinary weekday works, an ordinary weekend does not', () => {
    expect(cal.isWorkingDay('2026-11-25')).toBe(true);
    expect(cal.dayInfo('2026-11-25')).toEqual({ date: '2026-11-25', working: true, reason: 'weekday' });
    expect(cal.isWorkingDay('2026-11-28')).toBe(false);
    expect(cal.dayInfo('2026-11-28')).toEqual({ date: '2026-11-28', working: false, reason: 'weekend' });
  });

  it('X-2 a public holiday is not a working day (Independence Day 2025, a Tuesday)', () => {
    expect(cal.dayInfo('2025-12-16')).toEqual({ date: '2025-12-16', working: false, reason: 'holiday', name: 'Independence Day' });
  });

  it('X-2 Saturday 4 May 2024 is a working day (moved by decree)', () => {
    expect(weekday('2024-05-04')).toBe(6);
    expect(cal.isWorkingDay('2024-05-04')).toBe(true);
    expect(cal.dayInfo('2024-05-04').reason).toBe('working_weekend');
  });

  it('X-2 Wednesday 8 May 2024 is a transferred day off', () => {
    expect(weekday('2024-05-08')).toBe(3);
    expect(cal.isWorkingDay('2024-05-08')).toBe(false);
    expect(cal.dayInfo('2024-05-08')).toMatchObject({ working: false, reason: 'transferred_day_off' });
  });

  it('X-2 New Year 2026: 1 and 2 January off, then the weekend, first working day Monday 5 January', () => {
    expect(cal.isWorkingDay('2026-01-01')).toBe(false);
    expect(cal.isWorkingDay('2026-01-02')).toBe(false);
    expect(cal.nextWorkingDay('2025-12-31')).toBe('2026-01-05');
    expect(cal.workingDayOnOrAfter('2026-01-01')).toBe('2026-01-05');
    expect(cal.workingDayOnOrAfter('2025-12-31')).toBe('2025-12-31');
  });

  it('X-2 preliminary official days stay marked (2027)', () => {
    expect(cal.dayInfo('2027-01-01')).toMatchObject({ working: false, reason: 'holiday', preliminary: true });
  });

  it('X-2 addWorkingDays counts from the day after; 0 keeps a working day; working Saturdays count', () => {
    expect(cal.addWorkingDays('2024-05-03', 0)).toBe('2024-05-03');
    expect(cal.addWorkingDays('2024-05-03', 1)).toBe('2024-05-04'); // the working Saturday
    expect(cal.addWorkingDays('2024-05-03', 2)).toBe('2024-05-06');
    expect(cal.addWorkingDays('2024-05-03', 3)).toBe('2024-05-10'); // 7 holiday, 8 day off, 9 holiday
    expect(cal.addWorkingDays('2026-01-03', 0)).toBe('2026-01-05');
    expect(cal.addWorkingDays('2026-01-03', 1)).toBe('2026-01-05');
    expect(cal.workingDaysBetween('2024-05-03', '2024-05-10')).toBe(3);
    expect(cal.workingDaysBetween('2024-05-10', '2024-05-03')).toBe(-3);
    expect(() => cal.addWorkingDays('2024-05-03', -1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2024-05-03', 1.5)).toThrow(RangeError);
  });

  it('X-2 the precomputed tables agree with the plain rule on every day 2023–2029', () => {
    for (let d = '2023-01-01'; d <= '2029-12-31'; d = addDays(d, 1)) expect(cal.isWorkingDay(d), d).toBe(naiveWorking(d));
  });

  it('X-2 two entries for one date are refused', () => {
    expect(() => new WorkingCalendar([{ date: '2026-01-01', kind: 'holiday', name: 'a' }, { date: '2026-01-01', kind: 'holiday', name: 'b' }])).toThrow(RangeError);
  });

  it('X-2 property: addWorkingDays(d, n) then workingDaysBetween gives n back (n ≥ 1 any d; n = 0 working d)', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: 0, max: 400 }), (d, n) => {
        const start = n === 0 ? cal.workingDayOnOrAfter(d) : d;
        const end = cal.addWorkingDays(start, n);
        expect(cal.isWorkingDay(end)).toBe(true);
        expect(cal.workingDaysBetween(start, end)).toBe(n);
      }),
      { numRuns: 1000 },
    );
  });

  it('X-2 property: far outside the table (2045, 2010) the weekday rule still gives consistent answers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 60 }), (k, n) => {
        for (const base of ['2009-01-01', '2045-01-01']) {
          const d = addDays(base, k);
          const end = cal.addWorkingDays(d, n === 0 ? 1 : n);
          expect(cal.workingDaysBetween(d, end)).toBe(n === 0 ? 1 : n);
          expect(cal.isWorkingDay(d)).toBe(weekday(d) <= 5);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('registration date (E-18)', () => {
  it('E-18.1 13:59:59 Astana on a working day is registered that day', () => {
    const r = cal.registrationDate(at('2026-11-25', '13:59:59'));
    expect(r).toMatchObject({ date: '2026-11-25', case: '1' });
    expect(cal.registrationDate(new Date(at('2026-11-25', '14:00:00').getTime() - 1)).date).toBe('2026-11-25');
  });

  it('E-18.2 14:00:00 Astana on a working day is registered the next working day', () => {
    const r = cal.registrationDate(at('2026-11-25', '14:00:00'));
    expect(r).toMatchObject({ date: '2026-11-26', case: '2' });
    expect(renderExplanation(r.explanation, 'en')).toBe(
      'Received 25.11.2026 14:00 (Astana, UTC+5), on a working day at 14:00 or later: registered with the next working day’s date, 26.11.2026 (E-18, case 2).',
    );
  });

  it('E-18.1 X-1 the cut-off is Astana 14:00, not the server’s zone (New York) nor UTC', () => {
    // 09:30 UTC = 14:30 Astana = 04:30 in New York, same calendar day everywhere
    expect(cal.registrationDate(new Date('2026-11-25T09:30:00Z')).date).toBe('2026-11-26');
    // 21:00 UTC on 24 Nov = 16:00 New York on the 24th = 02:00 Astana on the 25th
    expect(cal.registrationDate(new Date('2026-11-24T21:00:00Z'))).toMatchObject({ date: '2026-11-25', case: '1' });
  });

  it('E-18.2 a Friday afternoon is registered on Monday, the weekend listed as skipped', () => {
    const r = cal.registrationDate(at('2025-11-28', '15:30'));
    expect(weekday('2025-11-28')).toBe(5);
    expect(r.date).toBe('2025-12-01');
    expect(r.case).toBe('2');
    expect(r.explanation.skipped).toEqual([
      { date: '2025-11-29', reason: 'weekend' },
      { date: '2025-11-30', reason: 'weekend' },
    ]);
  });

  it('E-18.1 Saturday 4 May 2024 is a working day: the morning is registered that Saturday', () => {
    expect(cal.registrationDate(at('2024-05-04', '10:00'))).toMatchObject({ date: '2024-05-04', case: '1' });
  });

  it('E-18.2 Saturday 4 May 2024 after 14:00 → Monday 6 May (Sunday skipped)', () => {
    const r = cal.registrationDate(at('2024-05-04', '16:00'));
    expect(r).toMatchObject({ date: '2024-05-06', case: '2' });
  });

  it('E-18.2 Friday 3 May 2024 after 14:00 → the working Saturday 4 May', () => {
    expect(cal.registrationDate(at('2024-05-03', '15:00'))).toMatchObject({ date: '2024-05-04', case: '2' });
  });

  it('E-18.3 8 May 2024 is a day off: a morning receipt goes to Friday 10 May (9 May a holiday)', () => {
    const r = cal.registrationDate(at('2024-05-08', '10:00'));
    expect(r).toMatchObject({ date: '2024-05-10', case: '3' });
    expect(r.explanation.skipped).toEqual([
      { date: '2024-05-08', reason: 'transferred_day_off', name: 'Day off transferred from 4 May' },
      { date: '2024-05-09', reason: 'holiday', name: 'Victory Day' },
    ]);
    expect(renderExplanation(r.explanation, 'ru')).toContain('в нерабочий день (перенесённый выходной: Day off transferred from 4 May)');
  });

  it('E-18.2 received 31 Dec 2025 at 15:00 → registered 5 January 2026', () => {
    const r = cal.registrationDate(at('2025-12-31', '15:00'));
    expect(r).toMatchObject({ date: '2026-01-05', case: '2' });
    expect(r.explanation.skipped?.map((s) => s.date)).toEqual(['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04']);
  });

  it('E-18.3 received on New Year’s Day 2026 at 09:00 → 5 January 2026', () => {
    expect(cal.registrationDate(at('2026-01-01', '09:00'))).toMatchObject({ date: '2026-01-05', case: '3' });
  });

  it('E-18.3 a Sunday just after midnight → Monday', () => {
    expect(cal.registrationDate(at('2026-11-29', '00:00:00'))).toMatchObject({ date: '2026-11-30', case: '3' });
  });

  it('E-18 documents certified during the review on a working day: registered at the actual time', () => {
    const certifiedAt = at('2026-11-25', '17:45:10');
    const r = cal.registrationDateDuringReview(certifiedAt);
    expect(r).toMatchObject({ date: '2026-11-25', case: 'review' });
    expect(r.instant?.toISOString()).toBe(certifiedAt.toISOString());
  });

  it('E-18 documents certified during the review on a holiday (Nauryz 2026): the next working day', () => {
    const certifiedAt = at('2026-03-23', '11:00');
    const r = cal.registrationDateDuringReview(certifiedAt);
    expect(r).toMatchObject({ date: '2026-03-26', case: 'review_non_working' });
    expect(r.instant?.getTime()).toBe(certifiedAt.getTime());
    expect(r.explanation.skipped?.map((s) => s.reason)).toEqual(['holiday', 'holiday', 'holiday']);
    expect(renderExplanation(r.explanation, 'kk')).toContain('26.03.2026');
  });

  it('E-18 property: a registration date is always a working day and never before the receipt’s Astana date', () => {
    fc.assert(
      fc.property(anyInstant, (d) => {
        const r = cal.registrationDate(d);
        expect(cal.isWorkingDay(r.date)).toBe(true);
        expect(r.date >= astanaDateOf(d)).toBe(true);
        const review = cal.registrationDateDuringReview(d);
        expect(cal.isWorkingDay(review.date)).toBe(true);
        expect(review.date >= astanaDateOf(d)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('E-18 property: the result matches the rule read literally (working day and hour < 14 → same day, else next working day)', () => {
    fc.assert(
      fc.property(anyInstant, (d) => {
        const date = astanaDateOf(d);
        const hour = Number(astanaHour.format(d));
        let expected = date;
        if (!naiveWorking(date) || hour >= 14) {
          expected = addDays(date, 1);
          while (!naiveWorking(expected)) expected = addDays(expected, 1);
        }
        expect(cal.registrationDate(d).date).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
