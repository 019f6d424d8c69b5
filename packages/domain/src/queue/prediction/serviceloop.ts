import { DEFAULT_MEAN_SERVICE_S, estimateQueueRates, qlAbandonEstimate } from './classical.ts';
import { quantileSorted } from './distributions.ts';
import type { QueueAhead, StateFeatures } from './features.ts';
import { extractFeatures } from './features.ts';
import { dot, fitLeastAbsolute } from './linear.ts';
import type {
  CompletedDay,
  PredictionTarget,
  PredictorOutput,
  QueueSnapshot,
  WaitingTicket,
  WaitPrediction,
  WaitPredictor,
} from './types.ts';

export interface ServiceLoopPredictorOptions {
  /** Central probability of the interval; 0.8 gives the 10th–90th percentile. */
  readonly coverage?: number;
  /** Served visits needed before the learned model replaces the formula. */
  readonly minTrainingVisits?: number;
  /** Days of history kept for learning (older days are forgotten). */
  readonly memoryDays?: number;
}

/** Seconds added before taking logs, so short waits do not dominate. */
const OFFSET_S = 15;
const FOLDS = 5;
const log = (s: number): number => Math.log(Math.max(0, s) + OFFSET_S);

interface DayData {
  readonly features: StateFeatures[];
  readonly logWait: number[];
}

interface Model {
  readonly classes: readonly number[];
  readonly beta: readonly number[];
  /** Per class: sorted out-of-sample residuals (log actual − log fitted). */
  readonly residuals: ReadonlyMap<number, readonly number[]>;
  readonly pooledResiduals: readonly number[];
}

/**
 * ServiceLoop's predictor. From the live state it computes a priority-aware picture of the
 * queue (who will be called before this ticket, ghosts of unrecorded abandonments dropped, the
 * Ibrahim–Whitt drain time with today's service and abandonment rates, recent waits of the same
 * class); from complete past days it learns how those signals map to the wait actually
 * experienced (a least-absolute-deviation fit in log seconds, since scores are MAE), and how far
 * off that fit was on days it had not seen (leave-one-day-out residuals) to set the interval —
 * a conformal-style calibration per class. Before any history it falls back to the formula.
 */
export interface ServiceLoopPredictor extends WaitPredictor<StateFeatures> {
  /**
   * Remaining wait of a ticket already in the queue (for the status page as the queue moves):
   * the model applied to the queue ahead of that ticket. Not yet backtested on its own.
   */
  predictRemaining(snapshot: QueueSnapshot, ticket: WaitingTicket): WaitPrediction;
  /**
   * A live branch: the queue ahead and the servers come from its calling policy and counters
   * (`projectLiveQueue`). Before the model is learned it answers with the Ibrahim–Whitt formula
   * and its own gamma interval, and says so in `method`.
   */
  predictLive(snapshot: QueueSnapshot, target: PredictionTarget, queueAhead: QueueAhead): LivePrediction;
  /** Whether a learned model answers (enough served visits in the days learned), else the formula. */
  readonly trained: boolean;
  /** Served visits in the days kept for learning. */
  readonly trainingVisits: number;
  /**
   * What it learned as plain data (structured-clone-able, e.g. posted from a worker thread);
   * `serviceLoopPredictorFrom` makes a predictor that answers exactly as this one does.
   */
  learnedState(): LearnedState;
}

/** A learned model as plain data: residuals per class as sorted arrays instead of a Map. */
export interface LearnedModel {
  readonly classes: readonly number[];
  readonly beta: readonly number[];
  readonly residuals: readonly { readonly priority: number; readonly sorted: readonly number[] }[];
  readonly pooledResiduals: readonly number[];
}

/** Everything a ServiceLoop predictor's answers depend on besides its options. */
export interface LearnedState {
  /** Null while the formula answers (too few served visits). */
  readonly model: LearnedModel | null;
  /** Service seconds and count seen, for the mean service time the formula and features use. */
  readonly serviceTotal: number;
  readonly serviceCount: number;
  readonly trainingVisits: number;
}

export type LiveMethod = 'serviceloop' | 'ql-abandon';

export interface LivePrediction {
  readonly prediction: WaitPrediction;
  readonly method: LiveMethod;
}

export function serviceLoopPredictor(options: ServiceLoopPredictorOptions = {}): ServiceLoopPredictor {
  return build(options, null);
}

/**
 * A predictor answering exactly as the one whose `learnedState()` this is (same options
 * assumed: the coverage sets the interval). It answers only: the days it learned from are not
 * part of the state, so it cannot learn more (`learnDay` throws); learn anew instead.
 */
export function serviceLoopPredictorFrom(
  state: LearnedState,
  options: ServiceLoopPredictorOptions = {},
): ServiceLoopPredictor {
  return build(options, state);
}

function build(options: ServiceLoopPredictorOptions, restored: LearnedState | null): ServiceLoopPredictor {
  const coverage = options.coverage ?? 0.8;
  const minTraining = options.minTrainingVisits ?? 300;
  const memoryDays = options.memoryDays ?? 60;
  const lowP = (1 - coverage) / 2;
  const highP = 1 - lowP;
  const days: DayData[] = [];
  let model: Model | null = restored?.model ? modelOf(restored.model) : null;
  // Fitting is deferred to the first prediction after learning: a branch learning 60 days at
  // once fits one model, not sixty.
  let stale = false;
  const currentModel = (): Model | null => {
    if (stale) {
      stale = false;
      const total = days.reduce((s, d) => s + d.logWait.length, 0);
      model = total >= minTraining ? fitModel(days) : null;
    }
    return model;
  };
  let serviceTotal = restored?.serviceTotal ?? 0;
  let serviceCount = restored?.serviceCount ?? 0;
  const trainingVisits = (): number =>
    restored ? restored.trainingVisits : days.reduce((s, d) => s + d.logWait.length, 0);
  const fallbackService = (): number =>
    serviceCount > 0 ? serviceTotal / serviceCount : DEFAULT_MEAN_SERVICE_S;
  const fromFeatures = (f: StateFeatures): WaitPrediction => {
    const model = currentModel();
    if (model === null) {
      // No history yet: the formula, with a wide interval that the first day will correct.
      const p = f.qlAbandonS;
      return { pointS: p, lowerS: p * 0.25, upperS: p * 2.5 };
    }
    const fitted = dot(model.beta, design(f, model.classes));
    const res = model.residuals.get(f.priority) ?? model.pooledResiduals;
    const back = (z: number): number => Math.max(0, Math.exp(z) - OFFSET_S);
    return {
      pointS: back(fitted + quantileSorted(res, 0.5)),
      lowerS: back(fitted + quantileSorted(res, lowP)),
      upperS: back(fitted + quantileSorted(res, highP)),
    };
  };

  return {
    name: 'ServiceLoop',
    predict(snapshot: QueueSnapshot, target: PredictionTarget): PredictorOutput<StateFeatures> {
      const f = extractFeatures(snapshot, target, fallbackService());
      return { prediction: fromFeatures(f), memo: f };
    },
    observe(snapshot: QueueSnapshot, target: PredictionTarget): StateFeatures {
      return extractFeatures(snapshot, target, fallbackService());
    },
    predictRemaining(snapshot: QueueSnapshot, ticket: WaitingTicket): WaitPrediction {
      return fromFeatures(extractFeatures(snapshot, ticket, fallbackService(), ticket));
    },
    predictLive(snapshot: QueueSnapshot, target: PredictionTarget, queueAhead: QueueAhead): LivePrediction {
      if (currentModel() === null) {
        const rates = {
          ...estimateQueueRates(snapshot, target, fallbackService(), queueAhead.ahead),
          ahead: queueAhead.ahead,
          servers: Math.max(1, queueAhead.servers),
        };
        return { prediction: qlAbandonEstimate(rates), method: 'ql-abandon' };
      }
      const f = extractFeatures(snapshot, target, fallbackService(), undefined, queueAhead);
      return { prediction: fromFeatures(f), method: 'serviceloop' };
    },
    get trained(): boolean {
      return currentModel() !== null;
    },
    get trainingVisits(): number {
      return trainingVisits();
    },
    learnedState(): LearnedState {
      const m = currentModel();
      return {
        model: m === null ? null : plainModel(m),
        serviceTotal,
        serviceCount,
        trainingVisits: trainingVisits(),
      };
    },
    learnDay(day: CompletedDay<StateFeatures>): void {
      if (restored) throw new Error('a restored ServiceLoop predictor cannot learn further; learn anew');
      for (const v of day.visits) {
        if (
          v.serviceStartedAt !== null &&
          v.serviceEndedAt !== null &&
          v.serviceEndedAt >= v.serviceStartedAt
        ) {
          serviceTotal += (v.serviceEndedAt - v.serviceStartedAt) / 1000;
          serviceCount++;
        }
      }
      const data: DayData = { features: [], logWait: [] };
      const served = new Set(day.visits.filter((v) => v.outcome === 'served').map((v) => v.visitId));
      day.outcomes.forEach((o, i) => {
        const v = day.visits[i];
        if (o.memo === undefined || o.waitS === null || !v || !served.has(v.visitId)) return;
        data.features.push(o.memo);
        data.logWait.push(log(o.waitS));
      });
      days.push(data);
      while (days.length > memoryDays) days.shift();
      stale = true;
    },
  };
}

function plainModel(m: Model): LearnedModel {
  return {
    classes: [...m.classes],
    beta: [...m.beta],
    residuals: [...m.residuals].map(([priority, sorted]) => ({ priority, sorted: [...sorted] })),
    pooledResiduals: [...m.pooledResiduals],
  };
}

function modelOf(m: LearnedModel): Model {
  return {
    classes: [...m.classes],
    beta: [...m.beta],
    residuals: new Map(m.residuals.map((r) => [r.priority, [...r.sorted]])),
    pooledResiduals: [...m.pooledResiduals],
  };
}

/**
 * Log seconds of the formula and of the recent waits, queue sizes ahead, and a level per class.
 * Tried on days 1–5 and dropped for no gain: drain time with higher-class arrivals, longer
 * same-class LES averages, recent mean wait, hour of day, service dummies, elapsed service at
 * counters, time since the last call, the predictor's own same-day errors.
 */
function design(f: StateFeatures, classes: readonly number[]): number[] {
  return [
    1,
    log(f.qlAbandonS),
    log(f.lesS),
    log(f.lesClassS),
    log(f.holS),
    Math.log1p(f.aheadGe),
    Math.log1p(f.aheadGt),
    ...classes.slice(1).map((c) => (f.priority === c ? 1 : 0)),
  ];
}

function fitModel(days: readonly DayData[]): Model {
  const classes = [...new Set(days.flatMap((d) => d.features.map((f) => f.priority)))].sort((a, b) => a - b);
  const fit = (use: readonly DayData[]) =>
    fitLeastAbsolute(
      use.flatMap((d) => d.features.map((f) => design(f, classes))),
      use.flatMap((d) => d.logWait),
    );
  const beta = fit(days);
  // Residuals on days the fit did not see; with a single day, in-sample is all there is.
  const residualsByClass = new Map<number, number[]>();
  const pooled: number[] = [];
  // Days are dealt round-robin into at most FOLDS folds: leave-one-day-out while history is
  // short, bounded cost (FOLDS + 1 fits a night) once it is long.
  const folds = Math.min(FOLDS, days.length);
  const foldFits =
    days.length > 1
      ? Array.from({ length: folds }, (_, k) => fit(days.filter((_, j) => j % folds !== k)))
      : [beta];
  days.forEach((d, k) => {
    const b = foldFits[k % foldFits.length] ?? beta;
    d.features.forEach((f, i) => {
      const r = (d.logWait[i] as number) - dot(b, design(f, classes));
      pooled.push(r);
      const list = residualsByClass.get(f.priority);
      if (list) list.push(r);
      else residualsByClass.set(f.priority, [r]);
    });
  });
  const residuals = new Map<number, number[]>();
  for (const [c, list] of residualsByClass)
    if (list.length >= 50)
      residuals.set(
        c,
        list.sort((a, b) => a - b),
      );
  return { classes, beta, residuals, pooledResiduals: pooled.sort((a, b) => a - b) };
}
