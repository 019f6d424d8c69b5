import type { Visit } from '../visit-log/schema.ts';

/** What the queue announces, at its own timestamp. A live queue, a simulator and a replayed log all emit these. */
export type QueueEvent =
  | {
      readonly kind: 'arrival';
      readonly at: number;
      readonly visitId: string;
      readonly service: string;
      readonly priority: number;
    }
  | { readonly kind: 'call'; readonly at: number; readonly visitId: string; readonly counter: string | null }
  | {
      readonly kind: 'service_start';
      readonly at: number;
      readonly visitId: string;
      readonly counter: string | null;
    }
  | {
      readonly kind: 'service_end';
      readonly at: number;
      readonly visitId: string;
      readonly counter: string | null;
    }
  | { readonly kind: 'abandon'; readonly at: number; readonly visitId: string };

export interface WaitingTicket {
  readonly visitId: string;
  readonly service: string;
  readonly priority: number;
  readonly arrivedAt: number;
}

export interface BusyCounter {
  readonly counter: string;
  readonly service: string;
  readonly priority: number;
  readonly startedAt: number;
}

export interface CompletedService {
  readonly counter: string | null;
  readonly service: string;
  readonly priority: number;
  readonly startedAt: number;
  readonly endedAt: number;
}

/** A visit that was called: its wait became known at `calledAt`. */
export interface CalledVisit {
  readonly visitId: string;
  readonly service: string;
  readonly priority: number;
  readonly arrivedAt: number;
  readonly calledAt: number;
}

/**
 * A visit that left the queue without being called. `inferred` marks departures the log never
 * recorded but that became certain when a later ticket of the same service and class was called
 * (calling is first-come-first-served within a class, so the earlier ticket must have gone).
 */
export interface Abandonment {
  readonly visitId: string;
  readonly service: string;
  readonly priority: number;
  readonly arrivedAt: number;
  readonly leftAt: number;
  readonly inferred: boolean;
}

export interface ArrivalSeen {
  readonly service: string;
  readonly priority: number;
  readonly at: number;
}

/**
 * Everything a predictor may know at `now`: built only from events strictly before `now`, on
 * the current day. Lists are in time order and bounded to the recent past.
 */
export interface QueueSnapshot {
  readonly now: number;
  /** Start of the day being replayed (timeline ms of local midnight). */
  readonly dayStart: number;
  /** Tickets still waiting, as far as anyone can tell (oldest first). */
  readonly waiting: readonly WaitingTicket[];
  readonly busy: readonly BusyCounter[];
  /** Counters busy now or active within the open-counter window. */
  readonly openCounters: number;
  readonly recentCompleted: readonly CompletedService[];
  readonly recentCalls: readonly CalledVisit[];
  readonly recentAbandonments: readonly Abandonment[];
  readonly recentArrivals: readonly ArrivalSeen[];
  /** Today's totals so far, for rate estimates. */
  readonly today: {
    readonly arrivals: number;
    readonly calls: number;
    readonly abandonments: number;
    /** Seconds spent waiting so far by everybody today (finished waits plus waits in progress). */
    readonly waitingSeconds: number;
  };
}

export interface PredictionTarget {
  readonly service: string;
  readonly priority: number;
}

/** Seconds until the ticket is called, with an 80% interval (null when a predictor has none). */
export interface WaitPrediction {
  readonly pointS: number;
  readonly lowerS: number | null;
  readonly upperS: number | null;
}

export interface PredictorOutput<M = unknown> {
  readonly prediction: WaitPrediction;
  /** Whatever the predictor wants handed back with the outcome once the day is over. */
  readonly memo?: M;
}

export interface LabelledOutcome<M = unknown> {
  readonly target: PredictionTarget;
  readonly arrivedAt: number;
  readonly memo: M | undefined;
  /** Actual wait of a served visit; null for visits that never got called. */
  readonly waitS: number | null;
}

/** A finished day, revealed to predictors only after its last event. */
export interface CompletedDay<M = unknown> {
  readonly day: string;
  readonly visits: readonly Visit[];
  readonly outcomes: readonly LabelledOutcome<M>[];
}

export interface WaitPredictor<M = unknown> {
  readonly name: string;
  predict(snapshot: QueueSnapshot, target: PredictionTarget): PredictorOutput<M>;
  /**
   * Only the memo `predict` would return, for arrivals that are learned from but not scored
   * (training days): lets a learner skip fitting a model whose prediction nobody reads.
   */
  observe?(snapshot: QueueSnapshot, target: PredictionTarget): M;
  /** Learn from a complete past day. Called by the backtest between days, by a live branch at night. */
  learnDay?(day: CompletedDay<M>): void;
}
