'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { SignButton, type DemoSignKey } from '@/components/eds/sign-button';
import { acknowledgeAlertAction, clearAlertAction } from '@/app/water/alerts/actions';
import { ALERT_ACKNOWLEDGE_ACTION, ALERT_CLEAR_ACTION, alertActionSchema } from '@/lib/water/monitoring/alert-action-schema';

/**
 * W-27 / X-4: acknowledge (open → acknowledged) and clear (→ cleared) an alert, each confirmed with the SIGN
 * key; an optional note becomes the basis in the audit journal. The server checks the role and the scope.
 */
export function AlertActions({ alertId, status, demoKeys }: { alertId: string; status: 'open' | 'acknowledged' | 'cleared'; demoKeys: DemoSignKey[] | null }) {
  const t = useTranslations('waterAlerts');
  const router = useRouter();
  const id = useId();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (status === 'cleared') return null;

  /** The validated input to sign, or undefined (the error is shown beside the field). */
  const input = () => {
    const parsed = alertActionSchema.safeParse({ id: alertId, note });
    if (!parsed.success) {
      setError(t('noteTooLong'));
      return undefined;
    }
    setError(null);
    return { id: alertId, note };
  };
  const onResult = (r: { ok: boolean; error?: { fields?: Record<string, string> } }) => {
    if (r.ok) router.refresh();
    else if (r.error?.fields?.note) setError(t('noteTooLong'));
  };

  return (
    <div className="space-y-2 border-t border-slate-200 pt-3" data-testid="alert-actions">
      <div>
        <label htmlFor={`${id}-note`} className="block text-sm font-medium">
          {t('noteLabel')}
        </label>
        <textarea
          id={`${id}-note`}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          rows={2}
          maxLength={600}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-note-error` : `${id}-sign-note`}
          className="mt-1 w-full max-w-xl rounded border border-slate-500 bg-white px-2 py-1 text-sm"
        />
        {error ? (
          <p id={`${id}-note-error`} className="mt-1 text-sm text-red-800">
            {error}
          </p>
        ) : null}
        <p id={`${id}-sign-note`} className="mt-1 text-xs text-slate-700">
          {t('signNote')}
        </p>
      </div>
      <div className="flex flex-wrap items-start gap-4">
        {status === 'open' ? (
          <div data-testid="alert-acknowledge">
            <SignButton
              action={acknowledgeAlertAction}
              actionName={ALERT_ACKNOWLEDGE_ACTION}
              input={input}
              label={t('acknowledge')}
              successMessage={t('acknowledgedDone')}
              demoKeys={demoKeys}
              onResult={onResult}
            />
          </div>
        ) : null}
        <div data-testid="alert-clear">
          <SignButton
            action={clearAlertAction}
            actionName={ALERT_CLEAR_ACTION}
            input={input}
            label={t('clear')}
            successMessage={t('clearedDone')}
            demoKeys={demoKeys}
            onResult={onResult}
          />
        </div>
      </div>
    </div>
  );
}
