import { type TCallingPolicyConfig, ZCallingPolicyConfig } from '../policy/config.ts';
import type { Visit } from '../visit-log/schema.ts';
import { localDayOf, localTimeOfDayMs, localWeekdayOf } from '../visit-log/time.ts';
import { distributionMeanS, type TDurationDistribution } from './distributions.ts';
import { type TSimCounter, type TSimulationModel, ZSimulationModel } from './model.ts';
import { replicate } from './replicate.ts';

export interface HistoryFitOptions {
  /** 0 = Sunday … 6 = Saturday: arrivals from the dates of that weekday only. Absent: every date. */
  readonly weekday?: number;
  /** Length of the piecewise-constant arrival intervals. Default 30. */
  readonly intervalMinutes?: number;
  /**
   * Opening hours are the intervals between the first and the last in which arrivals happened on
   * more than this share of the dates and number at least 5% of the busiest interval's (stray
   * visits at midnight do not open the branch). Default 0.5.
   */
  readonly openShare?: number;
  /** Calling policy to simulate; default: one class per priority (see `policyForPriorities`). */
  readonly policy?: TCallingPolicyConfig;
  /** Service times are kept as an empirical distribution of at most this many quantiles. Default 2000. */
  readonly maxServiceSamples?: number;
}

/** What the history itself says for the fitted dates and opening hours (no simulation). */
export interface ObservedFigures {
  readonly arrivalsPerDay: number;
  readonly served: number;
  /** Over served visits: arrival → call. */
  readonly meanWaitS: number;
  /** Nearest rank, as the simulator and the KPI report compute it. */
  readonly p90WaitS: number;
  /** Abandoned among arrivals (a visit log has no balking: balkers never take a ticket). */
  readonly abandonmentRate: number;
}

export interface HistoryFit {
  /** Demand, service, patience and policy from history; `counters` is the staffing as it was. */
  readonly model: TSimulationModel;
  /** Dates whose arrivals were averaged (YYYY-MM-DD). */
  readonly dates: readonly string[];
  readonly weekday: number | undefined;
  readonly intervalMinutes: number;
  /** Local minutes after midnight of simulation time 0 (start of the first open interval). */
  readonly openMin: number;
  /** Local minutes after midnight when the doors close (end of the last open interval). */
  readonly closeMin: number;
  /** Model service code → the history's code (model codes are lower-case identifiers). */
  readonly serviceCodes: Readonly<Record<string, string>>;
  /** History priority → calling-policy class id. */
  readonly classOfPriority: Readonly<Record<number, string>>;
  /** Counters serving during each interval, averaged over the dates: the staffing as it was. */
  readonly historyCounters: readonly number[];
  readonly observed: {
    readonly overall: ObservedFigures;
    readonly byClass: Readonly<Record<string, ObservedFigures>>;
  };
  /** Arrivals of the fitted dates outside the opening hours, left out of the model. */
  readonly outsideHours: number;
  /** How each part was estimated, in words, for the report. */
  readonly notes: readonly string[];
}

const DEFAULT_SERVICE_S = 180;

/**
 * A calling policy for a history's integer priorities (higher = served earlier): the lowest is
 * the default class, each step up gets more weight and a longer head start, like the demo
 * policy's ordinary / assisted / VIP. Counters have no skill preference (a call centre's agents
 * take the next call whatever it is).
 */
export function policyForPriorities(priorities: readonly number[]): TCallingPolicyConfig {
  const sorted = [...new Set(priorities)].sort((a, b) => a - b);
  if (sorted.length === 0) sorted.push(0);
  return ZCallingPolicyConfig.parse({
    classes: sorted.map((p, rank) => ({
      id: classIdOf(p),
      weight: 1 + rank,
      headStartMs: rank * 120_000,
      maxWaitMs: 2_400_000,
    })),
    defaultClass: classIdOf(sorted[0] as number),
    skillRankPenaltyMs: 0,
  });
}

export const classIdOf = (priority: number): string => (priority < 0 ? `m${-priority}` : `p${priority}`);

/**
 * Fits a simulation model of one (week)day from a visit log:
 * - arrivals: per service and interval, the mean count over the dates (a date without an arrival
 *   in an interval counts as zero), as Poisson rates; each service's class mix from its arrivals;
 * - service time: per service, the empirical distribution of served visits' durations over the
 *   whole history (service does not depend on the weekday; more data);
 * - patience: per class, exponential, by maximum likelihood with censoring over the whole history
 *   — abandonments divided by the time everybody spent waiting. A served visit's wait is a
 *   censored patience. Where the log does not say when an abandoning customer left (the sample
 *   does not), they are taken to have left when a later arrival of the same service and no higher
 *   class was called (nobody overtakes an equal or lower class, so they were gone by then). That is
 *   an upper bound, so patience comes out too long; `calibrateToHistory` corrects it by simulation;
 * - counters: per interval, the busy counter-time ÷ the interval's length, averaged over the
 *   dates, as full-skill counters (the staffing as it was, for checking the model against the
 *   history; `calibrateToHistory` scales it for the idle time a log does not show).
 * Balking cannot be fitted: customers who leave on seeing the queue never take a ticket.
 */
export function fitHistory(visits: readonly Visit[], options: HistoryFitOptions = {}): HistoryFit {
  const interval = options.intervalMinutes ?? 30;
  const intervalMs = interval * 60_000;
  const openShare = options.openShare ?? 0.5;
  const dayVisits = visits.filter(
    (v) => options.weekday === undefined || localWeekdayOf(v.arrivedAt) === options.weekday,
  );
  if (dayVisits.length === 0) {
    throw new RangeError(
      options.weekday === undefined
        ? 'The history has no visits'
        : `The history has no visits on ${WEEKDAYS[options.weekday] ?? options.weekday}`,
    );
  }
  const dates = [...new Set(dayVisits.map((v) => localDayOf(v.arrivedAt)))].sort();
  const nDates = dates.length;
  const slotOf = (at: number): number => Math.floor(localTimeOfDayMs(at) / intervalMs);

  // Opening hours.
  const datesPerSlot = new Map<number, Set<string>>();
  for (const v of dayVisits) {
    const s = slotOf(v.arrivedAt);
    const set = datesPerSlot.get(s) ?? new Set<string>();
    set.add(localDayOf(v.arrivedAt));
    datesPerSlot.set(s, set);
  }
  const countPerSlot = new Map<number, number>();
  for (const v of dayVisits)
    countPerSlot.set(slotOf(v.arrivedAt), (countPerSlot.get(slotOf(v.arrivedAt)) ?? 0) + 1);
  const peakCount = Math.max(...countPerSlot.values());
  let busySlots = [...datesPerSlot]
    .filter(([s, d]) => d.size > openShare * nDates && (countPerSlot.get(s) ?? 0) >= 0.05 * peakCount)
    .map(([s]) => s);
  if (busySlots.length === 0) busySlots = [...datesPerSlot.keys()];
  const firstSlot = Math.min(...busySlots);
  const lastSlot = Math.max(...busySlots);
  const nSlots = lastSlot - firstSlot + 1;
  const inHours = (v: Visit): boolean => {
    const s = slotOf(v.arrivedAt);
    return s >= firstSlot && s <= lastSlot;
  };
  const open = dayVisits.filter(inHours);

  // Service codes as model identifiers.
  const serviceCodes: Record<string, string> = {};
  const modelCode = new Map<string, string>();
  for (const code of [...new Set(visits.map((v) => v.service))].sort()) {
    const base =
      code
        .toLowerCase()
        .replace(/[^a-z0-9_-]+/g, '-')
        .replace(/^[^a-z0-9]+/, '')
        .slice(0, 28) || 'service';
    let id = base;
    for (let k = 2; serviceCodes[id] !== undefined; k++) id = `${base}-${k}`;
    serviceCodes[id] = code;
    modelCode.set(code, id);
  }

  const priorities = [...new Set(visits.map((v) => v.priority))].sort((a, b) => a - b);
  const policy = options.policy ?? policyForPriorities(priorities);
  const classIds = new Set(policy.classes.map((c) => c.id));
  const classOfPriority: Record<number, string> = {};
  for (const p of priorities) {
    const id = classIdOf(p);
    classOfPriority[p] = classIds.has(id) ? id : policy.defaultClass;
  }

  // Arrivals and class mix.
  const services: TSimulationModel['services'] = [];
  const openCodes = [...new Set(open.map((v) => v.service))].sort();
  for (const code of openCodes) {
    const mine = open.filter((v) => v.service === code);
    const perSlot = new Array<number>(nSlots).fill(0);
    const mix: Record<string, number> = {};
    for (const v of mine) {
      perSlot[slotOf(v.arrivedAt) - firstSlot]! += 1;
      const cls = classOfPriority[v.priority] ?? policy.defaultClass;
      mix[cls] = (mix[cls] ?? 0) + 1 / mine.length;
    }
    const arrivals = perSlot.flatMap((n, i) =>
      n === 0
        ? []
        : [
            {
              fromS: i * interval * 60,
              toS: (i + 1) * interval * 60,
              perHour: (n / nDates) * (60 / interval),
            },
          ],
    );
    services.push({
      code: modelCode.get(code) as string,
      arrivals,
      serviceTime: serviceTimeOf(visits, code, options.maxServiceSamples ?? 2000),
      classMix: mix,
    });
  }

  // Counters as they were: busy counter-time per interval ÷ its length, averaged over the dates.
  const busyMs = new Array<number>(nSlots).fill(0);
  const dateSet = new Set(dates);
  for (const v of visits) {
    if (v.serviceStartedAt === null || v.serviceEndedAt === null || v.serviceEndedAt <= v.serviceStartedAt)
      continue;
    if (!dateSet.has(localDayOf(v.arrivedAt))) continue;
    const dayStart = v.arrivedAt - localTimeOfDayMs(v.arrivedAt);
    const from = v.serviceStartedAt - dayStart;
    const to = v.serviceEndedAt - dayStart;
    for (
      let s = Math.max(Math.floor(from / intervalMs), firstSlot);
      s <= Math.min(Math.floor(to / intervalMs), lastSlot);
      s++
    ) {
      const overlap = Math.min(to, (s + 1) * intervalMs) - Math.max(from, s * intervalMs);
      if (overlap > 0) busyMs[s - firstSlot]! += overlap;
    }
  }
  const historyCounters = busyMs.map((ms) => ms / intervalMs / nDates);
  const allSkills = services.map((s) => s.code);
  const counters = countersFromSchedule(
    historyCounters.map((n) => Math.max(0.5, n)),
    interval * 60,
    () => allSkills,
    'h',
  );

  const patienceMeanS = fitPatience(visits, classOfPriority, policy.defaultClass);
  const patience: Record<string, TDurationDistribution> = {};
  for (const [cls, meanS] of Object.entries(patienceMeanS)) patience[cls] = { kind: 'exponential', meanS };

  const model = ZSimulationModel.parse({ policy, services, counters, patience, drain: true });

  const observedOf = (list: readonly Visit[]): ObservedFigures => {
    const waits = list
      .filter((v) => v.outcome === 'served' && v.calledAt !== null)
      .map((v) => ((v.calledAt as number) - v.arrivedAt) / 1000)
      .sort((a, b) => a - b);
    const abandoned = list.filter((v) => v.outcome === 'abandoned').length;
    return {
      arrivalsPerDay: list.length / nDates,
      served: waits.length,
      meanWaitS: waits.length === 0 ? Number.NaN : waits.reduce((s, w) => s + w, 0) / waits.length,
      p90WaitS: waits.length === 0 ? Number.NaN : (waits[Math.ceil(0.9 * waits.length) - 1] as number),
      abandonmentRate: list.length === 0 ? 0 : abandoned / list.length,
    };
  };
  const byClass: Record<string, ObservedFigures> = {};
  for (const c of policy.classes) {
    const mine = open.filter((v) => (classOfPriority[v.priority] ?? policy.defaultClass) === c.id);
    if (mine.length > 0) byClass[c.id] = observedOf(mine);
  }
  const recordedDepartures = visits.some((v) => v.outcome === 'abandoned' && v.leftAt != null);
  return {
    model,
    dates,
    weekday: options.weekday,
    intervalMinutes: interval,
    openMin: firstSlot * interval,
    closeMin: (lastSlot + 1) * interval,
    serviceCodes,
    classOfPriority,
    historyCounters,
    observed: { overall: observedOf(open), byClass },
    outsideHours: dayVisits.length - open.length,
    notes: [
      `arrivals: Poisson, rate per service and ${interval}-min interval = mean count over ${nDates} date(s)`,
      'service time: empirical per service, whole history',
      recordedDepartures
        ? 'patience: exponential per class, censored MLE from recorded departures'
        : 'patience: exponential per class, censored MLE; departures inferred (upper bound)',
      'balking: not in a visit log (balkers take no ticket); none unless a plans file sets it',
      'staffing as it was: busy counters per interval (busy time ÷ interval), averaged, all skills; scaled up by calibration when the history was less congested',
    ],
  };
}

/** Empirical service-time distribution of one service, thinned to evenly spaced quantiles. */
function serviceTimeOf(visits: readonly Visit[], service: string, max: number): TDurationDistribution {
  const durations = visits
    .filter(
      (v) =>
        v.service === service &&
        v.outcome === 'served' &&
        v.serviceStartedAt !== null &&
        v.serviceEndedAt !== null &&
        v.serviceEndedAt >= v.serviceStartedAt,
    )
    .map((v) => ((v.serviceEndedAt as number) - (v.serviceStartedAt as number)) / 1000)
    .sort((a, b) => a - b);
  if (durations.length === 0) return { kind: 'exponential', meanS: DEFAULT_SERVICE_S };
  if (durations.length <= max) return { kind: 'empirical', samplesS: durations };
  const samplesS = Array.from(
    { length: max },
    (_, k) =>
      durations[Math.min(durations.length - 1, Math.floor(((k + 0.5) / max) * durations.length))] as number,
  );
  return { kind: 'empirical', samplesS };
}

/**
 * Mean patience (seconds) per class: abandonments / total time waited (the exponential MLE with
 * right-censoring). Classes without an abandonment get no patience (they never abandon).
 */
export function fitPatience(
  visits: readonly Visit[],
  classOfPriority: Readonly<Record<number, string>>,
  defaultClass: string,
): Record<string, number> {
  const exposure = new Map<string, { abandons: number; waitedS: number }>();
  const add = (cls: string, waitedS: number, abandoned: boolean): void => {
    const e = exposure.get(cls) ?? { abandons: 0, waitedS: 0 };
    e.waitedS += Math.max(0, waitedS);
    if (abandoned) e.abandons++;
    exposure.set(cls, e);
  };
  // Per date and service, in arrival order, for inferring departures.
  const groups = new Map<string, Visit[]>();
  for (const v of visits) {
    const key = `${localDayOf(v.arrivedAt)}\u0000${v.service}`;
    const list = groups.get(key) ?? [];
    list.push(v);
    groups.set(key, list);
  }
  for (const list of groups.values()) {
    list.sort((a, b) => a.arrivedAt - b.arrivedAt);
    let lastCall = Number.NEGATIVE_INFINITY;
    for (const v of list) if (v.calledAt !== null) lastCall = Math.max(lastCall, v.calledAt);
    for (const [i, v] of list.entries()) {
      const cls = classOfPriority[v.priority] ?? defaultClass;
      if (v.calledAt !== null) {
        add(cls, (v.calledAt - v.arrivedAt) / 1000, false);
        continue;
      }
      if (v.outcome !== 'abandoned') continue;
      let left = v.leftAt ?? null;
      if (left === null) {
        // First call of a later arrival of the same service and no higher class.
        let best = Number.POSITIVE_INFINITY;
        for (let k = i + 1; k < list.length; k++) {
          const w = list[k] as Visit;
          if (w.arrivedAt >= best) break;
          if (w.calledAt !== null && w.priority <= v.priority && w.arrivedAt > v.arrivedAt)
            best = Math.min(best, w.calledAt);
        }
        left = Number.isFinite(best) ? best : lastCall > v.arrivedAt ? lastCall : null;
      }
      if (left === null) continue;
      add(cls, (left - v.arrivedAt) / 1000, true);
    }
  }
  const out: Record<string, number> = {};
  for (const [cls, e] of exposure) if (e.abandons > 0 && e.waitedS > 0) out[cls] = e.waitedS / e.abandons;
  return out;
}

/** Mean of the quick branch of calibrated patience: customers who leave almost at once. */
export const QUICK_LEAVER_MEAN_S = 10;

export interface ClassCalibration {
  /** Abandoned among arrivals: the history's and the calibrated model's. */
  readonly observedAbandonment: number;
  readonly simulatedAbandonment: number;
  /** Mean wait of served visits: the history's and the calibrated model's. */
  readonly observedWaitS: number;
  readonly simulatedWaitS: number;
  /** Share of the class that leaves almost at once once it has to wait. */
  readonly quickShare: number;
  /** Mean patience of the others. */
  readonly meanPatienceS: number;
}

export interface HistoryCalibration {
  /** The fitted model with calibrated patience; counters = the staffing as it was, calibrated. */
  readonly model: TSimulationModel;
  /** Open counters per busy counter (≥ 1): a log records busy time, not idle open time. */
  readonly capacityFactor: number;
  /** Counters open per interval as calibrated (busy counters × factor, at least half a counter). */
  readonly schedule: readonly number[];
  readonly classes: Readonly<Record<string, ClassCalibration>>;
  readonly iterations: number;
  /** Every class within tolerance (abandonment ±max(1 pt, 4%), wait ±max(5 s, 6%)). */
  readonly converged: boolean;
}

/**
 * Calibrates what a visit log does not show (a method of simulated moments):
 * - patience per class, as a two-branch hyperexponential: a share of quick leavers (mean 10 s —
 *   they hear "all agents busy" or see the queue and go) and the others with a longer mean.
 *   Abandonment alone cannot tell a few patient customers from many impatient ones; the waits
 *   of those who stayed can. So both are adjusted until the model, run with the staffing as it
 *   was, matches the history's abandonment and mean wait of served visits per class;
 * - how many counters were open: the log shows busy time only. A counter idle for want of
 *   customers is open but invisible, so busy counters are a lower bound. When the model abandons
 *   more than the history even without quick leavers, it is too congested: the busy counters
 *   are scaled up (a factor ≥ 1 for the day).
 * The p90 waits are left free: they check the model rather than fit it. A few multiplicative
 * steps, each a batch of replications on common seeds.
 */
export function calibrateToHistory(
  fit: HistoryFit,
  options: {
    readonly replications?: number;
    readonly seed?: number;
    readonly iterations?: number;
    /** Called after each round: for a progress bar. */
    readonly onRound?: (round: number, maxRounds: number) => void;
  } = {},
): HistoryCalibration {
  const replications = options.replications ?? 10;
  const seed = options.seed ?? 1;
  const maxIterations = options.iterations ?? 20;
  const intervalS = fit.intervalMinutes * 60;
  const skills = fit.model.services.map((s) => s.code);
  const scheduleFor = (f: number) => fit.historyCounters.map((n) => Math.max(0.5, n * f));
  let factor = 1;
  const targets = Object.entries(fit.observed.byClass).filter(
    ([cls, o]) => fit.model.patience[cls] !== undefined && o.abandonmentRate > 0,
  );
  const params = new Map<string, { quick: number; slowS: number }>();
  for (const [cls] of targets) {
    const p = fit.model.patience[cls];
    params.set(cls, { quick: 0, slowS: p === undefined ? 600 : distributionMeanS(p) });
  }
  const patienceOf = (): TSimulationModel['patience'] => {
    const out = { ...fit.model.patience };
    for (const [cls, { quick, slowS }] of params) {
      out[cls] =
        quick <= 0
          ? { kind: 'exponential', meanS: slowS }
          : {
              kind: 'hyperexponential',
              branches: [
                { p: quick, meanS: QUICK_LEAVER_MEAN_S },
                { p: 1 - quick, meanS: slowS },
              ],
            };
    }
    return out;
  };
  let model: TSimulationModel = fit.model;
  let result: Record<string, { ab: number; wait: number }> = {};
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations; iterations++) {
    model = {
      ...fit.model,
      patience: patienceOf(),
      counters:
        factor === 1
          ? fit.model.counters
          : countersFromSchedule(scheduleFor(factor), intervalS, () => skills, 'h'),
    };
    const summary = replicate(model, { replications, seed });
    options.onRound?.(iterations + 1, maxIterations);
    result = Object.fromEntries(
      targets.map(([cls]) => {
        const w = summary.byClass[cls] ?? summary.overall;
        return [cls, { ab: w.abandonmentRate.mean, wait: w.meanWaitS.mean }];
      }),
    );
    converged = targets.every(([cls, o]) => {
      const r = result[cls];
      return (
        r !== undefined &&
        Math.abs(r.ab - o.abandonmentRate) <= Math.max(0.01, 0.04 * o.abandonmentRate) &&
        (!Number.isFinite(o.meanWaitS) || Math.abs(r.wait - o.meanWaitS) <= Math.max(5, 0.06 * o.meanWaitS))
      );
    });
    if (converged || iterations === maxIterations - 1) break;
    let congested = targets.length > 0;
    let excess = 0;
    for (const [cls, o] of targets) {
      const r = result[cls];
      const p = params.get(cls);
      if (r === undefined || p === undefined) continue;
      if (p.quick > 0 || r.ab <= o.abandonmentRate * 1.02) congested = false;
      excess += r.ab / Math.max(1e-6, o.abandonmentRate) / targets.length;
      // Longer patience of those who stay → longer queues → longer waits of the served.
      if (Number.isFinite(o.meanWaitS) && r.wait > 0) {
        p.slowS = Math.min(86_400, p.slowS * Math.min(2, Math.max(0.5, (o.meanWaitS / r.wait) ** 0.8)));
      }
      // More quick leavers → more abandonment at the same queue.
      p.quick = Math.min(0.95, Math.max(0, p.quick + 0.8 * (o.abandonmentRate - r.ab)));
    }
    if (congested) factor = Math.min(3, factor * Math.min(1.25, Math.sqrt(excess)));
  }
  const classes: Record<string, ClassCalibration> = {};
  for (const [cls, o] of targets) {
    const p = params.get(cls);
    classes[cls] = {
      observedAbandonment: o.abandonmentRate,
      simulatedAbandonment: result[cls]?.ab ?? Number.NaN,
      observedWaitS: o.meanWaitS,
      simulatedWaitS: result[cls]?.wait ?? Number.NaN,
      quickShare: p?.quick ?? 0,
      meanPatienceS: p?.slowS ?? Number.NaN,
    };
  }
  return {
    model,
    capacityFactor: factor,
    schedule: scheduleFor(factor),
    classes,
    iterations: iterations + 1,
    converged,
  };
}

/**
 * Counters for a number open per interval: counter k works every interval where at least k are
 * open (so counter 1 has the longest day), consecutive intervals merged into one shift; the gaps
 * are its breaks. A fractional number (a mean from history, 6.4) opens the last counter for that
 * share of the interval, from its start. Intervals start at simulation time 0.
 */
export function countersFromSchedule(
  perInterval: readonly number[],
  intervalS: number,
  skills: (k: number) => readonly string[],
  idPrefix = 'c',
): TSimCounter[] {
  const peak = Math.ceil(Math.max(0, ...perInterval) - 1e-9);
  const counters: TSimCounter[] = [];
  for (let k = 1; k <= peak; k++) {
    const shifts: { fromS: number; toS: number }[] = [];
    for (const [i, n] of perInterval.entries()) {
      const share = Math.min(1, n - (k - 1));
      if (share <= 1e-9) continue;
      const fromS = i * intervalS;
      const toS = fromS + Math.max(1, Math.round(share * intervalS));
      const last = shifts.at(-1);
      if (last !== undefined && last.toS === fromS) last.toS = toS;
      else shifts.push({ fromS, toS });
    }
    counters.push({ id: `${idPrefix}${k}`, skills: [...skills(k)], shifts });
  }
  return counters;
}

/** Counters open per interval (at each interval's midpoint) of a counter layout. */
export function scheduleOfCounters(
  counters: readonly TSimCounter[],
  intervalS: number,
  intervals: number,
): number[] {
  return Array.from({ length: intervals }, (_, i) => {
    const mid = (i + 0.5) * intervalS;
    return counters.filter(
      (c) => c.shifts === undefined || c.shifts.some((s) => s.fromS <= mid && mid < s.toS),
    ).length;
  });
}

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
