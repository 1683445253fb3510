import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import type { DemoSignKey } from '@/components/eds/sign-button';
import type { Locale } from '@/lib/i18n/config';
import { formatAstana } from '@/lib/time/astana';
import { alertMessageParams, localisedRecommendations, type AlertView } from '@/lib/water/monitoring/list';
import { AlertActions } from './alert-actions';
import { placeName } from '@/lib/water/names';

const SEVERITY_CLASS: Record<AlertView['severity'], string> = {
  critical: 'bg-red-800 text-white',
  warning: 'bg-amber-200 text-amber-950',
  info: 'bg-slate-200 text-slate-900',
};
const STATUS_CLASS: Record<AlertView['status'], string> = {
  open: 'border-red-800 text-red-900',
  acknowledged: 'border-sky-800 text-sky-900',
  cleared: 'border-slate-500 text-slate-700',
};

function fmt(v: number, locale: string): string {
  return new Intl.NumberFormat(locale === 'kk' ? 'kk-KZ' : locale === 'ru' ? 'ru-RU' : 'en-GB', { maximumFractionDigits: 3 }).format(v);
}

/**
 * One alert (W-21, W-27, W-31): what was found and where, its value against the limit, its times in Astana time,
 * who acknowledged or cleared it, the recommended corrective actions and — for a user who may — the signed
 * acknowledge / clear buttons.
 */
export async function AlertCard({
  alert: a,
  canManage,
  demoKeys,
  headingLevel = 2,
  showObject = true,
  detailLink = true,
}: {
  alert: AlertView;
  canManage: boolean;
  demoKeys: DemoSignKey[] | null;
  headingLevel?: 1 | 2 | 3;
  showObject?: boolean;
  detailLink?: boolean;
}) {
  const [t, tRoot, tKind, locale] = await Promise.all([
    getTranslations('waterAlerts'),
    getTranslations(),
    getTranslations('waterDashboard.kind'),
    getLocale() as Promise<Locale>,
  ]);
  const rec = localisedRecommendations(a.recommendations, locale);
  const title = rec.title ?? a.type;
  const message = tRoot.has(a.messageKey) ? tRoot(a.messageKey, alertMessageParams(a.messageKey, a.params)) : null;
  const region = placeName(a.region, locale);
  const H = headingLevel === 1 ? 'h1' : headingLevel === 2 ? 'h2' : 'h3';
  const R = headingLevel === 1 ? 'h2' : headingLevel === 2 ? 'h3' : 'h4';
  const headingId = `alert-${a.id}-h`;
  return (
    <article
      aria-labelledby={headingId}
      className="space-y-3 rounded-lg border border-slate-300 bg-white p-4 shadow-sm"
      data-testid="alert-card"
      data-alert-id={a.id}
      data-alert-type={a.type}
      data-alert-status={a.status}
    >
      <header className="space-y-1">
        <div className="flex flex-wrap items-center gap-2 text-xs font-semibold uppercase tracking-wide">
          <span className={`rounded px-2 py-0.5 ${SEVERITY_CLASS[a.severity]}`}>{t(`severities.${a.severity}`)}</span>
          <span className={`rounded border px-2 py-0.5 ${STATUS_CLASS[a.status]}`} data-testid="alert-status">
            {t(`state.${a.status}`)}
          </span>
        </div>
        <H id={headingId} className={headingLevel === 1 ? 'text-2xl font-bold' : 'text-lg font-semibold'}>
          {title}
        </H>
        {message ? <p data-testid="alert-message">{message}</p> : null}
      </header>

      {a.value !== null ? (
        <p className="text-sm" data-testid="alert-value">
          {a.limit !== null ? t('valueLimit', { value: fmt(a.value, locale), limit: fmt(a.limit, locale) }) : t('value', { value: fmt(a.value, locale) })}
        </p>
      ) : null}
      <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
        {showObject ? (
          <>
            <dt className="font-medium">{t('object')}</dt>
            <dd>
              <Link href={`/water/objects/${a.object.id}`} className="text-sky-800 underline hover:text-sky-950">
                {a.object.name}
              </Link>{' '}
              <span className="text-slate-700">· {tKind.has(a.object.kind) ? tKind(a.object.kind) : a.object.kind}</span>
            </dd>
            <dt className="font-medium">{t('entity')}</dt>
            <dd>
              <Link href={`/water/utilities/${a.entity.id}`} className="text-sky-800 underline hover:text-sky-950">
                {a.entity.name}
              </Link>
            </dd>
            <dt className="font-medium">{t('region')}</dt>
            <dd>{region}</dd>
          </>
        ) : null}
        {a.device ? (
          <>
            <dt className="font-medium">{t('device')}</dt>
            <dd>{a.device.serialNumber}</dd>
          </>
        ) : null}
        <dt className="font-medium">{t('firstSeen')}</dt>
        <dd>{formatAstana(a.firstSeen, locale)}</dd>
        <dt className="font-medium">{t('lastSeen')}</dt>
        <dd>
          {formatAstana(a.lastSeen, locale)}
          {a.count > 1 ? <span className="text-slate-700"> · {t('repeats', { count: a.count })}</span> : null}
        </dd>
      </dl>

      {a.escalationLevel > 0 && a.status === 'open' ? (
        <p className="text-sm font-medium text-red-800">{t('escalated', { level: a.escalationLevel })}</p>
      ) : null}
      {a.acknowledgedAt ? (
        <p className="text-sm" data-testid="alert-acknowledged">
          {t('acknowledgedBy', { time: formatAstana(a.acknowledgedAt, locale), name: a.acknowledgedByName ?? '—' })}
        </p>
      ) : null}
      {a.clearedAt ? (
        <p className="text-sm">
          {a.clearedByName
            ? t('clearedBy', { time: formatAstana(a.clearedAt, locale), name: a.clearedByName })
            : t('clearedAuto', { time: formatAstana(a.clearedAt, locale) })}
        </p>
      ) : null}
      {a.note ? <p className="text-sm italic">{t('note', { note: a.note })}</p> : null}

      {rec.actions.length > 0 ? (
        <section aria-labelledby={`${headingId}-rec`} className="rounded border border-sky-200 bg-sky-50 p-3" data-testid="alert-recommendations">
          <R id={`${headingId}-rec`} className="text-sm font-semibold">
            {t('recommendations')}
          </R>
          <ol className="mt-1 list-decimal space-y-1 pl-5 text-sm">
            {rec.actions.map((x) => (
              <li key={x.id} data-recommendation={x.id}>
                {x.text}
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      {canManage ? <AlertActions alertId={a.id} status={a.status} demoKeys={demoKeys} /> : null}
      {detailLink ? (
        <p className="text-sm">
          <Link href={`/water/alerts/${a.id}`} className="relative text-sky-800 underline hover:text-sky-950">
            {t('details')}
            <span className="sr-only">: {title}</span>
          </Link>
        </p>
      ) : null}
    </article>
  );
}
