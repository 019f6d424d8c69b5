import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replayDay, trainingSteps } from './backtest.ts';
import type { QueueAhead } from './features.ts';
import {
  type LearnedState,
  type ServiceLoopPredictor,
  type ServiceLoopPredictorOptions,
  serviceLoopPredictor,
  serviceLoopPredictorFrom,
} from './serviceloop.ts';
import { simulateMmcDay } from './testing/mmc-days.ts';
import type { PredictionTarget, QueueSnapshot } from './types.ts';

interface History {
  readonly seed: number;
  readonly days: number;
  readonly arrivalsPerHour: number;
  readonly servers: number;
  readonly meanPatienceS: number;
  readonly classMix: readonly number[];
}

const history = (h: History, firstDay = 1) =>
  Array.from({ length: h.days }, (_, i) =>
    simulateMmcDay({
      seed: h.seed + i,
      day: `2030-01-${String(firstDay + i).padStart(2, '0')}`,
      hours: 2,
      arrivalsPerHour: (hour) => h.arrivalsPerHour * (hour < 1 ? 1 : 1.5),
      servers: h.servers,
      meanServiceS: 240,
      meanPatienceS: h.meanPatienceS,
      classMix: h.classMix,
    }),
  ).flat();

const learned = (h: History, options: ServiceLoopPredictorOptions): ServiceLoopPredictor => {
  const p = serviceLoopPredictor(options);
  for (const _day of trainingSteps(history(h), [p])) {
    // one day per step
  }
  return p;
};

/** Moments of a later day, as a live branch would ask about them. */
function queries(h: History): { snapshot: QueueSnapshot; target: PredictionTarget }[] {
  const day = history({ ...h, days: 1, seed: h.seed + 1000 }, 20);
  const out: { snapshot: QueueSnapshot; target: PredictionTarget }[] = [];
  replayDay(day, Date.parse('2030-01-20T00:00:00Z'), (snapshot, target) => {
    out.push({ snapshot, target });
  });
  // Every fifth arrival: the queue empty, building up and long, without thousands of checks.
  return out.filter((_, i) => i % 5 === 0);
}

/** Every answer of the three kinds, as a restored predictor must repeat them. */
function answers(p: ServiceLoopPredictor, qs: ReturnType<typeof queries>, aheads: readonly QueueAhead[]) {
  return qs.map(({ snapshot, target }, i) => ({
    live: p.predictLive(snapshot, target, aheads[i % aheads.length] as QueueAhead),
    predict: p.predict(snapshot, target).prediction,
    remaining: snapshot.waiting.map((t) => p.predictRemaining(snapshot, t)),
  }));
}

const arbHistory: fc.Arbitrary<History> = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  days: fc.integer({ min: 1, max: 4 }),
  arrivalsPerHour: fc.integer({ min: 10, max: 120 }),
  servers: fc.integer({ min: 1, max: 6 }),
  meanPatienceS: fc.constantFrom(300, 900, Number.POSITIVE_INFINITY),
  classMix: fc.constantFrom([1], [0.7, 0.3], [0.6, 0.25, 0.15]),
});

const arbAhead: fc.Arbitrary<QueueAhead> = fc.record({
  ahead: fc.integer({ min: 0, max: 40 }),
  aheadHigher: fc.integer({ min: 0, max: 5 }),
  oldestArrivedAt: fc.constant(null),
  servers: fc.integer({ min: 0, max: 8 }),
});

describe('ServiceLoop learned state', () => {
  it('a predictor restored from its structured-cloned state answers identically', () => {
    fc.assert(
      fc.property(
        arbHistory,
        // From "always the formula" to "learned after a few visits".
        fc.constantFrom(1, 50, 300, 1_000_000),
        fc.double({ min: 0.5, max: 0.95, noNaN: true }),
        fc.array(arbAhead, { minLength: 1, maxLength: 5 }),
        (h, minTrainingVisits, coverage, aheads) => {
          const options = { minTrainingVisits, coverage };
          const original = learned(h, options);
          // What a worker thread's postMessage does to it.
          const state: LearnedState = structuredClone(original.learnedState());
          const restored = serviceLoopPredictorFrom(state, options);
          expect(restored.trained).toBe(original.trained);
          expect(restored.trainingVisits).toBe(original.trainingVisits);
          const qs = queries(h);
          expect(answers(restored, qs, aheads)).toEqual(answers(original, qs, aheads));
          // Its own state is the state it came from.
          expect(restored.learnedState()).toEqual(state);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('carries the model, its per-class residuals and the mean service time', () => {
    const h: History = {
      seed: 7,
      days: 3,
      arrivalsPerHour: 110,
      servers: 4,
      meanPatienceS: 600,
      classMix: [0.6, 0.25, 0.15],
    };
    const original = learned(h, { minTrainingVisits: 100 });
    const state = original.learnedState();
    expect(original.trained).toBe(true);
    expect(state.model).not.toBeNull();
    expect(state.model?.classes).toEqual([0, 1, 2]);
    expect(state.model?.beta).toHaveLength(7 + 2);
    // Class 0 has ≥ 50 residuals of its own; every list sorted.
    expect(state.model?.residuals.map((r) => r.priority)).toContain(0);
    for (const r of state.model?.residuals ?? [])
      expect(r.sorted).toEqual([...r.sorted].sort((a, b) => a - b));
    expect(state.model?.pooledResiduals).toHaveLength(state.trainingVisits);
    expect(state.serviceCount).toBeGreaterThan(0);
    expect(state.serviceTotal / state.serviceCount).toBeGreaterThan(100);

    // Without the service time the formula answers differently: the state is not decoration.
    const untrained = learned(h, { minTrainingVisits: 1_000_000 });
    const plain = untrained.learnedState();
    expect(plain.model).toBeNull();
    const qs = queries(h);
    const aheads = [{ ahead: 5, aheadHigher: 1, oldestArrivedAt: null, servers: 2 }];
    const forgetful = serviceLoopPredictorFrom({ ...plain, serviceTotal: 0, serviceCount: 0 });
    expect(answers(forgetful, qs, aheads)).not.toEqual(answers(untrained, qs, aheads));
    expect(answers(serviceLoopPredictorFrom(plain), qs, aheads)).toEqual(answers(untrained, qs, aheads));
  });

  it('a restored predictor refuses to learn further (its days are not in the state)', () => {
    const restored = serviceLoopPredictorFrom(serviceLoopPredictor().learnedState());
    expect(() => restored.learnDay?.({ day: '2030-01-01', visits: [], outcomes: [] })).toThrow(/learn anew/);
  });
});
