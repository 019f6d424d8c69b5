import type { PolicyTicket, TTicket, TTicketStatus } from '@serviceloop/domain';
import { and, asc, eq, inArray, isNull, or } from 'drizzle-orm';
import type { Executor } from '../db/database.ts';
import { queueCounters, queueTickets } from '../db/schema-queue.ts';

export type TicketRow = typeof queueTickets.$inferSelect;
export type CounterRow = typeof queueCounters.$inferSelect;
export type CounterState = 'closed' | 'open' | 'paused';

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

export function toTicket(row: TicketRow): TTicket {
  return {
    id: row.id,
    branchId: row.branchId,
    number: row.number,
    serviceCode: row.serviceCode,
    businessDay: row.businessDay,
    sequence: row.sequence,
    priorityClass: row.priorityClass,
    status: row.status as TTicketStatus,
    issuedAt: row.issuedAt.toISOString(),
    arrivedAt: row.arrivedAt.toISOString(),
    transferred: row.transferCount > 0,
    targetCounterId: row.targetCounterId,
    counterId: row.counterId,
    calledAt: iso(row.calledAt),
    recallCount: row.recallCount,
  };
}

/** Everything a teller or lobby manager sees about a ticket. */
export interface TicketDetail extends TTicket {
  readonly walkUp: boolean;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly outcome: string | null;
  readonly staffId: string | null;
  readonly transferCount: number;
  readonly originalServiceCode: string;
  readonly triageNote: string | null;
  readonly assistance: string | null;
}

export function toTicketDetail(row: TicketRow): TicketDetail {
  return {
    ...toTicket(row),
    walkUp: row.walkUp,
    startedAt: iso(row.startedAt),
    endedAt: iso(row.endedAt),
    outcome: row.outcome,
    staffId: row.staffId,
    transferCount: row.transferCount,
    originalServiceCode: row.originalServiceCode,
    triageNote: row.triageNote,
    assistance: row.assistance,
  };
}

export function toPolicyTicket(
  row: Pick<
    TicketRow,
    'id' | 'serviceCode' | 'priorityClass' | 'arrivedAt' | 'transferCount' | 'targetCounterId'
  >,
): PolicyTicket {
  return {
    id: row.id,
    serviceCode: row.serviceCode,
    priorityClass: row.priorityClass,
    arrivedAtMs: row.arrivedAt.getTime(),
    transferred: row.transferCount > 0,
    targetCounterId: row.targetCounterId ?? undefined,
  };
}

/** Today's waiting line of a branch in the shape the calling policy needs (yesterday's leftovers never come back). */
export async function waitingPolicyTickets(
  db: Executor,
  branchId: string,
  businessDay: string,
  /** Only what this counter may call: its skills, and not targeted at another counter. */
  forCounter?: { readonly id: string; readonly skills: readonly string[] },
): Promise<PolicyTicket[]> {
  const rows = await db
    .select({
      id: queueTickets.id,
      serviceCode: queueTickets.serviceCode,
      priorityClass: queueTickets.priorityClass,
      arrivedAt: queueTickets.arrivedAt,
      transferCount: queueTickets.transferCount,
      targetCounterId: queueTickets.targetCounterId,
    })
    .from(queueTickets)
    .where(
      and(
        eq(queueTickets.branchId, branchId),
        eq(queueTickets.status, 'waiting'),
        eq(queueTickets.businessDay, businessDay),
        forCounter ? inArray(queueTickets.serviceCode, [...forCounter.skills, '']) : undefined,
        forCounter
          ? or(isNull(queueTickets.targetCounterId), eq(queueTickets.targetCounterId, forCounter.id))
          : undefined,
      ),
    )
    .orderBy(asc(queueTickets.arrivedAt));
  return rows.map(toPolicyTicket);
}

export async function countersOf(db: Executor, branchId: string): Promise<CounterRow[]> {
  return db
    .select()
    .from(queueCounters)
    .where(eq(queueCounters.branchId, branchId))
    .orderBy(asc(queueCounters.number));
}
