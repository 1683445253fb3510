import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { officialCalendarDays } from '@/db/seed/calendar';
import { astanaInstant } from './astana';
import { EXPERTISE_SUPPORT_HOURS, PROCUREMENT_SUPPORT_HOURS, SupportCalendar } from './business-hours';
import { WorkingCalendar } from './calendar';
import { renderExplanation } from './explain';

const cal = new WorkingCalendar(officialCalendarDays);
const expertise = new SupportCalendar(cal, EXPERTISE_SUPPORT_HOURS, 'expertise');
const procurement = new SupportCalendar(cal, PROCUREMENT_SUPPORT_HOURS, 'procurement');
const at = (date: string, time: string) => astanaInstant(date, time);
const iso = (d: Date) => d.toISOString();

const anyInstant = fc.date({ min: new Date('2024-03-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true });

describe('support hours (X-2)', () => {
  it('X-2 expertise support is open 09:00–12:30 and 14:00–18:30 Astana on working days', () => {
    expect(expertise.isOpen(at('2026-11-25', '08:59:59'))).toBe(false);
    expect(expertise.isOpen(at('2026-11-25', '09:00'))).toBe(true);
    expect(expertise.isOpen(at('2026-11-25', '12:29:59'))).toBe(true);
    expect(expertise.isOpen(at('2026-11-25', '12:30'))).toBe(false);
    expect(expertise.isOpen(at('2026-11-25', '14:00'))).toBe(true);
    expect(expertise.isOpen(at('2026-11-25', '18:30'))).toBe(false);
    expect(procurement.isOpen(at('2026-11-25', '13:00'))).toBe(true);
  });

  it('X-2 closed on a holiday and on a weekend, open on the working Saturday 4 May 2024', () => {
    expect(expertise.isOpen(at('2025-12-16', '10:00'))).toBe(false);
    expect(expertise.isOpen(at('2026-11-28', '10:00'))).toBe(false);
    expect(expertise.isOpen(at('2024-05-04', '10:00'))).toBe(true);
  });

  it('X-2 nextOpening: itself when open; after lunch; the next working day after hours', () => {
    expect(iso(expertise.nextOpening(at('2026-11-25', '10:00')))).toBe(iso(at('2026-11-25', '10:00')));
    expect(iso(expertise.nextOpening(at('2026-11-25', '12:45')))).toBe(iso(at('2026-11-25', '14:00')));
    expect(iso(expertise.nextOpening(at('2026-11-25', '07:00')))).toBe(iso(at('2026-11-25', '09:00')));
    expect(iso(expertise.nextOpening(at('2025-12-31', '19:00')))).toBe(iso(at('2026-01-05', '09:00')));
  });

  it('X-2 addBusinessMinutes skips lunch, nights, weekends and holidays', () => {
    expect(iso(expertise.addBusinessMinutes(at('2026-11-25', '12:00'), 60))).toBe(iso(at('2026-11-25', '14:30')));
    expect(iso(expertise.addBusinessMinutes(at('2026-11-27', '18:00'), 60))).toBe(iso(at('2026-11-30', '09:30')));
    expect(iso(procurement.addBusinessMinutes(at('2026-11-25', '12:00'), 60))).toBe(iso(at('2026-11-25', '13:00')));
    expect(iso(expertise.addBusinessMinutes(at('2026-11-25', '12:00'), 30))).toBe(iso(at('2026-11-25', '12:30')));
    expect(iso(expertise.addBusinessMinutes(at('2026-11-25', '12:00'), 0))).toBe(iso(at('2026-11-25', '12:00')));
    // one full expertise day is 8 h = 480 min
    expect(iso(expertise.addBusinessMinutes(at('2026-11-25', '09:00'), 480))).toBe(iso(at('2026-11-25', '18:30')));
    expect(expertise.businessMinutesBetween(at('2026-11-23', '00:00'), at('2026-11-30', '00:00'))).toBe(5 * 480);
    // the week of 4–10 May 2024: Sat 4 works; 7, 8, 9 do not → Fri 3, Sat 4, Mon 6, Fri 10
    expect(expertise.businessMinutesBetween(at('2024-05-03', '00:00'), at('2024-05-11', '00:00'))).toBe(4 * 480);
    expect(expertise.businessMinutesBetween(at('2024-05-11', '00:00'), at('2024-05-03', '00:00'))).toBe(-4 * 480);
  });

  it('X-2 bad intervals are refused', () => {
    expect(() => new SupportCalendar(cal, [])).toThrow(RangeError);
    expect(() => new SupportCalendar(cal, [{ start: '10:00', end: '09:00' }])).toThrow(RangeError);
    expect(() => new SupportCalendar(cal, [{ start: '09:00', end: '13:00' }, { start: '12:00', end: '18:00' }])).toThrow(RangeError);
  });

  it('X-2 property: business time is additive, between(a,b) + between(b,c) = between(a,c)', () => {
    fc.assert(
      fc.property(anyInstant, anyInstant, anyInstant, (x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p.getTime() - q.getTime());
        for (const s of [expertise, procurement]) {
          expect(s.businessMsBetween(a, b) + s.businessMsBetween(b, c)).toBe(s.businessMsBetween(a, c));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('X-2 property: addBusinessMinutes then businessMinutesBetween gives the same minutes', () => {
    fc.assert(
      fc.property(anyInstant, fc.integer({ min: 0, max: 20_000 }), (a, m) => {
        for (const s of [expertise, procurement]) {
          const end = s.addBusinessMinutes(a, m);
          expect(s.businessMinutesBetween(a, end)).toBe(m);
          if (m > 0) expect(s.businessMinutesBetween(a, new Date(end.getTime() - 1))).toBeLessThan(m);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('X-2 property: the fast between agrees with a minute-by-minute count over short spans', () => {
    fc.assert(
      fc.property(anyInstant, fc.integer({ min: 0, max: 4 * 24 * 60 }), (a0, span) => {
        const a = new Date(Math.floor(a0.getTime() / 60_000) * 60_000);
        let count = 0;
        for (let i = 0; i < span; i++) if (expertise.isOpen(new Date(a.getTime() + i * 60_000))) count++;
        expect(expertise.businessMinutesBetween(a, new Date(a.getTime() + span * 60_000))).toBe(count);
      }),
      { numRuns: 100 },
    );
  });
});

describe('incident registration due (I-4)', () => {
  it('I-4 a report during support hours is registered within 30 working minutes', () => {
    const r = expertise.incidentRegistrationDue(at('2026-11-25', '10:10'));
    expect(r.case).toBe('open');
    expect(iso(r.due)).toBe(iso(at('2026-11-25', '10:40')));
  });

  it('I-4 a report 10 minutes before lunch: 10 minutes before, 20 after', () => {
    const r = expertise.incidentRegistrationDue(at('2026-11-25', '12:20'));
    expect(iso(r.due)).toBe(iso(at('2026-11-25', '14:20')));
  });

  it('I-4 a report during lunch is registered within 30 minutes after lunch (14:30)', () => {
    const r = expertise.incidentRegistrationDue(at('2026-11-25', '13:05'));
    expect(r.case).toBe('break');
    expect(iso(r.due)).toBe(iso(at('2026-11-25', '14:30')));
    expect(renderExplanation(r.explanation, 'en')).toBe(
      'Report received 25.11.2026 13:05 (Astana, UTC+5), during the lunch break: registered within 30 minutes after the break, by 25.11.2026 14:30 (Astana, UTC+5) (I-4).',
    );
  });

  it('I-4 a report after hours on a Friday evening is registered on Monday by 09:30', () => {
    const r = expertise.incidentRegistrationDue(at('2026-11-27', '19:00'));
    expect(r.case).toBe('after_hours');
    expect(iso(r.due)).toBe(iso(at('2026-11-30', '09:30')));
    expect(r.explanation.skipped?.map((s) => s.date)).toEqual(['2026-11-28', '2026-11-29']);
  });

  it('I-4 a report early in the morning of a working day: 30 minutes after opening that day', () => {
    const r = expertise.incidentRegistrationDue(at('2026-11-25', '07:15'));
    expect(r.case).toBe('after_hours');
    expect(iso(r.due)).toBe(iso(at('2026-11-25', '09:30')));
  });

  it('I-4 a report on the transferred day off 8 May 2024 (during "lunch" hours) waits for Friday 10 May 09:30', () => {
    const r = expertise.incidentRegistrationDue(at('2024-05-08', '13:00'));
    expect(r.case).toBe('after_hours');
    expect(iso(r.due)).toBe(iso(at('2024-05-10', '09:30')));
    expect(r.explanation.skipped?.map((s) => s.reason)).toEqual(['transferred_day_off', 'holiday']);
  });

  it('I-4 a report on the working Saturday 4 May 2024 is handled that day', () => {
    expect(iso(expertise.incidentRegistrationDue(at('2024-05-04', '11:00')).due)).toBe(iso(at('2024-05-04', '11:30')));
  });

  it('I-4 property: the due is 30 working minutes after receipt and always inside support hours’ end', () => {
    fc.assert(
      fc.property(anyInstant, (d) => {
        const r = expertise.incidentRegistrationDue(d);
        expect(expertise.businessMinutesBetween(d, r.due)).toBe(30);
        expect(expertise.isOpen(new Date(r.due.getTime() - 1))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
