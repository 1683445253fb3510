'use client';

import { useLocale, useTranslations } from 'next-intl';
import {
  Area,
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatAstana, type TimeLocale } from '@/lib/time/astana';
import type { SeriesPoint } from '@/lib/water/dashboard/queries';
import { fmtNumber, type Wire } from './wire';

const SKY = '#075985';
const AMBER = '#b45309';
const RED = '#b91c1c';
const GREY = '#94a3b8';

function useTimeFmt(show: 'datetime' | 'date' | 'time' = 'datetime') {
  const locale = useLocale() as TimeLocale;
  return (ms: number) => formatAstana(ms, locale, { show, zone: false });
}

/** Supply against consumption per row (region or utility). */
export function VolumesChart({ rows, title }: { rows: { name: string; supply: number; consumption: number | null }[]; title: string }) {
  const t = useTranslations('waterDashboard');
  const locale = useLocale();
  return (
    <figure className="space-y-2" data-testid="chart-volumes">
      <figcaption className="font-medium">{title}</figcaption>
      <div className="h-64 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} margin={{ left: 8, right: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" tick={{ fontSize: 11 }} interval={0} />
            <YAxis tickFormatter={(v: number) => fmtNumber(v, locale)} width={70} tick={{ fontSize: 11 }} />
            <Tooltip formatter={(v) => fmtNumber(Number(v), locale)} />
            <Legend />
            <Bar dataKey="supply" name={t('col.supply')} fill={SKY} isAnimationActive={false} />
            <Bar dataKey="consumption" name={t('col.consumption')} fill={AMBER} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

/** A device's metric over the range; red dots mark anomalous buckets (flags or alerts). */
export function SeriesChart({ title, points, granularity }: { title: string; points: Wire<SeriesPoint>[]; granularity: 'hour' | 'day' }) {
  const t = useTranslations('waterDashboard');
  const locale = useLocale();
  const fmt = useTimeFmt(granularity === 'hour' ? 'datetime' : 'date');
  const data = points.map((p) => ({ t: Date.parse(p.ts), mean: p.mean, min: p.min, max: p.max, anomaly: p.anomaly.length ? p.mean : null }));
  const anomalies = points.filter((p) => p.anomaly.length).length;
  return (
    <figure className="space-y-1" data-testid="chart-series" data-anomalies={anomalies}>
      <figcaption className="font-medium">
        {title} <span className="text-sm font-normal text-slate-700">· {t('series.anomalies', { count: anomalies })}</span>
      </figcaption>
      <div className="h-56 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ left: 8, right: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={fmt} tick={{ fontSize: 11 }} minTickGap={40} />
            <YAxis tickFormatter={(v: number) => fmtNumber(v, locale, 1)} width={60} tick={{ fontSize: 11 }} />
            <Tooltip labelFormatter={(v) => fmt(Number(v))} formatter={(v) => fmtNumber(Number(v), locale, 2)} />
            <Line dataKey="mean" name={t('series.mean')} stroke={SKY} dot={false} isAnimationActive={false} />
            <Line dataKey="anomaly" name={t('series.anomaly')} stroke="none" dot={{ r: 4, fill: RED, stroke: RED }} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

/** The held-back week (actual vs what the model forecast) and the next 7 days with the interval. */
export function ForecastChart({
  backtest,
  forecast,
}: {
  backtest: { ts: string; actual: number; forecast: number }[];
  forecast: { ts: string; value: number; lower: number; upper: number }[];
}) {
  const t = useTranslations('waterDashboard');
  const locale = useLocale();
  const fmt = useTimeFmt('datetime');
  const data = [
    ...backtest.map((p) => ({ t: Date.parse(p.ts), actual: p.actual, forecast: p.forecast, band: null as [number, number] | null })),
    ...forecast.map((p) => ({ t: Date.parse(p.ts), actual: null, forecast: p.value, band: [p.lower, p.upper] as [number, number] })),
  ];
  return (
    <div className="h-64 w-full" data-testid="chart-forecast">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ left: 8, right: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={fmt} tick={{ fontSize: 11 }} minTickGap={50} />
          <YAxis tickFormatter={(v: number) => fmtNumber(v, locale)} width={60} tick={{ fontSize: 11 }} />
          <Tooltip labelFormatter={(v) => fmt(Number(v))} formatter={(v) => (Array.isArray(v) ? v.map((x) => fmtNumber(Number(x), locale, 1)).join(' – ') : fmtNumber(Number(v), locale, 1))} />
          <Legend />
          <Area dataKey="band" name={t('forecast.interval')} stroke="none" fill={GREY} fillOpacity={0.35} isAnimationActive={false} />
          <Line dataKey="actual" name={t('forecast.actual')} stroke={SKY} dot={false} isAnimationActive={false} />
          <Line dataKey="forecast" name={t('forecast.forecast')} stroke={AMBER} strokeDasharray="5 3" dot={false} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

/** The balance's main components as bars (m³). */
export function BalanceChart({ rows }: { rows: { name: string; value: number }[] }) {
  const locale = useLocale();
  return (
    <div className="h-64 w-full" data-testid="chart-balance">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} layout="vertical" margin={{ left: 8, right: 16 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" tickFormatter={(v: number) => fmtNumber(v, locale)} tick={{ fontSize: 11 }} />
          <YAxis type="category" dataKey="name" width={130} tick={{ fontSize: 11 }} />
          <Tooltip formatter={(v) => fmtNumber(Number(v), locale)} />
          <Bar dataKey="value" fill={SKY} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
