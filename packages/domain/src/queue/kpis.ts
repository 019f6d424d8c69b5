// The day KPIs' contract (no zod): the server computes them, the web app charts them (it imports
// this module at run time for WAIT_BUCKETS_MIN).

/**
 * Day KPIs of a branch, per service and per counter. Definitions:
 * - arrivals: tickets drawn that day (walk-ups are counted apart, in `walkUps`);
 * - served / abandoned / noShows: tickets that ended so; `open`: still waiting, called or serving;
 * - wait: first call − arrival, over tickets that were called (walk-ups excluded); mean, p90
 *   (nearest rank) and max in seconds;
 * - withinTargetPct: share of called tickets whose wait ≤ their service's target wait (0–100, one decimal);
 * - meanServiceSeconds: service end − start over served tickets (walk-ups included).
 * A transferred ticket counts for the service and counter where it ended.
 */
export interface KpiFigures {
  readonly arrivals: number;
  readonly walkUps: number;
  readonly served: number;
  readonly abandoned: number;
  readonly noShows: number;
  readonly open: number;
  readonly meanWaitSeconds: number | null;
  readonly p90WaitSeconds: number | null;
  readonly maxWaitSeconds: number | null;
  readonly withinTargetPct: number | null;
  readonly meanServiceSeconds: number | null;
}

/** Arrivals and calls per hour of the branch's local day (hours with no traffic are left out). */
export interface HourFigures {
  readonly hour: number;
  readonly arrivals: number;
  readonly served: number;
  readonly meanWaitSeconds: number | null;
}

/** How many called tickets waited how long: upper bounds in minutes, the last bucket open-ended. */
export const WAIT_BUCKETS_MIN = [5, 10, 15, 20, 30, 45] as const;

export interface ServiceKpis extends KpiFigures {
  readonly code: string;
  readonly nameZh: string;
  readonly nameEn: string;
  readonly targetWaitSeconds: number;
}

export interface CounterKpis extends KpiFigures {
  readonly counterId: string;
  readonly number: number;
  readonly name: string;
}

/** GET /branches/:id/kpis. */
export interface DayKpis {
  readonly branchId: string;
  readonly branchName: string;
  readonly branchNameEn: string | null;
  readonly businessDay: string;
  readonly at: string;
  readonly branch: KpiFigures;
  readonly services: ServiceKpis[];
  readonly counters: CounterKpis[];
  readonly hours: HourFigures[];
  /** Counts per bucket of WAIT_BUCKETS_MIN, plus one for longer waits. */
  readonly waitBuckets: number[];
}

/** The branch's figures for one business day of a period (for a trend chart). */
export interface TrendDay extends KpiFigures {
  readonly businessDay: string;
}

/** GET /branches/:id/kpis/trend. */
export interface KpiTrend {
  readonly branchId: string;
  readonly from: string;
  readonly to: string;
  readonly days: TrendDay[];
}
