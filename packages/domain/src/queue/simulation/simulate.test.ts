import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZCallingPolicyConfig } from '../policy/config.ts';
import { durationSampler } from './distributions.ts';
import { EventHeap } from './event-heap.ts';
import { type TSimulationModelInput, ZSimulationModel } from './model.ts';
import { comparePlans, estimate, replicate, studentT975 } from './replicate.ts';
import { Rng } from './rng.ts';
import { quantile, simulateDay } from './simulate.ts';
import { simulatedVisitsToLog } from './visit-log.ts';

const policy = ZCallingPolicyConfig.parse({
  classes: [
    { id: 'vip', weight: 4, headStartMs: 300_000, maxWaitMs: 600_000 },
    { id: 'ordinary', weight: 1, maxWaitMs: 1_800_000 },
  ],
  defaultClass: 'ordinary',
});

/** A busy branch morning: 3 h, cash and wealth services, a lunch break, impatient customers. */
function branchModel(overrides: Partial<TSimulationModelInput> = {}) {
  return ZSimulationModel.parse({
    policy,
    services: [
      {
        code: 'cash',
        arrivals: [
          { fromS: 0, toS: 3600, perHour: 40 },
          { fromS: 3600, toS: 10_800, perHour: 70 },
        ],
        serviceTime: { kind: 'lognormal', meanS: 240, sdS: 150 },
        classMix: { vip: 0.15, ordinary: 0.85 },
        targetWaitS: 900,
      },
      {
        code: 'wealth',
        arrivals: [{ fromS: 0, toS: 10_800, perHour: 6 }],
        serviceTime: { kind: 'empirical', samplesS: [300, 600, 900, 1200] },
        classMix: { vip: 1 },
        targetWaitS: 300,
      },
    ],
    counters: [
      { id: 'c1', skills: ['cash'] },
      {
        id: 'c2',
        skills: ['cash'],
        shifts: [
          { fromS: 0, toS: 5400 },
          { fromS: 7200, toS: 10_800 },
        ],
      },
      { id: 'c3', skills: ['cash'] },
      { id: 'c4', skills: ['cash'] },
      { id: 'v1', skills: ['wealth', 'cash'] },
    ],
    patience: { ordinary: { kind: 'exponential', meanS: 1800 }, vip: { kind: 'exponential', meanS: 1200 } },
    balking: { counts: 'service', startAt: 10, certainAt: 40 },
    ...overrides,
  });
}

describe('simulateDay', () => {
  it('is deterministic for a seed and different across seeds', () => {
    const model = branchModel();
    const a = simulateDay(model, { seed: 42, recordVisits: true });
    const b = simulateDay(model, { seed: 42, recordVisits: true });
    expect(b).toEqual(a);
    expect(simulateDay(model, { seed: 43 }).overall.arrivals).not.toBe(a.overall.arrivals);
  });

  it('accounts for every visit and respects skills, shifts and the calling order', () => {
    const model = branchModel();
    const r = simulateDay(model, { seed: 7, recordVisits: true });
    const visits = r.visits!;
    const o = r.overall;
    expect(o.arrivals).toBe(visits.length);
    expect(o.balked + o.abandoned + o.served + o.unserved).toBe(o.arrivals);
    expect(o.abandoned).toBeGreaterThan(0);
    expect(o.served).toBeGreaterThan(120);
    for (const v of visits) {
      if (v.outcome !== 'served') continue;
      const counter = model.counters.find((c) => c.id === v.counterId)!;
      expect(counter.skills).toContain(v.serviceCode);
      expect(v.calledS!).toBeGreaterThanOrEqual(v.arrivedS);
      expect(v.endedS!).toBeGreaterThanOrEqual(v.calledS!);
      // c2 takes its lunch break: nobody is called there between 1:30 and 2:00
      if (v.counterId === 'c2') expect(v.calledS! < 5400 || v.calledS! >= 7200).toBe(true);
    }
    // Only v1 serves wealth; VIPs wait less than ordinary customers under the weights
    expect(
      visits
        .filter((v) => v.serviceCode === 'wealth' && v.outcome === 'served')
        .every((v) => v.counterId === 'v1'),
    ).toBe(true);
    expect(r.byClass.vip!.meanWaitS).toBeLessThan(r.byClass.ordinary!.meanWaitS);
    expect(r.byService.cash!.withinTargetShare).toBeGreaterThan(0);
    expect(r.utilisation).toBeGreaterThan(0.5);
    expect(r.utilisation).toBeLessThanOrEqual(1);
    const c2 = r.counters.find((c) => c.id === 'c2')!;
    expect(c2.openS).toBeLessThan(r.counters.find((c) => c.id === 'c1')!.openS);
  });

  it('balks when the queue is long and drains the lobby after the doors close', () => {
    const overloaded = branchModel({
      counters: [{ id: 'c1', skills: ['cash', 'wealth'] }],
      patience: {},
    });
    const r = simulateDay(overloaded, { seed: 3, recordVisits: true });
    expect(r.overall.balkingRate).toBeGreaterThan(0.3);
    expect(r.overall.abandoned).toBe(0);
    expect(r.overall.unserved).toBe(0);
    expect(r.endS).toBeGreaterThan(10_800);
    const noDrain = simulateDay(ZSimulationModel.parse({ ...overloaded, drain: false }), { seed: 3 });
    expect(noDrain.overall.unserved).toBeGreaterThan(0);
  });

  it('never serves a skill a counter lacks, for random skill layouts', () => {
    fc.assert(
      fc.property(
        fc.array(fc.subarray(['cash', 'wealth'], { minLength: 1 }), { minLength: 1, maxLength: 4 }),
        fc.nat(1000),
        (skillSets, seed) => {
          const model = branchModel({ counters: skillSets.map((skills, i) => ({ id: `k${i}`, skills })) });
          const r = simulateDay(model, { seed, recordVisits: true });
          for (const v of r.visits!) {
            if (v.counterId === undefined) continue;
            expect(skillSets[Number(v.counterId.slice(1))]).toContain(v.serviceCode);
          }
        },
      ),
      { numRuns: 20 },
    );
  });
});

describe('simulateDay dynamics', () => {
  it('follows piecewise-constant arrival rates, including a gap with none', () => {
    const model = ZSimulationModel.parse({
      policy,
      services: [
        {
          code: 'cash',
          arrivals: [
            { fromS: 0, toS: 3600, perHour: 120 },
            { fromS: 7200, toS: 10_800, perHour: 30 },
          ],
          serviceTime: { kind: 'exponential', meanS: 60 },
        },
      ],
      counters: [
        { id: 'c1', skills: ['cash'] },
        { id: 'c2', skills: ['cash'] },
      ],
    });
    const counts = [0, 0, 0];
    for (let seed = 0; seed < 20; seed++) {
      for (const v of simulateDay(model, { seed, recordVisits: true }).visits!)
        counts[Math.floor(v.arrivedS / 3600)]!++;
    }
    expect(counts[0]! / 20).toBeGreaterThan(108);
    expect(counts[0]! / 20).toBeLessThan(132);
    expect(counts[1]).toBe(0);
    expect(counts[2]! / 20).toBeGreaterThan(27);
    expect(counts[2]! / 20).toBeLessThan(33);
  });

  it('keeps the lower class within its maximum wait under heavy VIP load, which it would not without aging', () => {
    const model = (ordinaryMaxWaitMs: number) =>
      ZSimulationModel.parse({
        policy: {
          classes: [
            { id: 'vip', weight: 100, headStartMs: 3_600_000, maxWaitMs: 3_600_000 },
            { id: 'ordinary', weight: 1, maxWaitMs: ordinaryMaxWaitMs },
          ],
          defaultClass: 'ordinary',
        },
        services: [
          {
            code: 'a',
            arrivals: [{ fromS: 0, toS: 8 * 3600, perHour: 54 }],
            serviceTime: { kind: 'fixed', valueS: 60 },
            classMix: { vip: 46, ordinary: 8 },
          },
        ],
        counters: [{ id: 'c1', skills: ['a'] }],
      });
    for (const seed of [1, 2, 3, 4]) {
      const guaranteed = simulateDay(model(900_000), { seed });
      // bound 15 min, plus the customer at the counter and the odd ticket that fell due just before
      expect(guaranteed.byClass.ordinary!.maxWaitS).toBeLessThan(900 + 3 * 60);
      const unbounded = simulateDay(model(86_400_000), { seed });
      expect(unbounded.byClass.ordinary!.maxWaitS).toBeGreaterThan(2 * guaranteed.byClass.ordinary!.maxWaitS);
    }
  });

  it('compares staffing plans side by side: more counters, shorter waits', () => {
    const progress: number[] = [];
    const [lean, full] = comparePlans(
      branchModel(),
      [
        {
          name: 'lean',
          counters: [
            { id: 'c1', skills: ['cash', 'wealth'] },
            { id: 'c2', skills: ['cash'] },
            { id: 'c3', skills: ['cash'] },
          ],
        },
        { name: 'full', counters: branchModel().counters },
      ],
      { replications: 4, seed: 1, onProgress: (done) => progress.push(done) },
    );
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(lean!.name).toBe('lean');
    expect(full!.summary.overall.meanWaitS.mean).toBeLessThan(lean!.summary.overall.meanWaitS.mean);
    expect(full!.summary.overall.abandonmentRate.mean).toBeLessThan(
      lean!.summary.overall.abandonmentRate.mean,
    );
  });

  it('summarises replications with confidence intervals per class', () => {
    const summary = replicate(branchModel(), { replications: 5, seed: 11 });
    expect(summary.replications).toBe(5);
    const vip = summary.byClass.vip!.meanWaitS;
    expect(vip.n).toBe(5);
    expect(vip.lower).toBeLessThanOrEqual(vip.mean);
    expect(vip.upper).toBeGreaterThanOrEqual(vip.mean);
    expect(summary.byService.wealth!.abandonmentRate.mean).toBeGreaterThanOrEqual(0);
    expect(summary.utilisation.mean).toBeGreaterThan(0);
  });
});

describe('simulation building blocks', () => {
  it('event heap pops in time order, equal times first in first out', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }), (times) => {
        const heap = new EventHeap(2);
        for (const [i, t] of times.entries()) heap.push(t, i);
        const out: number[] = [];
        while (heap.size > 0) out.push(heap.pop());
        const expected = times.map((t, i) => [t, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(out).toEqual(expected.map(([, i]) => i));
      }),
    );
  });

  it('samples distributions with the right means', () => {
    const rng = new Rng(1);
    const mean = (f: (r: Rng) => number) => {
      let s = 0;
      for (let i = 0; i < 200_000; i++) s += f(rng);
      return s / 200_000 / 1000;
    };
    expect(mean(durationSampler({ kind: 'exponential', meanS: 180 }))).toBeCloseTo(180, -0.5);
    expect(mean(durationSampler({ kind: 'lognormal', meanS: 240, sdS: 150 }))).toBeCloseTo(240, -0.5);
    expect(mean(durationSampler({ kind: 'empirical', samplesS: [100, 200, 600] }))).toBeCloseTo(300, -0.5);
    let u = 0;
    for (let i = 0; i < 100_000; i++) u += rng.uniform();
    expect(u / 100_000).toBeCloseTo(0.5, 2);
  });

  it('quantile agrees with sorting', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }),
        (xs) => {
          const sorted = [...xs].sort((a, b) => a - b);
          expect(quantile(Float64Array.from(xs), 0.9)).toBe(sorted[Math.ceil(0.9 * xs.length) - 1]);
          expect(quantile(Float64Array.from(xs), 0.5)).toBe(sorted[Math.ceil(0.5 * xs.length) - 1]);
        },
      ),
    );
  });

  it('gives Student t intervals', () => {
    expect(studentT975(1)).toBe(12.706);
    expect(studentT975(40)).toBeCloseTo(2.021, 2);
    expect(studentT975(120)).toBeCloseTo(1.98, 2);
    const e = estimate([1, 2, 3, 4, 5]);
    expect(e.mean).toBe(3);
    expect(e.halfWidth).toBeCloseTo(2.776 * Math.sqrt(2.5 / 5), 6);
  });
});

describe('simulation model contract', () => {
  it('rejects overlapping arrival segments, empty class mixes and unknown references', () => {
    const result = ZSimulationModel.safeParse({
      policy,
      services: [
        {
          code: 'cash',
          arrivals: [
            { fromS: 0, toS: 3600, perHour: 10 },
            { fromS: 1800, toS: 7200, perHour: 10 },
          ],
          serviceTime: { kind: 'fixed', valueS: 60 },
          classMix: { vip: 0 },
        },
      ],
      counters: [{ id: 'c1', skills: ['cash', 'loans'] }],
      patience: { gold: { kind: 'exponential', meanS: 60 } },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual([
      'Arrival segments overlap',
      'Give at least one class a share',
      'Unknown service loans',
      'Unknown class gold',
    ]);
  });
});

describe('simulated visits as a visit log', () => {
  it('writes every customer who took a ticket, with priorities by class weight', () => {
    const model = branchModel();
    const r = simulateDay(model, { seed: 5, recordVisits: true });
    const startAt = Date.UTC(2026, 2, 2, 9, 0, 0);
    const log = simulatedVisitsToLog(r.visits!, model.policy, { site: 'B001', startAt });
    expect(log.length).toBe(r.overall.arrivals - r.overall.balked);
    expect(log.filter((v) => v.outcome === 'served').length).toBe(r.overall.served);
    for (const v of log) {
      expect(v.arrivedAt).toBeGreaterThanOrEqual(startAt);
      expect(v.arrivedAt % 1000).toBe(0);
      if (v.outcome === 'served') expect(v.serviceEndedAt!).toBeGreaterThanOrEqual(v.calledAt!);
      else expect(v.calledAt).toBeNull();
    }
    const vip = log.find((v) => v.service === 'wealth')!;
    expect(vip.priority).toBe(1);
  });
});
