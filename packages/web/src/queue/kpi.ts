import { WAIT_BUCKETS_MIN } from '@serviceloop/domain/queue/kpis';
import type { TFunction } from 'i18next';
import type { EChartOption } from '../shell/EChart.tsx';
import type { DayKpis, KpiFigures, KpiTrend } from './api.ts';

/*
 * Chart options for the KPI page. The figures themselves come from the server
 * (GET /branches/:id/kpis, /kpis/trend): one definition of each KPI, the same for the page,
 * the CSV export and any report built on the API.
 */

const BRAND = '#8f1d22';
const GOOD = '#52c41a';
const WAIT = '#fa8c16';
const TARGET = '#1677ff';

const minutes = (s: number | null) => (s === null ? null : Math.round((s / 60) * 10) / 10);

/** A row of the KPI tables: a label and the server's figures. */
export interface KpiRow extends KpiFigures {
  readonly key: string;
  readonly label: string;
  readonly targetWaitSeconds?: number;
}

/** Arrivals and served (bars) and the share called within target (line, right axis) per category. */
function volumeOption(
  categories: readonly string[],
  rows: readonly KpiFigures[],
  t: TFunction,
  barMaxWidth?: number,
): EChartOption {
  const bars = barMaxWidth === undefined ? {} : { barMaxWidth };
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: [t('queue.kpi.arrivals'), t('queue.kpi.served'), t('queue.kpi.withinTarget')] },
    grid: { left: 44, right: 52, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: [...categories] },
    yAxis: [
      { type: 'value', minInterval: 1 },
      { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    ],
    series: [
      {
        name: t('queue.kpi.arrivals'),
        type: 'bar',
        data: rows.map((r) => r.arrivals),
        itemStyle: { color: BRAND },
        ...bars,
      },
      {
        name: t('queue.kpi.served'),
        type: 'bar',
        data: rows.map((r) => r.served),
        itemStyle: { color: GOOD },
        ...bars,
      },
      {
        name: t('queue.kpi.withinTarget'),
        type: 'line',
        yAxisIndex: 1,
        data: rows.map((r) => r.withinTargetPct),
        itemStyle: { color: TARGET },
        connectNulls: false,
      },
    ],
  };
}

export function serviceOption(k: DayKpis, label: (code: string) => string, t: TFunction): EChartOption {
  const services = k.services.filter((s) => s.arrivals + s.walkUps > 0 || s.targetWaitSeconds > 0);
  return volumeOption(
    services.map((s) => label(s.code)),
    services,
    t,
    36,
  );
}

export function hourlyOption(k: DayKpis, t: TFunction): EChartOption {
  const first = Math.min(8, ...k.hours.map((h) => h.hour));
  const last = Math.max(17, ...k.hours.map((h) => h.hour));
  const hours = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  const at = (h: number) => k.hours.find((x) => x.hour === h);
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: [t('queue.kpi.arrivals'), t('queue.kpi.served'), t('queue.kpi.meanWaitMin')] },
    grid: { left: 44, right: 52, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: hours.map((h) => t('queue.kpi.hour', { h })) },
    yAxis: [
      { type: 'value', minInterval: 1 },
      { type: 'value', min: 0, name: t('queue.kpi.meanWaitMin'), nameTextStyle: { align: 'right' } },
    ],
    series: [
      {
        name: t('queue.kpi.arrivals'),
        type: 'bar',
        data: hours.map((h) => at(h)?.arrivals ?? 0),
        itemStyle: { color: BRAND },
      },
      {
        name: t('queue.kpi.served'),
        type: 'bar',
        data: hours.map((h) => at(h)?.served ?? 0),
        itemStyle: { color: GOOD },
      },
      {
        name: t('queue.kpi.meanWaitMin'),
        type: 'line',
        yAxisIndex: 1,
        data: hours.map((h) => minutes(at(h)?.meanWaitSeconds ?? null)),
        itemStyle: { color: WAIT },
      },
    ],
  };
}

export function waitBucketLabels(t: TFunction): string[] {
  return [
    ...WAIT_BUCKETS_MIN.map((n) => t('queue.kpi.waitLessThan', { n })),
    t('queue.kpi.waitAtLeast', { n: WAIT_BUCKETS_MIN[WAIT_BUCKETS_MIN.length - 1] }),
  ];
}

export function waitOption(k: DayKpis, t: TFunction): EChartOption {
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 44, right: 20, top: 20, bottom: 30 },
    xAxis: { type: 'category', data: waitBucketLabels(t) },
    yAxis: { type: 'value', minInterval: 1, name: t('queue.kpi.customers') },
    series: [
      {
        name: t('queue.kpi.customers'),
        type: 'bar',
        data: k.waitBuckets.map((n, i) => ({
          value: n,
          // Buckets past 15 minutes (the usual service standard) in the warning colour.
          itemStyle: { color: (WAIT_BUCKETS_MIN[i] ?? Number.POSITIVE_INFINITY) <= 15 ? GOOD : WAIT },
        })),
        barMaxWidth: 48,
      },
    ],
  };
}

export function trendOption(trend: KpiTrend, t: TFunction): EChartOption {
  return volumeOption(
    trend.days.map((d) => d.businessDay.slice(5)),
    trend.days,
    t,
  );
}

/** `YYYY-MM-DD` `n` days before `day` (calendar arithmetic in UTC, no time zone involved). */
export function daysBefore(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
}
