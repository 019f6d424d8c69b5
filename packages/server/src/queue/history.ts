import { localDayOf, localTimeline, parseLocalTimestamp, type Visit } from '@serviceloop/domain';
import { and, desc, eq, gte, inArray, type SQL } from 'drizzle-orm';
import type { ServerContext } from '../context.ts';
import { queueTickets, queueVisitHistory } from '../db/schema-queue.ts';
import type { BranchInfo } from './branch.ts';

/** Which of a branch's past a reader wants. */
export interface HistoryWindow {
  /** Imported rows arriving at or after this local time ('YYYY-MM-DD'); null: none; undefined: all. */
  readonly importedFrom?: string | null;
  /** Further conditions on the branch's own finished tickets (a period). */
  readonly tickets?: SQL;
  /** At most this many rows of each source, the latest first. */
  readonly limit?: number;
}

const FINISHED = ['served', 'abandoned', 'no_show'] as const;

/**
 * A branch's past visits on its local timeline: imported history (the visit-log CSV, local
 * wall-clock times) and its own finished tickets (walk-ups, who never queued, left out), as the
 * visit log would write them. A date the branch ran live is taken from its tickets, not from an
 * imported copy of it. `ranks`: the calling policy's classes as visit-log priorities.
 */
export async function branchHistory(
  ctx: ServerContext,
  branch: BranchInfo,
  ranks: ReadonlyMap<string, number>,
  window: HistoryWindow = {},
): Promise<Visit[]> {
  const { importedFrom, limit } = window;
  const historyQuery = () => {
    const q = ctx.db
      .select()
      .from(queueVisitHistory)
      .where(
        and(
          eq(queueVisitHistory.branchId, branch.id),
          importedFrom === undefined ? undefined : gte(queueVisitHistory.arrivedAt, importedFrom as string),
        ),
      );
    return limit === undefined ? q : q.orderBy(desc(queueVisitHistory.arrivedAt)).limit(limit);
  };
  const ticketQuery = ctx.db
    .select()
    .from(queueTickets)
    .where(
      and(
        eq(queueTickets.branchId, branch.id),
        window.tickets,
        eq(queueTickets.walkUp, false),
        inArray(queueTickets.status, [...FINISHED]),
      ),
    );
  const [history, tickets] = await Promise.all([
    importedFrom === null ? Promise.resolve([]) : historyQuery(),
    limit === undefined ? ticketQuery : ticketQuery.orderBy(desc(queueTickets.arrivedAt)).limit(limit),
  ]);
  const local = (d: Date | null): number | null => (d === null ? null : localTimeline(d, branch.timeZone));
  const live: Visit[] = tickets.map((r) => ({
    visitId: r.id,
    site: branch.code,
    service: r.serviceCode,
    priority: ranks.get(r.priorityClass) ?? 0,
    arrivedAt: local(r.arrivedAt) as number,
    calledAt: r.status === 'abandoned' ? null : local(r.firstCalledAt ?? r.calledAt),
    serviceStartedAt: local(r.startedAt),
    serviceEndedAt: r.startedAt ? local(r.endedAt) : null,
    outcome: r.status as Visit['outcome'],
    counter: r.counterId,
    leftAt: r.status === 'abandoned' ? local(r.leftAt) : null,
  }));
  const liveDays = new Set(live.map((v) => localDayOf(v.arrivedAt)));
  const text = (t: string | null): number | null => (t === null ? null : parseLocalTimestamp(t));
  const imported: Visit[] = [];
  for (const r of history) {
    const arrivedAt = text(r.arrivedAt);
    if (arrivedAt === null || liveDays.has(localDayOf(arrivedAt))) continue;
    imported.push({
      visitId: r.visitId,
      site: r.site,
      service: r.serviceCode,
      priority: r.priority,
      arrivedAt,
      calledAt: text(r.calledAt),
      serviceStartedAt: text(r.serviceStartedAt),
      serviceEndedAt: text(r.serviceEndedAt),
      outcome: r.outcome as Visit['outcome'],
      counter: r.counter,
    });
  }
  return [...imported, ...live];
}
