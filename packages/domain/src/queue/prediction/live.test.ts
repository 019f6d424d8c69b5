import { describe, expect, it } from 'vitest';
import { defaultCallingPolicyConfig } from '../policy/config.ts';
import { peopleAhead } from '../policy/people-ahead.ts';
import type { CounterView, PolicyTicket } from '../policy/pick-next.ts';
import { runBacktest, trainingSteps } from './backtest.ts';
import { projectLiveQueue, projectNewArrival } from './live.ts';
import { LiveQueueState } from './live-state.ts';
import { serviceLoopPredictor } from './serviceloop.ts';
import { simulateMmcDay } from './testing/mmc-days.ts';

const config = defaultCallingPolicyConfig;
const T0 = Date.parse('2030-01-07T10:00:00Z');
const identity = (ms: number) => ms;

const ticket = (
  id: string,
  serviceCode: string,
  minutesAgo: number,
  priorityClass = 'ordinary',
): PolicyTicket => ({
  id,
  serviceCode,
  priorityClass,
  arrivedAtMs: T0 - minutesAgo * 60_000,
});

describe('projectLiveQueue', () => {
  const counters: CounterView[] = [
    { id: 'k1', skills: ['cash', 'personal'] },
    { id: 'k2', skills: ['cash'] },
    { id: 'k4', skills: ['corporate'] },
  ];
  const waiting = [
    ticket('c1', 'cash', 9),
    ticket('p1', 'personal', 8),
    ticket('o1', 'corporate', 7),
    ticket('c2', 'cash', 6),
    ticket('o2', 'corporate', 5),
    ticket('v1', 'cash', 1, 'vip'),
    ticket('w1', 'wealth', 4),
  ];
  const live = projectLiveQueue({ config, waiting, counters, nowMs: T0, toTimeline: identity });

  it('counts people ahead exactly as the calling policy does (what the kiosk prints)', () => {
    for (const t of waiting) {
      expect(live.get(t.id)?.peopleAhead, t.id).toBe(peopleAhead(config, waiting, t.id, counters, T0));
    }
  });

  it('puts in the queue ahead only tickets competing for the same counters', () => {
    // o2 waits behind o1 only: corporate has its own counter, whatever cash does.
    expect(live.get('o2')?.queueAhead).toMatchObject({ ahead: 1, aheadHigher: 0, servers: 1 });
    expect(live.get('o2')?.queueAhead.oldestArrivedAt).toBe(T0 - 7 * 60_000);
    // c2 (k1, k2): c1 and the VIP (head start) go first; p1 comes after it, since k1 prefers
    // cash by 5 minutes of effective wait and k2 does not serve personal at all.
    const c2 = live.get('c2')?.queueAhead;
    expect(c2).toMatchObject({ ahead: 2, aheadHigher: 1, servers: 2 });
    expect(live.get('p1')?.queueAhead).toMatchObject({ ahead: 3, servers: 1 });
    // Nobody open serves wealth: ranked as its own counter would, zero servers.
    expect(live.get('w1')?.queueAhead).toMatchObject({ ahead: 0, servers: 0 });
  });

  it('places a new arrival behind everyone of its class, ahead of nobody', () => {
    const cash = projectNewArrival(
      { config, waiting, counters, nowMs: T0, toTimeline: identity },
      'cash',
      'ordinary',
    );
    // k2 takes it in the second round, before k1 gets to p1.
    expect(cash.queueAhead).toMatchObject({ ahead: 3, servers: 2 });
    expect(cash.peopleAhead).toBe(4);
    const vip = projectNewArrival(
      { config, waiting, counters, nowMs: T0, toTimeline: identity },
      'cash',
      'vip',
    );
    expect(vip.queueAhead.ahead).toBeLessThanOrEqual(cash.queueAhead.ahead);
    expect(vip.queueAhead.aheadHigher).toBe(0);
  });
});

describe('live prediction', () => {
  const days = Array.from({ length: 4 }, (_, i) =>
    simulateMmcDay({
      seed: 40 + i,
      day: `2030-01-0${i + 1}`,
      hours: 4,
      arrivalsPerHour: () => 110,
      servers: 10,
      meanServiceS: 300,
      meanPatienceS: 600,
      classMix: [0.6, 0.25, 0.15],
    }),
  ).flat();

  it('falls back to QL-abandon before learning, then answers with the learned model', () => {
    const p = serviceLoopPredictor({ minTrainingVisits: 100 });
    const state = new LiveQueueState(Date.parse('2030-01-05T00:00:00Z'));
    const snap = state.snapshot(Date.parse('2030-01-05T09:00:00Z'));
    const queue = { ahead: 6, aheadHigher: 1, oldestArrivedAt: snap.now - 120_000, servers: 2 };
    const before = p.predictLive(snap, { service: 'A', priority: 0 }, queue);
    expect(before.method).toBe('ql-abandon');
    expect(p.trained).toBe(false);
    // 7 services of 180 s (nothing learned yet) by 2 servers, no abandonment: 630 s.
    expect(before.prediction.pointS).toBeCloseTo(630, 6);
    expect(before.prediction.lowerS).toBeLessThan(630);
    expect(before.prediction.upperS).toBeGreaterThan(630);

    let steps = 0;
    for (const _ of trainingSteps(days, [p])) steps++;
    expect(steps).toBe(4);
    expect(p.trained).toBe(true);
    const after = p.predictLive(snap, { service: 'A', priority: 0 }, queue);
    expect(after.method).toBe('serviceloop');
    const { pointS, lowerS, upperS } = after.prediction;
    expect(lowerS).not.toBeNull();
    expect(lowerS as number).toBeLessThanOrEqual(pointS);
    expect(pointS).toBeLessThanOrEqual(upperS as number);
    // Longer queue ahead, longer predicted wait.
    const longer = p.predictLive(snap, { service: 'A', priority: 0 }, { ...queue, ahead: 30 });
    expect(longer.prediction.pointS).toBeGreaterThan(pointS);
  });

  it('training one day at a time teaches the same model as the backtest trainer', () => {
    const a = serviceLoopPredictor({ minTrainingVisits: 100 });
    const b = serviceLoopPredictor({ minTrainingVisits: 100 });
    for (const _ of trainingSteps(days, [a])) {
      // one day per step
    }
    runBacktest({ visits: days, predictors: [b], trainDays: Number.POSITIVE_INFINITY, revealAtEnd: true });
    const snap = new LiveQueueState(0).snapshot(1);
    const q = { ahead: 3, aheadHigher: 0, oldestArrivedAt: null, servers: 3 };
    expect(a.predictLive(snap, { service: 'A', priority: 1 }, q)).toEqual(
      b.predictLive(snap, { service: 'A', priority: 1 }, q),
    );
  });
});
