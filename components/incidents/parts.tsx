import { getLocale, getTranslations } from 'next-intl/server';
import type { Locale } from '@/lib/i18n/config';
import { renderSla } from '@/lib/incidents/explain';
import type { IncidentEvent, IncidentTimer } from '@/lib/incidents/service';
import { formatAstana } from '@/lib/time/astana';

function loc(l: string): Locale {
  return l === 'ru' || l === 'en' ? l : 'kk';
}

const STATUS_STYLE: Record<string, string> = {
  received: 'bg-slate-200 text-slate-900',
  registered: 'bg-sky-100 text-sky-900',
  info_requested: 'bg-amber-100 text-amber-900',
  refuted: 'bg-slate-200 text-slate-900',
  confirmed: 'bg-red-100 text-red-900',
  fixed: 'bg-green-100 text-green-900',
  closed: 'bg-slate-100 text-slate-800',
};

export async function StatusBadge({ status }: { status: string }) {
  const t = await getTranslations('incidents.status');
  return (
    <span className={`rounded px-2 py-0.5 text-sm font-medium ${STATUS_STYLE[status] ?? ''}`} data-testid="incident-status" data-status={status}>
      {t(status)}
    </span>
  );
}

/** The SLA timers with their due instants, explanations and state (met, overdue, cancelled). */
export async function TimerList({ timers, now }: { timers: IncidentTimer[]; now: Date }) {
  const [t, locale] = await Promise.all([getTranslations('incidents'), getLocale()]);
  const l = loc(locale);
  if (!timers.length) return null;
  return (
    <ul className="space-y-2" aria-label={t('ui.timers')}>
      {timers.map((x) => {
        const overdue = !x.metAt && !x.cancelledAt && (x.overdueAt !== null || x.dueAt.getTime() < now.getTime());
        const late = x.metAt && x.metAt.getTime() > x.dueAt.getTime();
        return (
          <li
            key={x.kind}
            className={`rounded border p-2 text-sm ${overdue ? 'border-red-700 bg-red-50' : 'border-slate-300'}`}
            data-testid="incident-timer"
            data-kind={x.kind}
            data-overdue={overdue ? 'true' : undefined}
          >
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <span className="font-medium">{t(`timer.${x.kind}`)}</span>
              <span>
                {x.cancelledAt
                  ? t('ui.timerCancelled')
                  : x.metAt
                    ? t(late ? 'ui.timerMetLate' : 'ui.timerMet', { at: formatAstana(x.metAt, l) })
                    : t('ui.timerDue', { at: formatAstana(x.dueAt, l) })}
                {overdue ? <span className="ml-2 rounded bg-red-700 px-1.5 py-0.5 text-xs font-semibold text-white">{t('ui.overdue')}</span> : null}
              </span>
            </div>
            <p className="text-slate-700">{renderSla(x.explanation, l)}</p>
          </li>
        );
      })}
    </ul>
  );
}

/** The incident's timeline (who did what, when, Astana time). */
export async function Timeline({ events }: { events: IncidentEvent[] }) {
  const [t, locale] = await Promise.all([getTranslations('incidents'), getLocale()]);
  const l = loc(locale);
  return (
    <ol className="space-y-1 border-l-2 border-slate-300 pl-4 text-sm" aria-label={t('ui.timeline')} data-testid="incident-timeline">
      {events.map((e) => {
        const d = (e.data ?? {}) as Record<string, unknown>;
        const detail = [d.question, d.answer, d.evidence, d.note, d.body && `${String(d.body)} ${String(d.reference ?? '')}`, d.criticality && t(`criticality.${String(d.criticality)}`), d.number, d.timer && t(`timer.${String(d.timer)}`)]
          .filter((x) => typeof x === 'string' && x)
          .join(' · ');
        return (
          <li key={e.id} data-kind={e.kind}>
            <span className="text-slate-600">{formatAstana(e.at, l)}</span> — <span className="font-medium">{t.has(`event.${e.kind}`) ? t(`event.${e.kind}`) : e.kind}</span>
            {detail ? <span className="text-slate-700">: {detail}</span> : null}
          </li>
        );
      })}
    </ol>
  );
}
