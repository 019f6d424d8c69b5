import {
  AppError,
  businessDayOf,
  defaultCallingPolicyConfig,
  formatTicketNumber,
  MAX_TICKET_SEQUENCE,
  pickNext,
  resolvePriorityClass,
  type TCallingPolicyConfig,
  type TIssueTicketRequest,
  type TTransferTicketRequest,
} from '@serviceloop/domain';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { ServerContext } from '../context.ts';
import type { Executor } from '../db/database.ts';
import { customers } from '../db/schema.ts';
import { queueCounters, queueTickets } from '../db/schema-queue.ts';
import { appendEvents, type NewEvent } from '../events/outbox.ts';
import type { Actor } from '../identity/actor.ts';
import { newId } from '../ids.ts';
import { type BranchInfo, branchInScope, publicBranch, serviceOf } from './branch.ts';
import {
  type CounterRow,
  type TicketDetail,
  type TicketRow,
  toTicketDetail,
  waitingPolicyTickets,
} from './store.ts';

/**
 * The calling policy of every branch. One configuration for now (the domain default); a
 * per-branch policy table can replace this function without touching the use cases.
 */
export function policyOf(_branchId: string): TCallingPolicyConfig {
  return defaultCallingPolicyConfig;
}

/** A called customer who does not come is announced again at most this often, then marked no-show. */
export const MAX_RECALLS = 2;

export const FinishOutcomes = ['completed', 'referred', 'not_completed'] as const;
export type FinishOutcome = (typeof FinishOutcomes)[number];

// ---------------------------------------------------------------------------------------------
// Events

function ticketEvent(
  type: string,
  row: TicketRow,
  actorId: string | null,
  extra: Record<string, unknown> = {},
): NewEvent {
  return {
    type,
    orgUnitId: row.branchId,
    aggregateType: 'queue_ticket',
    aggregateId: row.id,
    actorId,
    payload: {
      ticketId: row.id,
      number: row.number,
      serviceCode: row.serviceCode,
      status: row.status,
      counterId: row.counterId,
      ...extra,
    },
  };
}

function counterEvent(type: string, row: CounterRow, actorId: string, extra: Record<string, unknown> = {}) {
  return {
    type,
    orgUnitId: row.branchId,
    aggregateType: 'queue_counter',
    aggregateId: row.id,
    actorId,
    payload: { counterId: row.id, counterNumber: row.number, state: row.state, ...extra },
  };
}

// ---------------------------------------------------------------------------------------------
// Issuing tickets

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (typeof e === 'object' && (e as { code?: unknown }).code === '23505') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** The customer behind a kiosk identification, or undefined (anonymous). Cards are not on file yet. */
async function identify(
  db: Executor,
  identification: TIssueTicketRequest['identification'],
): Promise<{ id: string; serviceLevel: string } | undefined> {
  if (!identification || identification.kind === 'card') return undefined;
  const where =
    identification.kind === 'phone'
      ? eq(customers.phone, identification.value)
      : eq(customers.idNumber, identification.value);
  const [row] = await db
    .select({ id: customers.id, serviceLevel: customers.serviceLevel })
    .from(customers)
    .where(and(where, sql`${customers.deletedAt} is null`))
    .limit(1);
  return row;
}

async function nextSequence(
  tx: Executor,
  branchId: string,
  serviceCode: string,
  businessDay: string,
): Promise<number> {
  const result: unknown = await tx.execute(sql`
    insert into queue_sequences (branch_id, service_code, business_day, last_sequence)
    values (${branchId}, ${serviceCode}, ${businessDay}, 1)
    on conflict (branch_id, service_code, business_day)
    do update set last_sequence = queue_sequences.last_sequence + 1
    returning last_sequence`);
  const n = Number((result as { rows: { last_sequence: number | string }[] }).rows[0]?.last_sequence);
  if (!(n >= 1 && n <= MAX_TICKET_SEQUENCE)) {
    throw new AppError('invalid_state', `No more ticket numbers for ${serviceCode} today`);
  }
  return n;
}

interface NewTicketSpec {
  readonly branch: BranchInfo;
  readonly serviceCode: string;
  readonly prefix: string;
  readonly priorityClass: string;
  readonly customerId: string | null;
  readonly assistance: string | null;
  readonly locale: string;
  readonly idempotencyKey: string | null;
  readonly walkUp?: { readonly counterId: string; readonly staffId: string };
}

async function insertTicket(tx: Executor, ctx: ServerContext, spec: NewTicketSpec): Promise<TicketRow> {
  const now = ctx.clock();
  const day = businessDayOf(now.getTime(), spec.branch.timeZone);
  const sequence = await nextSequence(tx, spec.branch.id, spec.serviceCode, day);
  const row: TicketRow = {
    id: newId(),
    branchId: spec.branch.id,
    serviceCode: spec.serviceCode,
    originalServiceCode: spec.serviceCode,
    businessDay: day,
    sequence,
    number: formatTicketNumber(spec.prefix, sequence),
    priorityClass: spec.priorityClass,
    customerId: spec.customerId,
    assistance: spec.assistance,
    locale: spec.locale,
    status: spec.walkUp ? 'serving' : 'waiting',
    walkUp: spec.walkUp !== undefined,
    issuedAt: now,
    arrivedAt: now,
    calledAt: spec.walkUp ? now : null,
    firstCalledAt: spec.walkUp ? now : null,
    startedAt: spec.walkUp ? now : null,
    endedAt: null,
    leftAt: null,
    counterId: spec.walkUp?.counterId ?? null,
    targetCounterId: null,
    staffId: spec.walkUp?.staffId ?? null,
    outcome: null,
    outcomeNote: null,
    recallCount: 0,
    transferCount: 0,
    idempotencyKey: spec.idempotencyKey,
    triageNote: null,
    updatedAt: now,
  };
  await tx.insert(queueTickets).values(row);
  return row;
}

async function ticketByKey(db: Executor, branchId: string, key: string): Promise<TicketRow | undefined> {
  const [row] = await db
    .select()
    .from(queueTickets)
    .where(and(eq(queueTickets.branchId, branchId), eq(queueTickets.idempotencyKey, key)));
  return row;
}

function sameRequest(row: TicketRow, request: TIssueTicketRequest): void {
  if (row.originalServiceCode !== request.serviceCode) {
    throw new AppError(
      'idempotency_conflict',
      'This Idempotency-Key was already used for a different ticket request',
    );
  }
}

/**
 * Kiosk: draws a ticket. With an Idempotency-Key a retry returns the ticket of the first attempt
 * (the unique index on branch + key decides a race between two attempts in flight).
 */
export async function issueTicket(
  ctx: ServerContext,
  input: { branchId: string; request: TIssueTicketRequest; idempotencyKey: string | undefined },
): Promise<{ row: TicketRow; replayed: boolean }> {
  const branch = await publicBranch(ctx, input.branchId);
  const { request } = input;
  const key = input.idempotencyKey ?? null;
  if (key) {
    const existing = await ticketByKey(ctx.db, branch.id, key);
    if (existing) {
      sameRequest(existing, request);
      return { row: existing, replayed: true };
    }
  }
  const service = await serviceOf(ctx, branch.id, request.serviceCode);
  if (!service.active) throw new AppError('invalid_state', `Service ${service.code} is not offered now`);
  const customer = await identify(ctx.db, request.identification);
  const priorityClass = resolvePriorityClass(policyOf(branch.id), {
    serviceLevel: customer?.serviceLevel,
    needsAssistance: request.assistance !== undefined,
  });
  try {
    const row = await ctx.db.transaction(async (tx) => {
      const row = await insertTicket(tx, ctx, {
        branch,
        serviceCode: service.code,
        prefix: service.prefix,
        priorityClass,
        customerId: customer?.id ?? null,
        assistance: request.assistance ?? null,
        locale: request.locale,
        idempotencyKey: key,
      });
      await appendEvents(tx, ctx.clock, [
        ticketEvent('queue.ticket_issued', row, null, {
          priorityClass,
          arrivedAt: row.arrivedAt.toISOString(),
          identified: customer !== undefined,
        }),
      ]);
      return row;
    });
    return { row, replayed: false };
  } catch (error) {
    if (key && isUniqueViolation(error)) {
      const existing = await ticketByKey(ctx.db, branch.id, key);
      if (existing) {
        sameRequest(existing, request);
        return { row: existing, replayed: true };
      }
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Counters

async function counterForUpdate(tx: Executor, branchId: string, counterId: string): Promise<CounterRow> {
  const [row] = await tx
    .select()
    .from(queueCounters)
    .where(and(eq(queueCounters.id, counterId), eq(queueCounters.branchId, branchId)))
    .for('update');
  if (!row) throw new AppError('not_found', 'Counter not found');
  return row;
}

export async function setCounterState(
  ctx: ServerContext,
  actor: Actor,
  input: { branchId: string; counterId: string; state: 'open' | 'paused' | 'closed'; reason?: string },
): Promise<CounterRow> {
  const branch = await branchInScope(ctx, actor, input.branchId);
  return ctx.db.transaction(async (tx) => {
    const counter = await counterForUpdate(tx, branch.id, input.counterId);
    if (input.state === 'closed' && counter.currentTicketId) {
      throw new AppError(
        'invalid_state',
        'Finish or hand over the current ticket before closing the counter',
      );
    }
    const now = ctx.clock();
    const [after] = await tx
      .update(queueCounters)
      .set({
        state: input.state,
        pauseReason: input.state === 'paused' ? (input.reason ?? null) : null,
        staffId: input.state === 'closed' ? null : actor.userId,
        stateChangedAt: now,
        updatedAt: now,
      })
      .where(eq(queueCounters.id, counter.id))
      .returning();
    const row = after as CounterRow;
    const type =
      input.state === 'open'
        ? 'queue.counter_opened'
        : input.state === 'paused'
          ? 'queue.counter_paused'
          : 'queue.counter_closed';
    await appendEvents(tx, ctx.clock, [
      counterEvent(type, row, actor.userId, { reason: row.pauseReason, staffId: row.staffId }),
    ]);
    return row;
  });
}

// ---------------------------------------------------------------------------------------------
// Calling

/**
 * Calls the next ticket for a counter by the branch's calling policy, or returns undefined when
 * nobody waits for its skills. Calls of one branch are serialised by a transaction-scoped
 * advisory lock taken before the waiting line is read, so two counters calling at the same
 * instant see each other's result and never get the same ticket; the conditional update
 * (status = 'waiting') is a second guard against any other writer (abandon, transfer).
 */
export async function callNext(
  ctx: ServerContext,
  actor: Actor,
  input: { branchId: string; counterId: string },
): Promise<TicketDetail | undefined> {
  const branch = await branchInScope(ctx, actor, input.branchId);
  const policy = policyOf(branch.id);
  // Without the lock first: an idle counter polling an empty line must not queue behind the
  // counters that do have somebody to call.
  const [peek] = await ctx.db
    .select()
    .from(queueCounters)
    .where(and(eq(queueCounters.id, input.counterId), eq(queueCounters.branchId, branch.id)));
  if (peek && peek.state === 'open' && !peek.currentTicketId) {
    const day = businessDayOf(ctx.clock().getTime(), branch.timeZone);
    const candidates = await waitingPolicyTickets(ctx.db, branch.id, day, peek);
    if (candidates.length === 0) return undefined;
  }
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`queue:${branch.id}`}))`);
    const counter = await counterForUpdate(tx, branch.id, input.counterId);
    if (counter.state !== 'open') throw new AppError('invalid_state', 'Open the counter before calling');
    if (counter.currentTicketId) {
      throw new AppError('invalid_state', 'Finish, transfer or mark the current ticket as no-show first');
    }
    const now = ctx.clock();
    const day = businessDayOf(now.getTime(), branch.timeZone);
    const waiting = await waitingPolicyTickets(tx, branch.id, day, counter);
    const chosen = pickNext(policy, waiting, { id: counter.id, skills: counter.skills }, now.getTime());
    if (!chosen) return undefined;
    const [row] = await tx
      .update(queueTickets)
      .set({
        status: 'called',
        calledAt: now,
        firstCalledAt: sql`coalesce(${queueTickets.firstCalledAt}, ${now})`,
        counterId: counter.id,
        staffId: actor.userId,
        targetCounterId: null,
        updatedAt: now,
      })
      .where(and(eq(queueTickets.id, chosen.id), eq(queueTickets.status, 'waiting')))
      .returning();
    if (!row) throw new AppError('conflict', 'The queue changed while calling; call again');
    await tx
      .update(queueCounters)
      .set({ currentTicketId: row.id, updatedAt: now })
      .where(eq(queueCounters.id, counter.id));
    await appendEvents(tx, ctx.clock, [
      ticketEvent('queue.ticket_called', row, actor.userId, {
        counterNumber: counter.number,
        counterName: counter.name,
        waitedSeconds: Math.round((now.getTime() - row.arrivedAt.getTime()) / 1000),
        recall: false,
      }),
    ]);
    return toTicketDetail(row);
  });
}

type TicketUpdate = Partial<Omit<TicketRow, 'id' | 'branchId'>>;

/**
 * Applies one transition to a ticket of the branch if it is in one of the `from` states, frees
 * the counter when asked, and appends the event — one transaction.
 */
async function transition(
  ctx: ServerContext,
  actor: Actor,
  input: { branchId: string; ticketId: string },
  spec: {
    readonly from: readonly string[];
    readonly set: (row: TicketRow, now: Date) => TicketUpdate;
    readonly event: (after: TicketRow, before: TicketRow) => NewEvent;
    readonly freeCounter?: boolean;
    readonly check?: (row: TicketRow) => void;
  },
): Promise<TicketDetail> {
  const branch = await branchInScope(ctx, actor, input.branchId);
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(queueTickets)
      .where(and(eq(queueTickets.id, input.ticketId), eq(queueTickets.branchId, branch.id)))
      .for('update');
    if (!before) throw new AppError('not_found', 'Ticket not found');
    if (!spec.from.includes(before.status)) {
      throw new AppError('invalid_state', `Not possible for a ticket that is ${before.status}`, {
        details: { ticketStatus: before.status },
      });
    }
    spec.check?.(before);
    const now = ctx.clock();
    const [after] = await tx
      .update(queueTickets)
      .set({ ...spec.set(before, now), updatedAt: now })
      .where(eq(queueTickets.id, before.id))
      .returning();
    const row = after as TicketRow;
    if (spec.freeCounter && before.counterId) {
      await tx
        .update(queueCounters)
        .set({ currentTicketId: null, updatedAt: now })
        .where(and(eq(queueCounters.id, before.counterId), eq(queueCounters.currentTicketId, before.id)));
    }
    await appendEvents(tx, ctx.clock, [spec.event(row, before)]);
    return toTicketDetail(row);
  });
}

async function counterNumber(db: Executor, counterId: string | null): Promise<number | null> {
  if (!counterId) return null;
  const [c] = await db
    .select({ number: queueCounters.number })
    .from(queueCounters)
    .where(eq(queueCounters.id, counterId));
  return c?.number ?? null;
}

/** Announces a called ticket again; past MAX_RECALLS the ticket becomes a no-show. */
export async function recallTicket(
  ctx: ServerContext,
  actor: Actor,
  input: { branchId: string; ticketId: string },
): Promise<TicketDetail> {
  const number = await ticketCounterNumber(ctx, input.ticketId);
  try {
    return await transition(ctx, actor, input, {
      from: ['called'],
      check: (row) => {
        if (row.recallCount >= MAX_RECALLS) throw new NoShowInstead();
      },
      set: (row, now) => ({ recallCount: row.recallCount + 1, calledAt: now }),
      event: (row) =>
        ticketEvent('queue.ticket_recalled', row, actor.userId, {
          counterNumber: number,
          recall: true,
          recallCount: row.recallCount,
        }),
    });
  } catch (error) {
    if (error instanceof NoShowInstead) return markNoShow(ctx, actor, input);
    throw error;
  }
}

class NoShowInstead extends Error {}

async function ticketCounterNumber(ctx: ServerContext, ticketId: string): Promise<number | null> {
  const [t] = await ctx.db
    .select({ counterId: queueTickets.counterId })
    .from(queueTickets)
    .where(eq(queueTickets.id, ticketId));
  return counterNumber(ctx.db, t?.counterId ?? null);
}

export function markNoShow(
  ctx: ServerContext,
  actor: Actor,
  input: { branchId: string; ticketId: string },
): Promise<TicketDetail> {
  return transition(ctx, actor, input, {
    from: ['called'],
    freeCounter: true,
    set: (_row, now) => ({ status: 'no_show', outcome: 'no_show', endedAt: now }),
    event: (row) => ticketEvent('queue.ticket_no_show', row, actor.userId, { recallCount: row.recallCount }),
  });
}

export function startService(
  ctx: ServerContext,
  actor: Actor,
  input: { branchId: string; ticketId: string },
): Promise<TicketDetail> {
  return transition(ctx, actor, input, {
    from: ['called'],
    set: (_row, now) => ({ status: 'serving', startedAt: now, staffId: actor.userId }),
    event: (row) => ticketEvent('queue.service_started', row, actor.userId),
  });
}

export function finishService(
  ctx: ServerContext,
  actor: Actor,
  input: { branchId: string; ticketId: string; outcome: FinishOutcome; note?: string | undefined },
): Promise<TicketDetail> {
  return transition(ctx, actor, input, {
    from: ['serving'],
    freeCounter: true,
    set: (_row, now) => ({
      status: 'served',
      endedAt: now,
      outcome: input.outcome,
      outcomeNote: input.note ?? null,
    }),
    event: (row) =>
      ticketEvent('queue.service_finished', row, actor.userId, {
        outcome: input.outcome,
        serviceSeconds:
          row.startedAt && row.endedAt
            ? Math.round((row.endedAt.getTime() - row.startedAt.getTime()) / 1000)
            : null,
      }),
  });
}

/** Sends a ticket back to the waiting line of another service and/or one counter; arrival is kept. */
export async function transferTicket(
  ctx: ServerContext,
  actor: Actor,
  input: { branchId: string; ticketId: string; request: TTransferTicketRequest },
): Promise<TicketDetail> {
  const { request } = input;
  if (request.serviceCode) {
    const service = await serviceOf(ctx, input.branchId, request.serviceCode);
    if (!service.active) throw new AppError('invalid_state', `Service ${service.code} is not offered now`);
  }
  if (request.counterId) {
    const [c] = await ctx.db
      .select({ id: queueCounters.id })
      .from(queueCounters)
      .where(and(eq(queueCounters.id, request.counterId), eq(queueCounters.branchId, input.branchId)));
    if (!c) throw new AppError('not_found', 'Counter not found');
  }
  return transition(ctx, actor, input, {
    from: ['waiting', 'called', 'serving'],
    freeCounter: true,
    set: (row) => ({
      status: 'waiting',
      serviceCode: request.serviceCode ?? row.serviceCode,
      targetCounterId: request.counterId ?? null,
      counterId: null,
      calledAt: null,
      startedAt: null,
      recallCount: 0,
      transferCount: row.transferCount + 1,
    }),
    event: (row, before) =>
      ticketEvent('queue.ticket_transferred', row, actor.userId, {
        fromServiceCode: before.serviceCode,
        fromCounterId: before.counterId,
        toCounterId: request.counterId ?? null,
        arrivedAt: row.arrivedAt.toISOString(),
      }),
  });
}

/** A waiting customer left before being called. */
export function markAbandoned(
  ctx: ServerContext,
  actor: Actor,
  input: { branchId: string; ticketId: string },
): Promise<TicketDetail> {
  return transition(ctx, actor, input, {
    from: ['waiting'],
    set: (_row, now) => ({ status: 'abandoned', outcome: 'abandoned', leftAt: now }),
    event: (row) => ticketEvent('queue.ticket_abandoned', row, actor.userId),
  });
}

/** Lobby triage: what the customer needs and whether forms are ready (replaces the previous note). */
export function setTriageNote(
  ctx: ServerContext,
  actor: Actor,
  input: { branchId: string; ticketId: string; note: string },
): Promise<TicketDetail> {
  return transition(ctx, actor, input, {
    from: ['waiting', 'called', 'serving'],
    set: () => ({ triageNote: input.note }),
    event: (row) => ticketEvent('queue.ticket_triaged', row, actor.userId, { note: input.note }),
  });
}

/** Serves a customer who came to the counter without a ticket: recorded as a walk-up visit. */
export async function serveWalkUp(
  ctx: ServerContext,
  actor: Actor,
  input: { branchId: string; counterId: string; serviceCode: string },
): Promise<TicketDetail> {
  const branch = await branchInScope(ctx, actor, input.branchId);
  const service = await serviceOf(ctx, branch.id, input.serviceCode);
  return ctx.db.transaction(async (tx) => {
    const counter = await counterForUpdate(tx, branch.id, input.counterId);
    if (counter.state !== 'open') throw new AppError('invalid_state', 'Open the counter first');
    if (counter.currentTicketId) {
      throw new AppError('invalid_state', 'Finish the current ticket first');
    }
    const row = await insertTicket(tx, ctx, {
      branch,
      serviceCode: service.code,
      prefix: service.prefix,
      priorityClass: policyOf(branch.id).defaultClass,
      customerId: null,
      assistance: null,
      locale: 'zh-CN',
      idempotencyKey: null,
      walkUp: { counterId: counter.id, staffId: actor.userId },
    });
    await tx
      .update(queueCounters)
      .set({ currentTicketId: row.id, updatedAt: row.issuedAt })
      .where(eq(queueCounters.id, counter.id));
    await appendEvents(tx, ctx.clock, [
      ticketEvent('queue.walk_up_started', row, actor.userId, { counterNumber: counter.number }),
    ]);
    return toTicketDetail(row);
  });
}

/** Changes what a counter serves, in order of preference (lobby manager, on the fly). */
export async function setCounterSkills(
  ctx: ServerContext,
  actor: Actor,
  input: { branchId: string; counterId: string; skills: readonly string[] },
): Promise<CounterRow> {
  const branch = await branchInScope(ctx, actor, input.branchId);
  for (const code of input.skills) await serviceOf(ctx, branch.id, code);
  if (new Set(input.skills).size !== input.skills.length) {
    throw new AppError('validation_failed', 'A service appears twice in the skills', {
      issues: [{ path: 'skills', message: 'duplicate service' }],
    });
  }
  return ctx.db.transaction(async (tx) => {
    const before = await counterForUpdate(tx, branch.id, input.counterId);
    const [after] = await tx
      .update(queueCounters)
      .set({ skills: [...input.skills], updatedAt: ctx.clock() })
      .where(eq(queueCounters.id, before.id))
      .returning();
    const row = after as CounterRow;
    await appendEvents(tx, ctx.clock, [
      counterEvent('queue.counter_skills_changed', row, actor.userId, {
        before: before.skills,
        skills: row.skills,
      }),
    ]);
    return row;
  });
}

export async function getTicketInBranch(
  ctx: ServerContext,
  actor: Actor,
  input: { branchId: string; ticketId: string },
): Promise<TicketDetail> {
  const branch = await branchInScope(ctx, actor, input.branchId);
  const [row] = await ctx.db
    .select()
    .from(queueTickets)
    .where(and(eq(queueTickets.id, input.ticketId), eq(queueTickets.branchId, branch.id)));
  if (!row) throw new AppError('not_found', 'Ticket not found');
  return toTicketDetail(row);
}

export async function listTickets(
  ctx: ServerContext,
  actor: Actor,
  input: { branchId: string; statuses: readonly string[]; serviceCode?: string | undefined },
): Promise<TicketDetail[]> {
  const branch = await branchInScope(ctx, actor, input.branchId);
  const day = businessDayOf(ctx.clock().getTime(), branch.timeZone);
  const rows = await ctx.db
    .select()
    .from(queueTickets)
    .where(
      and(
        eq(queueTickets.branchId, branch.id),
        eq(queueTickets.businessDay, day),
        inArray(queueTickets.status, [...input.statuses]),
        input.serviceCode ? eq(queueTickets.serviceCode, input.serviceCode) : undefined,
      ),
    )
    .orderBy(queueTickets.arrivedAt)
    .limit(1000);
  return rows.map(toTicketDetail);
}
