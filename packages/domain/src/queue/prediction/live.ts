import type { TCallingPolicyConfig } from '../policy/config.ts';
import { projectCallOrder } from '../policy/people-ahead.ts';
import { type CounterView, orderForCounter, type PolicyTicket } from '../policy/pick-next.ts';
import type { QueueAhead } from './features.ts';

/**
 * Priority classes of a calling policy as the integers the predictors use (higher = called
 * earlier): 0 for the lightest weight, upwards. The visit-log export numbers them the same way,
 * so a branch's exported history and its live queue speak one language.
 */
export function priorityRanks(config: TCallingPolicyConfig): ReadonlyMap<string, number> {
  const classes = [...config.classes].sort((a, b) => a.weight - b.weight);
  return new Map(classes.map((c, i) => [c.id, i]));
}

/** Where one waiting ticket stands in a live branch. */
export interface LivePosition {
  /**
   * Tickets the calling policy calls before it with the open counters taking turns (the number
   * the kiosk prints, as `peopleAhead` in ../policy counts it).
   */
  readonly peopleAhead: number;
  /** The queue that actually delays it, for the predictor (see QueueAhead). */
  readonly queueAhead: QueueAhead;
}

export interface LiveQueueInput<T extends PolicyTicket> {
  readonly config: TCallingPolicyConfig;
  readonly waiting: readonly T[];
  /** Open counters, skills most preferred first. */
  readonly counters: readonly CounterView[];
  readonly nowMs: number;
  /** Epoch ms → the predictors' timeline (local wall clock read as UTC). */
  readonly toTimeline: (epochMs: number) => number;
}

function mayServe(counter: CounterView, t: PolicyTicket): boolean {
  return (
    counter.skills.includes(t.serviceCode) &&
    (t.targetCounterId === undefined || t.targetCounterId === counter.id)
  );
}

/**
 * Positions of every waiting ticket under the branch's calling policy. The call order is the
 * policy's own projection (open counters taking turns, time frozen, no new arrivals). For the
 * predictor, a ticket's queue ahead is the part of that order before it that competes for the
 * counters able to serve it — a cash ticket is not delayed by corporate tickets that only the
 * corporate counter takes — and its servers are those counters. A ticket no open counter may
 * serve is ranked as a counter dedicated to its service would call it, with zero servers.
 * Cost: one projection, then one pass over it per distinct set of counters.
 */
export function projectLiveQueue<T extends PolicyTicket>(
  input: LiveQueueInput<T>,
): Map<string, LivePosition> {
  const { config, waiting, counters, nowMs, toTimeline } = input;
  const ranks = priorityRanks(config);
  const rank = (t: PolicyTicket): number => ranks.get(t.priorityClass) ?? 0;
  const order = projectCallOrder(config, waiting, counters, nowMs);
  const result = new Map<string, LivePosition>();

  // Group the tickets in the order by the set of counters that may serve them.
  const groups = new Map<string, { counters: CounterView[]; members: Set<T> }>();
  for (const t of order) {
    const able = counters.filter((c) => mayServe(c, t));
    const key = able.map((c) => c.id).join('\u0000');
    let g = groups.get(key);
    if (!g) {
      g = { counters: able, members: new Set() };
      groups.set(key, g);
    }
    g.members.add(t);
  }
  const index = new Map(order.map((t, i) => [t, i]));
  for (const g of groups.values()) {
    let ahead = 0;
    const byRank = new Map<number, number>();
    let oldest: number | null = null;
    for (const t of order) {
      const p = rank(t);
      if (g.members.has(t)) {
        let higher = 0;
        for (const [r, n] of byRank) if (r > p) higher += n;
        result.set(t.id, {
          peopleAhead: index.get(t) ?? 0,
          queueAhead: { ahead, aheadHigher: higher, oldestArrivedAt: oldest, servers: g.counters.length },
        });
      }
      if (g.counters.some((c) => mayServe(c, t))) {
        ahead++;
        byRank.set(p, (byRank.get(p) ?? 0) + 1);
        const a = toTimeline(t.arrivedAtMs);
        oldest = oldest === null ? a : Math.min(oldest, a);
      }
    }
  }

  // Tickets no open counter may serve: as a counter dedicated to their service would call them.
  for (const t of waiting) {
    if (result.has(t.id)) continue;
    const dedicated: CounterView = { id: t.targetCounterId ?? '\u0000virtual', skills: [t.serviceCode] };
    const line = orderForCounter(config, waiting, dedicated, nowMs);
    const at = Math.max(0, line.indexOf(t));
    const before = line.slice(0, at);
    const p = rank(t);
    result.set(t.id, {
      peopleAhead: at,
      queueAhead: {
        ahead: before.length,
        aheadHigher: before.filter((u) => rank(u) > p).length,
        oldestArrivedAt: before.length > 0 ? Math.min(...before.map((u) => toTimeline(u.arrivedAtMs))) : null,
        servers: 0,
      },
    });
  }
  return result;
}

/** Id of the imagined ticket of `projectNewArrival`: sorts after every real id, so it loses ties. */
export const NEW_ARRIVAL_ID = '\uffffnew-arrival';

/**
 * Where a customer drawing a ticket now for `serviceCode` in class `priorityClass` would stand
 * (lobby view, display board): the same projection with that ticket added.
 */
export function projectNewArrival<T extends PolicyTicket>(
  input: LiveQueueInput<T>,
  serviceCode: string,
  priorityClass: string,
): LivePosition {
  const imagined: PolicyTicket = { id: NEW_ARRIVAL_ID, serviceCode, priorityClass, arrivedAtMs: input.nowMs };
  const positions = projectLiveQueue<PolicyTicket>({ ...input, waiting: [...input.waiting, imagined] });
  return positions.get(NEW_ARRIVAL_ID) as LivePosition;
}
