import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Visit } from '../visit-log/schema.ts';
import { distributionMeanS, durationSampler } from './distributions.ts';
import {
  calibrateToHistory,
  countersFromSchedule,
  fitHistory,
  fitPatience,
  policyForPriorities,
  scheduleOfCounters,
} from './fit.ts';
import { type TSimulationModelInput, ZSimulationModel } from './model.ts';
import { counterHours, countersFromWindows, PlanError, resolvePlan, ZPlansFile } from './plans.ts';
import { Rng } from './rng.ts';
import { simulateDay } from './simulate.ts';
import { simulatedVisitsToLog } from './visit-log.ts';

const H = 3600;

/** A known branch: two services, two classes, counters 09:00–17:00, impatient ordinary customers. */
const truth: TSimulationModelInput = {
  policy: policyForPriorities([0, 1]),
  services: [
    {
      code: 'cash',
      arrivals: [
        { fromS: 0, toS: 3 * H, perHour: 50 },
        { fromS: 3 * H, toS: 8 * H, perHour: 30 },
      ],
      serviceTime: { kind: 'exponential', meanS: 240 },
      classMix: { p0: 0.8, p1: 0.2 },
    },
    {
      code: 'loan',
      arrivals: [{ fromS: 0, toS: 8 * H, perHour: 6 }],
      serviceTime: { kind: 'exponential', meanS: 900 },
      classMix: { p0: 0.5, p1: 0.5 },
    },
  ],
  counters: [
    { id: 'a', skills: ['cash', 'loan'] },
    { id: 'b', skills: ['cash', 'loan'] },
    { id: 'c', skills: ['cash', 'loan'], shifts: [{ fromS: 0, toS: 4 * H }] },
    { id: 'd', skills: ['loan', 'cash'] },
  ],
  patience: { p0: { kind: 'exponential', meanS: 900 } },
};

/** `days` simulated Mondays (2030-01-07 + 7k) at 09:00, as a visit log with recorded departures. */
function history(days: number, recordDepartures = true): Visit[] {
  const model = ZSimulationModel.parse(truth);
  return Array.from({ length: days }, (_, d) => {
    const r = simulateDay(model, { seed: 100 + d, recordVisits: true });
    return simulatedVisitsToLog(r.visits ?? [], model.policy, {
      site: 's',
      startAt: Date.UTC(2030, 0, 7 + 7 * d, 9),
      idPrefix: `d${d}-`,
      priorityOfClass: { p0: 0, p1: 1 },
    }).map((v) => (recordDepartures ? v : { ...v, leftAt: null }));
  }).flat();
}

describe('fitHistory', () => {
  const visits = history(6);
  const fit = fitHistory(visits, { weekday: 1 });

  it('recovers opening hours, arrival rates, class mix and service times of a known model', () => {
    expect(fit.dates).toHaveLength(6);
    expect(fit.openMin).toBe(9 * 60);
    expect(fit.closeMin).toBe(17 * 60);
    const cash = fit.model.services.find((s) => s.code === 'cash');
    const loan = fit.model.services.find((s) => s.code === 'loan');
    expect(fit.serviceCodes).toMatchObject({ cash: 'cash', loan: 'loan' });
    const perDay = (s: typeof cash) =>
      (s?.arrivals ?? []).reduce((t, a) => t + (a.perHour * (a.toS - a.fromS)) / H, 0);
    // 3 h × 50 + 5 h × 30 = 300 a day; 6 days: ±4σ of a Poisson mean is about ±28.
    expect(perDay(cash)).toBeGreaterThan(272);
    expect(perDay(cash)).toBeLessThan(328);
    const morning = (cash?.arrivals ?? []).filter((a) => a.toS <= 3 * H);
    const mean = morning.reduce((t, a) => t + a.perHour, 0) / morning.length;
    expect(mean).toBeGreaterThan(42);
    expect(mean).toBeLessThan(58);
    expect(cash?.classMix?.p1).toBeGreaterThan(0.15);
    expect(cash?.classMix?.p1).toBeLessThan(0.25);
    expect(perDay(loan)).toBeGreaterThan(30);
    expect(distributionMeanS(cash?.serviceTime ?? { kind: 'fixed', valueS: 0 })).toBeGreaterThan(215);
    expect(distributionMeanS(cash?.serviceTime ?? { kind: 'fixed', valueS: 0 })).toBeLessThan(265);
    expect(distributionMeanS(loan?.serviceTime ?? { kind: 'fixed', valueS: 0 })).toBeGreaterThan(750);
  });

  it('estimates patience from recorded departures (censored MLE) and gives a class that never left none', () => {
    const p0 = fit.model.patience.p0;
    expect(p0?.kind).toBe('exponential');
    expect(distributionMeanS(p0 ?? { kind: 'fixed', valueS: 0 })).toBeGreaterThan(600);
    expect(distributionMeanS(p0 ?? { kind: 'fixed', valueS: 0 })).toBeLessThan(1300);
    expect(fit.model.patience.p1).toBeUndefined();
  });

  it('sees the staffing as it was: about 4 busy counters before the break, 3 after', () => {
    expect(fit.historyCounters).toHaveLength(16);
    const morning = fit.historyCounters.slice(2, 7);
    const afternoon = fit.historyCounters.slice(10, 15);
    const avg = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(avg(morning)).toBeGreaterThan(3);
    expect(avg(morning)).toBeLessThanOrEqual(4);
    expect(avg(afternoon)).toBeLessThanOrEqual(3);
    expect(avg(afternoon)).toBeGreaterThan(avg(morning) - 1.5);
  });

  it('without recorded departures infers them later than they were, so patience comes out longer', () => {
    const blind = fitPatience(history(6, false), { 0: 'p0', 1: 'p1' }, 'p0');
    const seen = fitPatience(visits, { 0: 'p0', 1: 'p1' }, 'p0');
    expect(blind.p0).toBeGreaterThan(seen.p0 ?? 0);
  });

  it('refuses a weekday the history does not have', () => {
    expect(() => fitHistory(visits, { weekday: 3 })).toThrow(/no visits on wed/);
  });

  it('calibration makes the staffing as it was reproduce the history’s abandonment and waits', () => {
    const cal = calibrateToHistory(fitHistory(history(6, false), { weekday: 1 }), { replications: 8 });
    const c = cal.classes.p0;
    expect(c).toBeDefined();
    expect(Math.abs((c?.simulatedAbandonment ?? 0) - (c?.observedAbandonment ?? 1))).toBeLessThan(0.03);
    expect(
      Math.abs((c?.simulatedWaitS ?? 0) - (c?.observedWaitS ?? 1)) / (c?.observedWaitS ?? 1),
    ).toBeLessThan(0.15);
  }, 30_000);
});

describe('counter layouts', () => {
  it('countersFromSchedule opens exactly the scheduled number in every interval (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 40 }), (schedule) => {
        const counters = countersFromSchedule(schedule, 1800, () => ['a']);
        expect(scheduleOfCounters(counters, 1800, schedule.length)).toEqual(schedule);
        expect(counterHours(counters, schedule.length * 1800)).toBeCloseTo(
          schedule.reduce((s, n) => s + n, 0) / 2,
          6,
        );
        // Counter 1 works at least as long as any other.
        const hours = counters.map((c) => counterHours([c], schedule.length * 1800));
        for (const h of hours) expect(h).toBeLessThanOrEqual(hours[0] ?? 0);
      }),
    );
  });

  it('a fractional mean opens the last counter for that share of the interval', () => {
    const counters = countersFromSchedule([1.5, 2, 0.25], 1000, () => ['a']);
    expect(counterHours(counters, 3000) * 3600).toBeCloseTo(1500 + 2000 + 250, 6);
    expect(counters[1]?.shifts).toEqual([
      { fromS: 0, toS: 500 },
      { fromS: 1000, toS: 2000 },
    ]);
  });

  it('countersFromWindows merges touching windows into one shift with breaks between', () => {
    const c = countersFromWindows(
      [
        { fromS: 0, toS: 100, counters: 2 },
        { fromS: 100, toS: 200, counters: 1 },
        { fromS: 200, toS: 300, counters: 2 },
      ],
      () => ['a'],
    );
    expect(c.map((x) => x.shifts)).toEqual([
      [{ fromS: 0, toS: 300 }],
      [
        { fromS: 0, toS: 100 },
        { fromS: 200, toS: 300 },
      ],
    ]);
  });
});

describe('plans file', () => {
  const fit = fitHistory(history(2), { weekday: 1 });

  it('resolves counters, shifts and schedules on the fitted day (0 = opening)', () => {
    const file = ZPlansFile.parse({
      plans: [
        { name: 'four', counters: 4 },
        {
          name: 'split',
          counters: [
            { skills: ['CASH'], count: 2 },
            {
              id: 'l',
              skills: ['loan', 'cash'],
              shifts: [
                { from: '08:00', to: '12:00' },
                { from: '13:00', to: '18:00' },
              ],
            },
          ],
        },
        {
          name: 'sched',
          schedule: [
            { from: '09:00', to: '12:00', counters: 3 },
            { from: '12:00', to: '17:00', counters: 2 },
          ],
        },
      ],
    });
    const [four, split, sched] = file.plans.map((p) => resolvePlan(p, fit));
    expect(four?.counters).toHaveLength(4);
    expect(four?.counters[0]?.skills).toEqual(['cash', 'loan']);
    expect(split?.counters.map((c) => c.id)).toEqual(['c1-1', 'c1-2', 'l']);
    // 08:00 is before opening (09:00) and 18:00 after closing (17:00): clipped.
    expect(split?.counters[2]?.shifts).toEqual([
      { fromS: 0, toS: 3 * H },
      { fromS: 4 * H, toS: 8 * H },
    ]);
    expect(counterHours(sched?.counters ?? [], 8 * H)).toBe(3 * 3 + 2 * 5);
  });

  it('says what is wrong with a bad plan', () => {
    expect(ZPlansFile.safeParse({ plans: [{ name: 'x' }] }).success).toBe(false);
    expect(ZPlansFile.safeParse({ plans: [{ name: 'x', counters: 2, schedule: [] }] }).success).toBe(false);
    expect(
      ZPlansFile.safeParse({ plans: [{ name: 'x', schedule: [{ from: '9:00', to: '10:00', counters: 1 }] }] })
        .success,
    ).toBe(false);
    const bad = (spec: unknown) => () =>
      resolvePlan(ZPlansFile.parse({ plans: [spec] }).plans[0] as never, fit);
    expect(bad({ name: 'x', counters: [{ skills: ['mortgage'] }] })).toThrow(
      /unknown service "mortgage" \(the history has cash, loan\)/,
    );
    expect(bad({ name: 'x', counters: [{ skills: ['cash'] }] })).toThrow(PlanError);
    expect(bad({ name: 'x', counters: [{ skills: ['cash'] }] })).toThrow(/no counter serves loan/);
    expect(bad({ name: 'x', counters: [{ shifts: [{ from: '18:00', to: '19:00' }] }] })).toThrow(
      /outside the opening hours 09:00–17:00/,
    );
  });
});

describe('hyperexponential durations', () => {
  it('has the mixture mean and mixes the branches in the given shares', () => {
    const dist = {
      kind: 'hyperexponential' as const,
      branches: [
        { p: 0.3, meanS: 10 },
        { p: 0.7, meanS: 600 },
      ],
    };
    expect(distributionMeanS(dist)).toBeCloseTo(423, 6);
    const sample = durationSampler(dist);
    const rng = new Rng(5);
    const n = 100_000;
    let sum = 0;
    let short = 0;
    for (let i = 0; i < n; i++) {
      const ms = sample(rng);
      sum += ms;
      if (ms < 60_000) short++;
    }
    expect(sum / n / 1000).toBeGreaterThan(423 * 0.97);
    expect(sum / n / 1000).toBeLessThan(423 * 1.03);
    // P(< 60 s) = 0.3·(1 − e^−6) + 0.7·(1 − e^−0.1) ≈ 0.3659
    expect(short / n).toBeCloseTo(0.3659, 2);
  });
});
