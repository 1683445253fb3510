import { defaultLocale, isLocale, type Locale } from '@/lib/i18n/config';
import { formatAstana } from '@/lib/time/astana';

/**
 * Texts of the notifications the portal sends, in kk / ru / en. The caller renders in the recipient's locale
 * and passes the result to notify(); the stored title/body are then fixed (a later template change does not
 * rewrite what the user already received).
 */
export type TemplateParams = Record<string, string | number | Date | null | undefined>;
export type Rendered = { title: string; body: string };

type Template = { title: string; body: string };

export const TEMPLATES = {
  receipt: {
    kk: { title: 'Өтініш тіркелді: {number}', body: '{subject} өтініші {at} тіркелді. Тіркеу нөмірі: {number}.' },
    ru: { title: 'Заявление зарегистрировано: {number}', body: 'Заявление «{subject}» зарегистрировано {at}. Регистрационный номер: {number}.' },
    en: { title: 'Application registered: {number}', body: 'Your application "{subject}" was registered on {at}. Registration number: {number}.' },
  },
  'registration.confirmed': {
    kk: { title: 'Тіркеу расталды', body: '{organisation} ұйымының порталда тіркелуі {at} расталды. Енді ЭЦҚ арқылы кіре аласыз.' },
    ru: { title: 'Регистрация подтверждена', body: 'Регистрация организации «{organisation}» на портале подтверждена {at}. Теперь вы можете войти с ЭЦП.' },
    en: { title: 'Registration confirmed', body: 'The registration of "{organisation}" on the portal was confirmed on {at}. You can now sign in with your EDS.' },
  },
  'registration.rejected': {
    kk: { title: 'Тіркеу қабылданбады', body: '{organisation} ұйымының тіркелуі {at} қабылданбады. Себебі: {reason}.' },
    ru: { title: 'В регистрации отказано', body: 'В регистрации организации «{organisation}» отказано {at}. Причина: {reason}.' },
    en: { title: 'Registration rejected', body: 'The registration of "{organisation}" was rejected on {at}. Reason: {reason}.' },
  },
  'account.deactivated': {
    kk: { title: 'Есептік жазба өшірілді', body: 'Сіздің есептік жазбаңыз {at} өшірілді. Себебі: {reason}. Деректеріңіз сақталады.' },
    ru: { title: 'Учётная запись деактивирована', body: 'Ваша учётная запись деактивирована {at}. Основание: {reason}. Ваши данные сохраняются.' },
    en: { title: 'Account deactivated', body: 'Your account was deactivated on {at}. Basis: {reason}. Your data is kept.' },
  },
  'role.granted': {
    kk: { title: 'Рөл берілді: {role}', body: '{organisation} ұйымында сізге «{role}» рөлі {at} берілді.' },
    ru: { title: 'Назначена роль: {role}', body: 'В организации «{organisation}» вам назначена роль «{role}» {at}.' },
    en: { title: 'Role granted: {role}', body: 'You were granted the role "{role}" in "{organisation}" on {at}.' },
  },
  'role.revoked': {
    kk: { title: 'Рөл алынды: {role}', body: '{organisation} ұйымындағы «{role}» рөліңіз {at} алынды.' },
    ru: { title: 'Роль отозвана: {role}', body: 'Ваша роль «{role}» в организации «{organisation}» отозвана {at}.' },
    en: { title: 'Role withdrawn: {role}', body: 'Your role "{role}" in "{organisation}" was withdrawn on {at}.' },
  },
  'document.to_sign': {
    kk: { title: 'Қол қоюды күтетін құжат', body: '«{document}» құжаты сіздің ЭЦҚ-мен қол қоюыңызды күтуде.' },
    ru: { title: 'Документ ожидает подписи', body: 'Документ «{document}» ожидает вашей подписи ЭЦП.' },
    en: { title: 'A document awaits your signature', body: 'The document "{document}" is waiting for your EDS signature.' },
  },
  'data.corrected': {
    kk: { title: 'Деректер түзетілді', body: '{entity} деректері {at} түзетілді. Негіздеме: {reason}.' },
    ru: { title: 'Данные исправлены', body: 'Данные «{entity}» исправлены {at}. Основание: {reason}.' },
    en: { title: 'Data corrected', body: 'The data of "{entity}" was corrected on {at}. Basis: {reason}.' },
  },
  alert: {
    kk: { title: 'Ескерту: {subject}', body: '{message}' },
    ru: { title: 'Оповещение: {subject}', body: '{message}' },
    en: { title: 'Alert: {subject}', body: '{message}' },
  },
} satisfies Record<string, Record<Locale, Template>>;

export type TemplateKind = keyof typeof TEMPLATES;

export function isTemplateKind(kind: string): kind is TemplateKind {
  return Object.hasOwn(TEMPLATES, kind);
}

function fill(text: string, params: TemplateParams, locale: Locale): string {
  return text.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const v = params[name];
    if (v === undefined || v === null) throw new Error(`renderTemplate: parameter '${name}' is missing`);
    // Instants are shown in Astana time with the zone marked, never in the server's zone.
    return v instanceof Date ? formatAstana(v, locale) : String(v);
  });
}

/** The title and body of `kind` in `locale` (an unknown locale falls back to the portal default). */
export function renderTemplate(kind: TemplateKind, locale: string | null | undefined, params: TemplateParams = {}): Rendered {
  const loc: Locale = isLocale(locale) ? locale : defaultLocale;
  const t: Template = TEMPLATES[kind][loc];
  return { title: fill(t.title, params, loc), body: fill(t.body, params, loc) };
}
