import { describe, expect, it } from 'vitest';
import type { Visit } from '../visit-log/schema.ts';
import { replayDay } from './backtest.ts';
import { holPredictor, lesPredictor, qlAbandonPredictor, qlPredictor } from './classical.ts';
import { extractFeatures } from './features.ts';
import { LiveQueueState } from './live-state.ts';
import { serviceLoopPredictor } from './serviceloop.ts';
import type { PredictionTarget, QueueSnapshot } from './types.ts';

const t = (hms: string): number => Date.parse(`2010-08-01T${hms}Z`);
const visit = (
  id: string,
  priority: number,
  arrived: string,
  called: string | null,
  ended: string | null,
  counter: string | null,
): Visit => ({
  visitId: id,
  site: 's',
  service: 'PS',
  priority,
  arrivedAt: t(arrived),
  calledAt: called === null ? null : t(called),
  serviceStartedAt: called === null ? null : t(called),
  serviceEndedAt: ended === null ? null : t(ended),
  outcome: called === null ? 'abandoned' : 'served',
  counter,
});

// A day small enough to do by hand; the probe arrives at 10:02:00.
const day: Visit[] = [
  visit('v0', 1, '09:58:00', '09:59:00', '10:01:00', 'B'), // wait 60, service 120
  visit('v1', 0, '10:00:00', '10:01:40', '10:04:00', 'A'), // wait 100
  visit('v2', 0, '10:00:30', '10:02:30', '10:03:30', 'A'), // still waiting at 10:02
  visit('v3', 1, '10:01:00', null, null, null), // left unseen; inferred gone when v5 is called
  visit('v5', 1, '10:01:10', '10:01:50', '10:05:00', 'B'), // wait 40, the last call before 10:02
  visit('probe', 0, '10:02:00', '10:03:00', '10:04:00', 'B'),
];

function snapshotAtProbe(): QueueSnapshot {
  let snap: QueueSnapshot | null = null;
  replayDay(day, t('00:00:00'), (s, _target, id) => {
    if (id === 'probe') snap = s;
  });
  if (snap === null) throw new Error('probe not reached');
  return snap;
}

describe('classical predictors by hand', () => {
  const snap = snapshotAtProbe();
  const ordinary: PredictionTarget = { service: 'PS', priority: 0 };
  const vip: PredictionTarget = { service: 'PS', priority: 1 };

  it('sees exactly the state before 10:02:00', () => {
    expect(snap.waiting.map((w) => w.visitId)).toEqual(['v2']);
    expect(snap.recentAbandonments).toMatchObject([{ visitId: 'v3', inferred: true, leftAt: t('10:01:50') }]);
    expect(snap.openCounters).toBe(2);
    expect(snap.today).toEqual({
      arrivals: 5,
      calls: 3,
      abandonments: 1,
      waitingSeconds: 60 + 100 + 50 + 40 + 90,
    });
  });

  it('LES = wait of the last visit called (v5, 40 s)', () => {
    expect(lesPredictor().predict(snap, ordinary).prediction.pointS).toBe(40);
  });

  it('HOL = time the oldest ticket ahead has waited (v2, 90 s); 0 for VIPs, nobody is ahead', () => {
    expect(holPredictor().predict(snap, ordinary).prediction.pointS).toBe(90);
    expect(holPredictor().predict(snap, vip).prediction.pointS).toBe(0);
  });

  it('QL = (n+1)/(sμ) with n = 1, s = 2, 1/μ = 120 s', () => {
    expect(qlPredictor().predict(snap, ordinary).prediction.pointS).toBeCloseTo(120, 9);
    expect(qlPredictor().predict(snap, vip).prediction.pointS).toBeCloseTo(60, 9);
  });

  it('QL-abandon = 1/(sμ) + 1/(sμ + θ) with θ = 1 abandonment / 340 s waited', () => {
    const sMu = 2 / 120;
    const theta = 1 / 340;
    const p = qlAbandonPredictor().predict(snap, ordinary).prediction;
    expect(p.pointS).toBeCloseTo(1 / sMu + 1 / (sMu + theta), 9);
    expect(p.lowerS).toBeLessThan(p.pointS);
    expect(p.upperS).toBeGreaterThan(p.pointS);
  });

  it('a waiting ticket counts only those called before it', () => {
    const v2 = snap.waiting[0];
    if (!v2) throw new Error('v2 missing');
    expect(extractFeatures(snap, ordinary, 180).aheadGe).toBe(1);
    expect(extractFeatures(snap, v2, 180, v2).aheadGe).toBe(0);
    // Untrained, ServiceLoop falls back to the Ibrahim–Whitt formula: 1/(sμ) for nobody ahead.
    expect(serviceLoopPredictor().predictRemaining(snap, v2).pointS).toBeCloseTo(60, 9);
  });

  it('LES is 0 before anybody is called today', () => {
    const s = new LiveQueueState(t('00:00:00')).snapshot(t('09:00:00'));
    expect(lesPredictor().predict(s, ordinary).prediction.pointS).toBe(0);
  });
});

describe('LiveQueueState', () => {
  it('refuses events that go back in time and snapshots not after the last event', () => {
    const s = new LiveQueueState(0);
    s.apply({ kind: 'arrival', at: 1000, visitId: 'a', service: 'S', priority: 0 });
    expect(() => s.apply({ kind: 'arrival', at: 999, visitId: 'b', service: 'S', priority: 0 })).toThrow(
      RangeError,
    );
    expect(() => s.snapshot(1000)).toThrow(RangeError);
    expect(s.snapshot(1001).waiting).toHaveLength(1);
  });

  it('takes a ticket out of the queue when service starts a second before the call', () => {
    const s = new LiveQueueState(0);
    s.apply({ kind: 'arrival', at: 1000, visitId: 'a', service: 'S', priority: 0 });
    s.apply({ kind: 'service_start', at: 5000, visitId: 'a', counter: 'X' });
    const mid = s.snapshot(5500);
    expect(mid.waiting).toHaveLength(0);
    expect(mid.recentCalls).toHaveLength(0); // the wait is only known at the call
    s.apply({ kind: 'call', at: 6000, visitId: 'a', counter: 'X' });
    expect(s.snapshot(6001).recentCalls[0]).toMatchObject({ visitId: 'a', calledAt: 6000 });
  });

  it('hands out frozen snapshots', () => {
    const s = new LiveQueueState(0);
    s.apply({ kind: 'arrival', at: 1000, visitId: 'a', service: 'S', priority: 0 });
    const snap = s.snapshot(2000);
    expect(Object.isFrozen(snap.waiting)).toBe(true);
    expect(() =>
      (snap.waiting as WaitingArray).push({ visitId: 'x', service: 'S', priority: 0, arrivedAt: 0 }),
    ).toThrow(TypeError);
  });
});

type WaitingArray = { visitId: string; service: string; priority: number; arrivedAt: number }[];
