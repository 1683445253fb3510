'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import type { ActionResult } from '@/lib/actions';
import type { ChainCheck } from '@/lib/actions/audit';

type State = ActionResult<ChainCheck> | null;

/** the "verify the chain" button and its result (OK, or the rows that fail). */
export function VerifyChain({ action }: { action: () => Promise<ActionResult<ChainCheck>> }) {
  const t = useTranslations('audit');
  const [state, run, pending] = useActionState<State>(async () => action(), null);
  return (
    <section aria-labelledby="verify-heading" className="space-y-2 rounded-lg border border-slate-300 p-4">
      <h2 id="verify-heading" className="sr-only">
        {t('verify')}
      </h2>
      <form action={run}>
        <button type="submit" disabled={pending} className="rounded bg-sky-800 px-4 py-2 font-medium text-white hover:bg-sky-900 disabled:opacity-70">
          {pending ? t('verifying') : t('verify')}
        </button>
      </form>
      <div role="status" aria-live="polite" data-testid="verify-result">
        {state && !state.ok && <p className="text-red-800">{state.error.message}</p>}
        {state?.ok && state.data.ok && <p className="font-medium text-green-800">{t('verifyOk', { count: state.data.checked })}</p>}
        {state?.ok && !state.data.ok && (
          <div className="text-red-800">
            <p className="font-medium">{t('verifyBroken')}</p>
            <ul className="list-disc pl-6">
              {state.data.broken.map((b) => (
                <li key={`${b.seq}-${b.reason}`}>{t('brokenRow', { seq: b.seq, problem: t(`reasons.${b.reason}`) })}</li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </section>
  );
}
