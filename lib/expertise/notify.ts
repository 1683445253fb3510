/** Notices to the applicant's cabinet (X-7, E-50, E-51) through lib/notify, in the applicant's language. */
import type { DbOrTx } from '@/db/client';
import type { Locale } from '@/lib/i18n/config';
import { notify, userLocale } from '@/lib/notify';
import { formatAstanaDateTime } from '@/lib/numbers/receipts';
import type { Application } from './internal';

export type ExpertiseNoticeKind =
  | 'expertise.receipt'
  | 'expertise.remarks_issued'
  | 'expertise.document_delivered'
  | 'expertise.document_changing'
  | 'expertise.conclusion_held'
  | 'expertise.conclusion_released';

type Texts = Record<Locale, { title: string; body: string }>;

const TEXTS: Record<ExpertiseNoticeKind, Texts> = {
  'expertise.receipt': {
    kk: {
      title: 'Өтінім тіркелді: {number}',
      body: '«{object}» сараптамаға өтініміңіз қабылданды.\nТіркеу нөмірі: {number}\nТіркеу күні: {registrationDate}\nҚабылданған уақыты: {receivedAt}\nСараптама ұйымы: {org}\nSHA-256: {sha256}',
    },
    ru: {
      title: 'Заявка зарегистрирована: {number}',
      body: 'Ваша заявка на экспертизу «{object}» принята.\nРегистрационный номер: {number}\nДата регистрации: {registrationDate}\nПолучена: {receivedAt}\nЭкспертная организация: {org}\nSHA-256: {sha256}',
    },
    en: {
      title: 'Application registered: {number}',
      body: 'Your expertise application "{object}" was received.\nRegistration number: {number}\nRegistration date: {registrationDate}\nReceived at: {receivedAt}\nExpert organisation: {org}\nSHA-256: {sha256}',
    },
  },
  'expertise.remarks_issued': {
    kk: { title: 'Ескертулер берілді', body: '{number} өтінімі бойынша сараптама ұйымы ескертулер берді. Оларды белгіленген мерзімде жойыңыз.' },
    ru: { title: 'Выданы замечания', body: 'По заявке {number} экспертная организация выдала замечания. Устраните их в установленный срок.' },
    en: { title: 'Remarks issued', body: 'The expert organisation issued remarks on application {number}. Remedy them within the deadline.' },
  },
  'expertise.document_delivered': {
    kk: { title: 'Жаңа құжат', body: '{number} өтінімі бойынша жаңа құжат келді ({slot}).' },
    ru: { title: 'Новый документ', body: 'По заявке {number} поступил новый документ ({slot}).' },
    en: { title: 'New document', body: 'A new document ({slot}) arrived for application {number}.' },
  },
  'expertise.document_changing': {
    kk: { title: 'Құжат өзгертіледі', body: '{number} өтінімі бойынша {slot} құжаты өзгертіледі: {reason}. Алдыңғы нұсқасы жойылады.' },
    ru: { title: 'Документ будет изменён', body: 'По заявке {number} документ {slot} будет изменён: {reason}. Предыдущая версия аннулируется.' },
    en: { title: 'A document will change', body: 'Document {slot} of application {number} will change: {reason}. The previous version is annulled.' },
  },
  'expertise.conclusion_held': {
    kk: { title: 'Қорытынды қол қойылды', body: '{number} өтінімі бойынша қорытындыға қол қойылды. Ол шарт бойынша төлем расталғаннан кейін беріледі.' },
    ru: { title: 'Заключение подписано', body: 'Заключение по заявке {number} подписано. Оно будет передано после подтверждения оплаты по договору.' },
    en: { title: 'Conclusion signed', body: 'The conclusion on application {number} is signed. It is released once the payment under the contract is confirmed.' },
  },
  'expertise.conclusion_released': {
    kk: { title: 'Қорытынды қолжетімді', body: '{number} өтінімі бойынша қорытынды жеке кабинетте қолжетімді.' },
    ru: { title: 'Заключение доступно', body: 'Заключение по заявке {number} доступно в личном кабинете.' },
    en: { title: 'Conclusion available', body: 'The conclusion on application {number} is available in your cabinet.' },
  },
};

function fill(s: string, params: Record<string, string | null | undefined>): string {
  return s.replace(/\{(\w+)\}/g, (_m, k: string) => params[k] ?? '');
}

/**
 * Notifies the applicant (cabinet + e-mail copy by the user's settings; `email: true` for mandatory notices such
 * as the receipt) inside the caller's transaction. `idempotencyKey` makes a repeated notice a no-op.
 */
export async function notifyApplicant(
  tx: DbOrTx,
  app: Pick<Application, 'id' | 'applicantUserId'>,
  kind: ExpertiseNoticeKind,
  params: Record<string, string | null | undefined>,
  opts: { email?: boolean; idempotencyKey?: string } = {},
): Promise<void> {
  const t = TEXTS[kind][await userLocale(tx, app.applicantUserId)];
  await notify(tx, {
    userId: app.applicantUserId,
    kind,
    title: fill(t.title, params),
    body: fill(t.body, params),
    link: `/expertise/applications/${app.id}`,
    data: { applicationId: app.id, ...params },
    entityType: 'application',
    entityId: app.id,
    email: opts.email,
    idempotencyKey: opts.idempotencyKey ?? null,
  });
}


/** dd.mm.yyyy HH:mm (Astana), for messages. */
export function formatReceiptDate(at: Date): string {
  return `${formatAstanaDateTime(at)} (Astana)`;
}
