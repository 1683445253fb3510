/**
 * Computed dates explain themselves (DESIGN "Time"): an Explanation names the rule, a text key and its
 * parameters, and the days that were skipped and why. `renderExplanation` turns it into a sentence in kk/ru/en;
 * the texts live here, beside the rules they describe, rather than in the shared messages files.
 */
import { formatAstana, formatIsoDate, type IsoDate, type TimeLocale } from './astana';

export type NonWorkingReason = 'weekend' | 'holiday' | 'transferred_day_off';

/** A day a computation stepped over, and why it is not a working day. */
export type SkippedDay = { readonly date: IsoDate; readonly reason: NonWorkingReason; readonly name?: string };

/** Param values: a Date is an instant (shown in Astana time), a string an ISO date or a plain word, or a number. */
export type ExplanationParam = string | number | Date;

export type Explanation = {
  /** The rule ID the computation implements, e.g. 'E-18'. */
  rule: string;
  /** The text key, e.g. 'e18.case2' (see TEXTS below). */
  key: string;
  params: Record<string, ExplanationParam | undefined>;
  /** Non-working days between the start and the result, in order. */
  skipped?: readonly SkippedDay[];
};

type Texts = Record<TimeLocale, string>;

/** {name} placeholders; instants and dates are formatted for the locale. */
const TEXTS: Record<string, Texts> = {
  'e18.case1': {
    en: 'Received {receivedAt}, on a working day before 14:00: registered with that day’s date, {date} (E-18, case 1).',
    ru: 'Поступило {receivedAt}, в рабочий день до 14:00: регистрируется датой этого дня, {date} (E-18, п. 1).',
    kk: '{receivedAt} түсті, жұмыс күні сағат 14:00-ге дейін: осы күннің күнімен тіркеледі, {date} (E-18, 1-тармақ).',
  },
  'e18.case2': {
    en: 'Received {receivedAt}, on a working day at 14:00 or later: registered with the next working day’s date, {date} (E-18, case 2).',
    ru: 'Поступило {receivedAt}, в рабочий день с 14:00: регистрируется датой следующего рабочего дня, {date} (E-18, п. 2).',
    kk: '{receivedAt} түсті, жұмыс күні сағат 14:00-ден кейін: келесі жұмыс күнінің күнімен тіркеледі, {date} (E-18, 2-тармақ).',
  },
  'e18.case3': {
    en: 'Received {receivedAt}, on a non-working day ({dayReason}): registered with the next working day’s date, {date} (E-18, case 3).',
    ru: 'Поступило {receivedAt}, в нерабочий день ({dayReason}): регистрируется датой следующего рабочего дня, {date} (E-18, п. 3).',
    kk: '{receivedAt} түсті, жұмыс емес күні ({dayReason}): келесі жұмыс күнінің күнімен тіркеледі, {date} (E-18, 3-тармақ).',
  },
  'e18.review': {
    en: 'Certified with EDS during the review {certifiedAt}, on a working day: registered at the actual time of certification, {date} (E-18).',
    ru: 'Удостоверено ЭЦП при рассмотрении {certifiedAt}, в рабочий день: регистрируется по фактическому времени удостоверения, {date} (E-18).',
    kk: 'Қарау кезінде ЭЦҚ-мен {certifiedAt} куәландырылды, жұмыс күні: нақты куәландыру уақытымен тіркеледі, {date} (E-18).',
  },
  'e18.review_non_working': {
    en: 'Certified with EDS during the review {certifiedAt}, on a non-working day ({dayReason}): registered with the next working day’s date, {date} (E-18).',
    ru: 'Удостоверено ЭЦП при рассмотрении {certifiedAt}, в нерабочий день ({dayReason}): регистрируется датой следующего рабочего дня, {date} (E-18).',
    kk: 'Қарау кезінде ЭЦҚ-мен {certifiedAt} куәландырылды, жұмыс емес күні ({dayReason}): келесі жұмыс күнінің күнімен тіркеледі, {date} (E-18).',
  },
  'i4.open': {
    en: 'Report received {receivedAt}, during support hours: registered within {minutes} working minutes, by {due} (I-4).',
    ru: 'Обращение поступило {receivedAt}, в рабочее время: регистрируется в течение {minutes} минут рабочего времени, до {due} (I-4).',
    kk: 'Өтініш {receivedAt} түсті, жұмыс уақытында: {minutes} жұмыс минуты ішінде, {due} дейін тіркеледі (I-4).',
  },
  'i4.break': {
    en: 'Report received {receivedAt}, during the lunch break: registered within {minutes} minutes after the break, by {due} (I-4).',
    ru: 'Обращение поступило {receivedAt}, во время обеденного перерыва: регистрируется в течение {minutes} минут после перерыва, до {due} (I-4).',
    kk: 'Өтініш {receivedAt} түсті, түскі үзіліс кезінде: үзілістен кейін {minutes} минут ішінде, {due} дейін тіркеледі (I-4).',
  },
  'i4.after_hours': {
    en: 'Report received {receivedAt}, outside working hours: registered on the next working day within {minutes} minutes of opening, by {due} (I-4).',
    ru: 'Обращение поступило {receivedAt}, в нерабочее время: регистрируется на следующий рабочий день в течение {minutes} минут с начала работы, до {due} (I-4).',
    kk: 'Өтініш {receivedAt} түсті, жұмыс уақытынан тыс: келесі жұмыс күні жұмыс басталғаннан кейін {minutes} минут ішінде, {due} дейін тіркеледі (I-4).',
  },
  'deadline.working_days': {
    en: '{amount} working days from {start}: due by the end of {date} ({rule}).',
    ru: '{amount} рабочих дн. с {start}: срок до конца дня {date} ({rule}).',
    kk: '{start} бастап {amount} жұмыс күні: мерзімі {date} күннің соңына дейін ({rule}).',
  },
  'deadline.calendar_days': {
    en: '{amount} calendar days from {start}: due by the end of {date} ({rule}).',
    ru: '{amount} календарных дн. с {start}: срок до конца дня {date} ({rule}).',
    kk: '{start} бастап {amount} күнтізбелік күн: мерзімі {date} күннің соңына дейін ({rule}).',
  },
  'deadline.business_minutes': {
    en: '{amount} working minutes from {start}: due by {due} ({rule}).',
    ru: '{amount} минут рабочего времени с {start}: срок до {due} ({rule}).',
    kk: '{start} бастап {amount} жұмыс минуты: мерзімі {due} дейін ({rule}).',
  },
};

const REASONS: Record<NonWorkingReason | 'weekday' | 'working_weekend', Texts> = {
  weekday: { en: 'weekday', ru: 'будний день', kk: 'жұмыс күні' },
  weekend: { en: 'weekend', ru: 'выходной день', kk: 'демалыс күні' },
  holiday: { en: 'public holiday', ru: 'праздничный день', kk: 'мереке күні' },
  transferred_day_off: { en: 'transferred day off', ru: 'перенесённый выходной', kk: 'ауыстырылған демалыс күні' },
  working_weekend: { en: 'working weekend day', ru: 'рабочий выходной день', kk: 'жұмыс істейтін демалыс күні' },
};

const ISO = /^\d{4}-\d{2}-\d{2}$/;

/** A day reason ('holiday', …) in words. */
export function reasonText(reason: keyof typeof REASONS, locale: TimeLocale): string {
  return REASONS[reason]?.[locale] ?? reason;
}

function paramText(name: string, v: ExplanationParam, locale: TimeLocale, params: Explanation['params']): string {
  if (v instanceof Date) return formatAstana(v, locale);
  if (typeof v === 'number') return String(v);
  if (name === 'dayReason' && v in REASONS) {
    const words = reasonText(v as keyof typeof REASONS, locale);
    return params.dayName ? `${words}: ${String(params.dayName)}` : words;
  }
  return ISO.test(v) ? formatIsoDate(v) : v;
}

/** The explanation as a sentence, followed by the skipped days. */
export function renderExplanation(e: Explanation, locale: TimeLocale): string {
  const template = TEXTS[e.key]?.[locale] ?? TEXTS[e.key]?.en ?? e.key;
  let text = template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    if (name === 'rule' && e.params.rule === undefined) return e.rule;
    const v = e.params[name];
    return v === undefined ? '' : paramText(name, v, locale, e.params);
  });
  if (e.skipped?.length) {
    const label = { en: 'Skipped', ru: 'Пропущены', kk: 'Өткізілді' }[locale];
    const days = e.skipped
      .map((s) => `${formatIsoDate(s.date)} (${reasonText(s.reason, locale)}${s.name ? `: ${s.name}` : ''})`)
      .join(', ');
    text += ` ${label}: ${days}.`;
  }
  return text;
}
