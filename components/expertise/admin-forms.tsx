'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useEffect, useId, useState, type ReactNode } from 'react';
import { useForm, useWatch, type FieldErrors, type FieldValues, type Path, type UseFormRegister } from 'react-hook-form';
import type { z } from 'zod';
import { fieldErrorText } from '@/components/admin/field-error';
import { SignButton, validatedValues, type DemoSignKey } from '@/components/eds/sign-button';
import type { ActionResult } from '@/lib/actions';
import type { SignedActionResult, SignedPayload } from '@/lib/auth/signed-action';
import { uploadSettingsSchema } from '@/lib/documents/limits';
import { deadlineConfigSchema, orgSettingsFormSchema } from '@/lib/expertise/admin-schemas';

type Signed<T> = (payload: SignedPayload) => Promise<SignedActionResult<T>>;
type SignProps<T> = { action: Signed<T>; actionName: string; demoKeys: DemoSignKey[] | null };

const inputCls = 'mt-1 block w-full rounded border border-slate-500 bg-white px-2 py-1 aria-[invalid=true]:border-red-700';

/** Server field errors (already in words) beside the fields; template problems get a localised lead. */
function applyServerErrors<T extends FieldValues>(r: SignedActionResult<unknown>, setError: (name: Path<T>, e: { type: string; message: string }) => void) {
  if (!r.ok && r.error.fields) {
    for (const [name, message] of Object.entries(r.error.fields)) setError(name as Path<T>, { type: 'server', message });
  }
}

/** A labelled field with its error (aria-invalid, aria-describedby) — the look of the other admin forms. */
function Field<T extends FieldValues>({
  id,
  name,
  label,
  errors,
  register,
  type = 'text',
  hint,
  step,
  children,
}: {
  id: string;
  name: Path<T>;
  label: string;
  errors: FieldErrors<T>;
  register: UseFormRegister<T>;
  type?: 'text' | 'number';
  hint?: string;
  step?: string;
  children?: ReactNode;
}) {
  const te = useTranslations('errors');
  const err = errors[name as keyof FieldErrors<T>] as Parameters<typeof fieldErrorText>[1];
  const describedBy = [hint ? `${id}-${name}-hint` : null, err ? `${id}-${name}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div>
      <label htmlFor={`${id}-${name}`} className="text-sm font-medium">
        {label}
      </label>
      {hint && (
        <p id={`${id}-${name}-hint`} className="text-sm text-slate-700">
          {hint}
        </p>
      )}
      {children ?? (
        <input
          id={`${id}-${name}`}
          type={type}
          step={step}
          inputMode={type === 'number' ? 'decimal' : undefined}
          className={inputCls}
          aria-invalid={err ? true : undefined}
          aria-describedby={describedBy}
          {...register(name, type === 'number' ? { valueAsNumber: true } : undefined)}
        />
      )}
      {err && (
        <p id={`${id}-${name}-error`} className="mt-1 text-sm text-red-800">
          {fieldErrorText(te, err)}
        </p>
      )}
    </div>
  );
}

// ---- number template (E-18, X-10) ---------------------------------------------------------------------------

type OrgIn = z.input<typeof orgSettingsFormSchema>;
type OrgOut = z.output<typeof orgSettingsFormSchema>;

export function OrgSettingsForm({
  initial,
  nextNumber,
  preview,
  ...sign
}: { initial: OrgIn; nextNumber: string | null; preview: (input: unknown) => Promise<ActionResult<{ number: string | null; problems: string | null }>> } & SignProps<{ orgId: string; nextNumber: string }>) {
  const t = useTranslations('adminExpertise');
  const router = useRouter();
  const id = useId();
  const form = useForm<OrgIn, unknown, OrgOut>({ resolver: zodResolver(orgSettingsFormSchema), defaultValues: initial });
  const {
    register,
    setError,
    clearErrors,
    control,
    formState: { errors },
  } = form;
  const [template, code] = useWatch({ control, name: ['numberTemplate', 'orgCode'] });
  const [shown, setShown] = useState<string | null>(nextNumber);

  // the next number with the template being typed, computed by the server from the real sequence.
  useEffect(() => {
    const timer = setTimeout(() => {
      void preview({ orgId: initial.orgId, orgCode: code, numberTemplate: template }).then((r) => {
        setShown(r.ok ? r.data.number : null);
        if (r.ok && r.data.problems) setError('numberTemplate', { type: 'server', message: r.data.problems });
        else if (r.ok) clearErrors('numberTemplate');
      });
    }, 300);
    return () => clearTimeout(timer);
  }, [template, code, initial.orgId, preview, setError, clearErrors]);

  return (
    <form onSubmit={(e) => e.preventDefault()} noValidate className="grid gap-3 sm:grid-cols-2" data-testid={`org-form-${initial.orgId}`}>
      <Field<OrgIn> id={id} name="orgCode" label={t('fields.orgCode')} hint={t('fields.orgCodeHint')} errors={errors} register={register} />
      <Field<OrgIn> id={id} name="numberTemplate" label={t('fields.numberTemplate')} hint={t('fields.numberTemplateHint')} errors={errors} register={register} />
      <p className="sm:col-span-2" aria-live="polite" data-testid="number-preview">
        {t('nextNumber')}: <span className="font-mono font-semibold">{shown ?? '—'}</span>
      </p>
      <div className="flex items-center gap-2">
        <input id={`${id}-accredited`} type="checkbox" className="h-4 w-4" {...register('accredited')} />
        <label htmlFor={`${id}-accredited`} className="text-sm">
          {t('fields.accredited')}
        </label>
      </div>
      <div className="flex items-center gap-2">
        <input id={`${id}-blocked`} type="checkbox" className="h-4 w-4" {...register('blocked')} />
        <label htmlFor={`${id}-blocked`} className="text-sm">
          {t('fields.blocked')}
        </label>
      </div>
      <SignButton
        className="sm:col-span-2"
        {...sign}
        input={validatedValues(form)}
        label={t('signSave')}
        successMessage={t('saved')}
        onResult={(r) => {
          applyServerErrors<OrgIn>(r, setError);
          if (r.ok) router.refresh();
        }}
      />
    </form>
  );
}

// ---- upload settings (E-16) -----------------------------------------------------------------------------------

type UpIn = z.input<typeof uploadSettingsSchema>;
type UpOut = z.output<typeof uploadSettingsSchema>;

export function UploadSettingsForm({ initial, ...sign }: { initial: UpIn } & SignProps<{ chunkSizeBytes: number; maxFileBytes: number }>) {
  const t = useTranslations('adminExpertise');
  const router = useRouter();
  const id = useId();
  const form = useForm<UpIn, unknown, UpOut>({ resolver: zodResolver(uploadSettingsSchema), defaultValues: initial });
  const {
    register,
    setError,
    formState: { errors },
  } = form;
  return (
    <form onSubmit={(e) => e.preventDefault()} noValidate className="grid gap-3 sm:grid-cols-2" data-testid="upload-form">
      <Field<UpIn> id={id} name="chunkSizeMiB" type="number" step="0.25" label={t('fields.chunkSizeMiB')} hint={t('fields.chunkSizeHint')} errors={errors} register={register} />
      <Field<UpIn> id={id} name="maxFileMiB" type="number" step="1" label={t('fields.maxFileMiB')} hint={t('fields.maxFileHint')} errors={errors} register={register} />
      <SignButton
        className="sm:col-span-2"
        {...sign}
        input={validatedValues(form)}
        label={t('signSave')}
        successMessage={t('saved')}
        onResult={(r) => {
          applyServerErrors<UpIn>(r, setError);
          if (r.ok) router.refresh();
        }}
      />
    </form>
  );
}

// ---- deadline durations (E-44) ---------------------------------------------------------------------------------

type DlIn = z.input<typeof deadlineConfigSchema>;
type DlOut = z.output<typeof deadlineConfigSchema>;

export function DeadlineConfigForm({ initial, mode, ...sign }: { initial: DlIn; mode: 'add' | 'edit' } & SignProps<{ category: string }>) {
  const t = useTranslations('adminExpertise');
  const router = useRouter();
  const id = useId();
  const form = useForm<DlIn, unknown, DlOut>({ resolver: zodResolver(deadlineConfigSchema), defaultValues: initial });
  const {
    register,
    setError,
    reset,
    formState: { errors },
  } = form;
  return (
    <form onSubmit={(e) => e.preventDefault()} noValidate className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" data-testid={`deadline-form-${mode === 'add' ? 'new' : initial.category}`}>
      {mode === 'add' ? (
        <Field<DlIn> id={id} name="category" label={t('fields.category')} hint={t('fields.categoryHint')} errors={errors} register={register} />
      ) : (
        <input type="hidden" {...register('category')} />
      )}
      <Field<DlIn> id={id} name="label" label={t('fields.label')} errors={errors} register={register} />
      {(['completenessDays', 'remarksDays', 'remedyDays', 'conclusionDays'] as const).map((name) => (
        <Field<DlIn> key={name} id={id} name={name} type="number" step="1" label={t(`fields.${name}`)} errors={errors} register={register} />
      ))}
      <Field<DlIn> id={id} name="unit" label={t('fields.unit')} errors={errors} register={register}>
        <select id={`${id}-unit`} className={inputCls} aria-invalid={errors.unit ? true : undefined} {...register('unit')}>
          <option value="working">{t('units.working')}</option>
          <option value="calendar">{t('units.calendar')}</option>
        </select>
      </Field>
      {errors.root?.message && <p className="text-red-800 sm:col-span-2">{errors.root.message}</p>}
      <SignButton
        className="sm:col-span-2 lg:col-span-3"
        {...sign}
        input={validatedValues(form)}
        label={mode === 'add' ? t('signAdd') : t('signSave')}
        successMessage={t('saved')}
        onResult={(r) => {
          applyServerErrors<DlIn>(r, setError);
          if (r.ok) {
            if (mode === 'add') reset();
            router.refresh();
          }
        }}
      />
    </form>
  );
}
