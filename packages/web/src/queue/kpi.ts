import type { TicketDetail } from './api.ts';

export interface KpiRow {
  readonly key: string;
  readonly arrivals: number;
  readonly walkUps: number;
  readonly served: number;
  readonly abandoned: number;
  readonly noShows: number;
  readonly meanWait: number | null;
  readonly p90Wait: number | null;
  readonly maxWait: number | null;
  /** Share (0–1) of called tickets whose wait was within their service's target. */
  readonly withinTarget: number | null;
  readonly meanService: number | null;
}

const seconds = (from: string, to: string) => (new Date(to).getTime() - new Date(from).getTime()) / 1000;

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Nearest-rank percentile. */
function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] ?? null;
}

/**
 * Day KPIs of a set of tickets. A wait runs from arrival (kept over transfers) to the call;
 * walk-ups never waited and count only as arrivals and, when finished, as served.
 */
export function kpiOf(
  key: string,
  tickets: readonly TicketDetail[],
  targetOf: (serviceCode: string) => number,
): KpiRow {
  const ticketed = tickets.filter((t) => !t.walkUp);
  const called = ticketed.filter((t) => t.calledAt !== null);
  const waits = called.map((t) => Math.max(0, seconds(t.arrivedAt, t.calledAt ?? t.arrivedAt)));
  const within = called.filter(
    (t) => seconds(t.arrivedAt, t.calledAt ?? t.arrivedAt) <= targetOf(t.serviceCode),
  ).length;
  const served = tickets.filter((t) => t.status === 'served');
  const serviceTimes = served.flatMap((t) =>
    t.startedAt && t.endedAt ? [seconds(t.startedAt, t.endedAt)] : [],
  );
  return {
    key,
    arrivals: tickets.length,
    walkUps: tickets.length - ticketed.length,
    served: served.length,
    abandoned: tickets.filter((t) => t.status === 'abandoned').length,
    noShows: tickets.filter((t) => t.status === 'no_show').length,
    meanWait: mean(waits),
    p90Wait: percentile(waits, 0.9),
    maxWait: waits.length === 0 ? null : Math.max(...waits),
    withinTarget: called.length === 0 ? null : within / called.length,
    meanService: mean(serviceTimes),
  };
}

export function groupBy<K>(
  tickets: readonly TicketDetail[],
  keyOf: (t: TicketDetail) => K,
): Map<K, TicketDetail[]> {
  const map = new Map<K, TicketDetail[]>();
  for (const t of tickets) {
    const k = keyOf(t);
    map.set(k, [...(map.get(k) ?? []), t]);
  }
  return map;
}
