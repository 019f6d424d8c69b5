import type { TSimulationModel } from './model.ts';
import { deriveSeed } from './rng.ts';
import { type SimulationResult, simulateDay, type WaitStats } from './simulate.ts';

/** A mean over replications with its 95% confidence interval (Student t). */
export interface Estimate {
  readonly mean: number;
  readonly halfWidth: number;
  readonly lower: number;
  readonly upper: number;
  readonly n: number;
}

export interface WaitEstimates {
  readonly meanWaitS: Estimate;
  readonly p90WaitS: Estimate;
  readonly abandonmentRate: Estimate;
  readonly balkingRate: Estimate;
}

export interface ReplicationSummary {
  readonly replications: number;
  readonly overall: WaitEstimates;
  readonly byClass: Readonly<Record<string, WaitEstimates>>;
  readonly byService: Readonly<Record<string, WaitEstimates>>;
  readonly utilisation: Estimate;
  readonly events: number;
}

export interface ReplicationOptions {
  readonly replications: number;
  readonly seed: number;
  /** Called after each replication: for a CLI progress bar. */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Runs independent replications (seeds derived from one seed) and summarises each figure as a
 * mean with a 95% confidence interval: a single simulated day is one noisy sample, so comparing
 * staffing plans needs the interval, not just the mean.
 */
export function replicate(model: TSimulationModel, options: ReplicationOptions): ReplicationSummary {
  const runs: SimulationResult[] = [];
  for (let i = 0; i < options.replications; i++) {
    runs.push(simulateDay(model, { seed: deriveSeed(options.seed, i) }));
    options.onProgress?.(i + 1, options.replications);
  }
  return summarise(runs);
}

export interface CounterPlan {
  readonly name: string;
  readonly counters: TSimulationModel['counters'];
}

export interface PlanComparison {
  readonly name: string;
  readonly summary: ReplicationSummary;
}

/**
 * Runs the same demand against several counter layouts, side by side (what `serviceloop
 * simulate` prints). Every plan gets the same replication seeds, so differences between plans
 * are less buried in sampling noise than with independent runs.
 */
export function comparePlans(
  base: TSimulationModel,
  plans: readonly CounterPlan[],
  options: ReplicationOptions,
): PlanComparison[] {
  const total = plans.length * options.replications;
  return plans.map((plan, p) => ({
    name: plan.name,
    summary: replicate(
      { ...base, counters: plan.counters },
      {
        replications: options.replications,
        seed: options.seed,
        onProgress: (done) => options.onProgress?.(p * options.replications + done, total),
      },
    ),
  }));
}

export function summarise(runs: readonly SimulationResult[]): ReplicationSummary {
  const waits = (pick: (r: SimulationResult) => WaitStats | undefined): WaitEstimates => {
    const stats = runs.map(pick).filter((s): s is WaitStats => s !== undefined);
    return {
      meanWaitS: estimate(stats.map((s) => s.meanWaitS)),
      p90WaitS: estimate(stats.map((s) => s.p90WaitS)),
      abandonmentRate: estimate(stats.map((s) => s.abandonmentRate)),
      balkingRate: estimate(stats.map((s) => s.balkingRate)),
    };
  };
  const first = runs[0];
  const byClass: Record<string, WaitEstimates> = {};
  const byService: Record<string, WaitEstimates> = {};
  for (const id of Object.keys(first?.byClass ?? {})) byClass[id] = waits((r) => r.byClass[id]);
  for (const code of Object.keys(first?.byService ?? {})) byService[code] = waits((r) => r.byService[code]);
  return {
    replications: runs.length,
    overall: waits((r) => r.overall),
    byClass,
    byService,
    utilisation: estimate(runs.map((r) => r.utilisation)),
    events: runs.reduce((s, r) => s + r.events, 0),
  };
}

/** Mean and 95% interval of independent samples; NaN samples (e.g. nobody served) are skipped. */
export function estimate(samples: readonly number[]): Estimate {
  const xs = samples.filter((x) => !Number.isNaN(x));
  const n = xs.length;
  if (n === 0) return { mean: Number.NaN, halfWidth: Number.NaN, lower: Number.NaN, upper: Number.NaN, n };
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  if (n === 1) return { mean, halfWidth: Number.POSITIVE_INFINITY, lower: -Infinity, upper: Infinity, n };
  const variance = xs.reduce((s, x) => s + (x - mean) * (x - mean), 0) / (n - 1);
  const halfWidth = studentT975(n - 1) * Math.sqrt(variance / n);
  return { mean, halfWidth, lower: mean - halfWidth, upper: mean + halfWidth, n };
}

const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** 97.5% quantile of Student's t: table to 30 degrees of freedom, Cornish–Fisher expansion beyond. */
export function studentT975(df: number): number {
  if (df < 1) return Number.NaN;
  const tabled = T975[df - 1];
  if (tabled !== undefined) return tabled;
  const z = 1.959963984540054;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return (
    z +
    (z3 + z) / (4 * df) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3)
  );
}
