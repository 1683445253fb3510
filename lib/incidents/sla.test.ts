import { describe, expect, it } from 'vitest';
import { officialCalendarDays } from '@/db/seed/calendar';
import { astanaInstant } from '@/lib/time/astana';
import { EXPERTISE_SUPPORT_HOURS, SupportCalendar } from '@/lib/time/business-hours';
import { WorkingCalendar } from '@/lib/time/calendar';
import { renderSla } from './explain';
import {
  analysisDue,
  bannerDue,
  confirmNoticeDue,
  failureExtension,
  forceMajeureExtension,
  idEmailDue,
  infoReplyDue,
  maintenanceNoticeDue,
  maintenanceWindowCheck,
  overlaps,
  participantsNoticeDue,
  planPublicationCheck,
  refuteNoticeDue,
  registrationDue,
} from './sla';

const cal = new WorkingCalendar(officialCalendarDays);
const support = new SupportCalendar(cal, EXPERTISE_SUPPORT_HOURS, 'expertise');
const at = (date: string, time: string) => astanaInstant(date, time);
const iso = (d: Date) => d.toISOString();

describe('incident SLA (I-4..I-12)', () => {
  it('I-4 a report in working hours is registered within 30 working minutes', () => {
    const r = registrationDue(support, at('2026-11-25', '10:00'));
    expect(iso(r.due)).toBe(iso(at('2026-11-25', '10:30')));
    expect(r.case).toBe('open');
    // 12:10 + 30 working minutes: 20 before lunch, 10 after it
    expect(iso(registrationDue(support, at('2026-11-25', '12:10')).due)).toBe(iso(at('2026-11-25', '14:10')));
  });

  it('I-4 a report during lunch (12:30–14:00) is registered within 30 minutes after lunch', () => {
    const r = registrationDue(support, at('2026-11-25', '12:45'));
    expect(r.case).toBe('break');
    expect(iso(r.due)).toBe(iso(at('2026-11-25', '14:30')));
    expect(renderSla(r.explanation, 'en')).toContain('lunch break');
  });

  it('I-4 after hours and on non-working days: the next working day, opening + 30 minutes', () => {
    const evening = registrationDue(support, at('2026-11-25', '18:45'));
    expect(evening.case).toBe('after_hours');
    expect(iso(evening.due)).toBe(iso(at('2026-11-26', '09:30')));
    // Friday evening → Monday
    expect(iso(registrationDue(support, at('2026-11-27', '20:00')).due)).toBe(iso(at('2026-11-30', '09:30')));
    // New Year holidays (1–2 January 2026) and the weekend → Monday 5 January
    expect(iso(registrationDue(support, at('2025-12-31', '19:00')).due)).toBe(iso(at('2026-01-05', '09:30')));
  });

  it('I-5 the incident ID is e-mailed within one hour of registration (calendar time)', () => {
    const r = idEmailDue(at('2026-11-25', '18:10'));
    expect(iso(r.due)).toBe(iso(at('2026-11-25', '19:10')));
    expect(r.explanation.rule).toBe('I-5');
    expect(renderSla(r.explanation, 'ru')).toMatch(/час/);
  });

  it('I-6 analysis within 2 working hours, across lunch and the night', () => {
    expect(iso(analysisDue(support, at('2026-11-25', '10:00')).due)).toBe(iso(at('2026-11-25', '12:00')));
    expect(iso(analysisDue(support, at('2026-11-25', '12:00')).due)).toBe(iso(at('2026-11-25', '15:30')));
    expect(iso(analysisDue(support, at('2026-11-25', '17:30')).due)).toBe(iso(at('2026-11-26', '10:00')));
  });

  it('I-7 the requested information is awaited 2 hours from the request', () => {
    expect(iso(infoReplyDue(at('2026-11-25', '17:00')).due)).toBe(iso(at('2026-11-25', '19:00')));
  });

  it('I-8 a refutation is notified within 30 minutes', () => {
    expect(iso(refuteNoticeDue(at('2026-11-25', '11:00')).due)).toBe(iso(at('2026-11-25', '11:30')));
  });

  it('I-10 / I-11 / I-12 the reporter is notified within 30 minutes of confirmation; I-11 participants within 1 hour; I-12 banner within 30 minutes', () => {
    const c = at('2026-11-25', '11:00');
    expect(confirmNoticeDue(c, 'low').explanation.rule).toBe('I-10');
    expect(confirmNoticeDue(c, 'medium').explanation.rule).toBe('I-11');
    expect(confirmNoticeDue(c, 'high').explanation.rule).toBe('I-12');
    expect(iso(confirmNoticeDue(c, 'high').due)).toBe(iso(at('2026-11-25', '11:30')));
    expect(iso(participantsNoticeDue(c).due)).toBe(iso(at('2026-11-25', '12:00')));
    expect(iso(bannerDue(c).due)).toBe(iso(at('2026-11-25', '11:30')));
    expect(renderSla(confirmNoticeDue(c, 'high').explanation, 'en')).toContain('high');
  });
});

describe('extensions (I-11, I-12, I-13)', () => {
  it('I-11 / I-12 the failure duration rounded up to whole days (deadlines are in days)', () => {
    expect(failureExtension('I-12', at('2026-11-25', '10:00'), at('2026-11-25', '13:00')).days).toBe(1);
    expect(failureExtension('I-12', at('2026-11-25', '10:00'), at('2026-11-26', '10:00')).days).toBe(1);
    expect(failureExtension('I-11', at('2026-11-25', '10:00'), at('2026-11-26', '10:01')).days).toBe(2);
  });

  it('I-13 force majeure: the number of days the event lasted (Astana dates touched)', () => {
    expect(forceMajeureExtension(at('2026-11-25', '22:00'), at('2026-11-27', '03:00')).days).toBe(3);
    expect(forceMajeureExtension(at('2026-11-25', '00:00'), at('2026-11-26', '00:00')).days).toBe(1);
  });

  it('I-12 overlap of a deadline period with the failure window (half-open)', () => {
    const s = at('2026-11-25', '10:00');
    const e = at('2026-11-25', '12:00');
    expect(overlaps(at('2026-11-20', '00:00'), at('2026-11-25', '10:30'), s, e)).toBe(true);
    expect(overlaps(at('2026-11-20', '00:00'), s, s, e)).toBe(false);
    expect(overlaps(e, at('2026-12-01', '00:00'), s, e)).toBe(false);
  });
});

describe('maintenance (I-17, I-18)', () => {
  it('I-18 the notice is due 2 calendar days before the works', () => {
    expect(iso(maintenanceNoticeDue(at('2026-11-27', '21:00')).due)).toBe(iso(at('2026-11-25', '21:00')));
  });

  it('I-18 default window: 21:00–06:00 Astana or weekends and holidays', () => {
    expect(maintenanceWindowCheck(cal, at('2026-11-25', '21:00'), at('2026-11-26', '06:00')).withinDefault).toBe(true);
    // a whole Saturday and Sunday
    expect(maintenanceWindowCheck(cal, at('2026-11-28', '08:00'), at('2026-11-29', '20:00')).withinDefault).toBe(true);
    // Friday 20:00 is still daytime
    const fri = maintenanceWindowCheck(cal, at('2026-11-27', '20:00'), at('2026-11-28', '12:00'));
    expect(fri.withinDefault).toBe(false);
    expect(iso(fri.firstOutside!)).toBe(iso(at('2026-11-27', '20:00')));
    // until 06:30 on a working day leaves the default hours at 06:00
    const morning = maintenanceWindowCheck(cal, at('2026-11-25', '23:00'), at('2026-11-26', '06:30'));
    expect(iso(morning.firstOutside!)).toBe(iso(at('2026-11-26', '06:00')));
    expect(renderSla(morning.explanation, 'en')).toContain('21:00');
    // a holiday (16 December) in daytime is fine
    expect(maintenanceWindowCheck(cal, at('2025-12-16', '10:00'), at('2025-12-16', '14:00')).withinDefault).toBe(true);
  });

  it('I-17 the yearly plan is published in the first ten days of January', () => {
    expect(planPublicationCheck(2026, at('2026-01-10', '23:59')).onTime).toBe(true);
    expect(planPublicationCheck(2026, at('2026-01-11', '00:00')).onTime).toBe(false);
    expect(planPublicationCheck(2026, at('2025-12-31', '10:00')).onTime).toBe(false);
    expect(planPublicationCheck(2026, null).onTime).toBe(false);
    expect(renderSla(planPublicationCheck(2026, null).explanation, 'kk').length).toBeGreaterThan(10);
  });
});
