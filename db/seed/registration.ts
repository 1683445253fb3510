import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { expertAccreditations, expertOrgRegistry, expertOrgSettings, formDocuments, organisations, tariffs, type FormKind, type LocalizedText } from '@/db/schema';
import { registerSeeders } from './index';

/** E-7: the first versions of the forms in force (short but real texts, kk / ru). */
const FORMS: { kind: FormKind; title: LocalizedText; body: LocalizedText }[] = [
  {
    kind: 'user_agreement_construction',
    title: { kk: '«Бір терезе» порталын пайдаланушы келісімі (құрылыс)', ru: 'Пользовательское соглашение портала «Единое окно» (строительство)' },
    body: {
      kk: '1. Пайдаланушы порталға ЭЦҚ арқылы кіреді және өз атынан жасалған әрекеттерге жауап береді.\n2. Пайдаланушы тіркеу нысанында және қосымшаларда шынайы деректерді ұсынады.\n3. ЭЦҚ-мен куәландырылған құжаттар өзгертілмейді және жойылмайды.\n4. Оператор өтінімді бір жұмыс күні ішінде қарайды.',
      ru: '1. Пользователь входит на портал с ЭЦП и отвечает за действия, совершённые от его имени.\n2. Пользователь представляет достоверные данные в форме регистрации и приложениях.\n3. Документы, удостоверенные ЭЦП, не изменяются и не удаляются.\n4. Оператор рассматривает заявку в течение одного рабочего дня.',
    },
  },
  {
    kind: 'user_agreement_expertise',
    title: { kk: 'Сараптама порталын пайдаланушы келісімі', ru: 'Пользовательское соглашение портала экспертизы' },
    body: {
      kk: '1. Өтініш беруші өтінімдер мен құжаттарды жеке кабинет арқылы береді.\n2. Құжаттар өтініш берушінің немесе уәкілетті тұлғаның ЭЦҚ-мен куәландырылады.\n3. Оператор тіркеуді үш жұмыс күні ішінде растайды немесе бас тартады.',
      ru: '1. Заявитель подаёт заявления и документы через личный кабинет.\n2. Документы удостоверяются ЭЦП заявителя или уполномоченного лица.\n3. Оператор подтверждает регистрацию или отказывает в ней в течение трёх рабочих дней.',
    },
  },
  {
    kind: 'expert_org_agreement',
    title: { kk: 'Сараптама ұйымымен келісім', ru: 'Соглашение с экспертной организацией' },
    body: {
      kk: '1. Ұйым аккредиттеу куәлігінің қолданылу мерзімі ішінде порталға қатысады.\n2. Куәлік мерзімі өткенде расталмаса, тоқтатылса немесе кері қайтарылса, ұйым бұғатталады.\n3. Ұйым операторға белгіленген тарифтер бойынша төлейді.',
      ru: '1. Организация участвует в портале в течение срока действия свидетельства об аккредитации.\n2. При неподтверждении свидетельства до истечения срока, его приостановлении или отзыве организация блокируется.\n3. Организация оплачивает услуги оператора по установленным тарифам.',
    },
  },
  {
    kind: 'questionnaire',
    title: { kk: 'Сараптама ұйымының сауалнамасы', ru: 'Анкета экспертной организации' },
    body: {
      kk: 'Ұйымның атауы, БСН, мекенжайы; аттестатталған сарапшылар саны; сараптама бөлімдері; байланыс деректері.',
      ru: 'Наименование, БИН, адрес организации; число аттестованных экспертов; разделы экспертизы; контактные данные.',
    },
  },
  {
    kind: 'instructions',
    title: { kk: 'Тіркеу нұсқаулығы', ru: 'Инструкция по регистрации' },
    body: {
      kk: 'Нысанды толтырыңыз, құжаттарды тіркеңіз, келісімге ЭЦҚ-мен қол қойыңыз және өтінімді жіберіңіз.',
      ru: 'Заполните форму, приложите документы, подпишите соглашение ЭЦП и отправьте заявку.',
    },
  },
  {
    kind: 'procurement_consent',
    title: { kk: 'Қолжетімділігі шектеулі ақпаратты өңдеуге келісім', ru: 'Согласие на обработку информации ограниченного доступа' },
    body: {
      kk: 'Дербес деректерді, банктік және коммерциялық құпияны құрайтын мәліметтерді өңдеуге келісемін.',
      ru: 'Даю согласие на обработку персональных данных и сведений, составляющих банковскую и коммерческую тайну.',
    },
  },
  {
    kind: 'procurement_undertaking',
    title: { kk: 'Шынайы құжаттарды ұсыну міндеттемесі', ru: 'Обязательство о представлении достоверных документов' },
    body: { kk: 'Ұсынылатын құжаттардың шынайылығына жауап беремін.', ru: 'Обязуюсь представлять достоверные документы и несу ответственность за их достоверность.' },
  },
  {
    kind: 'nda_obligation',
    title: { kk: 'Ақпаратты жария етпеу міндеттемесі', ru: 'Обязательство о неразглашении' },
    body: {
      kk: 'Қызметтік міндеттерді орындау кезінде белгілі болған қолжетімділігі шектеулі ақпаратты жария етпеуге міндеттенемін.',
      ru: 'Обязуюсь не разглашать информацию ограниченного доступа, ставшую известной при исполнении обязанностей.',
    },
  },
];

/** E-15 demo tariffs (marked demo in the basis: the real ones are agreed with the Vedomstvo by the operator). */
const TARIFFS = [
  { service: 'Portal use by an expert organisation', rate: '150000.00', unit: 'month', validFrom: '2026-01-01', agreedWithVedomstvo: 'DEMO — letter No 00-00/000' },
  { service: 'Technical support', rate: '50000.00', unit: 'month', validFrom: '2026-01-01', agreedWithVedomstvo: 'DEMO — letter No 00-00/000' },
];

async function seedRegistration(db: Db): Promise<void> {
  for (const f of FORMS) {
    await db
      .insert(formDocuments)
      .values({ kind: f.kind, version: 1, title: f.title, body: f.body, inForceFrom: new Date('2026-01-01T00:00:00+05:00') })
      .onConflictDoNothing();
  }
  for (const tariff of TARIFFS) {
    const [exists] = await db.select({ id: tariffs.id }).from(tariffs).where(eq(tariffs.service, tariff.service));
    if (!exists) await db.insert(tariffs).values(tariff);
  }
  // The expertise seed's accredited organisations appear in the public list with a demo certificate.
  const orgs = await db
    .select({ orgId: expertOrgSettings.orgId, bin: organisations.bin })
    .from(expertOrgSettings)
    .innerJoin(organisations, eq(organisations.id, expertOrgSettings.orgId))
    .where(eq(expertOrgSettings.accredited, true));
  for (const o of orgs) {
    const [reg] = await db.select().from(expertOrgRegistry).where(eq(expertOrgRegistry.orgId, o.orgId));
    if (reg) continue;
    const [acc] = await db
      .insert(expertAccreditations)
      .values({ orgId: o.orgId, certificateNumber: `DEMO-${o.bin.slice(-6)}`, issuedOn: '2025-01-15', validUntil: '2030-01-15' })
      .returning();
    await db.insert(expertOrgRegistry).values({ orgId: o.orgId, accredited: true, registeredAt: new Date('2026-01-01T00:00:00+05:00'), currentAccreditationId: acc.id });
  }
}

registerSeeders({ name: 'registration', version: '1', run: seedRegistration });
