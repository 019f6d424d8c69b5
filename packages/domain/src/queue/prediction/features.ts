import { estimateQueueRates, presumedPresent, qlAbandonMoments } from './classical.ts';
import type { PredictionTarget, QueueSnapshot, WaitingTicket } from './types.ts';

/** The state summarised for one prospective arrival; every field is known at `snapshot.now`. */
export interface StateFeatures {
  readonly priority: number;
  readonly service: string;
  /** Presumed-present tickets of priority ≥ p (called before the arrival). */
  readonly aheadGe: number;
  /** …of which strictly higher classes. */
  readonly aheadGt: number;
  /** Seconds waited so far by the oldest presumed-present ticket of priority ≥ p (HOL). */
  readonly holS: number;
  /** Wait of the last visit called (any class), seconds (LES). */
  readonly lesS: number;
  /** Mean wait of the last three visits of this class called today (LES when none). */
  readonly lesClassS: number;
  /** Ibrahim–Whitt estimate Σ 1/(sμ + iθ) over the presumed-present queue ahead. */
  readonly qlAbandonS: number;
}

/**
 * The queue in front of one ticket as a live branch knows it, replacing the log-based rule
 * ("presumed-present tickets of class ≥ p, any service; servers = counters active lately"):
 * the tickets its calling policy calls before this one among those competing for the same
 * counters, and the open counters that may serve it. Built by `projectLiveQueue` (live.ts).
 */
export interface QueueAhead {
  /** Tickets called before this one that compete for the counters able to serve it. */
  readonly ahead: number;
  /** …of which strictly higher classes. */
  readonly aheadHigher: number;
  /** Arrival (timeline ms) of the longest-waiting of them; null when none. */
  readonly oldestArrivedAt: number | null;
  /** Open counters that may serve this ticket (0 when none is open: treated as one). */
  readonly servers: number;
}

/**
 * Features for a new arrival of `target`'s class or, given `ticket`, for a ticket already
 * waiting: then only those called before it count as ahead (higher classes, and its own class
 * arrived earlier), as if it were a new arrival with exactly that queue in front. Given
 * `queueAhead` (a live branch), the queue ahead and the servers come from it instead.
 */
export function extractFeatures(
  snapshot: QueueSnapshot,
  target: PredictionTarget,
  fallbackServiceS: number,
  ticket?: WaitingTicket,
  queueAhead?: QueueAhead,
): StateFeatures {
  const now = snapshot.now;
  let aheadGe = 0;
  let aheadGt = 0;
  let head = now;
  if (queueAhead) {
    aheadGe = queueAhead.ahead;
    aheadGt = queueAhead.aheadHigher;
    if (queueAhead.oldestArrivedAt !== null) head = Math.min(head, queueAhead.oldestArrivedAt);
  } else {
    const present = presumedPresent(snapshot);
    for (const w of snapshot.waiting) {
      if (w.priority < target.priority || !present(w)) continue;
      if (
        ticket &&
        (w.visitId === ticket.visitId || (w.priority === target.priority && w.arrivedAt >= ticket.arrivedAt))
      )
        continue;
      aheadGe++;
      if (w.priority > target.priority) aheadGt++;
      head = Math.min(head, w.arrivedAt);
    }
  }
  const calls = snapshot.recentCalls;
  const last = calls.at(-1);
  const lesS = last ? (last.calledAt - last.arrivedAt) / 1000 : 0;
  const classWaits: number[] = [];
  for (let i = calls.length - 1; i >= 0 && classWaits.length < 3; i--) {
    const c = calls[i];
    if (c && c.priority === target.priority) classWaits.push((c.calledAt - c.arrivedAt) / 1000);
  }
  const lesClassS = classWaits.length > 0 ? classWaits.reduce((s, x) => s + x, 0) / classWaits.length : lesS;
  const rates = {
    ...estimateQueueRates(snapshot, target, fallbackServiceS, queueAhead ? aheadGe : undefined),
    ahead: aheadGe,
    ...(queueAhead ? { servers: Math.max(1, queueAhead.servers) } : {}),
  };
  const qlAbandonS = qlAbandonMoments(rates).mean;
  return {
    priority: target.priority,
    service: target.service,
    aheadGe,
    aheadGt,
    holS: (now - head) / 1000,
    lesS,
    lesClassS,
    qlAbandonS,
  };
}
