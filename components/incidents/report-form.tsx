'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { useForm, type FieldError } from 'react-hook-form';
import { fieldErrorText } from '@/components/admin/field-error';
import { Uploader, type UploadedFile } from '@/components/upload/uploader';
import type { reportIncidentAction } from '@/app/support/actions';
import { INCIDENT_COMPONENTS } from '@/db/schema/incidents';
import { reportSchema, type ReportInput } from '@/lib/incidents/schemas';

export type ReportFormProps = {
  action: typeof reportIncidentAction;
  defaults: Partial<ReportInput>;
  upload: { chunkSizeBytes: number; maxFileBytes: number };
  /** "If sent now, registered by …" (I-4), already in words. */
  registrationHint: string;
};

const input = 'mt-1 block w-full rounded border border-slate-500 bg-white px-2 py-1';

/** I-3: the failure report — who, BIN/IIN, contacts, when it was detected (Astana), what happened, files. */
export function ReportForm({ action, defaults, upload, registrationHint }: ReportFormProps) {
  const t = useTranslations('incidents.report');
  const te = useTranslations('errors');
  const tc = useTranslations('incidents.component');
  const router = useRouter();
  const uid = useId();
  const [files, setFiles] = useState<UploadedFile[]>([]);
  const [done, setDone] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [key] = useState(() => crypto.randomUUID());
  const form = useForm<ReportInput>({ resolver: zodResolver(reportSchema) as never, defaultValues: { component: 'expertise', ...defaults } });
  const errors = form.formState.errors as Record<string, FieldError | undefined>;

  const field = (name: keyof ReportInput, label: string, el: React.ReactNode, hint?: string) => {
    const msg = fieldErrorText(te, errors[name]);
    return (
      <div>
        <label htmlFor={`${uid}-${name}`} className="block font-medium">
          {label}
        </label>
        {hint ? <p className="text-sm text-slate-600">{hint}</p> : null}
        {el}
        {msg ? (
          <p id={`${uid}-${name}-error`} className="mt-1 text-sm text-red-800" data-testid={`error-${name}`}>
            {msg}
          </p>
        ) : null}
      </div>
    );
  };
  const aria = (name: keyof ReportInput) => ({
    id: `${uid}-${name}`,
    'aria-invalid': errors[name] ? true : undefined,
    'aria-describedby': errors[name] ? `${uid}-${name}-error` : undefined,
  });

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    const r = await action({ ...values, uploadIds: files.map((f) => f.uploadId), idempotencyKey: key });
    if (r.ok) {
      setDone(t('sent'));
      form.reset({ ...defaults, component: values.component, description: '' });
      setFiles([]);
      router.refresh();
      return;
    }
    setFormError(r.error.message);
    for (const [k, m] of Object.entries(r.error.fields ?? {})) form.setError(k as keyof ReportInput, { type: 'server', message: m });
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4 rounded-lg border border-slate-300 p-4" aria-labelledby={`${uid}-title`} data-testid="report-form">
      <h2 id={`${uid}-title`} className="text-xl font-semibold">
        {t('title')}
      </h2>
      <p className="text-sm text-slate-700" data-testid="registration-hint">
        {registrationHint}
      </p>
      {field(
        'component',
        t('component'),
        <select {...aria('component')} className={input} {...form.register('component')}>
          {INCIDENT_COMPONENTS.map((c) => (
            <option key={c} value={c}>
              {tc(c)}
            </option>
          ))}
        </select>,
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        {field('detectedDate', t('detectedDate'), <input type="date" {...aria('detectedDate')} className={input} {...form.register('detectedDate')} />, t('astanaTime'))}
        {field('detectedTime', t('detectedTime'), <input type="time" {...aria('detectedTime')} className={input} {...form.register('detectedTime')} />)}
      </div>
      {field('description', t('description'), <textarea rows={5} {...aria('description')} className={input} {...form.register('description')} />)}
      <div className="grid gap-4 sm:grid-cols-2">
        {field('orgName', t('orgName'), <input {...aria('orgName')} className={input} {...form.register('orgName')} />)}
        {field('fullName', t('fullName'), <input {...aria('fullName')} className={input} autoComplete="name" {...form.register('fullName')} />)}
        {field('idNumber', t('idNumber'), <input inputMode="numeric" {...aria('idNumber')} className={input} {...form.register('idNumber')} />)}
        {field('email', t('email'), <input type="email" {...aria('email')} className={input} autoComplete="email" {...form.register('email')} />)}
        {field('phone', t('phone'), <input type="tel" {...aria('phone')} className={input} autoComplete="tel" {...form.register('phone')} />)}
        {field('applicationNumber', t('applicationNumber'), <input {...aria('applicationNumber')} className={input} {...form.register('applicationNumber')} />, t('applicationHint'))}
      </div>
      <div className="space-y-2">
        <Uploader name="incident-file" label={t('attachment')} chunkSizeBytes={upload.chunkSizeBytes} maxFileBytes={upload.maxFileBytes} onUploaded={(f) => setFiles((xs) => [...xs, f])} />
        {files.length ? (
          <ul className="list-disc pl-6 text-sm" data-testid="report-files">
            {files.map((f) => (
              <li key={f.uploadId}>{f.fileName}</li>
            ))}
          </ul>
        ) : null}
        {fieldErrorText(te, errors.uploadIds) ? <p className="text-sm text-red-800">{fieldErrorText(te, errors.uploadIds)}</p> : null}
      </div>
      {formError ? (
        <p role="alert" className="text-red-800">
          {formError}
        </p>
      ) : null}
      {done ? (
        <p role="status" className="text-green-800" data-testid="report-sent">
          {done}
        </p>
      ) : null}
      <button type="submit" disabled={form.formState.isSubmitting} className="rounded bg-sky-800 px-4 py-2 font-medium text-white disabled:opacity-60">
        {t('submit')}
      </button>
    </form>
  );
}

export function AnswerForm({ id, action }: { id: string; action: (input: unknown) => Promise<{ ok: boolean; error?: { message: string; fields?: Record<string, string> } }> }) {
  const t = useTranslations('incidents.report');
  const router = useRouter();
  const uid = useId();
  const [answer, setAnswer] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="space-y-2"
      onSubmit={async (e) => {
        e.preventDefault();
        const r = await action({ id, answer });
        if (r.ok) {
          setAnswer('');
          router.refresh();
        } else setError(r.error?.fields?.answer ?? r.error?.message ?? null);
      }}
    >
      <label htmlFor={`${uid}-answer`} className="block font-medium">
        {t('answer')}
      </label>
      <textarea id={`${uid}-answer`} rows={3} className={input} value={answer} onChange={(e) => setAnswer(e.target.value)} aria-invalid={error ? true : undefined} />
      {error ? <p className="text-sm text-red-800">{error}</p> : null}
      <button type="submit" className="rounded border border-slate-600 px-3 py-1">
        {t('sendAnswer')}
      </button>
    </form>
  );
}
