import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db/client';
import { organisations } from '@/db/schema/identity';
import { AccessDenied } from '@/components/admin/access-denied';
import { demoSignKeys } from '@/components/eds/demo-keys';
import { FORMS_OF, PAGE_KINDS, PAGE_KIND_NAMES, PERSON_TYPES, type PageKind, type PersonType } from '@/components/registration/kinds';
import { RegistrationForm, type FormVersion } from '@/components/registration/registration-form';
import { SignInPrompt } from '@/components/registration/sign-in-prompt';
import { asTimeLocale, localized } from '@/components/registration/format';
import { checkAccess } from '@/lib/actions/guard';
import { getUploadSettings } from '@/lib/documents/settings';
import { findExistingRegistration, getFormInForce, subjectKeyOf } from '@/lib/registration';
import { formatAstana } from '@/lib/time/astana';
import { certifyAttachmentAction, signFormAction, submitRegistrationAction } from '../actions';
import { eq } from 'drizzle-orm';

type Params = { kind: string };

function pageKind(k: string): PageKind | null {
  return (PAGE_KIND_NAMES as string[]).includes(k) ? (k as PageKind) : null;
}

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const [t, { kind }] = await Promise.all([getTranslations('registration'), params]);
  const k = pageKind(kind);
  return { title: k ? t(`kinds.${k}.title`) : t('title') };
}

/** The registration form of one kind (C-6, E-8, E-12, P-6, P-7) with the form versions in force (E-7). */
export default async function RegisterKindPage({ params }: { params: Promise<Params> }) {
  const { kind } = await params;
  const k = pageKind(kind);
  if (!k) notFound();
  const t = await getTranslations('registration');
  const access = await checkAccess('registration.submit');
  if (!access.ok) {
    if (access.reason === 'unauthenticated') return <SignInPrompt title={t(`kinds.${k}.title`)} callbackUrl={`/register/${k}`} />;
    return <AccessDenied reason={access.reason} />;
  }
  const p = access.principal;
  const db = getDb();
  const locale = await getLocale();
  const [forms, upload, demoKeys, org] = await Promise.all([
    Promise.all(FORMS_OF[k].map((f) => getFormInForce(db, f))),
    getUploadSettings(db),
    demoSignKeys(),
    p.orgId ? db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, p.orgId)) : Promise.resolve([]),
  ]);
  const existing: Partial<Record<PersonType, { id: string; status: 'submitted' | 'confirmed' }>> = {};
  for (const pt of PERSON_TYPES[k]) {
    const key = subjectKeyOf(p, pt);
    const found = key ? await findExistingRegistration(db, PAGE_KINDS[k], key) : null;
    if (found) existing[pt] = found;
  }
  const versions: (FormVersion | null)[] = forms.map((f) =>
    f
      ? {
          kind: f.kind,
          id: f.id,
          version: f.version,
          title: localized(f.title, locale),
          body: localized(f.body, locale),
          inForceFrom: formatAstana(f.inForceFrom, asTimeLocale(locale), { show: 'date', zone: false }),
        }
      : null,
  );
  return (
    <div className="space-y-6">
      <Link href="/register" className="text-sm text-sky-800 underline">
        ← {t('back')}
      </Link>
      <header className="space-y-2">
        <h1 className="text-2xl font-bold md:text-3xl">{t(`kinds.${k}.title`)}</h1>
        <p className="max-w-3xl text-slate-700">{t(`kinds.${k}.text`)}</p>
      </header>
      <RegistrationForm
        pageKind={k}
        applicant={{ fullName: p.fullName, iin: p.iin, organisation: org[0]?.name ?? null, bin: p.bin }}
        forms={versions}
        existing={existing}
        upload={upload}
        demoKeys={demoKeys}
        actions={{ certify: certifyAttachmentAction, signForm: signFormAction, submit: submitRegistrationAction }}
      />
    </div>
  );
}
