'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useId, useRef, useState } from 'react';
import type { Upload as TusUpload } from 'tus-js-client';

/**
 * E-16: a resumable upload (tus) with a progress bar, pause and resume. tus-js-client keeps the upload's URL in
 * localStorage under the file's fingerprint, so after a page reload choosing the same file again continues from
 * the server's offset; a dropped connection is retried with `retryDelays`.
 */

export type UploadedFile = { uploadId: string; sha256: string; fileName: string; size: number; contentType: string };

type State =
  | { kind: 'idle' }
  | { kind: 'uploading' | 'paused'; sent: number; total: number; speed: number; resumedFrom: number }
  | { kind: 'done'; file: UploadedFile }
  | { kind: 'error'; message: string };

export type UploaderProps = {
  /** The operator's settings (the server enforces the largest size as well). */
  chunkSizeBytes: number;
  maxFileBytes: number;
  label: string;
  accept?: string;
  endpoint?: string;
  onUploaded: (file: UploadedFile) => void;
  /** A stable id for the input (e2e tests and labels). */
  name?: string;
};

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '—';
  const m = Math.floor(s / 60);
  const sec = Math.round(s % 60);
  return m ? `${m} min ${sec} s` : `${sec} s`;
}

export function Uploader({ chunkSizeBytes, maxFileBytes, label, accept, endpoint = '/api/uploads', onUploaded, name }: UploaderProps) {
  const t = useTranslations('expertiseApp.upload');
  const id = useId();
  const [state, setState] = useState<State>({ kind: 'idle' });
  const uploadRef = useRef<TusUpload | null>(null);
  // Speed over the last few seconds: [time ms, bytes sent] samples.
  const samples = useRef<[number, number][]>([]);

  useEffect(() => () => void uploadRef.current?.abort(), []);

  function speedOf(sent: number): number {
    const at = Date.now();
    samples.current.push([at, sent]);
    while (samples.current.length > 2 && at - samples.current[0][0] > 5000) samples.current.shift();
    const [t0, b0] = samples.current[0];
    return at > t0 ? ((sent - b0) * 1000) / (at - t0) : 0;
  }

  async function start(file: File) {
    uploadRef.current?.abort();
    if (file.size > maxFileBytes) {
      setState({ kind: 'error', message: t('tooLarge', { max: formatBytes(maxFileBytes) }) });
      return;
    }
    const { Upload } = await import('tus-js-client');
    samples.current = [];
    let resumedFrom = 0;
    const upload = new Upload(file, {
      endpoint,
      chunkSize: chunkSizeBytes,
      retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
      removeFingerprintOnSuccess: true,
      metadata: { filename: file.name, filetype: file.type || 'application/octet-stream' },
      onProgress(sent, total) {
        setState((s) => ({ kind: s.kind === 'paused' ? 'paused' : 'uploading', sent, total, speed: speedOf(sent), resumedFrom }));
      },
      onError(err) {
        const status = (err as { originalResponse?: { getStatus(): number } | null }).originalResponse?.getStatus();
        setState({
          kind: 'error',
          message: status === 413 ? t('tooLarge', { max: formatBytes(maxFileBytes) }) : status === 401 ? t('signedOut') : t('failed'),
        });
      },
      onSuccess({ lastResponse }) {
        const sha256 = lastResponse.getHeader('Upload-Sha256') ?? '';
        const uploadId = lastResponse.getHeader('Upload-Record-Id') ?? '';
        if (!sha256 || !uploadId) {
          setState({ kind: 'error', message: t('failed') });
          return;
        }
        const done: UploadedFile = { uploadId, sha256, fileName: file.name, size: file.size, contentType: file.type };
        setState({ kind: 'done', file: done });
        onUploaded(done);
      },
    });
    uploadRef.current = upload;
    // After a reload: continue the unfinished upload of the same file.
    const previous = await upload.findPreviousUploads();
    if (previous.length) {
      upload.resumeFromPreviousUpload(previous[0]);
      resumedFrom = -1; // known once the server answers HEAD; shown as "resuming"
    }
    setState({ kind: 'uploading', sent: 0, total: file.size, speed: 0, resumedFrom });
    upload.start();
  }

  function pause() {
    void uploadRef.current?.abort();
    setState((s) => (s.kind === 'uploading' ? { ...s, kind: 'paused' } : s));
  }

  function resume() {
    samples.current = [];
    uploadRef.current?.start();
    setState((s) => (s.kind === 'paused' ? { ...s, kind: 'uploading' } : s));
  }

  const active = state.kind === 'uploading' || state.kind === 'paused';
  const percent = active && state.total ? Math.floor((state.sent / state.total) * 100) : state.kind === 'done' ? 100 : 0;
  const remaining = active && state.speed > 0 ? (state.total - state.sent) / state.speed : NaN;

  return (
    <div className="rounded border border-slate-300 p-3" data-testid={name ? `uploader-${name}` : undefined}>
      <label htmlFor={id} className="block font-medium">
        {label}
      </label>
      <input
        id={id}
        name={name}
        type="file"
        accept={accept}
        className="mt-1 block w-full max-w-full text-sm"
        disabled={state.kind === 'uploading'}
        onChange={(e) => {
          const f = e.currentTarget.files?.[0];
          if (f) void start(f);
        }}
      />
      <p className="mt-1 text-sm text-slate-700">{t('limits', { part: formatBytes(chunkSizeBytes), max: formatBytes(maxFileBytes) })}</p>
      {(active || state.kind === 'done') && (
        <div className="mt-2">
          <div
            role="progressbar"
            aria-label={t('progress')}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            aria-valuetext={`${percent}%`}
            className="h-3 w-full overflow-hidden rounded bg-slate-200"
          >
            <div className="h-full bg-sky-700 transition-[width]" style={{ width: `${percent}%` }} />
          </div>
          {active && (
            <p className="mt-1 text-sm" aria-live="polite">
              {t('status', { sent: formatBytes(state.sent), total: formatBytes(state.total), percent })}
              {state.kind === 'uploading' && state.speed > 0 && ` · ${t('speed', { speed: `${formatBytes(Math.round(state.speed))}/s`, remaining: formatSeconds(remaining) })}`}
              {state.kind === 'paused' && ` · ${t('paused')}`}
              {state.resumedFrom === -1 && ` · ${t('resumed')}`}
            </p>
          )}
          <div className="mt-2 flex gap-2">
            {state.kind === 'uploading' && (
              <button type="button" onClick={pause} className="rounded border border-slate-600 px-3 py-1">
                {t('pause')}
              </button>
            )}
            {state.kind === 'paused' && (
              <button type="button" onClick={resume} className="rounded border border-slate-600 px-3 py-1">
                {t('resume')}
              </button>
            )}
          </div>
        </div>
      )}
      {state.kind === 'done' && (
        <p role="status" className="mt-1 text-sm text-green-800">
          {t('done', { name: state.file.fileName, size: formatBytes(state.file.size) })}{' '}
          <span className="break-all font-mono text-xs">SHA-256 {state.file.sha256}</span>
        </p>
      )}
      {state.kind === 'error' && (
        <p role="alert" className="mt-1 text-sm text-red-800">
          {state.message}
        </p>
      )}
    </div>
  );
}
