import { serviceLoopPredictor, trainingSteps, type Visit } from '@serviceloop/domain';
import { simulateMmcDay } from '@serviceloop/domain/queue/prediction/testing/mmc-days';
import fc from 'fast-check';
import type { FastifyBaseLogger } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import {
  LearnerUnavailable,
  PredictionLearner,
  packVisits,
  unpackVisits,
} from '../src/queue/prediction-learner.ts';

/** A logger that keeps the warnings (the learner's failures must be logged, not swallowed). */
function recordingLog(): { log: FastifyBaseLogger; warnings: string[] } {
  const warnings: string[] = [];
  const log = {
    warn: (_obj: unknown, message?: string) => warnings.push(message ?? ''),
    debug: () => undefined,
    info: () => undefined,
    error: () => undefined,
  } as unknown as FastifyBaseLogger;
  return { log, warnings };
}

const visits: Visit[] = Array.from({ length: 3 }, (_, i) =>
  simulateMmcDay({
    seed: 11 + i,
    day: `2030-01-0${i + 1}`,
    hours: 3,
    arrivalsPerHour: () => 90,
    servers: 5,
    meanServiceS: 240,
    meanPatienceS: 600,
    classMix: [0.7, 0.3],
  }),
).flat();

const inThisThread = (v: readonly Visit[]) => {
  const p = serviceLoopPredictor({ minTrainingVisits: 100 });
  for (const _day of trainingSteps(v, [p])) {
    // one day per step
  }
  return p.learnedState();
};

// Odd numbers often: a NaN must not come back as null, nor -0 as 0.
const time = fc.oneof(
  fc.integer({ min: 0, max: 4_000_000_000_000 }),
  fc.double(),
  fc.constantFrom(Number.NaN, -0, Number.POSITIVE_INFINITY),
);
const arbVisit: fc.Arbitrary<Visit> = fc
  .record(
    {
      visitId: fc.string({ unit: 'binary' }),
      site: fc.string(),
      service: fc.constantFrom('cash', 'personal', '', 'é\u0000'),
      priority: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.double()),
      arrivedAt: time,
      calledAt: fc.option(time),
      serviceStartedAt: fc.option(time),
      serviceEndedAt: fc.option(time),
      outcome: fc.constantFrom('served', 'abandoned', 'no_show') as fc.Arbitrary<Visit['outcome']>,
      counter: fc.option(fc.string()),
      leftAt: fc.option(time),
    },
    { noNullPrototype: true },
  )
  // leftAt is optional: absent, null or a time.
  .chain((v) => fc.constantFrom(v, (({ leftAt: _, ...rest }) => rest)(v)));

describe('the wait-prediction learner', () => {
  const learners: PredictionLearner[] = [];
  afterEach(async () => {
    await Promise.all(learners.splice(0).map((l) => l.close()));
  });
  const learner = (log: FastifyBaseLogger, entry?: URL) => {
    const l = new PredictionLearner(log, entry ? { entry } : {});
    learners.push(l);
    return l;
  };

  it('packs visits into columns and back without losing anything', () => {
    fc.assert(
      fc.property(fc.array(arbVisit, { maxLength: 40 }), (vs) => {
        expect(unpackVisits(structuredClone(packVisits(vs)))).toStrictEqual(vs);
      }),
    );
  });

  it('learns in its worker thread exactly what this thread learns', async () => {
    const { log, warnings } = recordingLog();
    const l = learner(log);
    const state = await l.learn(visits, { minTrainingVisits: 100 });
    expect(state.model).not.toBeNull();
    expect(state).toEqual(inThisThread(visits));
    // The worker stays for the next branch.
    await l.learn(visits.slice(0, 400), { minTrainingVisits: 100 });
    expect(l.stats).toEqual({ inWorker: 2, started: 1 });
    expect(warnings).toEqual([]);
    await l.close();
    await expect(l.learn(visits, {})).rejects.toBeInstanceOf(LearnerUnavailable);
  });

  it('says so (and logs it) when its worker cannot start, and does not retry at once', async () => {
    const { log, warnings } = recordingLog();
    const l = learner(log, new URL('./fixtures/no-such-learner.mjs', import.meta.url));
    await expect(l.learn(visits, {})).rejects.toBeInstanceOf(LearnerUnavailable);
    expect(warnings.join('\n')).toMatch(/did not start/);
    await expect(l.learn(visits, {})).rejects.toThrow(/failed to start recently/);
    expect(l.stats.started).toBe(1);
  });

  it('says so when its worker dies during a learning, and starts a new one for the next', async () => {
    const { log, warnings } = recordingLog();
    const l = learner(log, new URL('./fixtures/crashing-learner.mjs', import.meta.url));
    await expect(l.learn(visits, {})).rejects.toThrow(/exited \(code 3\)/);
    await expect(l.learn(visits, {})).rejects.toBeInstanceOf(LearnerUnavailable);
    expect(l.stats).toEqual({ inWorker: 0, started: 2 });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/exited; it restarts/);
  });
});
