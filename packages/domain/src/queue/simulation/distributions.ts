import { z } from 'zod';
import type { Rng } from './rng.ts';

/** Durations (service time, patience) in seconds. */
export const ZDurationDistribution = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('exponential'), meanS: z.number().positive() }),
  /** Parameterised by mean and standard deviation, as fitted from history, not by μ and σ. */
  z.strictObject({ kind: z.literal('lognormal'), meanS: z.number().positive(), sdS: z.number().positive() }),
  /** Resampled uniformly from observed values (e.g. last month's service times). */
  z.strictObject({ kind: z.literal('empirical'), samplesS: z.array(z.number().min(0)).min(1) }),
  z.strictObject({ kind: z.literal('fixed'), valueS: z.number().min(0) }),
  /**
   * A mixture of exponentials (hyperexponential): with probability `p` of a branch, a duration
   * with that branch's mean. Call-centre and branch patience looks like this: a share leaves
   * almost at once (on hearing "all agents busy", on seeing the queue), the rest wait long.
   */
  z.strictObject({
    kind: z.literal('hyperexponential'),
    branches: z
      .array(z.strictObject({ p: z.number().min(0).max(1), meanS: z.number().positive() }))
      .min(1)
      .max(8)
      .refine((b) => Math.abs(b.reduce((s, x) => s + x.p, 0) - 1) < 1e-6, {
        message: 'branch probabilities must add up to 1',
      }),
  }),
]);
export type TDurationDistribution = z.infer<typeof ZDurationDistribution>;

/** A compiled sampler returning milliseconds, the simulator's time unit. */
export type DurationSampler = (rng: Rng) => number;

export function durationSampler(dist: TDurationDistribution): DurationSampler {
  switch (dist.kind) {
    case 'exponential': {
      const meanMs = dist.meanS * 1000;
      return (rng) => rng.exponential(meanMs);
    }
    case 'lognormal': {
      const variance = Math.log(1 + (dist.sdS * dist.sdS) / (dist.meanS * dist.meanS));
      const sigma = Math.sqrt(variance);
      const mu = Math.log(dist.meanS * 1000) - variance / 2;
      return (rng) => Math.exp(mu + sigma * rng.normal());
    }
    case 'empirical': {
      const samples = Float64Array.from(dist.samplesS, (s) => s * 1000);
      return (rng) => samples[rng.int(samples.length)]!;
    }
    case 'fixed': {
      const ms = dist.valueS * 1000;
      return () => ms;
    }
    case 'hyperexponential': {
      const branches = dist.branches.filter((b) => b.p > 0);
      const meansMs = Float64Array.from(branches, (b) => b.meanS * 1000);
      let acc = 0;
      const cumulative = Float64Array.from(branches, (b) => {
        acc += b.p;
        return acc;
      });
      const last = branches.length - 1;
      return (rng) => {
        const u = rng.uniform() * acc;
        let k = 0;
        while (k < last && u > cumulative[k]!) k++;
        return rng.exponential(meansMs[k]!);
      };
    }
  }
}

/** The distribution's mean in seconds (for reports and analytic checks). */
export function distributionMeanS(dist: TDurationDistribution): number {
  switch (dist.kind) {
    case 'exponential':
    case 'lognormal':
      return dist.meanS;
    case 'empirical':
      return dist.samplesS.reduce((s, x) => s + x, 0) / dist.samplesS.length;
    case 'fixed':
      return dist.valueS;
    case 'hyperexponential':
      return dist.branches.reduce((s, b) => s + b.p * b.meanS, 0);
  }
}
