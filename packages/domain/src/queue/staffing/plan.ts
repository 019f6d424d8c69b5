import type { Visit } from '../visit-log/schema.ts';
import { localDayOf, localTimeOfDayMs, localWeekdayOf } from '../visit-log/time.ts';
import { erlangAMetrics, erlangC } from './erlang.ts';

/** Mean arrivals of one service and class in one interval of one weekday. */
export interface ArrivalForecastCell {
  readonly service: string;
  readonly priority: number;
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
  /** Minutes since local midnight at which the interval starts. */
  readonly slotStartMin: number;
  readonly meanArrivals: number;
}

export interface ArrivalForecast {
  readonly intervalMinutes: number;
  readonly cells: readonly ArrivalForecastCell[];
  /** How many dates of each weekday the history holds (a forecast from one date is weak). */
  readonly datesPerWeekday: Readonly<Record<number, number>>;
  /** Mean service seconds per service, from served visits. */
  readonly meanServiceS: Readonly<Record<string, number>>;
  /** Mean patience per service when the history records departure times, else absent. */
  readonly meanPatienceS: Readonly<Record<string, number>>;
}

/**
 * Forecast = the average count over the history's dates of that weekday (a date with no arrival
 * in an interval counts as zero). Simple and explainable; seasonality beyond the week is not
 * modelled.
 */
export function forecastArrivals(
  visits: readonly Visit[],
  options: { readonly intervalMinutes?: number } = {},
): ArrivalForecast {
  const interval = options.intervalMinutes ?? 30;
  const dates = new Map<number, Set<string>>();
  const counts = new Map<
    string,
    { service: string; priority: number; weekday: number; slot: number; n: number }
  >();
  const service = new Map<string, { total: number; n: number }>();
  const patience = new Map<string, { abandons: number; waitedS: number }>();
  for (const v of visits) {
    const weekday = localWeekdayOf(v.arrivedAt);
    const set = dates.get(weekday) ?? new Set<string>();
    set.add(localDayOf(v.arrivedAt));
    dates.set(weekday, set);
    const slot = Math.floor(localTimeOfDayMs(v.arrivedAt) / 60_000 / interval) * interval;
    const key = `${v.service}\u0000${v.priority}\u0000${weekday}\u0000${slot}`;
    const c = counts.get(key) ?? { service: v.service, priority: v.priority, weekday, slot, n: 0 };
    c.n++;
    counts.set(key, c);
    if (
      v.outcome === 'served' &&
      v.serviceStartedAt !== null &&
      v.serviceEndedAt !== null &&
      v.serviceEndedAt >= v.serviceStartedAt
    ) {
      const s = service.get(v.service) ?? { total: 0, n: 0 };
      s.total += (v.serviceEndedAt - v.serviceStartedAt) / 1000;
      s.n++;
      service.set(v.service, s);
    }
    // Exponential-patience MLE: abandonments / total time waited, only when departures are recorded.
    const end = v.calledAt ?? v.leftAt ?? null;
    if (end !== null) {
      const p = patience.get(v.service) ?? { abandons: 0, waitedS: 0 };
      p.waitedS += (end - v.arrivedAt) / 1000;
      if (v.calledAt === null) p.abandons++;
      patience.set(v.service, p);
    }
  }
  const datesPerWeekday: Record<number, number> = {};
  for (const [w, set] of dates) datesPerWeekday[w] = set.size;
  const cells = [...counts.values()]
    .map((c) => ({
      service: c.service,
      priority: c.priority,
      weekday: c.weekday,
      slotStartMin: c.slot,
      meanArrivals: c.n / (datesPerWeekday[c.weekday] ?? 1),
    }))
    .sort(
      (a, b) =>
        a.weekday - b.weekday ||
        a.slotStartMin - b.slotStartMin ||
        cmp(a.service, b.service) ||
        a.priority - b.priority,
    );
  const meanServiceS: Record<string, number> = {};
  for (const [k, s] of service) meanServiceS[k] = s.total / s.n;
  const meanPatienceS: Record<string, number> = {};
  for (const [k, p] of patience) {
    const recorded = visits.some(
      (v) => v.service === k && v.calledAt === null && v.leftAt !== null && v.leftAt !== undefined,
    );
    if (recorded && p.abandons > 0) meanPatienceS[k] = p.waitedS / p.abandons;
  }
  return { intervalMinutes: interval, cells, datesPerWeekday, meanServiceS, meanPatienceS };
}

/**
 * "level of the visits of class ≥ minPriority are called within targetSeconds" — of one
 * service when `service` is set (a branch's per-service target wait). Counters are pooled, so a
 * service's customers share them with everyone of their class or higher: the standard binds in
 * the intervals where that service has arrivals, with the pooled queue's waits.
 */
export interface ServiceStandard {
  readonly name: string;
  readonly minPriority: number;
  readonly targetSeconds: number;
  readonly level: number;
  readonly service?: string;
}

export const DEFAULT_STANDARDS: readonly ServiceStandard[] = [
  {
    name: 'all customers: 80% within 10 min',
    minPriority: Number.NEGATIVE_INFINITY,
    targetSeconds: 600,
    level: 0.8,
  },
  { name: 'VIP: 80% within 5 min', minPriority: 2, targetSeconds: 300, level: 0.8 },
];

export interface StaffingInterval {
  readonly slotStartMin: number;
  /** `HH:MM` for display. */
  readonly slot: string;
  readonly arrivals: number;
  readonly arrivalsByService: Readonly<Record<string, number>>;
  readonly offeredLoad: number;
  /** Full-function counters (every skill) needed to meet every standard. */
  readonly counters: number;
  /** Counters if each service had its own dedicated counters, meeting the first standard. */
  readonly dedicatedCounters: Readonly<Record<string, number>>;
  /** Achieved level per standard with `counters` open. */
  readonly achieved: readonly { readonly standard: string; readonly level: number }[];
  /**
   * Which skill each of the `counters` leads with: shares of the offered load (largest
   * remainder). Every counter also serves the other services, after its own: the plan assumes
   * pooled counters.
   */
  readonly skillMix: readonly { readonly service: string; readonly counters: number }[];
  readonly occupancy: number;
}

export interface StaffingPlan {
  readonly weekday: number;
  readonly intervalMinutes: number;
  readonly standards: readonly ServiceStandard[];
  readonly intervals: readonly StaffingInterval[];
  readonly peakCounters: number;
  /** Counter-hours over the day. */
  readonly counterHours: number;
}

/**
 * Service level of a class group under non-preemptive priority with equal service rates: an
 * arrival waits with the all-busy probability P_w of the pooled queue, and then only the group's
 * own arrivals (λ_g) compete for the cμ departures, so P(W_g > t) = P_w · e^{−(cμ − λ_g) t}
 * (exact for M/M/c; with λ_g = λ it is the FIFO Erlang C formula). With patience, P_w comes from
 * Erlang A and the whole-queue level from its offered-wait distribution — an approximation the
 * simulator can check.
 */
export function groupServiceLevel(options: {
  readonly servers: number;
  readonly arrivalRate: number;
  readonly groupArrivalRate: number;
  readonly meanServiceSeconds: number;
  readonly targetSeconds: number;
  readonly meanPatienceSeconds?: number;
}): number {
  const {
    servers: c,
    arrivalRate: lambda,
    groupArrivalRate: lg,
    meanServiceSeconds,
    targetSeconds: t,
  } = options;
  if (lambda <= 0) return 1;
  const mu = 1 / meanServiceSeconds;
  const patience = options.meanPatienceSeconds ?? Number.POSITIVE_INFINITY;
  if (Number.isFinite(patience)) {
    const m = erlangAMetrics({
      arrivalRate: lambda,
      meanServiceSeconds,
      servers: c,
      meanPatienceSeconds: patience,
    });
    if (lg >= lambda) return m.serviceLevel(t);
    return Math.max(0, 1 - m.probWait * Math.exp(-Math.max(0, c * mu - lg) * t));
  }
  if (lambda / mu >= c || c * mu <= lg) return 0;
  return 1 - erlangC(c, lambda / mu) * Math.exp(-(c * mu - lg) * t);
}

/** Counters per interval for one weekday: pure data, the chart is drawn by the caller. */
export function recommendStaffing(options: {
  readonly forecast: ArrivalForecast;
  readonly weekday: number;
  readonly standards?: readonly ServiceStandard[];
  /** Use the forecast's patience estimates (Erlang A) when the history has them. */
  readonly usePatience?: boolean;
  readonly maxCounters?: number;
  /**
   * Opening hours from the data: intervals before the first and after the last whose arrivals
   * reach this share of the busiest interval's are left out (a stray visit at midnight does not
   * staff the night). Default 0: every interval with an arrival.
   */
  readonly strayShare?: number;
}): StaffingPlan {
  const { forecast, weekday } = options;
  const standards = options.standards ?? DEFAULT_STANDARDS;
  const maxCounters = options.maxCounters ?? 500;
  const minutes = forecast.intervalMinutes;
  const seconds = minutes * 60;
  const bySlot = new Map<number, ArrivalForecastCell[]>();
  for (const c of forecast.cells) {
    if (c.weekday !== weekday) continue;
    const list = bySlot.get(c.slotStartMin) ?? [];
    list.push(c);
    bySlot.set(c.slotStartMin, list);
  }
  const serviceS = (s: string): number => forecast.meanServiceS[s] ?? 180;
  const patienceOf = (cells: readonly ArrivalForecastCell[]): number | undefined => {
    if (!options.usePatience) return undefined;
    let w = 0;
    let total = 0;
    for (const c of cells) {
      const p = forecast.meanPatienceS[c.service];
      if (p === undefined) return undefined;
      w += c.meanArrivals * p;
      total += c.meanArrivals;
    }
    return total > 0 ? w / total : undefined;
  };

  const slots = [...bySlot.keys()].sort((a, b) => a - b);
  const total = (slot: number) => (bySlot.get(slot) ?? []).reduce((s, c) => s + c.meanArrivals, 0);
  const busiest = Math.max(0, ...slots.map(total));
  const kept = slots.filter((slot) => total(slot) >= (options.strayShare ?? 0) * busiest);
  const [openFrom, openTo] = [kept[0] ?? 0, kept.at(-1) ?? -1];
  const intervals: StaffingInterval[] = slots
    .filter((slot) => slot >= openFrom && slot <= openTo)
    .map((slotStartMin) => {
      const cells = bySlot.get(slotStartMin) ?? [];
      const arrivals = cells.reduce((s, c) => s + c.meanArrivals, 0);
      const work = cells.reduce((s, c) => s + c.meanArrivals * serviceS(c.service), 0);
      const meanServiceSeconds = arrivals > 0 ? work / arrivals : 180;
      const lambda = arrivals / seconds;
      const patience = patienceOf(cells);
      const levels = (servers: number) =>
        standards.map((st) => {
          if (
            st.service !== undefined &&
            !cells.some((c) => c.service === st.service && c.meanArrivals > 0)
          ) {
            return { standard: st.name, level: 1 };
          }
          const group =
            cells.filter((c) => c.priority >= st.minPriority).reduce((s, c) => s + c.meanArrivals, 0) /
            seconds;
          return {
            standard: st.name,
            level:
              group === 0
                ? 1
                : groupServiceLevel({
                    servers,
                    arrivalRate: lambda,
                    groupArrivalRate: group,
                    meanServiceSeconds,
                    targetSeconds: st.targetSeconds,
                    meanPatienceSeconds: patience,
                  }),
          };
        });
      let counters = arrivals > 0 ? Math.max(1, Math.ceil(lambda * meanServiceSeconds) - 1) : 0;
      while (
        counters > 0 &&
        counters < maxCounters &&
        levels(counters).some((l, i) => l.level < (standards[i]?.level ?? 0))
      )
        counters++;
      if (arrivals > 0 && counters === 0) counters = 1;
      const byService = new Map<string, number>();
      for (const c of cells) byService.set(c.service, (byService.get(c.service) ?? 0) + c.meanArrivals);
      const first = standards[0];
      const dedicatedCounters: Record<string, number> = {};
      for (const [s, n] of byService) {
        let k = Math.max(1, Math.ceil((n / seconds) * serviceS(s)));
        while (
          first &&
          k < maxCounters &&
          groupServiceLevel({
            servers: k,
            arrivalRate: n / seconds,
            groupArrivalRate: n / seconds,
            meanServiceSeconds: serviceS(s),
            targetSeconds: first.targetSeconds,
          }) < first.level
        )
          k++;
        dedicatedCounters[s] = k;
      }
      return {
        slotStartMin,
        slot: `${String(Math.floor(slotStartMin / 60)).padStart(2, '0')}:${String(slotStartMin % 60).padStart(2, '0')}`,
        arrivals,
        arrivalsByService: Object.fromEntries(byService),
        offeredLoad: lambda * meanServiceSeconds,
        counters,
        dedicatedCounters,
        achieved: counters > 0 ? levels(counters) : standards.map((s) => ({ standard: s.name, level: 1 })),
        skillMix: primarySkills(
          counters,
          [...byService].map(([service, n]) => ({ service, load: n * serviceS(service) })),
        ),
        occupancy: counters > 0 ? Math.min(1, (lambda * meanServiceSeconds) / counters) : 0,
      };
    });
  return {
    weekday,
    intervalMinutes: minutes,
    standards,
    intervals,
    peakCounters: Math.max(0, ...intervals.map((i) => i.counters)),
    counterHours: intervals.reduce((s, i) => s + (i.counters * minutes) / 60, 0),
  };
}

/**
 * Splits `counters` among services by offered load, by largest remainder (Hamilton): each
 * service gets the whole part of its exact share, the counters left go to the largest
 * remainders. A service with less than about half a counter's load gets no counter of its own:
 * every counter serves it after its leading skill. Most counters first, then by code.
 */
export function primarySkills(
  counters: number,
  loads: readonly { readonly service: string; readonly load: number }[],
): { service: string; counters: number }[] {
  const active = loads.filter((l) => l.load > 0).sort((a, b) => b.load - a.load || cmp(a.service, b.service));
  if (counters <= 0 || active.length === 0) return [];
  const total = active.reduce((s, l) => s + l.load, 0);
  const shares = active.map((l) => {
    const exact = (l.load / total) * counters;
    return { service: l.service, exact, whole: Math.floor(exact) };
  });
  let left = counters - shares.reduce((s, x) => s + x.whole, 0);
  const byRemainder = [...shares].sort(
    (a, b) => b.exact - b.whole - (a.exact - a.whole) || b.exact - a.exact || cmp(a.service, b.service),
  );
  for (const x of byRemainder) {
    if (left <= 0) break;
    x.whole++;
    left--;
  }
  return shares
    .filter((x) => x.whole > 0)
    .map((x) => ({ service: x.service, counters: x.whole }))
    .sort((a, b) => b.counters - a.counters || cmp(a.service, b.service));
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
