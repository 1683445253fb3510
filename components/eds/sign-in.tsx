'use client';

import { signIn } from 'next-auth/react';
import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import { NcaLayerProblem, signWithNcaLayer as ncaLayerSign } from '@/lib/eds/browser/ncalayer';
import { fromBase64 } from '@/lib/eds/encoding';

/** A demo key as the sign-in page lists it (EDS test mode only). */
export type DemoKeyOption = { name: string; description: string; fullName: string; password: string };

type Challenge = { challengeId: string; nonce: string };

type Status = { kind: 'idle' } | { kind: 'working'; step: 'challenge' | 'signing' | 'verifying' } | { kind: 'error'; code: string };

/** Error codes the server and the signers report, each with its own message (signin.errors.<code>). */
const KNOWN_CODES = new Set([
  'ncalayer_missing',
  'ncalayer_error',
  'cancelled',
  'wrong_password',
  'p12_malformed',
  'p12_unsupported',
  'no_file',
  'network',
  'rate_limited',
  'bad_request',
  'challenge_unknown',
  'challenge_used',
  'challenge_expired',
  'challenge_wrong_browser',
  'malformed',
  'bad_signature',
  'payload_mismatch',
  'untrusted_chain',
  'expired',
  'not_yet_valid',
  'revoked',
  'revocation_unknown',
  'wrong_key_usage',
  'unsupported_algorithm',
  'no_iin',
  'deactivated',
  'internal',
]);

class SignInProblem extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

async function fetchChallenge(): Promise<Challenge> {
  let res: Response;
  try {
    res = await fetch('/api/auth/challenge', { method: 'POST', credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new SignInProblem('network');
  }
  if (!res.ok) throw new SignInProblem(res.status === 429 ? 'rate_limited' : 'internal');
  return (await res.json()) as Challenge;
}

/** NCALayer with the AUTH key (lib/eds/browser/ncalayer.ts), its failures as sign-in problems. */
async function signWithNcaLayer(nonceB64: string, locale: string): Promise<string> {
  try {
    return await ncaLayerSign(nonceB64, 'auth', locale);
  } catch (e) {
    if (e instanceof NcaLayerProblem) throw new SignInProblem(e.code);
    throw e;
  }
}

/** The demo software signer: opens the .p12 in the browser and signs with WebCrypto. */
async function signWithP12(p12: Uint8Array, password: string, nonceB64: string): Promise<string> {
  const { openP12, signCmsDetached } = await import('@/lib/eds/browser/p12-signer');
  let key;
  try {
    key = await openP12(p12, password);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new SignInProblem(code === 'wrong_password' ? 'wrong_password' : code === 'unsupported' ? 'p12_unsupported' : 'p12_malformed');
  }
  return signCmsDetached(key, fromBase64(nonceB64));
}

function safeCallback(url: string | undefined): string {
  return url && url.startsWith('/') && !url.startsWith('//') ? url : '/';
}

export function SignIn({ demoKeys, callbackUrl, locale }: { demoKeys: DemoKeyOption[] | null; callbackUrl?: string; locale: string }) {
  const t = useTranslations('signin');
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [demoKey, setDemoKey] = useState<string>('');
  const [password, setPassword] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const ids = { key: useId(), file: useId(), password: useId(), status: useId() };
  const busy = status.kind === 'working';

  async function run(sign: (nonceB64: string) => Promise<string>) {
    setStatus({ kind: 'working', step: 'challenge' });
    try {
      const challenge = await fetchChallenge();
      setStatus({ kind: 'working', step: 'signing' });
      const cms = await sign(challenge.nonce);
      setStatus({ kind: 'working', step: 'verifying' });
      const res = await signIn('eds', { challengeId: challenge.challengeId, cms, redirect: false });
      if (!res || res.error) {
        const code = res?.code && KNOWN_CODES.has(res.code) ? res.code : 'internal';
        throw new SignInProblem(code);
      }
      // A full navigation so that the server renders the signed-in header.
      window.location.assign(safeCallback(callbackUrl));
    } catch (e) {
      setStatus({ kind: 'error', code: e instanceof SignInProblem && KNOWN_CODES.has(e.code) ? e.code : 'internal' });
    }
  }

  async function onDemoSubmit(ev: React.FormEvent) {
    ev.preventDefault();
    await run(async (nonce) => {
      let bytes: Uint8Array;
      if (file) bytes = new Uint8Array(await file.arrayBuffer());
      else if (demoKey) {
        const res = await fetch(`/api/eds/demo-keys/${encodeURIComponent(demoKey)}/auth`, { cache: 'no-store' });
        if (!res.ok) throw new SignInProblem('network');
        bytes = new Uint8Array(await res.arrayBuffer());
      } else throw new SignInProblem('no_file');
      return signWithP12(bytes, password, nonce);
    });
  }

  return (
    <div className="space-y-8">
      <section aria-labelledby="ncalayer-heading" className="rounded border border-slate-300 p-4">
        <h2 id="ncalayer-heading" className="text-lg font-semibold">
          {t('ncalayer.title')}
        </h2>
        <p className="mt-2">{t('ncalayer.intro')}</p>
        <button
          type="button"
          disabled={busy}
          onClick={() => run((nonce) => signWithNcaLayer(nonce, locale))}
          className="mt-4 rounded bg-blue-800 px-4 py-2 font-medium text-white hover:bg-blue-900 disabled:opacity-60"
        >
          {t('ncalayer.button')}
        </button>
      </section>

      <div id={ids.status} role="status" aria-live="polite" className="min-h-6">
        {status.kind === 'working' ? <p>{t(`progress.${status.step}`)}</p> : null}
      </div>
      {status.kind === 'error' ? (
        <div role="alert" className="rounded border border-red-700 bg-red-50 p-4 text-red-900" data-testid="signin-error" data-error-code={status.code}>
          <p className="font-semibold">{t(`errors.${status.code}`)}</p>
          {status.code === 'ncalayer_missing' ? <p className="mt-2">{t('ncalayer.download')}</p> : null}
        </div>
      ) : null}

      {demoKeys ? (
        <section aria-labelledby="demo-heading" className="rounded border border-amber-600 bg-amber-50 p-4">
          <h2 id="demo-heading" className="text-lg font-semibold">
            {t('demo.title')}
          </h2>
          <p className="mt-2">{t('demo.intro')}</p>
          <table className="mt-4 w-full border-collapse text-sm">
            <caption className="sr-only">{t('demo.tableCaption')}</caption>
            <thead>
              <tr className="text-left">
                <th scope="col" className="border-b border-slate-400 py-1 pr-2">
                  {t('demo.key')}
                </th>
                <th scope="col" className="border-b border-slate-400 py-1 pr-2">
                  {t('demo.holder')}
                </th>
                <th scope="col" className="border-b border-slate-400 py-1 pr-2">
                  {t('demo.password')}
                </th>
                <th scope="col" className="border-b border-slate-400 py-1">
                  {t('demo.files')}
                </th>
              </tr>
            </thead>
            <tbody>
              {demoKeys.map((k) => (
                <tr key={k.name} data-demo-key={k.name}>
                  <td className="border-b border-slate-200 py-1 pr-2">
                    <span className="font-mono">{k.name}</span>
                    <br />
                    <span className="text-slate-700">{k.description}</span>
                  </td>
                  <td className="border-b border-slate-200 py-1 pr-2">{k.fullName}</td>
                  <td className="border-b border-slate-200 py-1 pr-2 font-mono">{k.password}</td>
                  <td className="border-b border-slate-200 py-1">
                    <a className="text-blue-800 underline" href={`/api/eds/demo-keys/${k.name}/auth`} download={`${k.name}-auth.p12`}>
                      {t('demo.downloadAuth')}
                    </a>
                    {' · '}
                    <a className="text-blue-800 underline" href={`/api/eds/demo-keys/${k.name}/sign`} download={`${k.name}-sign.p12`}>
                      {t('demo.downloadSign')}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>

          <form onSubmit={onDemoSubmit} className="mt-6 space-y-4" aria-describedby={ids.status}>
            <div>
              <label htmlFor={ids.key} className="block font-medium">
                {t('demo.chooseKey')}
              </label>
              <select
                id={ids.key}
                value={demoKey}
                onChange={(e) => {
                  setDemoKey(e.target.value);
                  setPassword(demoKeys.find((k) => k.name === e.target.value)?.password ?? '');
                }}
                className="mt-1 rounded border border-slate-500 bg-white px-2 py-1"
              >
                <option value="">{t('demo.noKeyChosen')}</option>
                {demoKeys.map((k) => (
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
              <input
                id={ids.file}
                type="file"
                accept=".p12,.pfx,application/x-pkcs12"
                onChange={(e) => setFile(e.target.files?.[0] ?? null)}
                className="mt-1 block"
              />
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
            <button
              type="submit"
              disabled={busy}
              className="rounded bg-amber-800 px-4 py-2 font-medium text-white hover:bg-amber-900 disabled:opacity-60"
            >
              {t('demo.submit')}
            </button>
          </form>
        </section>
      ) : null}
    </div>
  );
}
