import { gammaQuantile, hypoexponentialInterval } from './distributions.ts';
import type {
  CompletedDay,
  PredictionTarget,
  PredictorOutput,
  QueueSnapshot,
  WaitingTicket,
  WaitPrediction,
  WaitPredictor,
} from './types.ts';

/**
 * The classical delay predictors, defined so that each number can be recomputed by hand from a
 * visit log. "Today" means the same calendar day, events strictly before the arrival.
 *
 * Presumed present: a ticket not yet called, not recorded or inferred as gone (see
 * LiveQueueState: an earlier ticket of the same service and a class ≥ the called one's, still
 * listed when a later one is called, has left), and not waiting longer than the longest wait of
 * any visit called today — the sample log never records when an impatient customer left, and
 * without this rule such ghosts would stay in the queue all day.
 */
export function presumedPresent(snapshot: QueueSnapshot): (w: WaitingTicket) => boolean {
  let longest = 0;
  for (const c of snapshot.recentCalls) longest = Math.max(longest, c.calledAt - c.arrivedAt);
  return (w) => snapshot.now - w.arrivedAt <= longest;
}

/**
 * Ahead of a new arrival of class p: presumed-present tickets of priority ≥ p, whatever their
 * service (counters are shared). Under priority calling with FIFO within a class those are the
 * ones called before it.
 */
export function ticketsAhead(snapshot: QueueSnapshot, target: PredictionTarget): WaitingTicket[] {
  const present = presumedPresent(snapshot);
  return snapshot.waiting.filter((w) => w.priority >= target.priority && present(w));
}

const INTERVAL = [0.1, 0.9] as const;

/** LES: the wait (call − arrival) of the last visit called today before now, any class; 0 if none yet. */
export function lesPredictor(): WaitPredictor {
  return {
    name: 'LES',
    predict(snapshot): PredictorOutput {
      const last = snapshot.recentCalls.at(-1);
      const wait = last ? (last.calledAt - last.arrivedAt) / 1000 : 0;
      return { prediction: { pointS: wait, lowerS: null, upperS: null } };
    },
  };
}

/** HOL: how long the longest-waiting ticket ahead (presumed present, priority ≥ p) has waited so far; 0 if none. */
export function holPredictor(): WaitPredictor {
  return {
    name: 'HOL',
    predict(snapshot, target): PredictorOutput {
      const ahead = ticketsAhead(snapshot, target);
      const head = ahead.reduce<WaitingTicket | null>(
        (h, w) => (h === null || w.arrivedAt < h.arrivedAt ? w : h),
        null,
      );
      const wait = head ? (snapshot.now - head.arrivedAt) / 1000 : 0;
      return { prediction: { pointS: wait, lowerS: null, upperS: null } };
    },
  };
}

/** Parameters both QL predictors estimate from the snapshot, exposed so tables can be checked by hand. */
export interface QueueRates {
  /** n: tickets ahead. */
  readonly ahead: number;
  /** s: open counters (at least 1). */
  readonly servers: number;
  /** 1/μ: mean duration of the last ≤ 100 services completed today, else of the previous days, else 180 s. */
  readonly meanServiceS: number;
  /** θ: today's abandonments (recorded or inferred) per second waited so far today; 0 before any. */
  readonly abandonRate: number;
}

export const DEFAULT_MEAN_SERVICE_S = 180;
const SERVICE_SAMPLE = 100;

export function estimateQueueRates(
  snapshot: QueueSnapshot,
  target: PredictionTarget,
  fallbackServiceS: number,
  /** n when the caller knows the queue ahead (a live branch), instead of counting the snapshot's. */
  aheadKnown?: number,
): QueueRates {
  const done = snapshot.recentCompleted.slice(-SERVICE_SAMPLE);
  const meanServiceS =
    done.length > 0
      ? done.reduce((s, c) => s + (c.endedAt - c.startedAt), 0) / done.length / 1000
      : fallbackServiceS;
  const abandonRate =
    snapshot.today.waitingSeconds > 0 ? snapshot.today.abandonments / snapshot.today.waitingSeconds : 0;
  return {
    ahead: aheadKnown ?? ticketsAhead(snapshot, target).length,
    servers: Math.max(1, snapshot.openCounters),
    meanServiceS: Math.max(1, meanServiceS),
    abandonRate,
  };
}

/** Mean service time over whole past days, the fallback before today's first completion. */
class ServiceTimeMemory {
  private total = 0;
  private count = 0;
  learn(day: CompletedDay): void {
    for (const v of day.visits) {
      if (
        v.serviceStartedAt !== null &&
        v.serviceEndedAt !== null &&
        v.serviceEndedAt >= v.serviceStartedAt
      ) {
        this.total += (v.serviceEndedAt - v.serviceStartedAt) / 1000;
        this.count++;
      }
    }
  }
  get meanS(): number {
    return this.count > 0 ? this.total / this.count : DEFAULT_MEAN_SERVICE_S;
  }
}

/** QL: (n+1)/(s·μ); interval from the Erlang(n+1, sμ) law the formula assumes. */
export function qlPredictor(): WaitPredictor {
  const memory = new ServiceTimeMemory();
  return {
    name: 'QL',
    predict(snapshot, target): PredictorOutput {
      const r = estimateQueueRates(snapshot, target, memory.meanS);
      const rate = r.servers / r.meanServiceS;
      const rates = new Array<number>(r.ahead + 1).fill(rate);
      const [lowerS, upperS] = hypoexponentialInterval(rates, INTERVAL[0], INTERVAL[1]);
      return { prediction: { pointS: (r.ahead + 1) / rate, lowerS, upperS } };
    },
    learnDay: (day) => memory.learn(day),
  };
}

/** QL with abandonment (Ibrahim & Whitt): Σ_{i=0..n} 1/(s·μ + i·θ); interval by a matched gamma. */
export function qlAbandonPredictor(): WaitPredictor {
  const memory = new ServiceTimeMemory();
  return {
    name: 'QL-abandon',
    predict(snapshot, target): PredictorOutput {
      return { prediction: qlAbandonEstimate(estimateQueueRates(snapshot, target, memory.meanS)) };
    },
    learnDay: (day) => memory.learn(day),
  };
}

/** The Ibrahim–Whitt point Σ 1/(sμ + iθ) with its 10–90% interval (matched gamma). */
export function qlAbandonEstimate(r: QueueRates): WaitPrediction {
  const { mean, variance } = qlAbandonMoments(r);
  if (mean <= 0 || variance <= 0) return { pointS: mean, lowerS: 0, upperS: 0 };
  const shape = (mean * mean) / variance;
  const scale = variance / mean;
  return {
    pointS: mean,
    lowerS: gammaQuantile(shape, scale, INTERVAL[0]),
    upperS: gammaQuantile(shape, scale, INTERVAL[1]),
  };
}

/**
 * Mean Σ 1/xᵢ and variance Σ 1/xᵢ² of the Ibrahim–Whitt wait (xᵢ = sμ + iθ, i = 0..n), summed in
 * the order qlAbandonRates lists them (same floating-point result) without building the list:
 * a live branch evaluates it for every waiting ticket.
 */
export function qlAbandonMoments(r: QueueRates): { mean: number; variance: number } {
  const sMu = r.servers / r.meanServiceS;
  let mean = 0;
  let variance = 0;
  for (let i = 0; i <= r.ahead; i++) {
    const x = sMu + i * r.abandonRate;
    mean += 1 / x;
    variance += 1 / (x * x);
  }
  return { mean, variance };
}

export function qlAbandonRates(r: QueueRates): number[] {
  const sMu = r.servers / r.meanServiceS;
  return Array.from({ length: r.ahead + 1 }, (_, i) => sMu + i * r.abandonRate);
}
