import {
  AppError,
  businessDayOf,
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
import { findCustomerByIdentification } from '../customers/lookup.ts';
import { type Executor, type Slots, statement } from '../db/database.ts';
import { queueCounters, queueTickets } from '../db/schema-queue.ts';
import { appendEvents, type NewEvent, type StoredEvent } from '../events/outbox.ts';
import type { Actor } from '../identity/actor.ts';
import { newId } from '../ids.ts';
import { type BranchInfo, branchInScope, branchPolicy, publicBranch, serviceOf } from './branch.ts';
import {
  callFast,
  type FastEvent,
  issueFast,
  parseJson,
  policyTicketsFromRaw,
  type RawWaiting,
  type TicketWithLine,
  type Transition,
  transitionFast,
  transitionStatement,
  WAITING_OBJECT,
} from './fast.ts';
import { type CounterRow, type TicketDetail, type TicketRow, toTicketDetail } from './store.ts';
import { publishLocal } from './stream.ts';

/** The calling policy of a branch as its manager configured it (cached briefly, see branch.ts). */
export async function callingPolicyOf(ctx: ServerContext, branchId: string): Promise<TCallingPolicyConfig> {
  return (await branchPolicy(ctx, branchId)).policy.calling;
}

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
 * Kiosk: draws a ticket (one statement: sequence, ticket, event). With an Idempotency-Key a
 * retry returns the ticket of the first attempt; the unique index on branch + key decides a race
 * between two attempts in flight.
 */
export async function issueTicket(
  ctx: ServerContext,
  input: { branchId: string; request: TIssueTicketRequest; idempotencyKey: string | undefined },
): Promise<{ row: TicketRow; replayed: boolean; line?: TicketWithLine }> {
  const branch = await publicBranch(ctx, input.branchId);
  const { request } = input;
  const key = input.idempotencyKey ?? null;
  const service = await serviceOf(ctx, branch.id, request.serviceCode);
  if (!service.active) throw new AppError('invalid_state', `Service ${service.code} is not offered now`);
  // The customers context identifies; the queue keeps only the id and the class it implies.
  const [customer, calling] = await Promise.all([
    findCustomerByIdentification(ctx, request.identification),
    callingPolicyOf(ctx, branch.id),
  ]);
  const priorityClass = resolvePriorityClass(calling, {
    serviceLevel: customer?.serviceLevel,
    needsAssistance: request.assistance !== undefined,
  });
  let issued: TicketWithLine | undefined;
  try {
    issued = await issueFast(ctx, {
      branchId: branch.id,
      serviceCode: service.code,
      prefix: service.prefix,
      businessDay: businessDayOf(ctx.clock().getTime(), branch.timeZone),
      priorityClass,
      customerId: customer?.id ?? null,
      assistance: request.assistance ?? null,
      locale: request.locale,
      idempotencyKey: key,
      event: {
        type: 'queue.ticket_issued',
        actorId: null,
        extra: { priorityClass, identified: customer !== undefined },
      },
    });
  } catch (error) {
    if (!(key && isUniqueViolation(error))) throw error;
  }
  if (issued) {
    const { row } = issued;
    if (row.number !== formatTicketNumber(service.prefix, row.sequence)) {
      throw new Error(`ticket number ${row.number} does not match sequence ${row.sequence}`);
    }
    return { row, replayed: false, line: issued };
  }
  if (key) {
    const existing = await ticketByKey(ctx.db, branch.id, key);
    if (existing) {
      sameRequest(existing, request);
      return { row: existing, replayed: true };
    }
  }
  throw new AppError('invalid_state', `No more ticket numbers for ${service.code} today`);
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

interface CounterWithLine {
  readonly id: string;
  readonly number: number;
  readonly name: string;
  readonly state: string;
  readonly skills: string[];
  readonly cur: string | null;
  readonly line: RawWaiting[];
}

const COUNTER_WITH_LINE = statement(
  (p: Slots<'branchId' | 'counterId' | 'day'>) => sql`
    select c.id, c.number, c.name, c.state, to_json(c.skills) as skills, c.current_ticket_id as cur,
      (select coalesce(json_agg(${WAITING_OBJECT}), '[]'::json)
        from queue_tickets w
        where w.branch_id = c.branch_id and w.status = 'waiting' and w.business_day = ${p.day}::date
          and w.service_code = any(c.skills)
          and (w.target_counter_id is null or w.target_counter_id = c.id)) as line
    from queue_counters c where c.id = ${p.counterId}::uuid and c.branch_id = ${p.branchId}::uuid`,
);

/** A counter and the waiting tickets it may call, in one query. */
async function counterWithLine(
  ctx: ServerContext,
  executor: Executor,
  branchId: string,
  counterId: string,
  day: string,
): Promise<CounterWithLine> {
  const [raw] = await ctx.database.run<Record<string, unknown>, 'branchId' | 'counterId' | 'day'>(
    COUNTER_WITH_LINE,
    { branchId, counterId, day },
    executor === ctx.db ? undefined : executor,
  );
  if (!raw) throw new AppError('not_found', 'Counter not found');
  const counter: CounterWithLine = {
    id: String(raw.id),
    number: Number(raw.number),
    name: String(raw.name),
    state: String(raw.state),
    skills: parseJson<string[]>(raw.skills),
    cur: (raw.cur as string | null) ?? null,
    line: parseJson<RawWaiting[]>(raw.line),
  };
  if (counter.state !== 'open') throw new AppError('invalid_state', 'Open the counter before calling');
  if (counter.cur) {
    throw new AppError('invalid_state', 'Finish, transfer or mark the current ticket as no-show first');
  }
  return counter;
}

/** Optimistic attempts before a call queues behind the branch's call lock instead. */
const OPTIMISTIC_ATTEMPTS = 3;

type Claim = { row: TicketRow; event: StoredEvent } | 'empty' | 'taken';

async function claimNext(
  ctx: ServerContext,
  executor: Executor,
  actor: Actor,
  call: { branchId: string; counterId: string; day: string; policy: TCallingPolicyConfig },
): Promise<Claim> {
  const { branchId, counterId, day } = call;
  const counter = await counterWithLine(ctx, executor, branchId, counterId, day);
  const now = ctx.clock().getTime();
  const chosen = pickNext(call.policy, policyTicketsFromRaw(counter.line), counter, now);
  if (!chosen) return 'empty';
  const written = await callFast(ctx, executor, {
    branchId,
    ticketId: chosen.id,
    counterId: counter.id,
    staffId: actor.userId,
    event: {
      type: 'queue.ticket_called',
      actorId: actor.userId,
      extra: {
        counterNumber: counter.number,
        counterName: counter.name,
        waitedSeconds: Math.round((now - chosen.arrivedAtMs) / 1000),
        recall: false,
      },
    },
  });
  return written ?? 'taken';
}

/**
 * Calls the next ticket for a counter by the branch's calling policy, or returns undefined when
 * nobody waits for its skills. First optimistic and lock-free: read the counter and the tickets
 * it may call, let the domain policy pick, claim the pick in one statement that succeeds only if
 * the ticket still waits and the counter is still free (row locks re-check both). Two counters
 * calling at the same instant may pick the same ticket; exactly one claim succeeds. A counter
 * that lost a few races queues behind a per-branch advisory lock (taken before the line is read
 * again, in its own statement), so under heavy contention calls are served in turn instead of
 * stampeding; the lock holder also locks the waiting rows, so it cannot keep losing. Either way a
 * ticket is called at most once: the claim is conditional.
 */
export async function callNext(
  ctx: ServerContext,
  actor: Actor,
  input: { branchId: string; counterId: string },
): Promise<TicketDetail | undefined> {
  const branch = await branchInScope(ctx, actor, input.branchId);
  const day = businessDayOf(ctx.clock().getTime(), branch.timeZone);
  const spec = {
    branchId: branch.id,
    counterId: input.counterId,
    day,
    policy: await callingPolicyOf(ctx, branch.id),
  };
  for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
    const claim = await claimNext(ctx, ctx.db, actor, spec);
    if (claim === 'empty') return undefined;
    if (claim !== 'taken') {
      publishLocal(ctx, claim.event);
      return toTicketDetail(claim.row);
    }
  }
  const claim = await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`queue:${branch.id}`}))`);
    // Lock holders take turns, but optimistic callers would keep racing this one for the head of
    // the line (a CI run lost 20 races in a row): lock the line's rows, so their claims wait for
    // this one and then find the ticket gone. Only tickets issued since can still be raced.
    await tx.execute(
      sql`select id from queue_tickets where branch_id = ${branch.id}::uuid and business_day = ${day}::date
        and status = 'waiting' order by id for update`,
    );
    let result: Claim = 'taken';
    for (let i = 0; i < 20 && result === 'taken'; i++) {
      result = await claimNext(ctx, tx, actor, spec);
    }
    return result;
  });
  if (claim === 'empty') return undefined;
  if (claim === 'taken') throw new AppError('conflict', 'The queue changed while calling; call again');
  publishLocal(ctx, claim.event);
  return toTicketDetail(claim.row);
}

/** Why a fast transition matched nothing: the ticket is elsewhere (404) or in another state (409). */
async function explainMiss(ctx: ServerContext, branchId: string, ticketId: string): Promise<never> {
  const [row] = await ctx.db
    .select({ status: queueTickets.status })
    .from(queueTickets)
    .where(and(eq(queueTickets.id, ticketId), eq(queueTickets.branchId, branchId)));
  if (!row) throw new AppError('not_found', 'Ticket not found');
  throw new AppError('invalid_state', `Not possible for a ticket that is ${row.status}`, {
    details: { ticketStatus: row.status },
  });
}

async function fastOrExplain<K extends string>(
  ctx: ServerContext,
  actor: Actor,
  input: { branchId: string; ticketId: string },
  transition: Transition<K>,
  spec: { readonly values: Slots<K>; readonly event: FastEvent },
): Promise<TicketDetail> {
  const branch = await branchInScope(ctx, actor, input.branchId);
  const row = await transitionFast(ctx, transition, {
    branchId: branch.id,
    ticketId: input.ticketId,
    ...spec,
  });
  if (!row) return explainMiss(ctx, branch.id, input.ticketId);
  return toTicketDetail(row);
}

const counterNumberSql = sql`jsonb_build_object('counterNumber', (select k.number from queue_counters k where k.id = t.counter_id))`;

const RECALL = transitionStatement<'maxRecalls'>({
  from: ['called'],
  set: (p) => sql`recall_count = t.recall_count + 1, called_at = ${p.now}::timestamptz`,
  where: (p) => sql`t.recall_count < ${p.maxRecalls}::int`,
  freeCounter: false,
  extraSql: sql`${counterNumberSql} || jsonb_build_object('recallCount', t.recall_count)`,
});

const NO_SHOW = transitionStatement<never>({
  from: ['called'],
  set: (p) => sql`status = 'no_show', outcome = 'no_show', ended_at = ${p.now}::timestamptz`,
  freeCounter: true,
  extraSql: sql`jsonb_build_object('recallCount', t.recall_count)`,
});

const START = transitionStatement<'staffId'>({
  from: ['called'],
  set: (p) => sql`status = 'serving', started_at = ${p.now}::timestamptz, staff_id = ${p.staffId}::uuid`,
  freeCounter: false,
});

const FINISH = transitionStatement<'outcome' | 'note'>({
  from: ['serving'],
  set: (p) => sql`status = 'served', ended_at = ${p.now}::timestamptz,
    outcome = ${p.outcome}, outcome_note = ${p.note}`,
  freeCounter: true,
  extraSql: sql`jsonb_build_object('serviceSeconds', round(extract(epoch from (t.ended_at - t.started_at)))::int)`,
});

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

/**
 * Announces a called ticket again; once the branch's `noShowAfterRecalls` recalls are used up,
 * the next recall marks the ticket a no-show.
 */
export async function recallTicket(
  ctx: ServerContext,
  actor: Actor,
  input: { branchId: string; ticketId: string },
): Promise<TicketDetail> {
  const branch = await branchInScope(ctx, actor, input.branchId);
  const maxRecalls = (await branchPolicy(ctx, branch.id)).policy.noShowAfterRecalls;
  const row = await transitionFast(ctx, RECALL, {
    branchId: branch.id,
    ticketId: input.ticketId,
    values: { maxRecalls },
    event: { type: 'queue.ticket_recalled', actorId: actor.userId, extra: { recall: true } },
  });
  if (row) return toTicketDetail(row);
  const [current] = await ctx.db
    .select({ status: queueTickets.status, recallCount: queueTickets.recallCount })
    .from(queueTickets)
    .where(and(eq(queueTickets.id, input.ticketId), eq(queueTickets.branchId, branch.id)));
  if (current?.status === 'called' && current.recallCount >= maxRecalls) return markNoShow(ctx, actor, input);
  return explainMiss(ctx, branch.id, input.ticketId);
}

export function markNoShow(
  ctx: ServerContext,
  actor: Actor,
  input: { branchId: string; ticketId: string },
): Promise<TicketDetail> {
  return fastOrExplain(ctx, actor, input, NO_SHOW, {
    values: {},
    event: { type: 'queue.ticket_no_show', actorId: actor.userId, extra: {} },
  });
}

export function startService(
  ctx: ServerContext,
  actor: Actor,
  input: { branchId: string; ticketId: string },
): Promise<TicketDetail> {
  return fastOrExplain(ctx, actor, input, START, {
    values: { staffId: actor.userId },
    event: { type: 'queue.service_started', actorId: actor.userId, extra: {} },
  });
}

export function finishService(
  ctx: ServerContext,
  actor: Actor,
  input: { branchId: string; ticketId: string; outcome: FinishOutcome; note?: string | undefined },
): Promise<TicketDetail> {
  return fastOrExplain(ctx, actor, input, FINISH, {
    values: { outcome: input.outcome, note: input.note ?? null },
    event: { type: 'queue.service_finished', actorId: actor.userId, extra: { outcome: input.outcome } },
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
  const { defaultClass } = await callingPolicyOf(ctx, branch.id);
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
      priorityClass: defaultClass,
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
