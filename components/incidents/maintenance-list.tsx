import { getTranslations } from 'next-intl/server';
import type { DemoSignKey } from '@/components/eds/sign-button';
import type { SignedActionResult, SignedPayload } from '@/lib/auth/signed-action';
import type { Locale } from '@/lib/i18n/config';
import { renderSla } from '@/lib/incidents/explain';
import type { PlanView } from '@/lib/incidents/maintenance';
import { formatAstana } from '@/lib/time/astana';
import { SignedForm } from './signed-form';

type Props = {
  windows: PlanView['windows'];
  locale: Locale;
  /** The operator's cancel button (absent on the public page). */
  cancel?: { action: (p: SignedPayload) => Promise<SignedActionResult<unknown>>; demoKeys: DemoSignKey[] | null };
};

/** I-18: the plan's windows with their default-hours check and notice time. */
export async function MaintenanceWindows({ windows, locale, cancel }: Props) {
  const t = await getTranslations('incidents');
  if (!windows.length) return <p>{t('maintenance.none')}</p>;
  return (
    <ul className="space-y-3" aria-label={t('maintenance.windows')}>
      {windows.map((w) => (
        <li key={w.id} className={`space-y-1 rounded-lg border p-4 ${w.cancelledAt ? 'border-slate-200 text-slate-500' : 'border-slate-300'}`} data-testid="maintenance-window">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h3 className="font-semibold">
              {formatAstana(w.startsAt, locale)} — {formatAstana(w.endsAt, locale)}
            </h3>
            <span className="text-sm">
              {t(`component.${w.component}`)}
              {w.unplanned ? ` · ${t('maintenance.unplannedBadge')}` : ''}
              {w.cancelledAt ? ` · ${t('maintenance.cancelled')}` : ''}
            </span>
          </div>
          <p>{w.description}</p>
          <p className="text-sm text-slate-700">{renderSla(w.check.explanation, locale)}</p>
          {w.outsideDefaultReason ? <p className="text-sm">{t('maintenance.reasonShown', { reason: w.outsideDefaultReason })}</p> : null}
          {cancel ? (
            <p className="text-sm text-slate-700">
              {w.notifiedAt ? t('maintenance.notifiedAt', { at: formatAstana(w.notifiedAt, locale) }) : t('maintenance.noticeDue', { at: formatAstana(w.noticeDue, locale) })}
            </p>
          ) : null}
          {cancel && !w.cancelledAt ? (
            <SignedForm
              title={t('maintenance.cancelTitle')}
              actionName="maintenance.cancel_window"
              action={cancel.action}
              fixed={{ id: w.id }}
              fields={[{ name: 'reason', label: t('maintenance.cancelReason'), kind: 'text' }]}
              submitLabel={t('maintenance.cancel')}
              demoKeys={cancel.demoKeys}
            />
          ) : null}
        </li>
      ))}
    </ul>
  );
}
