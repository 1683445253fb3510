/** Notices of the partner exchange to the applicant's cabinet (E-21, X-7) and to experts (E-49), in the user's language. */
import type { DbOrTx } from '@/db/client';
import type { Locale } from '@/lib/i18n/config';
import { notify, userLocale } from '@/lib/notify';

export const PROGRESS_STAGES = [
  'received',
  'completeness_check',
  'in_review',
  'remarks_preparation',
  'awaiting_applicant',
  'conclusion_preparation',
  'payment_confirmed',
  'other',
] as const;
export type ProgressStage = (typeof PROGRESS_STAGES)[number];

const STAGE: Record<ProgressStage, Record<Locale, string>> = {
  received: { kk: 'сараптама жүйесіне қабылданды', ru: 'принята в информационную систему экспертизы', en: 'received by the expert information system' },
  completeness_check: { kk: 'толықтығы тексерілуде', ru: 'проверяется комплектность', en: 'the completeness is being checked' },
  in_review: { kk: 'сараптама жүргізілуде', ru: 'проводится экспертиза', en: 'the expertise is under way' },
  remarks_preparation: { kk: 'ескертулер дайындалуда', ru: 'готовятся замечания', en: 'remarks are being prepared' },
  awaiting_applicant: { kk: 'өтініш берушінің әрекеті күтілуде', ru: 'ожидаются действия заявителя', en: 'waiting for the applicant' },
  conclusion_preparation: { kk: 'қорытынды дайындалуда', ru: 'готовится заключение', en: 'the conclusion is being prepared' },
  payment_confirmed: { kk: 'төлем расталды', ru: 'оплата подтверждена', en: 'the payment is confirmed' },
  other: { kk: 'жаңа ақпарат', ru: 'новые сведения', en: 'new information' },
};

export function stageLabel(stage: ProgressStage, locale: Locale): string {
  return STAGE[stage][locale];
}

type Kind = 'partner.progress' | 'partner.sign_request' | 'partner.env_answer';
const TEXTS: Record<Kind, Record<Locale, { title: string; body: string }>> = {
  'partner.progress': {
    kk: { title: 'Өтінімнің барысы', body: '{number} өтінімі: {stage}. {note}' },
    ru: { title: 'Ход рассмотрения заявки', body: 'Заявка {number}: {stage}. {note}' },
    en: { title: 'Progress of the application', body: 'Application {number}: {stage}. {note}' },
  },
  'partner.sign_request': {
    kk: { title: 'Қол қоюға құжат', body: '{number} өтінімі бойынша сараптама ұйымы қол қоюға құжат жіберді: {fileName}.' },
    ru: { title: 'Документ на подпись', body: 'По заявке {number} экспертная организация направила документ на подпись: {fileName}.' },
    en: { title: 'A document to sign', body: 'The expert organisation sent a document to sign for application {number}: {fileName}.' },
  },
  'partner.env_answer': {
    kk: { title: 'Қоршаған ортаны қорғау органының жауабы', body: '{number} өтінімі бойынша жауап келді: {subject}.' },
    ru: { title: 'Ответ органа охраны окружающей среды', body: 'По заявке {number} поступил ответ: {subject}.' },
    en: { title: 'An answer from the environmental authority', body: 'An answer arrived for application {number}: {subject}.' },
  },
};

function fill(s: string, params: Record<string, string | null | undefined>): string {
  return s.replace(/\{(\w+)\}/g, (_m, k: string) => params[k] ?? '').trim();
}

/** Notifies a user (cabinet + e-mail copy by the user's settings) inside the caller's transaction. */
export async function notifyUser(
  tx: DbOrTx,
  userId: string,
  kind: Kind,
  opts: { applicationId: string; link: string; params: Record<string, string | null | undefined>; stage?: ProgressStage },
): Promise<void> {
  const locale = await userLocale(tx, userId);
  const t = TEXTS[kind][locale];
  const params = { ...opts.params, ...(opts.stage ? { stage: stageLabel(opts.stage, locale) } : {}) };
  await notify(tx, {
    userId,
    kind,
    title: t.title,
    body: fill(t.body, params),
    link: opts.link,
    data: { applicationId: opts.applicationId, ...opts.params },
    entityType: 'application',
    entityId: opts.applicationId,
  });
}
