import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulateMmcDay } from '../prediction/testing/mmc-days.ts';
import { erlangAMetrics, erlangB, erlangC, erlangCMetrics, fewestServers } from './erlang.ts';

const perHalfHour = (n: number): number => n / 1800;

describe('Erlang C oracle (issue 4)', () => {
  it.each([
    [11, 0.3896],
    [12, 0.6402],
    [13, 0.7956],
    [14, 0.8884],
    [15, 0.9415],
  ])('100 calls / 30 min, 180 s, %i servers, T = 20 s → %f', (servers, level) => {
    const m = erlangCMetrics({ arrivalRate: perHalfHour(100), meanServiceSeconds: 180, servers });
    expect(m.serviceLevel(20)).toBeCloseTo(level, 4);
  });

  it('14 is the fewest servers meeting 80% in 20 s', () => {
    expect(
      fewestServers({
        arrivalRate: perHalfHour(100),
        meanServiceSeconds: 180,
        targetSeconds: 20,
        targetLevel: 0.8,
      }),
    ).toBe(14);
  });

  it('360 calls / 30 min, 240 s, T = 15 s: 55 → 84.59%, 54 → 79.29%', () => {
    const at = (servers: number) =>
      erlangCMetrics({ arrivalRate: perHalfHour(360), meanServiceSeconds: 240, servers }).serviceLevel(15);
    expect(at(55)).toBeCloseTo(0.8459, 4);
    expect(at(54)).toBeCloseTo(0.7929, 4);
    expect(
      fewestServers({
        arrivalRate: perHalfHour(360),
        meanServiceSeconds: 240,
        targetSeconds: 15,
        targetLevel: 0.8,
      }),
    ).toBe(55);
  });
});

describe('Erlang numerics', () => {
  it('is stable for thousands of servers', () => {
    const b = erlangB(5000, 4900);
    expect(Number.isFinite(b)).toBe(true);
    expect(b).toBeGreaterThan(0);
    const c = erlangC(5000, 4900);
    expect(c).toBeGreaterThan(0);
    expect(c).toBeLessThan(1);
  });

  it('reports occupancy and mean wait', () => {
    const m = erlangCMetrics({ arrivalRate: perHalfHour(100), meanServiceSeconds: 180, servers: 14 });
    expect(m.occupancy).toBeCloseTo(10 / 14, 10);
    expect(m.meanWaitSeconds).toBeCloseTo(m.probWait / (14 / 180 - 100 / 1800), 10);
  });

  it('Erlang A approaches Erlang C as patience grows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0.1, max: 0.95, noNaN: true }),
        (c, rho) => {
          const input = { arrivalRate: (rho * c) / 100, meanServiceSeconds: 100, servers: c };
          const ec = erlangCMetrics(input);
          const ea = erlangAMetrics({ ...input, meanPatienceSeconds: 1e9 });
          expect(ea.probWait).toBeCloseTo(ec.probWait, 4);
          expect(ea.serviceLevel(30)).toBeCloseTo(ec.serviceLevel(30), 4);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('Erlang A is stable when overloaded and impatience lowers waits', () => {
    const input = { arrivalRate: 0.2, meanServiceSeconds: 100, servers: 10, meanPatienceSeconds: 120 };
    const m = erlangAMetrics(input);
    expect(m.probWait).toBeLessThanOrEqual(1);
    expect(m.probAbandon).toBeGreaterThan(0.3);
    expect(m.probAbandon).toBeLessThan(1);
    expect(m.occupancy).toBeLessThanOrEqual(1);
    const sl = m.serviceLevel(60);
    expect(sl).toBeGreaterThan(0);
    expect(sl).toBeLessThan(1);
    // Monotone in t.
    expect(m.serviceLevel(120)).toBeGreaterThan(sl);
    // Flow balance: served + abandoned = arrivals ⇒ carried load = λ(1−P_ab)/μ ≤ c.
    expect(input.arrivalRate * (1 - m.probAbandon) * 100).toBeLessThanOrEqual(10 + 1e-9);
  });

  it('Erlang A single server matches the M/M/1+M balance equations', () => {
    // λ = 1, μ = 1, θ = 1: π_{n} ∝ Π λ/(μ + (n−1)θ) → π_n = π_0 / n!·…; check P(wait) directly.
    const m = erlangAMetrics({ arrivalRate: 1, meanServiceSeconds: 1, servers: 1, meanPatienceSeconds: 1 });
    // π_n/π_0 = 1/ (1·2·…·n) = 1/n! ⇒ P(N ≥ 1) = 1 − e^{−1}.
    expect(m.probWait).toBeCloseTo(1 - Math.exp(-1), 10);
  });
});

describe('Erlang A against a simulated M/M/c+M queue', () => {
  it('matches abandonment, mean wait and P(wait) within sampling error', () => {
    const visits = [1, 2, 3].flatMap((seed) =>
      simulateMmcDay({
        seed,
        day: `2030-02-0${seed}`,
        hours: 24,
        arrivalsPerHour: () => 130,
        servers: 10,
        meanServiceS: 300,
        meanPatienceS: 400,
        classMix: [1],
      }),
    );
    const waited = (v: (typeof visits)[number]): number =>
      ((v.calledAt ?? v.leftAt ?? v.arrivedAt) - v.arrivedAt) / 1000;
    const n = visits.length;
    const abandoned = visits.filter((v) => v.outcome === 'abandoned').length / n;
    const meanWait = visits.reduce((s, v) => s + waited(v), 0) / n;
    // The fixture calls an idle counter's customer one second after arrival.
    const hadToWait = visits.filter((v) => waited(v) > 1).length / n;
    const m = erlangAMetrics({
      arrivalRate: 130 / 3600,
      meanServiceSeconds: 300,
      servers: 10,
      meanPatienceSeconds: 400,
    });
    expect(Math.abs(abandoned - m.probAbandon)).toBeLessThan(0.02);
    expect(Math.abs(meanWait - m.meanWaitSeconds) / m.meanWaitSeconds).toBeLessThan(0.1);
    expect(Math.abs(hadToWait - m.probWait)).toBeLessThan(0.05);
  });
});
