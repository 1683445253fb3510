'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useId } from 'react';
import { useForm } from 'react-hook-form';
import { SignButton, validatedValues, type DemoSignKey } from '@/components/eds/sign-button';
import { updateProfileEmailAction } from '@/lib/auth/sign-actions';
import { profileEmailSchema, PROFILE_UPDATE_ACTION, type ProfileEmailInput } from '@/lib/auth/profile-schema';

/** the contact e-mail, saved through a signed action (the form validates, then the user signs). */
export function ProfileForm({ email, demoKeys }: { email: string | null; demoKeys: DemoSignKey[] | null }) {
  const t = useTranslations('cabinet.profile');
  const router = useRouter();
  const id = useId();
  const form = useForm<ProfileEmailInput>({ resolver: zodResolver(profileEmailSchema), defaultValues: { email: email ?? '' } });
  const error = form.formState.errors.email?.message;

  return (
    <form onSubmit={(e) => e.preventDefault()} noValidate className="space-y-3">
      <div>
        <label htmlFor={id} className="block font-medium">
          {t('emailLabel')}
        </label>
        <input
          id={id}
          type="email"
          autoComplete="email"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          {...form.register('email')}
          className="mt-1 w-full max-w-md rounded border border-slate-500 bg-white px-2 py-1"
        />
        {error ? (
          <p id={`${id}-error`} className="mt-1 text-sm text-red-800">
            {t('invalidEmail')}
          </p>
        ) : null}
      </div>
      <SignButton
        action={updateProfileEmailAction}
        actionName={PROFILE_UPDATE_ACTION}
        input={validatedValues(form)}
        label={t('save')}
        successMessage={t('saved')}
        demoKeys={demoKeys}
        onResult={(r) => {
          if (r.ok) router.refresh();
          else if (r.error.fields?.email) form.setError('email', { message: r.error.fields.email });
        }}
      />
    </form>
  );
}
