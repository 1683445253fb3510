'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import { useForm, type Path } from 'react-hook-form';
import type { z } from 'zod';
import { fieldErrorText } from '@/components/admin/field-error';
import { SignButton, validatedValues, type DemoSignKey } from '@/components/eds/sign-button';
import type { SignedActionResult, SignedPayload } from '@/lib/auth/signed-action';
import { createApiKeySchema, PARTNER_KINDS, revokeApiKeySchema } from '@/lib/partner/schemas';

const input = 'mt-1 block w-full rounded border border-slate-500 bg-white px-2 py-1 aria-[invalid=true]:border-red-700';

type Action<T> = (payload: SignedPayload) => Promise<SignedActionResult<T>>;
type CreateIn = z.input<typeof createApiKeySchema>;
type CreateOut = z.output<typeof createApiKeySchema>;
type RevokeIn = z.input<typeof revokeApiKeySchema>;
type RevokeOut = z.output<typeof revokeApiKeySchema>;

function applyServerErrors<T extends Record<string, unknown>>(r: SignedActionResult<unknown>, setError: (name: Path<T>, e: { type: string; message: string }) => void) {
  if (!r.ok && r.error.fields) for (const [name, message] of Object.entries(r.error.fields)) setError(name as Path<T>, { type: 'server', message });
}

/** I-INT-1: issue a key; the key is shown here once (never stored in plain, never shown again). */
export function CreateKeyForm({
  orgs,
  action,
  demoKeys,
}: {
  orgs: { id: string; name: string; bin: string; kind: string }[];
  action: Action<{ key: string; prefix: string; id: string }>;
  demoKeys: DemoSignKey[] | null;
}) {
  const t = useTranslations('partner.admin');
  const te = useTranslations('errors');
  const id = useId();
  const router = useRouter();
  const [issued, setIssued] = useState<string | null>(null);
  const form = useForm<CreateIn, unknown, CreateOut>({
    resolver: zodResolver(createApiKeySchema),
    defaultValues: { orgId: orgs[0]?.id ?? '', kind: 'expert_is', name: '', validUntil: '' },
  });
  const {
    register,
    setError,
    reset,
    formState: { errors },
  } = form;
  const errorOf = (name: keyof CreateIn) =>
    errors[name] ? (
      <p id={`${id}-${name}-error`} className="mt-1 text-sm text-red-800">
        {fieldErrorText(te, errors[name])}
      </p>
    ) : null;
  const aria = (name: keyof CreateIn) => ({ 'aria-invalid': errors[name] ? true : undefined, 'aria-describedby': errors[name] ? `${id}-${name}-error` : undefined });

  return (
    <div className="space-y-3">
      <form onSubmit={(e) => e.preventDefault()} noValidate className="grid gap-3 sm:grid-cols-2" data-testid="create-key-form">
        <div className="sm:col-span-2">
          <label htmlFor={`${id}-org`} className="text-sm font-medium">
            {t('org')}
          </label>
          <select id={`${id}-org`} className={input} {...aria('orgId')} {...register('orgId')}>
            {orgs.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name} ({o.bin})
              </option>
            ))}
          </select>
          {errorOf('orgId')}
        </div>
        <div>
          <label htmlFor={`${id}-kind`} className="text-sm font-medium">
            {t('kind')}
          </label>
          <select id={`${id}-kind`} className={input} {...aria('kind')} {...register('kind')}>
            {PARTNER_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`kinds.${k}`)}
              </option>
            ))}
          </select>
          {errorOf('kind')}
        </div>
        <div>
          <label htmlFor={`${id}-valid`} className="text-sm font-medium">
            {t('validUntil')}
          </label>
          <input id={`${id}-valid`} type="date" className={input} {...aria('validUntil')} {...register('validUntil')} />
          {errorOf('validUntil')}
        </div>
        <div className="sm:col-span-2">
          <label htmlFor={`${id}-name`} className="text-sm font-medium">
            {t('name')}
          </label>
          <input id={`${id}-name`} className={input} {...aria('name')} {...register('name')} />
          {errorOf('name')}
        </div>
        <SignButton
          className="sm:col-span-2"
          action={action}
          actionName="partner.api_key.create"
          input={validatedValues(form)}
          label={t('create')}
          successMessage={t('createdOk')}
          demoKeys={demoKeys}
          onResult={(r) => {
            applyServerErrors<CreateIn>(r, setError);
            if (r.ok) {
              setIssued(r.data.key);
              reset();
              router.refresh();
            }
          }}
        />
      </form>
      {issued && (
        <div role="status" className="space-y-1 rounded border border-amber-500 bg-amber-50 p-3" data-testid="issued-key">
          <p className="font-medium">{t('shownOnce')}</p>
          <p className="font-mono text-sm break-all select-all">{issued}</p>
        </div>
      )}
    </div>
  );
}

/** I-INT-3: revoke a key with a reason (a security incident suspends the exchange at once). */
export function RevokeKeyForm({ keyId, prefix, action, demoKeys }: { keyId: string; prefix: string; action: Action<{ revokedAt: Date }>; demoKeys: DemoSignKey[] | null }) {
  const t = useTranslations('partner.admin');
  const te = useTranslations('errors');
  const id = useId();
  const router = useRouter();
  const form = useForm<RevokeIn, unknown, RevokeOut>({ resolver: zodResolver(revokeApiKeySchema), defaultValues: { keyId, reason: '' } });
  const {
    register,
    setError,
    formState: { errors },
  } = form;
  return (
    <form onSubmit={(e) => e.preventDefault()} noValidate className="flex flex-wrap items-end gap-2">
      <div className="min-w-0 flex-1">
        <label htmlFor={`${id}-reason`} className="text-sm font-medium">
          {t('revokeReason', { prefix })}
        </label>
        <input
          id={`${id}-reason`}
          className={input}
          aria-invalid={errors.reason ? true : undefined}
          aria-describedby={errors.reason ? `${id}-reason-error` : undefined}
          {...register('reason')}
        />
        {errors.reason && (
          <p id={`${id}-reason-error`} className="mt-1 text-sm text-red-800">
            {fieldErrorText(te, errors.reason)}
          </p>
        )}
      </div>
      <SignButton
        action={action}
        actionName="partner.api_key.revoke"
        input={validatedValues(form)}
        label={t('revoke')}
        demoKeys={demoKeys}
        onResult={(r) => {
          applyServerErrors<RevokeIn>(r, setError);
          if (r.ok) router.refresh();
        }}
      />
    </form>
  );
}
