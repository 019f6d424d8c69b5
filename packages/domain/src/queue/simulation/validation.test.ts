import { describe, expect, it } from 'vitest';
import { erlangCMeanWaitS, erlangCWaitProbability, mmcModel } from './reference.ts';
import { replicate } from './replicate.ts';

describe('M/M/c validation against Erlang C', () => {
  it('the local Erlang C oracle reproduces the published service levels', () => {
    // 100 arrivals / 30 min, 180 s service, T = 20 s: 14 servers → 88.84%, 11 → 38.96%
    const sl = (c: number) => {
      const lambda = 200 / 3600;
      return 1 - erlangCWaitProbability(10, c) * Math.exp(-(c / 180 - lambda) * 20);
    };
    expect(sl(14)).toBeCloseTo(0.8884, 4);
    expect(sl(11)).toBeCloseTo(0.3896, 4);
  });

  it('reproduces Erlang C mean wait within 2% (λ = 100/30 min, 180 s, c = 14), with a 95% interval', () => {
    const expected = erlangCMeanWaitS(200, 180, 14);
    // 8 replications × ~1.25 M customers: a single wait sample is noisy (83% wait zero), so the
    // interval needs millions of customers to be narrower than the 2% being tested.
    const model = mmcModel({
      arrivalsPerHour: 200,
      meanServiceS: 180,
      servers: 14,
      horizonS: 22_500_000,
      warmupS: 7200,
    });
    const summary = replicate(model, { replications: 8, seed: 2026 });
    const wq = summary.overall.meanWaitS;
    const relError = (wq.mean - expected) / expected;
    console.info(
      `M/M/14: Erlang C Wq = ${expected.toFixed(3)} s; simulated ${wq.mean.toFixed(3)} s ± ${wq.halfWidth.toFixed(3)} ` +
        `(95% CI, ${wq.n} replications); error ${(relError * 100).toFixed(2)}%; utilisation ${summary.utilisation.mean.toFixed(4)}`,
    );
    expect(Math.abs(relError)).toBeLessThan(0.02);
    expect(wq.halfWidth / expected).toBeLessThan(0.02);
    expect(summary.utilisation.mean).toBeCloseTo(10 / 14, 2);
  }, 30_000);
});
