'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslations } from 'next-intl';
import { useId, useState, type ReactNode } from 'react';
import { useForm, type FieldError, type FieldValues, type Path, type UseFormReturn } from 'react-hook-form';
import type { z } from 'zod';
import { SignButton, validatedValues, type DemoSignKey } from '@/components/eds/sign-button';
import { BLOCK_GROUNDS, FORM_KINDS } from '@/db/schema/registration-values';
import type { SignedActionResult, SignedPayload } from '@/lib/auth/signed-action';
import {
  blockOrgInputSchema,
  chargeInputSchema,
  publishFormInputSchema,
  reconfirmInputSchema,
  tariffInputSchema,
} from '@/lib/registration/admin-schemas';
import { fieldErrorText } from './field-error';

/**
 * The operator's signed forms for expert organisations (E-13, E-14), tariffs and charges (E-15) and form versions
 * (E-7). Each form validates with the same zod schema as the server; <SignButton> signs the validated values
 * . Server field errors (codes) are shown beside their fields in the user's language.
 */

type Action<T> = (payload: SignedPayload) => Promise<SignedActionResult<T>>;
type SignProps<T> = { action: Action<T>; actionName: string; demoKeys: DemoSignKey[] | null };

const inputClass = 'mt-1 block w-full rounded border border-slate-500 bg-white px-2 py-1 aria-[invalid=true]:border-red-700';

/** A field's error text: our own codes (rolesFieldErrors), then the shared zod / error texts. */
function useFieldText() {
  const tf = useTranslations('rolesFieldErrors');
  const te = useTranslations('errors');
  return (err: FieldError | undefined): string | undefined => {
    if (!err) return undefined;
    if (err.message && tf.has(err.message)) return tf(err.message);
    return fieldErrorText(te, err);
  };
}

/** Server field errors beside their fields (codes translated by useFieldText). */
function applyServerErrors<T extends FieldValues>(r: SignedActionResult<unknown>, form: UseFormReturn<T>, fields: readonly string[]) {
  if (r.ok || !r.error.fields) return;
  for (const [name, code] of Object.entries(r.error.fields)) {
    if (fields.includes(name)) form.setError(name as Path<T>, { type: 'validate', message: code });
  }
}

/** One labelled field with its error beside it. */
function Field<T extends FieldValues>({
  form,
  name,
  label,
  type = 'text',
  children,
  textarea,
  className,
  inputMode,
}: {
  form: UseFormReturn<T>;
  name: Path<T>;
  label: string;
  type?: string;
  children?: ReactNode;
  textarea?: number;
  className?: string;
  inputMode?: 'decimal' | 'text';
}) {
  const id = useId();
  const text = useFieldText();
  const err = form.formState.errors[name] as FieldError | undefined;
  const common = { id, 'aria-invalid': err ? true : undefined, 'aria-describedby': err ? `${id}-error` : undefined, className: inputClass, ...form.register(name) };
  return (
    <div className={className}>
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      {children ? <select {...common}>{children}</select> : textarea ? <textarea rows={textarea} {...common} /> : <input type={type} inputMode={inputMode} {...common} />}
      {err && (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-800">
          {text(err)}
        </p>
      )}
    </div>
  );
}

// ---- E-13 / E-42 block -------------------------------------------------------------------------------------

export function BlockOrgForm({ orgId, ...sign }: { orgId: string } & SignProps<unknown>) {
  const t = useTranslations('adminExpertOrgs');
  const [done, setDone] = useState<string | undefined>();
  const form = useForm<z.input<typeof blockOrgInputSchema>, unknown, z.output<typeof blockOrgInputSchema>>({
    resolver: zodResolver(blockOrgInputSchema),
    defaultValues: { orgId, ground: 'agreement_breached', basis: '' },
  });
  return (
    <form onSubmit={(e) => e.preventDefault()} noValidate className="grid gap-3" data-testid="block-form">
      <input type="hidden" {...form.register('orgId')} />
      <Field form={form} name="ground" label={t('block.ground')}>
        {BLOCK_GROUNDS.map((g) => (
          <option key={g} value={g}>
            {t(`grounds.${g}`)}
          </option>
        ))}
      </Field>
      <Field form={form} name="basis" label={t('block.basis')} textarea={2} />
      <SignButton
        {...sign}
        input={validatedValues(form)}
        label={t('block.submit')}
        successMessage={done}
        onResult={(r) => {
          applyServerErrors(r, form, ['ground', 'basis']);
          setDone(r.ok ? t('block.done') : undefined);
        }}
      />
    </form>
  );
}

// ---- E-13 reconfirmation -----------------------------------------------------------------------------------

export function ReconfirmForm({ orgId, ...sign }: { orgId: string } & SignProps<unknown>) {
  const t = useTranslations('adminExpertOrgs');
  const [done, setDone] = useState<string | undefined>();
  const form = useForm<z.input<typeof reconfirmInputSchema>, unknown, z.output<typeof reconfirmInputSchema>>({
    resolver: zodResolver(reconfirmInputSchema),
    defaultValues: { orgId, certificateNumber: '', issuedOn: '', validUntil: '' },
  });
  return (
    <form onSubmit={(e) => e.preventDefault()} noValidate className="grid gap-3 sm:grid-cols-3" data-testid="reconfirm-form">
      <input type="hidden" {...form.register('orgId')} />
      <Field form={form} name="certificateNumber" label={t('reconfirm.certificateNumber')} />
      <Field form={form} name="issuedOn" type="date" label={t('reconfirm.issuedOn')} />
      <Field form={form} name="validUntil" type="date" label={t('reconfirm.validUntil')} />
      <SignButton
        {...sign}
        className="sm:col-span-3"
        input={validatedValues(form)}
        label={t('reconfirm.submit')}
        successMessage={done}
        onResult={(r) => {
          applyServerErrors(r, form, ['certificateNumber', 'issuedOn', 'validUntil']);
          setDone(r.ok ? t('reconfirm.done') : undefined);
        }}
      />
    </form>
  );
}

// ---- E-15 tariffs and charges ------------------------------------------------------------------------------

export function TariffForm(sign: SignProps<unknown>) {
  const t = useTranslations('tariffsAdmin');
  const [done, setDone] = useState<string | undefined>();
  const form = useForm<z.input<typeof tariffInputSchema>, unknown, z.output<typeof tariffInputSchema>>({
    resolver: zodResolver(tariffInputSchema),
    defaultValues: { service: '', rate: '', unit: '', validFrom: '', validTo: '', agreedWithVedomstvo: '' },
  });
  return (
    <form onSubmit={(e) => e.preventDefault()} noValidate className="grid gap-3 sm:grid-cols-2" data-testid="tariff-form">
      <Field form={form} name="service" label={t('fields.service')} className="sm:col-span-2" />
      <Field form={form} name="rate" label={t('fields.rate')} inputMode="decimal" />
      <Field form={form} name="unit" label={t('fields.unit')} />
      <Field form={form} name="validFrom" type="date" label={t('fields.validFrom')} />
      <Field form={form} name="validTo" type="date" label={t('fields.validTo')} />
      <Field form={form} name="agreedWithVedomstvo" label={t('fields.agreedWithVedomstvo')} className="sm:col-span-2" />
      <SignButton
        {...sign}
        className="sm:col-span-2"
        input={validatedValues(form)}
        label={t('create')}
        successMessage={done}
        onResult={(r) => {
          applyServerErrors(r, form, ['service', 'rate', 'unit', 'validFrom', 'validTo', 'agreedWithVedomstvo']);
          setDone(r.ok ? t('created') : undefined);
          if (r.ok) form.reset();
        }}
      />
    </form>
  );
}

export function ChargeForm({
  organisations,
  tariffs,
  ...sign
}: { organisations: { id: string; label: string }[]; tariffs: { id: string; label: string }[] } & SignProps<{ id: string; amount: string }>) {
  const t = useTranslations('tariffsAdmin');
  const [done, setDone] = useState<string | undefined>();
  const form = useForm<z.input<typeof chargeInputSchema>, unknown, z.output<typeof chargeInputSchema>>({
    resolver: zodResolver(chargeInputSchema),
    defaultValues: { orgId: '', tariffId: '', period: '', quantity: '1' },
  });
  return (
    <form onSubmit={(e) => e.preventDefault()} noValidate className="grid gap-3 sm:grid-cols-2" data-testid="charge-form">
      <Field form={form} name="orgId" label={t('fields.organisation')}>
        <option value="">{t('chooseOrg')}</option>
        {organisations.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </Field>
      <Field form={form} name="tariffId" label={t('fields.tariff')}>
        <option value="">{t('chooseTariff')}</option>
        {tariffs.map((x) => (
          <option key={x.id} value={x.id}>
            {x.label}
          </option>
        ))}
      </Field>
      <Field form={form} name="period" type="month" label={t('fields.period')} />
      <Field form={form} name="quantity" label={t('fields.quantity')} inputMode="decimal" />
      <SignButton
        {...sign}
        className="sm:col-span-2"
        input={validatedValues(form)}
        label={t('record')}
        successMessage={done}
        onResult={(r) => {
          applyServerErrors(r, form, ['orgId', 'tariffId', 'period', 'quantity']);
          setDone(r.ok ? t('recorded', { amount: r.data.amount }) : undefined);
        }}
      />
    </form>
  );
}

// ---- E-7 form versions -------------------------------------------------------------------------------------

export function PublishFormForm({ today, ...sign }: { today: string } & SignProps<{ version: number }>) {
  const t = useTranslations('formsAdmin');
  const [done, setDone] = useState<string | undefined>();
  const form = useForm<z.input<typeof publishFormInputSchema>, unknown, z.output<typeof publishFormInputSchema>>({
    resolver: zodResolver(publishFormInputSchema),
    defaultValues: { kind: 'user_agreement_construction', titleKk: '', titleRu: '', titleEn: '', bodyKk: '', bodyRu: '', bodyEn: '', effectiveOn: today },
  });
  return (
    <form onSubmit={(e) => e.preventDefault()} noValidate className="grid gap-3 sm:grid-cols-2" data-testid="publish-form">
      <Field form={form} name="kind" label={t('fields.kind')}>
        {FORM_KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`kinds.${k}`)}
          </option>
        ))}
      </Field>
      <Field form={form} name="effectiveOn" type="date" label={t('fields.effectiveOn')} />
      <Field form={form} name="titleKk" label={t('fields.titleKk')} />
      <Field form={form} name="titleRu" label={t('fields.titleRu')} />
      <Field form={form} name="titleEn" label={t('fields.titleEn')} className="sm:col-span-2" />
      <Field form={form} name="bodyKk" label={t('fields.bodyKk')} textarea={5} />
      <Field form={form} name="bodyRu" label={t('fields.bodyRu')} textarea={5} />
      <Field form={form} name="bodyEn" label={t('fields.bodyEn')} textarea={3} className="sm:col-span-2" />
      <SignButton
        {...sign}
        className="sm:col-span-2"
        input={validatedValues(form)}
        label={t('publish')}
        successMessage={done}
        onResult={(r) => {
          applyServerErrors(r, form, ['kind', 'titleKk', 'titleRu', 'titleEn', 'bodyKk', 'bodyRu', 'bodyEn', 'effectiveOn']);
          setDone(r.ok ? t('published', { version: r.data.version }) : undefined);
          if (r.ok) form.reset({ ...form.getValues(), titleKk: '', titleRu: '', titleEn: '', bodyKk: '', bodyRu: '', bodyEn: '' });
        }}
      />
    </form>
  );
}
