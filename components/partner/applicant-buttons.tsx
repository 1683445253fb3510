'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { SignButton, type DemoSignKey } from '@/components/eds/sign-button';
import type { cadastreConsentAction, signPartnerDocumentAction } from '@/app/expertise/partner/actions';

/** E-21: sign one document sent by the expert IS (the signature covers its SHA-256). */
export function SignDocumentButton(p: { applicationId: string; requestId: string; sha256: string; demoKeys: DemoSignKey[] | null; action: typeof signPartnerDocumentAction }) {
  const t = useTranslations('partner.applicant');
  const router = useRouter();
  return (
    <SignButton
      action={p.action}
      actionName="partner.document.sign"
      input={{ applicationId: p.applicationId, requestId: p.requestId, sha256: p.sha256 }}
      label={t('signDocument')}
      successMessage={t('documentSigned')}
      demoKeys={p.demoKeys}
      onResult={(r) => {
        if (r.ok) router.refresh();
      }}
    />
  );
}

/** E-56: the rights holder's signed consent to the cadastre transfer. */
export function ConsentButton(p: { applicationId: string; demoKeys: DemoSignKey[] | null; action: typeof cadastreConsentAction }) {
  const t = useTranslations('partner.applicant');
  const router = useRouter();
  return (
    <SignButton
      action={p.action}
      actionName="partner.cadastre.consent"
      input={{ applicationId: p.applicationId }}
      label={t('consent')}
      successMessage={t('consented')}
      demoKeys={p.demoKeys}
      onResult={(r) => {
        if (r.ok) router.refresh();
      }}
    />
  );
}
