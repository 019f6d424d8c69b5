import { businessDayOf } from '@serviceloop/domain';
import { and, eq } from 'drizzle-orm';
import type { ServerContext } from '../context.ts';
import { queueTickets } from '../db/schema-queue.ts';
import type { Actor } from '../identity/actor.ts';
import { branchInScope, servicesOf } from './branch.ts';
import { countersOf, type TicketRow } from './store.ts';

/**
 * Day KPIs of a branch, per service and per counter. Definitions:
 * - arrivals: tickets drawn that day (walk-ups are counted apart, in `walkUps`);
 * - served / abandoned / noShows: tickets that ended so; `open`: still waiting, called or serving;
 * - wait: first call − arrival, over tickets that were called (walk-ups excluded); mean, p90
 *   (nearest rank) and max in seconds;
 * - withinTargetPct: share of called tickets whose wait ≤ their service's target wait;
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

export interface DayKpis {
  readonly branchId: string;
  readonly businessDay: string;
  readonly branch: KpiFigures;
  readonly services: (KpiFigures & { readonly code: string; readonly targetWaitSeconds: number })[];
  readonly counters: (KpiFigures & { readonly counterId: string; readonly number: number })[];
}

const seconds = (ms: number) => ms / 1000;
const round1 = (n: number) => Math.round(n * 10) / 10;

export function figuresOf(rows: readonly TicketRow[], targetOf: (serviceCode: string) => number): KpiFigures {
  const waits: number[] = [];
  let within = 0;
  const services: number[] = [];
  let served = 0;
  let abandoned = 0;
  let noShows = 0;
  let open = 0;
  let walkUps = 0;
  for (const r of rows) {
    if (r.walkUp) walkUps++;
    if (r.status === 'served') served++;
    else if (r.status === 'abandoned') abandoned++;
    else if (r.status === 'no_show') noShows++;
    else open++;
    const called = r.firstCalledAt ?? r.calledAt;
    if (!r.walkUp && called) {
      const wait = seconds(called.getTime() - r.arrivedAt.getTime());
      waits.push(wait);
      if (wait <= targetOf(r.serviceCode)) within++;
    }
    if (r.status === 'served' && r.startedAt && r.endedAt) {
      services.push(seconds(r.endedAt.getTime() - r.startedAt.getTime()));
    }
  }
  waits.sort((a, b) => a - b);
  const mean = (xs: readonly number[]) =>
    xs.length === 0 ? null : round1(xs.reduce((s, x) => s + x, 0) / xs.length);
  return {
    arrivals: rows.length - walkUps,
    walkUps,
    served,
    abandoned,
    noShows,
    open,
    meanWaitSeconds: mean(waits),
    p90WaitSeconds: waits.length === 0 ? null : round1(waits[Math.ceil(0.9 * waits.length) - 1] as number),
    maxWaitSeconds: waits.length === 0 ? null : round1(waits[waits.length - 1] as number),
    withinTargetPct: waits.length === 0 ? null : round1((100 * within) / waits.length),
    meanServiceSeconds: mean(services),
  };
}

export async function dayKpis(
  ctx: ServerContext,
  actor: Actor,
  input: { branchId: string; day?: string | undefined },
): Promise<DayKpis> {
  const branch = await branchInScope(ctx, actor, input.branchId);
  const day = input.day ?? businessDayOf(ctx.clock().getTime(), branch.timeZone);
  const [services, counters, rows] = await Promise.all([
    servicesOf(ctx, branch.id),
    countersOf(ctx.db, branch.id),
    ctx.db
      .select()
      .from(queueTickets)
      .where(and(eq(queueTickets.branchId, branch.id), eq(queueTickets.businessDay, day))),
  ]);
  const targets = new Map(services.map((s) => [s.code, s.targetWaitSeconds]));
  const targetOf = (code: string) => targets.get(code) ?? Number.POSITIVE_INFINITY;
  return {
    branchId: branch.id,
    businessDay: day,
    branch: figuresOf(rows, targetOf),
    services: services.map((s) => ({
      code: s.code,
      targetWaitSeconds: s.targetWaitSeconds,
      ...figuresOf(
        rows.filter((r) => r.serviceCode === s.code),
        targetOf,
      ),
    })),
    counters: counters.map((c) => ({
      counterId: c.id,
      number: c.number,
      ...figuresOf(
        rows.filter((r) => r.counterId === c.id),
        targetOf,
      ),
    })),
  };
}
