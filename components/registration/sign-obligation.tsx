'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { SignButton, type DemoSignKey } from '@/components/eds/sign-button';
import type { signObligationAction } from '@/app/register/actions';

/** P-7: the named responsible person signs the non-disclosure obligation (the version in force, E-7). */
export function SignObligation({ requestId, action, demoKeys }: { requestId: string; action: typeof signObligationAction; demoKeys: DemoSignKey[] | null }) {
  const t = useTranslations('registration.request');
  const router = useRouter();
  return (
    <SignButton
      action={action}
      actionName="registration.obligation.sign"
      input={{ requestId }}
      label={t('signNda')}
      demoKeys={demoKeys}
      onResult={(r) => {
        if (r.ok) router.refresh();
      }}
    />
  );
}
