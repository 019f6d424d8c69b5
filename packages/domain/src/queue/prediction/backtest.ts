import { compareVisits } from '../visit-log/normalise.ts';
import type { Visit } from '../visit-log/schema.ts';
import { localDayOf } from '../visit-log/time.ts';
import type { LiveStateOptions } from './live-state.ts';
import { compareEvents, LiveQueueState } from './live-state.ts';
import type {
  LabelledOutcome,
  PredictionTarget,
  QueueEvent,
  QueueSnapshot,
  WaitPrediction,
  WaitPredictor,
} from './types.ts';

/** The events a visit-log row stands for, each at its own timestamp. */
export function visitEvents(v: Visit): QueueEvent[] {
  const events: QueueEvent[] = [
    { kind: 'arrival', at: v.arrivedAt, visitId: v.visitId, service: v.service, priority: v.priority },
  ];
  if (v.calledAt !== null)
    events.push({ kind: 'call', at: v.calledAt, visitId: v.visitId, counter: v.counter });
  if (v.serviceStartedAt !== null)
    events.push({ kind: 'service_start', at: v.serviceStartedAt, visitId: v.visitId, counter: v.counter });
  if (v.serviceEndedAt !== null)
    events.push({ kind: 'service_end', at: v.serviceEndedAt, visitId: v.visitId, counter: v.counter });
  if (v.outcome === 'abandoned' && v.leftAt !== undefined && v.leftAt !== null && v.calledAt === null) {
    events.push({ kind: 'abandon', at: v.leftAt, visitId: v.visitId });
  }
  return events;
}

/**
 * Replays one day as an event stream. Before the events stamped `t` are applied, every arrival
 * stamped `t` is shown a snapshot of the state built from events strictly before `t`. The visit
 * rows themselves never reach `onArrival`: only the snapshot and the arrival's service and class.
 * This is what makes peeking impossible by construction.
 */
export function replayDay(
  visits: readonly Visit[],
  dayStart: number,
  onArrival: (snapshot: QueueSnapshot, target: PredictionTarget, visitId: string) => void,
  options: LiveStateOptions = {},
): { lastEventAt: number } {
  const events = visits.flatMap(visitEvents).sort(compareEvents);
  const state = new LiveQueueState(dayStart, options);
  let i = 0;
  while (i < events.length) {
    const at = (events[i] as QueueEvent).at;
    let j = i;
    while (j < events.length && (events[j] as QueueEvent).at === at) j++;
    let snapshot: QueueSnapshot | null = null;
    for (let k = i; k < j; k++) {
      const e = events[k] as QueueEvent;
      if (e.kind !== 'arrival') continue;
      snapshot ??= state.snapshot(at);
      onArrival(snapshot, { service: e.service, priority: e.priority }, e.visitId);
    }
    for (let k = i; k < j; k++) state.apply(events[k] as QueueEvent);
    i = j;
  }
  return { lastEventAt: state.lastEventAt };
}

export interface BacktestOptions {
  readonly visits: readonly Visit[];
  /** Fresh predictor instances: they learn while the backtest walks forward. */
  readonly predictors: readonly WaitPredictor[];
  /** The first N days only teach the predictors; scoring starts after them. */
  readonly trainDays?: number;
  /**
   * Whether predictors keep learning from scored days once those are over (walk-forward, the
   * default, as a live branch would) or stay frozen after the training days (strict hold-out).
   */
  readonly learnWhileScoring?: boolean;
  /** Reveal the last day(s) to the learners at the end too, leaving them trained on everything. */
  readonly revealAtEnd?: boolean;
  readonly state?: LiveStateOptions;
  readonly onDay?: (progress: {
    readonly day: string;
    readonly index: number;
    readonly total: number;
  }) => void;
}

export interface VisitPredictions {
  readonly visitId: string;
  readonly day: string;
  readonly service: string;
  readonly priority: number;
  /** Actual wait of a served visit (call − arrival), null otherwise. */
  readonly actualWaitS: number | null;
  /** One per predictor, in the order given. */
  readonly predictions: readonly WaitPrediction[];
}

export interface ClassScore {
  readonly priority: number;
  readonly n: number;
  readonly maeS: number;
  readonly coverage: number | null;
}

export interface PredictorScore {
  readonly name: string;
  /** Served visits scored. */
  readonly n: number;
  readonly maeS: number;
  /** Mean of predicted − actual. */
  readonly biasS: number;
  readonly byPriority: readonly ClassScore[];
  /** Share of actual waits inside [lower, upper]; null when the predictor gives no interval. */
  readonly coverage: number | null;
  readonly meanWidthS: number | null;
}

export interface BacktestResult {
  readonly days: readonly string[];
  readonly scoredDays: readonly string[];
  /** Every arrival on the scored days, served or not. */
  readonly visits: readonly VisitPredictions[];
  readonly meanActualWaitS: number;
  readonly learnedWhileScoring: boolean;
  readonly scores: readonly PredictorScore[];
}

/** Walk-forward backtest: days in order, predictions at each arrival, learning between days. */
export function runBacktest(options: BacktestOptions): BacktestResult {
  const { predictors } = options;
  const trainDays = options.trainDays ?? 0;
  const byDay = new Map<string, Visit[]>();
  for (const v of [...options.visits].sort(compareVisits)) {
    const key = localDayOf(v.arrivedAt);
    const list = byDay.get(key);
    if (list) list.push(v);
    else byDay.set(key, [v]);
  }
  const days = [...byDay.keys()].sort();
  const results: VisitPredictions[] = [];
  // A finished day is revealed only once all its events lie before the next arrival replayed.
  const pending: {
    day: string;
    index: number;
    visits: Visit[];
    lastEventAt: number;
    memos: Map<string, unknown[]>;
  }[] = [];
  const learnWhileScoring = options.learnWhileScoring ?? true;

  days.forEach((day, index) => {
    const visits = byDay.get(day) ?? [];
    const firstArrival = visits[0]?.arrivedAt ?? Number.POSITIVE_INFINITY;
    while (pending.length > 0 && (pending[0]?.lastEventAt ?? 0) < firstArrival) {
      const done = pending.shift();
      if (done && (learnWhileScoring || done.index < trainDays)) reveal(done, predictors);
    }
    const actual = new Map(visits.map((v) => [v.visitId, v]));
    const memos = new Map<string, unknown[]>();
    const scored = index >= trainDays;
    const dayStart = Date.parse(`${day}T00:00:00Z`);
    const { lastEventAt } = replayDay(
      visits,
      dayStart,
      (snapshot, target, visitId) => {
        if (!scored) {
          // Training: only the memos are needed (same values predict would hand back).
          memos.set(
            visitId,
            predictors.map((p) =>
              p.observe ? p.observe(snapshot, target) : p.predict(snapshot, target).memo,
            ),
          );
          return;
        }
        const outputs = predictors.map((p) => p.predict(snapshot, target));
        memos.set(
          visitId,
          outputs.map((o) => o.memo),
        );
        const v = actual.get(visitId);
        results.push({
          visitId,
          day,
          service: target.service,
          priority: target.priority,
          actualWaitS:
            v && v.outcome === 'served' && v.calledAt !== null ? (v.calledAt - v.arrivedAt) / 1000 : null,
          predictions: outputs.map((o) => o.prediction),
        });
      },
      options.state,
    );
    pending.push({ day, index, visits, lastEventAt, memos });
    options.onDay?.({ day, index, total: days.length });
  });

  if (options.revealAtEnd) {
    for (const done of pending) if (learnWhileScoring || done.index < trainDays) reveal(done, predictors);
  }

  const served = results.filter((r) => r.actualWaitS !== null);
  const meanActualWaitS = served.reduce((s, r) => s + (r.actualWaitS ?? 0), 0) / Math.max(1, served.length);
  return {
    days,
    scoredDays: days.slice(trainDays),
    visits: results,
    meanActualWaitS,
    learnedWhileScoring: learnWhileScoring,
    scores: predictors.map((p, k) => scorePredictor(p.name, served, k)),
  };
}

/**
 * Teaches predictors from a whole history (replaying it day by day exactly as the backtest does)
 * so that a live branch starts the day with what its past has taught.
 */
export function trainPredictors(
  visits: readonly Visit[],
  predictors: readonly WaitPredictor[],
  state?: LiveStateOptions,
): void {
  Array.from(trainingSteps(visits, predictors, state));
}

/**
 * trainPredictors one day at a time: each step replays a day exactly as the backtest does
 * (snapshots strictly before each arrival; a day revealed to the learners only once all its
 * events lie before the next day's first arrival, and every day at the end), then yields the
 * day. A server can give its event loop back between days.
 */
export function* trainingSteps(
  visits: readonly Visit[],
  predictors: readonly WaitPredictor[],
  state?: LiveStateOptions,
): Generator<string, void, void> {
  const byDay = new Map<string, Visit[]>();
  for (const v of [...visits].sort(compareVisits)) {
    const key = localDayOf(v.arrivedAt);
    const list = byDay.get(key);
    if (list) list.push(v);
    else byDay.set(key, [v]);
  }
  const pending: { day: string; visits: Visit[]; lastEventAt: number; memos: Map<string, unknown[]> }[] = [];
  for (const day of [...byDay.keys()].sort()) {
    const dayVisits = byDay.get(day) ?? [];
    const firstArrival = dayVisits[0]?.arrivedAt ?? Number.POSITIVE_INFINITY;
    while (pending.length > 0 && (pending[0]?.lastEventAt ?? 0) < firstArrival) {
      const done = pending.shift();
      if (done) reveal(done, predictors);
    }
    const memos = new Map<string, unknown[]>();
    const { lastEventAt } = replayDay(
      dayVisits,
      Date.parse(`${day}T00:00:00Z`),
      (snapshot, target, visitId) => {
        memos.set(
          visitId,
          predictors.map((p) => (p.observe ? p.observe(snapshot, target) : p.predict(snapshot, target).memo)),
        );
      },
      state,
    );
    pending.push({ day, visits: dayVisits, lastEventAt, memos });
    yield day;
  }
  for (const done of pending) reveal(done, predictors);
}

function reveal(
  done: { day: string; visits: Visit[]; memos: Map<string, unknown[]> },
  predictors: readonly WaitPredictor[],
): void {
  predictors.forEach((p, k) => {
    if (!p.learnDay) return;
    const outcomes: LabelledOutcome[] = done.visits.map((v) => ({
      target: { service: v.service, priority: v.priority },
      arrivedAt: v.arrivedAt,
      memo: done.memos.get(v.visitId)?.[k],
      waitS: v.calledAt !== null ? (v.calledAt - v.arrivedAt) / 1000 : null,
    }));
    p.learnDay({ day: done.day, visits: done.visits, outcomes });
  });
}

function scorePredictor(name: string, served: readonly VisitPredictions[], k: number): PredictorScore {
  const score = (rows: readonly VisitPredictions[]) => {
    let abs = 0;
    let bias = 0;
    let inside = 0;
    let width = 0;
    let withInterval = 0;
    for (const r of rows) {
      const p = r.predictions[k] as WaitPrediction;
      const actual = r.actualWaitS as number;
      abs += Math.abs(p.pointS - actual);
      bias += p.pointS - actual;
      if (p.lowerS !== null && p.upperS !== null) {
        withInterval++;
        width += p.upperS - p.lowerS;
        if (actual >= p.lowerS && actual <= p.upperS) inside++;
      }
    }
    const n = rows.length;
    return {
      n,
      maeS: n > 0 ? abs / n : Number.NaN,
      biasS: n > 0 ? bias / n : Number.NaN,
      coverage: withInterval > 0 ? inside / withInterval : null,
      meanWidthS: withInterval > 0 ? width / withInterval : null,
    };
  };
  const classes = [...new Set(served.map((r) => r.priority))].sort((a, b) => a - b);
  const all = score(served);
  return {
    name,
    ...all,
    byPriority: classes.map((priority) => {
      const s = score(served.filter((r) => r.priority === priority));
      return { priority, n: s.n, maeS: s.maeS, coverage: s.coverage };
    }),
  };
}
