'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useId } from 'react';
import { useForm, useWatch, type FieldError, type Path } from 'react-hook-form';
import type { z } from 'zod';
import { fieldErrorText } from '@/components/admin/field-error';
import { SignButton, validatedValues, type DemoSignKey } from '@/components/eds/sign-button';
import { Uploader } from '@/components/upload/uploader';
import type { SignedActionResult, SignedPayload } from '@/lib/auth/signed-action';
import { answerSchema, sendToAuthoritySchema } from '@/lib/partner/schemas';

const input = 'mt-1 block w-full rounded border border-slate-500 bg-white px-2 py-1 aria-[invalid=true]:border-red-700';
type Action = (payload: SignedPayload) => Promise<SignedActionResult<{ messageId: string }>>;
type Upload = { chunkSizeBytes: number; maxFileBytes: number };

function applyServerErrors<T extends Record<string, unknown>>(r: SignedActionResult<unknown>, setError: (name: Path<T>, e: { type: string; message: string }) => void) {
  if (!r.ok && r.error.fields) for (const [name, message] of Object.entries(r.error.fields)) setError(name as Path<T>, { type: 'server', message });
}

function Field({ id, label, error, children }: { id: string; label: string; error?: string; children: React.ReactNode }) {
  return (
    <div>
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      {children}
      {error && (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-800">
          {error}
        </p>
      )}
    </div>
  );
}

type SendIn = z.input<typeof sendToAuthoritySchema>;
type SendOut = z.output<typeof sendToAuthoritySchema>;

/** E-49: the expert sends a document (and a covering text) to an authority, signed with the expert's EDS. */
export function EnvSendForm(p: { applicationId: string; authorities: { id: string; name: string }[]; upload: Upload; demoKeys: DemoSignKey[] | null; action: Action }) {
  const t = useTranslations('partner.env');
  const te = useTranslations('errors');
  const id = useId();
  const router = useRouter();
  const form = useForm<SendIn, unknown, SendOut>({
    resolver: zodResolver(sendToAuthoritySchema),
    defaultValues: { applicationId: p.applicationId, authorityOrgId: p.authorities[0]?.id ?? '', subject: '', body: '' },
  });
  const {
    register,
    setError,
    setValue,
    reset,
    formState: { errors },
  } = form;
  const file = useWatch({ control: form.control, name: 'file' });
  const err = (e: FieldError | undefined) => fieldErrorText(te, e);
  const aria = (name: keyof SendIn) => ({ 'aria-invalid': errors[name] ? true : undefined, 'aria-describedby': errors[name] ? `${id}-${name}-error` : undefined });
  if (!p.authorities.length) return <p>{t('noAuthorities')}</p>;
  return (
    <form onSubmit={(e) => e.preventDefault()} noValidate className="space-y-3" data-testid="env-send-form">
      <Field id={`${id}-authorityOrgId`} label={t('authority')} error={err(errors.authorityOrgId)}>
        <select id={`${id}-authorityOrgId`} className={input} {...aria('authorityOrgId')} {...register('authorityOrgId')}>
          {p.authorities.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </Field>
      <Field id={`${id}-subject`} label={t('subject')} error={err(errors.subject)}>
        <input id={`${id}-subject`} className={input} {...aria('subject')} {...register('subject')} />
      </Field>
      <Field id={`${id}-body`} label={t('body')} error={err(errors.body)}>
        <textarea id={`${id}-body`} rows={3} className={input} {...aria('body')} {...register('body')} />
      </Field>
      <Uploader
        name="env-send"
        label={t('file')}
        {...p.upload}
        onUploaded={(f) => setValue('file', { uploadId: f.uploadId, fileName: f.fileName, size: f.size, sha256: f.sha256 })}
      />
      {file && <p className="text-sm">{t('attached', { name: file.fileName })}</p>}
      {errors.file && <p className="text-sm text-red-800">{err(errors.file as FieldError)}</p>}
      <SignButton
        action={p.action}
        actionName="partner.environment.send"
        input={validatedValues(form)}
        label={t('send')}
        successMessage={t('sent')}
        demoKeys={p.demoKeys}
        onResult={(r) => {
          applyServerErrors<SendIn>(r, setError);
          if (r.ok) {
            reset({ applicationId: p.applicationId, authorityOrgId: p.authorities[0]?.id ?? '', subject: '', body: '' });
            router.refresh();
          }
        }}
      />
    </form>
  );
}

type AnswerIn = z.input<typeof answerSchema>;
type AnswerOut = z.output<typeof answerSchema>;

/** E-49: the authority answers one request, signed with its official's EDS. */
export function EnvAnswerForm(p: { replyToId: string; upload: Upload; demoKeys: DemoSignKey[] | null; action: Action }) {
  const t = useTranslations('partner.env');
  const te = useTranslations('errors');
  const id = useId();
  const router = useRouter();
  const form = useForm<AnswerIn, unknown, AnswerOut>({ resolver: zodResolver(answerSchema), defaultValues: { replyToId: p.replyToId, subject: '', body: '' } });
  const {
    register,
    setError,
    setValue,
    formState: { errors },
  } = form;
  const file = useWatch({ control: form.control, name: 'file' });
  const err = (e: FieldError | undefined) => fieldErrorText(te, e);
  return (
    <form onSubmit={(e) => e.preventDefault()} noValidate className="space-y-3" data-testid="env-answer-form">
      <Field id={`${id}-subject`} label={t('subject')} error={err(errors.subject)}>
        <input
          id={`${id}-subject`}
          className={input}
          aria-invalid={errors.subject ? true : undefined}
          aria-describedby={errors.subject ? `${id}-subject-error` : undefined}
          {...register('subject')}
        />
      </Field>
      <Field id={`${id}-body`} label={t('body')} error={err(errors.body)}>
        <textarea id={`${id}-body`} rows={3} className={input} {...register('body')} />
      </Field>
      <Uploader
        name={`env-answer-${p.replyToId}`}
        label={t('file')}
        {...p.upload}
        onUploaded={(f) => setValue('file', { uploadId: f.uploadId, fileName: f.fileName, size: f.size, sha256: f.sha256 })}
      />
      {file && <p className="text-sm">{t('attached', { name: file.fileName })}</p>}
      <SignButton
        action={p.action}
        actionName="partner.environment.answer"
        input={validatedValues(form)}
        label={t('answer')}
        successMessage={t('answered')}
        demoKeys={p.demoKeys}
        onResult={(r) => {
          applyServerErrors<AnswerIn>(r, setError);
          if (r.ok) router.refresh();
        }}
      />
    </form>
  );
}
