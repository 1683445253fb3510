/**
 * The incident and maintenance time rules (003 §59–75, 004 §19–22) as pure functions over the Astana calendar:
 * each returns the due instant (or the verdict) with an Explanation (rule, text key, params), rendered by
 * lib/incidents/explain.ts. The calendars are passed in (injectable); nothing here reads the clock.
 */
import { astanaDateOf, astanaDayNumber, astanaMsOfDay, DAY_MS, dayNumber, fromLocalMs, HOUR_MS, type IsoDate } from '@/lib/time/astana';
import type { IncidentDue, SupportCalendar } from '@/lib/time/business-hours';
import type { WorkingCalendar } from '@/lib/time/calendar';
import type { Explanation } from '@/lib/time/explain';

const MINUTE_MS = 60_000;

export type Criticality = 'low' | 'medium' | 'high';
export type Due = { due: Date; explanation: Explanation };

function after(rule: string, key: string, start: Date, ms: number, params: Explanation['params'] = {}): Due {
  const due = new Date(start.getTime() + ms);
  return { due, explanation: { rule, key, params: { start, due, ...params } } };
}

/**
 * I-4 (003 §59–60): registered within 30 working minutes; during lunch (12:30–14:00) within 30 minutes after it;
 * after hours or on a non-working day, on the next working day (opening + 30 minutes).
 */
export function registrationDue(support: SupportCalendar, receivedAt: Date): IncidentDue {
  return support.incidentRegistrationDue(receivedAt, 30);
}

/** I-5 (003 §61): the incident ID is e-mailed within one hour of registration. */
export function idEmailDue(registeredAt: Date): Due {
  return after('I-5', 'sla.i5', registeredAt, HOUR_MS);
}

/** I-6 (003 §62): the operator analyses the report within two hours of working time (Astana). */
export function analysisDue(support: SupportCalendar, from: Date): Due {
  const due = support.addBusinessMinutes(from, 120);
  const skipped = support.calendar.skippedBetween(astanaDayNumber(from.getTime()), astanaDayNumber(due.getTime()));
  return { due, explanation: { rule: 'I-6', key: 'sla.i6', params: { start: from, due }, ...(skipped.length ? { skipped } : {}) } };
}

/** I-7 (003 §63): without the requested information within 2 hours of the request, the report is closed. */
export function infoReplyDue(requestedAt: Date): Due {
  return after('I-7', 'sla.i7', requestedAt, 2 * HOUR_MS);
}

/** I-8 (003 §64): a refuted failure is notified to the user within 30 minutes, with the evidence. */
export function refuteNoticeDue(refutedAt: Date): Due {
  return after('I-8', 'sla.i8', refutedAt, 30 * MINUTE_MS);
}

/** I-10 / I-11 / I-12 (003 §67–69): the reporter learns the criticality and planned fix within 30 minutes. */
export function confirmNoticeDue(confirmedAt: Date, criticality: Criticality): Due {
  const rule = criticality === 'low' ? 'I-10' : criticality === 'medium' ? 'I-11' : 'I-12';
  return after(rule, 'sla.confirm', confirmedAt, 30 * MINUTE_MS, { criticality });
}

/** I-11 (003 §68.2): every participant of the affected application is notified within one hour. */
export function participantsNoticeDue(confirmedAt: Date): Due {
  return after('I-11', 'sla.i11participants', confirmedAt, HOUR_MS);
}

/** I-12 (003 §69.2): a notice with the planned fix is posted in the system (the banner) within 30 minutes. */
export function bannerDue(confirmedAt: Date): Due {
  return after('I-12', 'sla.i12banner', confirmedAt, 30 * MINUTE_MS);
}

// ---- Extensions (I-11, I-12, I-13) ------------------------------------------------------------------------

export type ExtensionPlan = { days: number; unit: 'calendar_days'; explanation: Explanation };

/**
 * I-11 / I-12 (003 §68.3, §69.1): procedures are extended by the failure's duration. Application deadlines are
 * counted in whole days, so the duration is rounded up to whole calendar days (a 3-hour failure: 1 day).
 */
export function failureExtension(rule: 'I-11' | 'I-12', start: Date, end: Date): ExtensionPlan {
  const ms = Math.max(0, end.getTime() - start.getTime());
  const days = Math.max(1, Math.ceil(ms / DAY_MS));
  const hours = Math.round((ms / HOUR_MS) * 10) / 10;
  return { days, unit: 'calendar_days', explanation: { rule, key: 'sla.extension', params: { start, end, hours, days } } };
}

/** I-13 (003 §70): by the number of days the event lasted (the Astana dates it touched, both ends included). */
export function forceMajeureExtension(start: Date, end: Date): ExtensionPlan {
  const first = astanaDayNumber(start.getTime());
  const last = astanaDayNumber(Math.max(start.getTime(), end.getTime() - 1));
  const days = last - first + 1;
  return {
    days,
    unit: 'calendar_days',
    explanation: { rule: 'I-13', key: 'sla.i13', params: { start, end, days, from: astanaDateOf(start), to: astanaDateOf(new Date(Math.max(start.getTime(), end.getTime() - 1))) } },
  };
}

/** Do [aStart, aEnd) and [bStart, bEnd) overlap? (I-12: deadlines that coincided with the failure.) */
export function overlaps(aStart: Date, aEnd: Date, bStart: Date, bEnd: Date): boolean {
  return aStart.getTime() < bEnd.getTime() && bStart.getTime() < aEnd.getTime();
}

// ---- Maintenance (I-17, I-18) ----------------------------------------------------------------------------

/** I-18 (003 §75): users and integrated-system owners are told 2 calendar days before the works. */
export const MAINTENANCE_NOTICE_MS = 2 * DAY_MS;

export function maintenanceNoticeDue(startsAt: Date): Due {
  const due = new Date(startsAt.getTime() - MAINTENANCE_NOTICE_MS);
  return { due, explanation: { rule: 'I-18', key: 'sla.i18notice', params: { start: startsAt, due } } };
}

/** 21:00–06:00 Astana: the default night window (I-18). */
const NIGHT_START = 21 * HOUR_MS;
const NIGHT_END = 6 * HOUR_MS;

export type WindowCheck = {
  /** Every instant of the window is at night (21:00–06:00) or on a weekend or holiday. */
  withinDefault: boolean;
  /** The first instant outside the default hours (null when within). */
  firstOutside: Date | null;
  explanation: Explanation;
};

/**
 * I-18 (003 §75): by default maintenance runs 21:00–06:00 Astana time, or on weekends and holidays (any
 * non-working day of the calendar). Walks the window day by day.
 */
export function maintenanceWindowCheck(cal: WorkingCalendar, startsAt: Date, endsAt: Date): WindowCheck {
  const s = startsAt.getTime();
  const e = endsAt.getTime();
  let firstOutside: number | null = null;
  if (e > s) {
    for (let day = astanaDayNumber(s); day <= astanaDayNumber(e - 1) && firstOutside === null; day++) {
      if (!cal.isWorkingDayNumber(day)) continue;
      // the daytime part of a working day: [06:00, 21:00)
      const dayFrom = fromLocalMs(day * DAY_MS + NIGHT_END);
      const dayTo = fromLocalMs(day * DAY_MS + NIGHT_START);
      const from = Math.max(s, dayFrom);
      if (from < Math.min(e, dayTo)) firstOutside = from;
    }
  }
  const within = firstOutside === null;
  return {
    withinDefault: within,
    firstOutside: within ? null : new Date(firstOutside!),
    explanation: {
      rule: 'I-18',
      key: within ? 'sla.i18within' : 'sla.i18outside',
      params: { start: startsAt, end: endsAt, ...(within ? {} : { at: new Date(firstOutside!) }) },
    },
  };
}

export type PlanCheck = { onTime: boolean; deadline: IsoDate; explanation: Explanation };

/** I-17 (003 §74): the year's plan is approved and published in the first ten days of January. */
export function planPublicationCheck(year: number, publishedAt: Date | null): PlanCheck {
  const deadline = `${year}-01-10`;
  if (!publishedAt) return { onTime: false, deadline, explanation: { rule: 'I-17', key: 'sla.i17missing', params: { year, deadline } } };
  const d = astanaDateOf(publishedAt);
  const day = dayNumber(d);
  const onTime = day >= dayNumber(`${year}-01-01`) && day <= dayNumber(deadline);
  return {
    onTime,
    deadline,
    explanation: { rule: 'I-17', key: onTime ? 'sla.i17onTime' : 'sla.i17late', params: { year, deadline, publishedAt } },
  };
}

/** The Astana time of day of an instant as HH:mm (for forms and tests). */
export function astanaTimeOfDay(at: Date): string {
  const ms = astanaMsOfDay(at.getTime());
  const h = Math.floor(ms / HOUR_MS);
  const m = Math.floor((ms % HOUR_MS) / MINUTE_MS);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}
