import { ZCallingPolicyConfig } from '../policy/config.ts';
import { type TSimulationModel, ZSimulationModel } from './model.ts';

/**
 * Erlang C probability that an arrival waits, for offered load a = λ/μ on c servers (a < c).
 * A local oracle for validating the simulator; staffing/erlang.ts is the product's implementation.
 * Uses the Erlang B recursion, stable for hundreds of servers.
 */
export function erlangCWaitProbability(offeredLoad: number, servers: number): number {
  let b = 1;
  for (let k = 1; k <= servers; k++) b = (offeredLoad * b) / (k + offeredLoad * b);
  const rho = offeredLoad / servers;
  return b / (1 - rho + rho * b);
}

/** Erlang C mean wait in queue (seconds): P(wait) / (cμ − λ). */
export function erlangCMeanWaitS(arrivalsPerHour: number, meanServiceS: number, servers: number): number {
  const lambda = arrivalsPerHour / 3600;
  const mu = 1 / meanServiceS;
  const a = lambda / mu;
  if (a >= servers) return Number.POSITIVE_INFINITY;
  return erlangCWaitProbability(a, servers) / (servers * mu - lambda);
}

export interface MmcParams {
  readonly arrivalsPerHour: number;
  readonly meanServiceS: number;
  readonly servers: number;
  /** Length of the arrival period in seconds. */
  readonly horizonS: number;
  readonly warmupS?: number;
}

/** The textbook M/M/c queue as a simulation model: one service, one FIFO class, no abandonment. */
export function mmcModel(p: MmcParams): TSimulationModel {
  return ZSimulationModel.parse({
    policy: ZCallingPolicyConfig.parse({
      classes: [{ id: 'all', weight: 1, maxWaitMs: 86_400_000 }],
      defaultClass: 'all',
      skillRankPenaltyMs: 0,
    }),
    services: [
      {
        code: 'a',
        arrivals: [{ fromS: 0, toS: p.horizonS, perHour: p.arrivalsPerHour }],
        serviceTime: { kind: 'exponential', meanS: p.meanServiceS },
      },
    ],
    counters: Array.from({ length: p.servers }, (_, i) => ({ id: `c${i + 1}`, skills: ['a'] })),
    warmupS: p.warmupS ?? 0,
  });
}
