'use client';

import Link from 'next/link';
import { useLocale, useTranslations } from 'next-intl';
import { formatAstana, type TimeLocale } from '@/lib/time/astana';
import { RECOMMENDATIONS } from '@/lib/water/analytics/recommendations';
import type { AlertType } from '@/lib/water/analytics/types';
import type { BalanceResult } from '@/lib/water/dashboard/analytics';
import type { StoredForecast } from '@/lib/water/dashboard/forecasts';
import type { ObjectDetail, Overview, RegionDetail, Summary, UtilityDetail } from '@/lib/water/dashboard/queries';
import { BalanceChart, ForecastChart, SeriesChart, VolumesChart } from './charts';
import { useLive } from './live';
import { fmtNumber, type Wire } from './wire';
import { placeName, type PlaceNames } from '@/lib/water/names';

const TH = 'border-b border-slate-300 px-2 py-1 text-left font-semibold';
const TD = 'border-b border-slate-200 px-2 py-1';
const NUM = `${TD} text-right tabular-nums`;

function LiveNote({ at }: { at: number }) {
  const t = useTranslations('waterDashboard');
  const locale = useLocale() as TimeLocale;
  return (
    <p className="text-xs text-slate-700" aria-live="polite" suppressHydrationWarning>
      {t('live', { time: formatAstana(at, locale, { show: 'time', seconds: true }) })}
    </p>
  );
}

function LoadError({ show }: { show: boolean }) {
  const t = useTranslations('waterDashboard');
  return show ? (
    <p role="alert" className="text-sm text-red-800">
      {t('loadError')}
    </p>
  ) : null;
}

/** The numeric summary columns shared by the region and utility tables. */
function SummaryCells({ s, alertsHref }: { s: Wire<Summary>; alertsHref?: string }) {
  const t = useTranslations('waterDashboard');
  const locale = useLocale();
  return (
    <>
      <td className={NUM}>{fmtNumber(s.supplyM3, locale)}</td>
      <td className={NUM}>{fmtNumber(s.distributionM3, locale)}</td>
      <td className={NUM}>{s.consumptionM3 === null ? <span className="text-slate-600">{t('notReported')}</span> : fmtNumber(s.consumptionM3, locale)}</td>
      <td className={NUM}>{fmtNumber(s.nonRevenueWaterPercent, locale, 1)}</td>
      <td className={NUM}>
        <AlertCount open={s.alerts.open} href={alertsHref} />
      </td>
      <td className={NUM}>{s.alerts.active}</td>
    </>
  );
}

/** W-27: an open-alerts count that links to the alerts page filtered to the row (when there are any). */
function AlertCount({ open, href }: { open: number; href?: string }) {
  const t = useTranslations('waterDashboard');
  if (open === 0 || !href) return <span className={open > 0 ? 'font-semibold text-red-800' : ''}>{open}</span>;
  return (
    // relative: the sr-only text is absolutely positioned; inside the table's scroll container it must not widen the page.
    <Link href={href} className="relative font-semibold text-red-800 underline hover:text-red-950">
      {open}
      <span className="sr-only"> {t('col.openAlerts')}</span>
    </Link>
  );
}

function SummaryHeads() {
  const t = useTranslations('waterDashboard');
  return (
    <>
      <th scope="col" className={TH}>{t('col.supply')}</th>
      <th scope="col" className={TH}>{t('col.distribution')}</th>
      <th scope="col" className={TH}>{t('col.consumption')}</th>
      <th scope="col" className={TH}>{t('col.nrw')}</th>
      <th scope="col" className={TH}>{t('col.openAlerts')}</th>
      <th scope="col" className={TH}>{t('col.activeAlerts')}</th>
    </>
  );
}

export function OverviewView({ initial, query }: { initial: Wire<Overview>; query: string }) {
  const t = useTranslations('waterDashboard');
  const locale = useLocale();
  const q = useLive(`/api/v1/water/overview?${query}`, initial);
  const d = q.data;
  const name = (r: PlaceNames) => placeName(r, locale);
  return (
    <div className="space-y-4">
      <LiveNote at={q.dataUpdatedAt} />
      <LoadError show={q.isError} />
      <VolumesChart title={t('chart.supplyConsumption')} rows={d.regions.map((r) => ({ name: name(r), supply: r.supplyM3, consumption: r.consumptionM3 }))} />
      <div className="overflow-x-auto" tabIndex={0}>
        <table className="w-full min-w-[40rem] border-collapse text-sm" data-testid="regions-table">
          <thead>
            <tr>
              <th scope="col" className={TH}>{t('col.region')}</th>
              <th scope="col" className={TH}>{t('col.utilities')}</th>
              <SummaryHeads />
            </tr>
          </thead>
          <tbody>
            {d.regions.map((r) => (
              <tr key={r.id}>
                <th scope="row" className={`${TD} text-left font-normal`}>
                  <Link href={`/water/regions/${r.id}?${query}`} className="text-sky-800 underline hover:text-sky-950">
                    {name(r)}
                  </Link>
                </th>
                <td className={NUM}>{r.entities}</td>
                <SummaryCells s={r} alertsHref={`/water/alerts?region=${r.id}&status=open`} />
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" className={`${TD} text-left`}>{t('totals')}</th>
              <td className={NUM}>{d.regions.reduce((s, r) => s + r.entities, 0)}</td>
              <SummaryCells s={d.totals} alertsHref="/water/alerts?status=open" />
            </tr>
          </tfoot>
        </table>
      </div>
    </div>
  );
}

export function RegionView({ initial, query }: { initial: Wire<RegionDetail>; query: string }) {
  const t = useTranslations('waterDashboard');
  const q = useLive(`/api/v1/water/regions/${initial.region.id}?${query}`, initial);
  const d = q.data;
  return (
    <div className="space-y-4">
      <LiveNote at={q.dataUpdatedAt} />
      <LoadError show={q.isError} />
      <VolumesChart title={t('chart.byUtility')} rows={d.entities.map((e) => ({ name: e.name, supply: e.supplyM3, consumption: e.consumptionM3 }))} />
      {d.entities.length === 0 ? (
        <p>{t('noData')}</p>
      ) : (
        <div className="overflow-x-auto" tabIndex={0}>
          <table className="w-full min-w-[40rem] border-collapse text-sm" data-testid="utilities-table">
            <thead>
              <tr>
                <th scope="col" className={TH}>{t('col.utility')}</th>
                <th scope="col" className={TH}>{t('col.objects')}</th>
                <SummaryHeads />
              </tr>
            </thead>
            <tbody>
              {d.entities.map((e) => (
                <tr key={e.id}>
                  <th scope="row" className={`${TD} text-left font-normal`}>
                    <Link href={`/water/utilities/${e.id}?${query}`} className="text-sky-800 underline hover:text-sky-950">
                      {e.name}
                    </Link>
                  </th>
                  <td className={NUM}>{e.objects}</td>
                  <SummaryCells s={e} alertsHref={`/water/alerts?entity=${e.id}&status=open`} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export function UtilityView({ initial, query }: { initial: Wire<UtilityDetail>; query: string }) {
  const t = useTranslations('waterDashboard');
  const locale = useLocale() as TimeLocale;
  const q = useLive(`/api/v1/water/utilities/${initial.entity.id}?${query}`, initial);
  const d = q.data;
  return (
    <div className="space-y-4">
      <LiveNote at={q.dataUpdatedAt} />
      <LoadError show={q.isError} />
      <div className="overflow-x-auto" tabIndex={0}>
        <table className="w-full min-w-[40rem] border-collapse text-sm" data-testid="objects-table">
          <thead>
            <tr>
              <th scope="col" className={TH}>{t('col.object')}</th>
              <th scope="col" className={TH}>{t('col.kind')}</th>
              <th scope="col" className={TH}>{t('col.volume')}</th>
              <th scope="col" className={TH}>{t('col.lastData')}</th>
              <th scope="col" className={TH}>{t('col.openAlerts')}</th>
              <th scope="col" className={TH}>{t('col.activeAlerts')}</th>
            </tr>
          </thead>
          <tbody>
            {d.objects.map((o) => (
              <tr key={o.id}>
                <th scope="row" className={`${TD} text-left font-normal`}>
                  <Link href={`/water/objects/${o.id}?${query}`} className="text-sky-800 underline hover:text-sky-950">
                    {o.name}
                  </Link>
                </th>
                <td className={TD}>{t(`kind.${o.kind}`)}</td>
                <td className={NUM}>{fmtNumber(o.volumeM3, locale)}</td>
                <td className={TD}>{o.lastTs ? formatAstana(new Date(o.lastTs), locale) : '—'}</td>
                <td className={NUM}>
                  <AlertCount open={o.alerts.open} href={`/water/alerts?object=${o.id}&status=open`} />
                </td>
                <td className={NUM}>{o.alerts.active}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function ObjectView({ initial, query }: { initial: Wire<ObjectDetail>; query: string }) {
  const t = useTranslations('waterDashboard');
  const ta = useTranslations('waterAlerts');
  const locale = useLocale() as TimeLocale;
  const q = useLive(`/api/v1/water/objects/${initial.object.id}?${query}`, initial);
  const d = q.data;
  return (
    <div className="space-y-4">
      <LiveNote at={q.dataUpdatedAt} />
      <LoadError show={q.isError} />
      <p className="text-sm text-slate-700">{t('series.anomalyNote')}</p>
      {d.series.length === 0 ? (
        <p data-testid="no-series">{t('noData')}</p>
      ) : (
        <div className="grid gap-6 lg:grid-cols-2">
          {d.series.map((s) => (
            <SeriesChart
              key={`${s.deviceId}:${s.metric}`}
              title={`${t.has(`metric.${s.metric}`) ? t(`metric.${s.metric}`) : s.metric} — ${s.serialNumber}`}
              points={s.points}
              granularity={d.range.granularity}
            />
          ))}
        </div>
      )}
      <section aria-labelledby="alerts-h" className="space-y-2">
        <h2 id="alerts-h" className="text-lg font-semibold">{t('alerts.title')}</h2>
        {d.alerts.length === 0 ? (
          <p>{t('alerts.none')}</p>
        ) : (
          <div className="overflow-x-auto" tabIndex={0}>
            <table className="w-full min-w-[32rem] border-collapse text-sm">
              <thead>
                <tr>
                  <th scope="col" className={TH}>{t('alerts.type')}</th>
                  <th scope="col" className={TH}>{t('alerts.severity')}</th>
                  <th scope="col" className={TH}>{t('alerts.status')}</th>
                  <th scope="col" className={TH}>{t('alerts.since')}</th>
                </tr>
              </thead>
              <tbody>
                {d.alerts.map((a) => (
                  <tr key={a.id}>
                    <td className={TD}>
                      <Link href={`/water/alerts/${a.id}`} className="text-sky-800 underline hover:text-sky-950">
                        {a.type in RECOMMENDATIONS ? RECOMMENDATIONS[a.type as AlertType].title[locale] : a.type}
                      </Link>
                    </td>
                    <td className={TD}>{ta.has(`severities.${a.severity}`) ? ta(`severities.${a.severity}`) : a.severity}</td>
                    <td className={TD}>{ta.has(`state.${a.status}`) ? ta(`state.${a.status}`) : a.status}</td>
                    <td className={TD}>{formatAstana(new Date(a.firstSeen), locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

const BALANCE_BARS = ['systemInputVolume', 'billedAuthorised', 'unbilledAuthorised', 'apparentLosses', 'realLosses', 'nonRevenueWater'] as const;

/** W-19: the balance as a chart and a table, with each input's source and whether it is estimated. */
export function BalancePanel({ initial, url }: { initial: Wire<BalanceResult>; url: string }) {
  const t = useTranslations('waterDashboard');
  const locale = useLocale();
  const q = useLive(url, initial);
  const b = q.data;
  return (
    <section aria-labelledby="balance-h" className="space-y-3" data-testid="balance">
      <h2 id="balance-h" className="text-lg font-semibold">{t('balance.title')}</h2>
      {b.status !== 'ok' ? (
        <p>{t('balance.unavailable', { reason: t(`reason.${b.status}`) })}</p>
      ) : (
        <>
          <BalanceChart rows={BALANCE_BARS.map((k) => ({ name: t(`component.${k}`), value: b.balance[k] }))} />
          <div className="overflow-x-auto" tabIndex={0}>
            <table className="w-full min-w-[24rem] border-collapse text-sm">
              <caption className="sr-only">{t('balance.title')}</caption>
              <thead>
                <tr>
                  <th scope="col" className={TH}>{t('balance.component')}</th>
                  <th scope="col" className={TH}>{t('balance.value')}</th>
                </tr>
              </thead>
              <tbody>
                {BALANCE_BARS.map((k) => (
                  <tr key={k}>
                    <th scope="row" className={`${TD} text-left font-normal`}>{t(`component.${k}`)}</th>
                    <td className={NUM}>{fmtNumber(b.balance[k], locale)}</td>
                  </tr>
                ))}
                <tr>
                  <th scope="row" className={`${TD} text-left font-normal`}>{t('component.nonRevenueWaterPercent')}</th>
                  <td className={NUM}>{fmtNumber(b.balance.nonRevenueWaterPercent, locale, 1)}</td>
                </tr>
                <tr>
                  <th scope="row" className={`${TD} text-left font-normal`}>{t('balance.nrwPerConnection')}</th>
                  <td className={NUM}>{fmtNumber(b.balance.nonRevenueWaterLitresPerConnectionPerDay, locale, 1)}</td>
                </tr>
                <tr>
                  <th scope="row" className={`${TD} text-left font-normal`}>{t('balance.ili')}</th>
                  <td className={NUM}>{fmtNumber(b.balance.ili, locale, 2)}</td>
                </tr>
              </tbody>
            </table>
          </div>
        </>
      )}
      {b.inputs.length > 0 && (
        <details>
          <summary className="cursor-pointer text-sm font-medium">{t('balance.inputs')}</summary>
          <div className="overflow-x-auto" tabIndex={0}>
            <table className="w-full min-w-[24rem] border-collapse text-sm">
              <thead>
                <tr>
                  <th scope="col" className={TH}>{t('balance.component')}</th>
                  <th scope="col" className={TH}>{t('balance.value')}</th>
                  <th scope="col" className={TH}>{t('balance.source')}</th>
                </tr>
              </thead>
              <tbody>
                {b.inputs.map((i) => (
                  <tr key={i.name}>
                    <th scope="row" className={`${TD} text-left font-normal`}>{t.has(`component.${i.name}`) ? t(`component.${i.name}`) : i.name}</th>
                    <td className={NUM}>{fmtNumber(i.value, locale, 2)}</td>
                    <td className={TD}>
                      {t(`source.${i.source}`)} · {i.estimated ? <strong>{t('balance.estimated')}</strong> : t('balance.measured')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </section>
  );
}

/** W-25 / W-28: forecast against actual, with its accuracy. */
export function ForecastPanel({ initial, url }: { initial: Wire<StoredForecast>; url: string }) {
  const t = useTranslations('waterDashboard');
  const locale = useLocale();
  const f = useLive(url, initial).data;
  return (
    <section aria-labelledby="forecast-h" className="space-y-2" data-testid="forecast">
      <h2 id="forecast-h" className="text-lg font-semibold">{t('forecast.title')}</h2>
      {f.status !== 'preparing' && (
        <p className="text-sm text-slate-700" data-testid="forecast-fitted">
          {t('forecast.fittedAt', { time: formatAstana(Date.parse(f.fittedAt), locale as TimeLocale) })}
        </p>
      )}
      {f.status === 'preparing' ? (
        <p role="status">{t('forecast.preparing')}</p>
      ) : f.status !== 'ok' ? (
        <p>{t('forecast.insufficient')}</p>
      ) : (
        <>
          <ForecastChart backtest={f.backtest} forecast={f.forecast} />
          <p className="text-sm">{t('forecast.accuracy', { mae: fmtNumber(f.accuracy.mae, locale, 1), mape: fmtNumber(f.accuracy.mape, locale, 1) })}</p>
          <p className="text-sm text-slate-700">{t('forecast.model', { weather: f.weather ? 'yes' : 'no' })}</p>
          {f.weather ? (
            <p className="text-sm text-slate-700">{t('forecast.weatherSources', f.weatherSources)}</p>
          ) : (
            <p className="text-sm text-slate-700">{t('forecast.noWeather')}</p>
          )}
        </>
      )}
    </section>
  );
}
