import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Visit } from '../visit-log/schema.ts';
import { erlangCMetrics } from './erlang.ts';
import { forecastArrivals, groupServiceLevel, primarySkills, recommendStaffing } from './plan.ts';

/** `n` served visits spread over 10:00–10:30 of `day`, each 180 s of service, given class. */
function slotVisits(day: string, n: number, priority: (i: number) => number, service = 'PS'): Visit[] {
  const base = Date.parse(`${day}T10:00:00Z`);
  return Array.from({ length: n }, (_, i) => {
    const at = base + Math.floor((i * 1_800_000) / n);
    return {
      visitId: `${day}-${service}-${i}`,
      site: 's',
      service,
      priority: priority(i),
      arrivedAt: at,
      calledAt: at + 10_000,
      serviceStartedAt: at + 10_000,
      serviceEndedAt: at + 190_000,
      outcome: 'served',
      counter: 'A',
    };
  });
}

describe('groupServiceLevel', () => {
  it('is Erlang C for the whole queue (issue oracle: 14 servers → 88.84%)', () => {
    const sl = groupServiceLevel({
      servers: 14,
      arrivalRate: 100 / 1800,
      groupArrivalRate: 100 / 1800,
      meanServiceSeconds: 180,
      targetSeconds: 20,
    });
    expect(sl).toBeCloseTo(0.8884, 4);
  });

  it('serves a small top class better than the whole queue', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 11, max: 30 }),
        fc.double({ min: 0.05, max: 0.9, noNaN: true }),
        (c, share) => {
          const all = groupServiceLevel({
            servers: c,
            arrivalRate: 100 / 1800,
            groupArrivalRate: 100 / 1800,
            meanServiceSeconds: 180,
            targetSeconds: 60,
          });
          const top = groupServiceLevel({
            servers: c,
            arrivalRate: 100 / 1800,
            groupArrivalRate: (share * 100) / 1800,
            meanServiceSeconds: 180,
            targetSeconds: 60,
          });
          expect(top).toBeGreaterThanOrEqual(all - 1e-12);
          expect(top).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});

describe('forecastArrivals', () => {
  it('averages each weekday interval over the dates of that weekday', () => {
    // 2030-01-07 and 2030-01-14 are Mondays.
    const visits = [...slotVisits('2030-01-07', 80, () => 0), ...slotVisits('2030-01-14', 120, () => 0)];
    const f = forecastArrivals(visits, { intervalMinutes: 30 });
    expect(f.datesPerWeekday).toEqual({ 1: 2 });
    expect(f.cells).toEqual([
      { service: 'PS', priority: 0, weekday: 1, slotStartMin: 600, meanArrivals: 100 },
    ]);
    expect(f.meanServiceS.PS).toBe(180);
    expect(f.meanPatienceS).toEqual({});
  });
});

describe('recommendStaffing', () => {
  const visits = [
    ...slotVisits('2030-01-07', 100, (i) => (i % 10 === 0 ? 2 : 0)),
    ...slotVisits('2030-01-14', 100, (i) => (i % 10 === 0 ? 2 : 0)),
  ];
  const forecast = forecastArrivals(visits, { intervalMinutes: 30 });

  it('matches fewestServers for a single whole-queue standard', () => {
    const plan = recommendStaffing({
      forecast,
      weekday: 1,
      standards: [{ name: '80/20', minPriority: 0, targetSeconds: 20, level: 0.8 }],
    });
    expect(plan.intervals).toHaveLength(1);
    expect(plan.intervals[0]?.counters).toBe(14);
    expect(plan.intervals[0]?.slot).toBe('10:00');
    expect(plan.intervals[0]?.achieved[0]?.level).toBeCloseTo(
      erlangCMetrics({ arrivalRate: 100 / 1800, meanServiceSeconds: 180, servers: 14 }).serviceLevel(20),
      10,
    );
    expect(plan.counterHours).toBe(7);
  });

  it('opens enough for the stricter of the standards and reports every level', () => {
    const plan = recommendStaffing({
      forecast,
      weekday: 1,
      standards: [
        { name: 'all 80% in 60 s', minPriority: 0, targetSeconds: 60, level: 0.8 },
        { name: 'VIP 99% in 5 s', minPriority: 2, targetSeconds: 5, level: 0.99 },
      ],
    });
    const slot = plan.intervals[0];
    expect(slot?.achieved.every((a, i) => a.level >= [0.8, 0.99][i]!)).toBe(true);
    const fewer = recommendStaffing({
      forecast,
      weekday: 1,
      standards: [{ name: 'all 80% in 60 s', minPriority: 0, targetSeconds: 60, level: 0.8 }],
    });
    expect(slot?.counters).toBeGreaterThan(fewer.intervals[0]?.counters ?? 0);
    expect(slot?.dedicatedCounters.PS).toBe(fewer.intervals[0]?.counters);
  });

  it('never plans fewer counters for more demand', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 100 }), (n, extra) => {
        const plan = (k: number) =>
          recommendStaffing({ forecast: forecastArrivals(slotVisits('2030-01-07', k, () => 0)), weekday: 1 })
            .intervals[0]?.counters ?? 0;
        expect(plan(n + extra)).toBeGreaterThanOrEqual(plan(n));
      }),
      { numRuns: 30 },
    );
  });
});

describe('per-service standards and skills', () => {
  // Monday 10:00–10:30: 60 cash, 10 wealth visits of 180 s; Monday 11:00: cash only.
  const visits = [
    ...slotVisits('2030-01-07', 60, () => 0, 'cash'),
    ...slotVisits('2030-01-07', 10, () => 0, 'wealth'),
    ...slotVisits('2030-01-07', 30, () => 0, 'cash').map((v) => ({
      ...v,
      visitId: `${v.visitId}-late`,
      arrivedAt: v.arrivedAt + 3_600_000,
      calledAt: (v.calledAt ?? 0) + 3_600_000,
      serviceStartedAt: (v.serviceStartedAt ?? 0) + 3_600_000,
      serviceEndedAt: (v.serviceEndedAt ?? 0) + 3_600_000,
    })),
  ];
  const forecast = forecastArrivals(visits, { intervalMinutes: 30 });
  const cash = {
    name: 'cash 80% in 15 min',
    minPriority: Number.NEGATIVE_INFINITY,
    targetSeconds: 900,
    level: 0.8,
    service: 'cash',
  };
  const wealth = {
    name: 'wealth 80% in 1 min',
    minPriority: Number.NEGATIVE_INFINITY,
    targetSeconds: 60,
    level: 0.8,
    service: 'wealth',
  };

  it('a service’s target binds only where that service has arrivals', () => {
    const loose = recommendStaffing({ forecast, weekday: 1, standards: [cash] });
    const strict = recommendStaffing({ forecast, weekday: 1, standards: [cash, wealth] });
    const [ten, eleven] = strict.intervals;
    expect(ten?.slot).toBe('10:00');
    expect(ten?.counters).toBeGreaterThan(loose.intervals[0]?.counters ?? 0);
    expect(eleven?.slot).toBe('11:00');
    expect(eleven?.counters).toBe(loose.intervals[1]?.counters);
    expect(eleven?.achieved.find((a) => a.standard === wealth.name)?.level).toBe(1);
    // The pooled Erlang C level at 60 s with the recommended counters meets the wealth standard.
    expect(ten?.achieved.find((a) => a.standard === wealth.name)?.level).toBeGreaterThanOrEqual(0.8);
  });

  it('gives each interval’s counters a leading skill by offered load', () => {
    const plan = recommendStaffing({ forecast, weekday: 1, standards: [cash, wealth] });
    const ten = plan.intervals[0];
    const mix = ten?.skillMix ?? [];
    expect(mix.reduce((s, m) => s + m.counters, 0)).toBe(ten?.counters);
    expect(mix[0]?.service).toBe('cash');
    expect(plan.intervals[1]?.skillMix).toEqual([{ service: 'cash', counters: plan.intervals[1]?.counters }]);
  });

  it('primarySkills hands out exactly the counters, each service within one of its exact share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.array(fc.double({ min: 0, max: 5000, noNaN: true }), { minLength: 1, maxLength: 6 }),
        (counters, loads) => {
          const list = loads.map((load, i) => ({ service: `s${i}`, load }));
          const mix = primarySkills(counters, list);
          const active = list.filter((l) => l.load > 0);
          expect(mix.reduce((s, m) => s + m.counters, 0)).toBe(active.length === 0 ? 0 : counters);
          const total = active.reduce((s, l) => s + l.load, 0);
          for (const l of active) {
            const k = mix.find((m) => m.service === l.service)?.counters ?? 0;
            const exact = (l.load / total) * counters;
            expect(k).toBeGreaterThanOrEqual(Math.floor(exact));
            expect(k).toBeLessThanOrEqual(Math.ceil(exact));
          }
          for (const m of mix) expect(m.counters).toBeGreaterThan(0);
        },
      ),
    );
    expect(
      primarySkills(5, [
        { service: 'a', load: 900 },
        { service: 'b', load: 90 },
        { service: 'c', load: 10 },
      ]),
    ).toEqual([{ service: 'a', counters: 5 }]);
    expect(
      primarySkills(5, [
        { service: 'a', load: 600 },
        { service: 'b', load: 400 },
      ]),
    ).toEqual([
      { service: 'a', counters: 3 },
      { service: 'b', counters: 2 },
    ]);
  });
});

describe('opening hours from the data', () => {
  it('a stray visit before opening does not staff the night; quiet intervals inside the day stay', () => {
    const day = slotVisits('2030-01-07', 60, () => 0);
    const stray = { ...(day[0] as Visit), visitId: 'stray', arrivedAt: Date.parse('2030-01-07T00:10:00Z') };
    const quiet = { ...(day[0] as Visit), visitId: 'quiet', arrivedAt: Date.parse('2030-01-07T12:05:00Z') };
    const late = slotVisits('2030-01-07', 40, () => 0).map((v) => ({
      ...v,
      visitId: `${v.visitId}-pm`,
      arrivedAt: v.arrivedAt + 4 * 3_600_000,
    }));
    const forecast = forecastArrivals([stray, ...day, quiet, ...late]);
    const all = recommendStaffing({ forecast, weekday: 1 });
    expect(all.intervals.map((i) => i.slot)).toEqual(['00:00', '10:00', '12:00', '14:00']);
    const open = recommendStaffing({ forecast, weekday: 1, strayShare: 0.05 });
    expect(open.intervals.map((i) => i.slot)).toEqual(['10:00', '12:00', '14:00']);
  });
});
