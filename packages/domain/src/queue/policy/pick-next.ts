import {
  type CompiledClass,
  type CompiledPolicy,
  compilePolicy,
  type TCallingPolicyConfig,
} from './config.ts';

/** The policy's view of a waiting ticket: only what ordering needs, so server and simulator share it. */
export interface PolicyTicket {
  /** Unique; the last tie-break, so the order never depends on array order. */
  readonly id: string;
  readonly serviceCode: string;
  readonly priorityClass: string;
  /** Epoch ms of the original arrival; a transfer keeps it, so the customer keeps their place. */
  readonly arrivedAtMs: number;
  readonly transferred?: boolean | undefined;
  /** Set when a teller transferred the ticket to one specific counter: no other counter may take it. */
  readonly targetCounterId?: string | undefined;
}

export interface CounterView {
  readonly id: string;
  /** Service codes this counter serves, most preferred first. */
  readonly skills: readonly string[];
}

const TIER_OVERDUE = 0;
const TIER_TARGETED = 1;
const TIER_NORMAL = 2;

/**
 * Chooses the ticket a counter calls next, or undefined when it has nothing it may serve.
 *
 * Eligible: the ticket's service is in the counter's skills, and it is not targeted at another
 * counter. Among eligible tickets, in this order:
 * 1. Overdue — waited at least its class's `maxWaitMs`: earliest deadline (arrival + bound)
 *    first. This is the guarantee: an overdue ticket is only ever passed over for one whose
 *    deadline came earlier, so while counters keep calling, a ticket waits at most its bound
 *    plus one call per more urgent ticket — no class starves however heavy the others are.
 * 2. Transferred to this counter specifically: earliest original arrival first (the only
 *    deliberate exception to FIFO below).
 * 3. Everything else by score = weight × waited + headStart − skillRank × skillRankPenaltyMs,
 *    highest first. Weight and head start give a class its precedence (a VIP with weight 3
 *    and 5 min head start who waited 1 min counts as 8 min); the wait term ages every ticket,
 *    so within one class and service the order is FIFO.
 * Ties: better skill rank, higher weight, earlier arrival, then id (so results are
 * deterministic and independent of the order of `waiting`).
 *
 * One linear pass, no allocation: it runs for every call on the server and millions of times
 * in the simulator.
 */
export function pickNext<T extends PolicyTicket>(
  config: TCallingPolicyConfig,
  waiting: readonly T[],
  counter: CounterView,
  nowMs: number,
): T | undefined {
  return pickNextCompiled(compilePolicy(config), waiting, counter, nowMs);
}

/** pickNext for callers that hold the compiled policy (the simulator), skipping the cache lookup. */
export function pickNextCompiled<T extends PolicyTicket>(
  policy: CompiledPolicy,
  waiting: readonly T[],
  counter: CounterView,
  nowMs: number,
): T | undefined {
  const skills = counter.skills;
  const counterId = counter.id;
  const penalty = policy.skillRankPenaltyMs;
  let best: T | undefined;
  let bestTier = 3;
  let bestKey = 0; // lower is better: deadline, arrival or −score depending on the tier
  let bestRank = 0;
  let bestWeight = 0;
  for (let i = 0; i < waiting.length; i++) {
    const t = waiting[i]!;
    const target = t.targetCounterId;
    if (target !== undefined && target !== counterId) continue;
    const rank = skills.indexOf(t.serviceCode);
    if (rank < 0) continue;
    const cls = policy.classes.get(t.priorityClass) ?? policy.fallback;
    const waited = nowMs - t.arrivedAtMs;
    let tier: number;
    let key: number;
    if (waited >= cls.maxWaitMs) {
      tier = TIER_OVERDUE;
      key = t.arrivedAtMs + cls.maxWaitMs;
    } else if (target !== undefined) {
      if (bestTier < TIER_TARGETED) continue;
      tier = TIER_TARGETED;
      key = t.arrivedAtMs;
    } else {
      if (bestTier < TIER_NORMAL) continue;
      tier = TIER_NORMAL;
      key = -(cls.weight * waited + cls.headStartMs - rank * penalty);
    }
    if (
      best === undefined ||
      tier < bestTier ||
      (tier === bestTier &&
        (key < bestKey || (key === bestKey && tieBefore(rank, cls.weight, t, bestRank, bestWeight, best))))
    ) {
      best = t;
      bestTier = tier;
      bestKey = key;
      bestRank = rank;
      bestWeight = cls.weight;
    }
  }
  return best;
}

function tieBefore(
  rank: number,
  weight: number,
  t: PolicyTicket,
  otherRank: number,
  otherWeight: number,
  other: PolicyTicket,
): boolean {
  if (rank !== otherRank) return rank < otherRank;
  if (weight !== otherWeight) return weight > otherWeight;
  if (t.arrivedAtMs !== other.arrivedAtMs) return t.arrivedAtMs < other.arrivedAtMs;
  return t.id < other.id;
}

/** Sort key of one ticket at one counter; `undefined` when the counter may not serve it. */
interface RankedTicket<T extends PolicyTicket> {
  readonly ticket: T;
  readonly tier: number;
  readonly key: number;
  readonly rank: number;
  readonly weight: number;
}

function rankFor<T extends PolicyTicket>(
  policy: CompiledPolicy,
  t: T,
  counter: CounterView,
  nowMs: number,
): RankedTicket<T> | undefined {
  if (t.targetCounterId !== undefined && t.targetCounterId !== counter.id) return undefined;
  const rank = counter.skills.indexOf(t.serviceCode);
  if (rank < 0) return undefined;
  const cls: CompiledClass = policy.classes.get(t.priorityClass) ?? policy.fallback;
  const waited = nowMs - t.arrivedAtMs;
  if (waited >= cls.maxWaitMs) {
    return { ticket: t, tier: TIER_OVERDUE, key: t.arrivedAtMs + cls.maxWaitMs, rank, weight: cls.weight };
  }
  if (t.targetCounterId !== undefined) {
    return { ticket: t, tier: TIER_TARGETED, key: t.arrivedAtMs, rank, weight: cls.weight };
  }
  const score = cls.weight * waited + cls.headStartMs - rank * policy.skillRankPenaltyMs;
  return { ticket: t, tier: TIER_NORMAL, key: -score, rank, weight: cls.weight };
}

function compareRanked<T extends PolicyTicket>(a: RankedTicket<T>, b: RankedTicket<T>): number {
  if (a.tier !== b.tier) return a.tier - b.tier;
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  if (a === b) return 0;
  return tieBefore(a.rank, a.weight, a.ticket, b.rank, b.weight, b.ticket) ? -1 : 1;
}

/**
 * The full order in which `counter` would call the eligible tickets if it called them all at
 * `nowMs` (pickNext always returns the first). For screens and predictions, not the hot path.
 */
export function orderForCounter<T extends PolicyTicket>(
  config: TCallingPolicyConfig,
  waiting: readonly T[],
  counter: CounterView,
  nowMs: number,
): T[] {
  const policy = compilePolicy(config);
  const ranked: RankedTicket<T>[] = [];
  for (const t of waiting) {
    const r = rankFor(policy, t, counter, nowMs);
    if (r !== undefined) ranked.push(r);
  }
  ranked.sort(compareRanked);
  return ranked.map((r) => r.ticket);
}
