'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import type { ImportReport } from '@/lib/water/weather/import';

/** As lib/water/weather/csv.ts MAX_IMPORT_BYTES (the server checks it again). */
const MAX_BYTES = 16 * 1024 * 1024;

const schema = z.object({
  kind: z.enum(['history', 'weather']),
  files: z
    .custom<FileList>((v) => typeof FileList !== 'undefined' && v instanceof FileList, { message: 'required' })
    .refine((f) => f.length === 1, { message: 'required' })
    .refine((f) => f.length !== 1 || f[0].size <= MAX_BYTES, { message: 'tooLarge' })
    .refine((f) => f.length !== 1 || f[0].size > 0, { message: 'empty' }),
});
type FormIn = z.input<typeof schema>;
type FormOut = z.output<typeof schema>;

/** What the route answers (the id and kind are not shown). */
type Report = Omit<ImportReport, 'id' | 'kind'>;
type Outcome = { report: Report } | { error: string };

/** Sends the file with XMLHttpRequest, reporting the upload's progress (0…1). */
function upload(kind: string, file: File, onProgress: (p: number) => void): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/water/import/${kind}`);
    xhr.setRequestHeader('content-type', 'text/csv; charset=utf-8');
    xhr.setRequestHeader('x-file-name', encodeURIComponent(file.name));
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error('network'));
    xhr.send(file);
  });
}

/** Issue 6 part 5: upload a history or weather CSV; progress while it uploads, then the report. */
export function ImportForm() {
  const t = useTranslations('waterImport');
  const router = useRouter();
  const id = useId();
  const [progress, setProgress] = useState<number | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<FormIn, unknown, FormOut>({ resolver: zodResolver(schema), defaultValues: { kind: 'history' } });

  const onSubmit = async (v: FormOut) => {
    setOutcome(null);
    setProgress(0);
    try {
      const res = await upload(v.kind, v.files[0], setProgress);
      const body = res.body as { report?: Report; error?: { message?: string } } & Partial<Report>;
      if (res.status === 200) setOutcome({ report: body as Report });
      else if (res.status === 422 && body?.report) setOutcome({ report: body.report });
      else setOutcome({ error: body?.error?.message ?? t('failed') });
      if (res.status === 200 || res.status === 422) router.refresh();
    } catch {
      setOutcome({ error: t('failed') });
    } finally {
      setProgress(null);
    }
  };

  const fileError = errors.files?.message;
  const input = 'mt-1 block w-full rounded border border-slate-500 bg-white px-2 py-1 aria-[invalid=true]:border-red-700';
  return (
    <section aria-labelledby={`${id}-h`} className="max-w-2xl space-y-3 rounded-lg border border-slate-300 p-4">
      <h2 id={`${id}-h`} className="text-lg font-semibold">
        {t('form.title')}
      </h2>
      <form onSubmit={handleSubmit(onSubmit)} className="space-y-3" noValidate>
        <fieldset>
          <legend className="font-medium">{t('form.kind')}</legend>
          <div className="mt-1 flex flex-wrap gap-4">
            {(['history', 'weather'] as const).map((k) => (
              <label key={k} className="flex items-center gap-2">
                <input type="radio" value={k} {...register('kind')} />
                {t(`kinds.${k}`)}
              </label>
            ))}
          </div>
        </fieldset>
        <div>
          <label htmlFor={`${id}-file`} className="font-medium">
            {t('form.file')}
          </label>
          <input
            id={`${id}-file`}
            type="file"
            accept=".csv,text/csv,text/plain"
            className={input}
            aria-invalid={fileError ? true : undefined}
            aria-describedby={fileError ? `${id}-file-err` : undefined}
            {...register('files')}
          />
          {fileError && (
            <p id={`${id}-file-err`} className="mt-1 text-sm text-red-800" role="alert">
              {t(`form.errors.${fileError as 'required' | 'tooLarge' | 'empty'}`)}
            </p>
          )}
        </div>
        <button type="submit" disabled={isSubmitting} className="rounded bg-sky-800 px-4 py-2 font-medium text-white hover:bg-sky-900 disabled:opacity-60">
          {isSubmitting ? t('form.uploading') : t('form.submit')}
        </button>
        {progress !== null && (
          <div className="space-y-1" data-testid="import-progress">
            <label htmlFor={`${id}-progress`} className="text-sm">
              {progress < 1 ? t('form.progress', { percent: Math.round(progress * 100) }) : t('form.processing')}
            </label>
            <progress id={`${id}-progress`} className="block w-full" max={1} value={progress} />
          </div>
        )}
      </form>
      <div aria-live="polite" data-testid="import-outcome">
        {outcome && 'error' in outcome && (
          <p className="text-red-800" role="alert">
            {outcome.error}
          </p>
        )}
        {outcome && 'report' in outcome && outcome.report.status === 'applied' && (
          <p className="rounded bg-green-50 p-2 text-green-900">
            {t('report.applied', {
              lines: outcome.report.lines,
              inserted: outcome.report.inserted,
              updated: outcome.report.updated,
              unchanged: outcome.report.unchanged,
              duplicates: outcome.report.duplicates,
            })}
          </p>
        )}
        {outcome && 'report' in outcome && outcome.report.status === 'refused' && (
          <div className="space-y-2 rounded bg-red-50 p-2 text-red-900" role="alert">
            <p>{t('report.refused', { errors: outcome.report.errorCount })}</p>
            <ul className="list-disc pl-5 text-sm">
              {outcome.report.errors.map((e, i) => (
                <li key={i}>
                  {t('report.line', { line: e.line })}
                  {e.field ? ` (${e.field})` : ''}: {t.has(`reasons.${e.code}`) ? t(`reasons.${e.code}`) : e.message}
                </li>
              ))}
            </ul>
            {outcome.report.errorCount > outcome.report.errors.length && (
              <p className="text-sm">{t('report.more', { n: outcome.report.errorCount - outcome.report.errors.length })}</p>
            )}
          </div>
        )}
      </div>
    </section>
  );
}
