'use client';

import { useLocale, useTranslations } from 'next-intl';
import { useId, useRef, useState } from 'react';
import type { FieldValues, UseFormReturn } from 'react-hook-form';
import { requestActionNonce } from '@/lib/auth/sign-actions';
import type { SignedActionResult, SignedPayload } from '@/lib/auth/signed-action';
import { canonicalJson } from '@/lib/canonical-json';
import { NcaLayerProblem, signWithNcaLayer as ncaLayerSign } from '@/lib/eds/browser/ncalayer';
import { toBase64 } from '@/lib/eds/encoding';
import { chooseKey, clearStoredKey, fetchDemoSignKey, getStoredKey, KeyProblem, signWithStoredKey, type DemoSignKey, type StoredKey } from './key-store';

/**
 * the one button through which a user confirms a change with their SIGN key. It asks the server for a
 * nonce, signs canonicalJson({ action, input, nonce }) (UTF-8, detached CMS) with NCALayer — or, in EDS test
 * mode, with a demo key file kept for this browser session — and sends { input, nonceId, cms } to a server
 * action made with signedAction() (lib/auth/signed-action.ts).
 *
 * With react-hook-form: `input={validatedValues(form)}` validates first and signs the validated values.
 */

export type { DemoSignKey };

type Step = 'nonce' | 'ncalayer' | 'signing' | 'verifying';
type Status = { kind: 'idle' } | { kind: 'working'; step: Step } | { kind: 'error'; code: string; message: string } | { kind: 'done' };

export type SignButtonProps<T> = {
  action: (payload: SignedPayload) => Promise<SignedActionResult<T>>;
  /** The name the server action signs under (signedAction's `name`, default its policy action). */
  actionName: string;
  /** The input, or a function giving it (undefined = do not sign, e.g. the form is invalid). */
  input: unknown | (() => unknown | Promise<unknown>);
  label: string;
  onResult?: (result: SignedActionResult<T>) => void;
  /** The demo SIGN keys (EDS test mode); null/absent = NCALayer only. */
  demoKeys?: DemoSignKey[] | null;
  successMessage?: string;
  disabled?: boolean;
  className?: string;
};

/** The client-side failures with their own messages (sign.errors.<code>). */
const CLIENT_CODES = new Set(['ncalayer_missing', 'ncalayer_error', 'cancelled', 'wrong_password', 'p12_malformed', 'p12_unsupported', 'network', 'no_file', 'internal']);

class SignProblem extends Error {
  constructor(readonly code: string, readonly serverMessage?: string) {
    super(code);
  }
}

/** NCALayer with any SIGN key (lib/eds/browser/ncalayer.ts), its failures as this component's problems. */
async function signWithNcaLayer(content: Uint8Array, locale: string): Promise<string> {
  try {
    return await ncaLayerSign(toBase64(content), 'sign', locale);
  } catch (e) {
    if (e instanceof NcaLayerProblem) throw new SignProblem(e.code);
    throw e;
  }
}

/** For react-hook-form: validates the form and gives its validated values (undefined when invalid). */
export function validatedValues<T extends FieldValues>(form: UseFormReturn<T>): () => Promise<T | undefined> {
  return () =>
    new Promise((resolve) => {
      void form.handleSubmit(
        (values) => resolve(values),
        () => resolve(undefined),
      )();
    });
}

export function SignButton<T>({ action, actionName, input, label, onResult, demoKeys, successMessage, disabled, className }: SignButtonProps<T>) {
  const t = useTranslations('sign');
  const locale = useLocale();
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [chooser, setChooser] = useState(false);
  const [stored, setStored] = useState<StoredKey | null>(null);
  const [demoKey, setDemoKey] = useState('');
  const [password, setPassword] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const pending = useRef<unknown>(undefined);
  const ids = { status: useId(), key: useId(), file: useId(), password: useId(), chooser: useId() };
  const busy = status.kind === 'working';
  const demoMode = Array.isArray(demoKeys);

  function fail(e: unknown) {
    if (e instanceof KeyProblem) return setStatus({ kind: 'error', code: e.code, message: t(`errors.${e.code}`) });
    if (e instanceof SignProblem) {
      // Our own texts for the codes we know (client failures, nonce refusals); else the server's translated text.
      const key = `errors.${e.code}`;
      const message = CLIENT_CODES.has(e.code) || t.has(key) ? t(key) : (e.serverMessage ?? t('errors.internal'));
      return setStatus({ kind: 'error', code: e.code, message });
    }
    console.error('[sign-button]', e);
    setStatus({ kind: 'error', code: 'internal', message: t('errors.internal') });
  }

  async function run(value: unknown, signer: StoredKey | 'ncalayer') {
    try {
      setStatus({ kind: 'working', step: 'nonce' });
      let n;
      try {
        n = await requestActionNonce(actionName);
      } catch {
        throw new SignProblem('network');
      }
      if (!n.ok) throw new SignProblem(n.error.code, n.error.message);
      const content = new TextEncoder().encode(canonicalJson({ action: actionName, input: value, nonce: n.data.nonce }));
      let cms: string;
      if (signer === 'ncalayer') {
        setStatus({ kind: 'working', step: 'ncalayer' });
        cms = await signWithNcaLayer(content, locale);
      } else {
        setStatus({ kind: 'working', step: 'signing' });
        cms = await signWithStoredKey(signer, content);
      }
      setStatus({ kind: 'working', step: 'verifying' });
      let result: SignedActionResult<T>;
      try {
        result = await action({ input: value, nonceId: n.data.nonceId, cms });
      } catch {
        throw new SignProblem('network');
      }
      onResult?.(result);
      if (result.ok) setStatus({ kind: 'done' });
      else setStatus({ kind: 'error', code: result.error.code, message: result.error.message });
    } catch (e) {
      fail(e);
    }
  }

  async function onClick() {
    setStatus({ kind: 'idle' });
    const value = typeof input === 'function' ? await (input as () => unknown | Promise<unknown>)() : input;
    if (value === undefined) return; // the form shows its own field errors
    if (!demoMode) return run(value, 'ncalayer');
    const key = getStoredKey();
    if (key) {
      setStored(key);
      return run(value, key);
    }
    pending.current = value;
    setChooser(true);
  }

  async function onChooseKey() {
    try {
      let bytes: Uint8Array;
      let keyLabel: string;
      if (file) {
        bytes = new Uint8Array(await file.arrayBuffer());
        keyLabel = file.name;
      } else if (demoKey) {
        bytes = await fetchDemoSignKey(demoKey);
        keyLabel = demoKeys?.find((k) => k.name === demoKey)?.fullName ?? demoKey;
      } else throw new KeyProblem('no_file');
      const key = await chooseKey(keyLabel, bytes, password);
      setStored(key);
      setChooser(false);
      await run(pending.current, key);
    } catch (e) {
      fail(e);
    }
  }

  function onUseNcaLayer() {
    setChooser(false);
    void run(pending.current, 'ncalayer');
  }

  return (
    <div className={className}>
      <button
        type="button"
        onClick={() => void onClick()}
        disabled={busy || disabled}
        aria-describedby={ids.status}
        className="rounded bg-blue-800 px-4 py-2 font-medium text-white hover:bg-blue-900 disabled:opacity-60"
      >
        {label}
      </button>
      {demoMode && stored && !chooser ? (
        <p className="mt-1 text-sm text-slate-700">
          {t('demo.usingKey', { key: stored.label })}{' '}
          <button
            type="button"
            className="text-blue-800 underline"
            onClick={() => {
              clearStoredKey();
              setStored(null);
            }}
          >
            {t('demo.changeKey')}
          </button>
        </p>
      ) : null}

      {chooser ? (
        // Not a <form>: the button usually sits inside the caller's form, and forms must not nest.
        <div role="group" aria-labelledby={ids.chooser} className="mt-3 space-y-3 rounded border border-amber-600 bg-amber-50 p-3">
          <h3 id={ids.chooser} className="font-semibold">
            {t('demo.title')}
          </h3>
          <p className="text-sm">{t('demo.intro')}</p>
          <div>
            <label htmlFor={ids.key} className="block font-medium">
              {t('demo.chooseKey')}
            </label>
            <select
              id={ids.key}
              value={demoKey}
              onChange={(e) => {
                setDemoKey(e.target.value);
                setPassword(demoKeys?.find((k) => k.name === e.target.value)?.password ?? '');
              }}
              className="mt-1 rounded border border-slate-500 bg-white px-2 py-1"
            >
              <option value="">{t('demo.noKeyChosen')}</option>
              {(demoKeys ?? []).map((k) => (
                <option key={k.name} value={k.name}>
                  {k.name} — {k.fullName}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor={ids.file} className="block font-medium">
              {t('demo.orUpload')}
            </label>
            <input id={ids.file} type="file" accept=".p12,.pfx,application/x-pkcs12" onChange={(e) => setFile(e.target.files?.[0] ?? null)} className="mt-1 block" />
          </div>
          <div>
            <label htmlFor={ids.password} className="block font-medium">
              {t('demo.passwordLabel')}
            </label>
            <input
              id={ids.password}
              type="password"
              autoComplete="off"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              className="mt-1 rounded border border-slate-500 bg-white px-2 py-1"
            />
          </div>
          <div className="flex flex-wrap gap-2">
            <button type="button" disabled={busy} onClick={() => void onChooseKey()} className="rounded bg-amber-800 px-3 py-1 font-medium text-white hover:bg-amber-900 disabled:opacity-60">
              {t('demo.useKey')}
            </button>
            <button type="button" disabled={busy} onClick={onUseNcaLayer} className="rounded border border-slate-500 px-3 py-1">
              {t('demo.useNcaLayer')}
            </button>
            <button type="button" onClick={() => setChooser(false)} className="rounded border border-slate-500 px-3 py-1">
              {t('demo.cancel')}
            </button>
          </div>
        </div>
      ) : null}

      <div id={ids.status} role="status" aria-live="polite" className="mt-2 min-h-6">
        {status.kind === 'working' ? <p>{t(`progress.${status.step}`)}</p> : null}
        {status.kind === 'done' ? <p className="text-green-800" data-testid="sign-done">{successMessage ?? t('done')}</p> : null}
      </div>
      {status.kind === 'error' ? (
        <div role="alert" className="rounded border border-red-700 bg-red-50 p-3 text-red-900" data-testid="sign-error" data-error-code={status.code}>
          <p>{status.message}</p>
          {status.code === 'ncalayer_missing' ? <p className="mt-1">{t('ncalayerDownload')}</p> : null}
        </div>
      ) : null}
    </div>
  );
}
