import type { PolicyTicket } from '@serviceloop/domain';
import { type SQL, sql } from 'drizzle-orm';
import type { ServerContext } from '../context.ts';
import { type Executor, type Slots, type Statement, statement } from '../db/database.ts';
import { OUTBOX_CHANNEL, type StoredEvent } from '../events/outbox.ts';
import { newId } from '../ids.ts';
import type { CounterRow, TicketRow } from './store.ts';
import { publishLocal } from './stream.ts';

/*
 * The hot path of the queue in single SQL statements. A kiosk ticket, a start or a finish is one
 * round trip: the state change, the counter update and the outbox event in one statement (one
 * implicit transaction), so "an event exists if and only if the change committed" holds exactly
 * as with appendEvents, at a quarter of the round trips. The outbox row has the same columns
 * appendEvents writes. The statements are prepared once per pooled connection.
 *
 * No pg_notify inside these statements: PostgreSQL serialises the commits of all transactions
 * that NOTIFY (a database-wide lock held through the WAL flush), which capped the whole queue at
 * roughly one commit per flush. After the commit, ctx.dispatcher.committed() wakes this node's
 * dispatcher and sends one coalesced NOTIFY for the others; the outbox row is the durable
 * record either way. Only a statement inside a caller's transaction still notifies in it.
 */

/**
 * A ticket row under the alias `t` as one JSON value with the drizzle row's keys: node-postgres
 * then parses one field instead of thirty (about a third of its per-statement cost on this path).
 */
const TICKET_JSON = sql.raw(`json_build_object(
  'id', t.id, 'branchId', t.branch_id, 'serviceCode', t.service_code,
  'originalServiceCode', t.original_service_code, 'businessDay', t.business_day::text,
  'sequence', t.sequence, 'number', t.number, 'priorityClass', t.priority_class, 'customerId', t.customer_id,
  'assistance', t.assistance, 'locale', t.locale, 'status', t.status, 'walkUp', t.walk_up, 'issuedAt', t.issued_at,
  'arrivedAt', t.arrived_at, 'calledAt', t.called_at, 'firstCalledAt', t.first_called_at,
  'startedAt', t.started_at, 'endedAt', t.ended_at, 'leftAt', t.left_at,
  'counterId', t.counter_id, 'targetCounterId', t.target_counter_id, 'staffId', t.staff_id,
  'outcome', t.outcome, 'outcomeNote', t.outcome_note, 'recallCount', t.recall_count,
  'transferCount', t.transfer_count, 'idempotencyKey', t.idempotency_key,
  'triageNote', t.triage_note, 'updatedAt', t.updated_at) as "ticket"`);

type JsonTicket = { [K in keyof TicketRow]: TicketRow[K] extends Date | null ? string | null : TicketRow[K] };

const toDate = (v: string | null): Date | null => (v === null ? null : new Date(v));

/** The ticket of a statement's `ticket` column (TICKET_JSON; text or parsed, by driver) as the drizzle row. */
export function ticketFromRaw(raw: Record<string, unknown>): TicketRow {
  const r = parseJson<JsonTicket>(raw.ticket);
  return {
    id: r.id,
    branchId: r.branchId,
    serviceCode: r.serviceCode,
    originalServiceCode: r.originalServiceCode,
    businessDay: r.businessDay,
    sequence: Number(r.sequence),
    number: r.number,
    priorityClass: r.priorityClass,
    customerId: r.customerId,
    assistance: r.assistance,
    locale: r.locale,
    status: r.status,
    walkUp: r.walkUp,
    issuedAt: toDate(r.issuedAt) as Date,
    arrivedAt: toDate(r.arrivedAt) as Date,
    calledAt: toDate(r.calledAt),
    firstCalledAt: toDate(r.firstCalledAt),
    startedAt: toDate(r.startedAt),
    endedAt: toDate(r.endedAt),
    leftAt: toDate(r.leftAt),
    counterId: r.counterId,
    targetCounterId: r.targetCounterId,
    staffId: r.staffId,
    outcome: r.outcome,
    outcomeNote: r.outcomeNote,
    recallCount: Number(r.recallCount),
    transferCount: Number(r.transferCount),
    idempotencyKey: r.idempotencyKey,
    triageNote: r.triageNote,
    updatedAt: toDate(r.updatedAt) as Date,
  };
}

export interface FastEvent {
  readonly type: string;
  readonly actorId: string | null;
  /** Merged into the standard ticket payload (ticketId, number, serviceCode, status, counterId). */
  readonly extra: Record<string, unknown>;
}

/** The outbox row's slots of a write statement (eventValues fills them). */
type OutboxSlots = 'eventId' | 'eventType' | 'actorId' | 'extra' | 'now' | 'dispatchedAt';

/**
 * The event's outbox row. `dispatchedAt` is `now` when no durable subscriber wants this type: the
 * row is written as dispatched and the dispatcher never claims it; live listeners get it from the
 * writer (publishLocal on this node, Dispatcher.committed for the others). `extraSql`: payload
 * computed in SQL from the ticket row `t` (e.g. the counter's number).
 */
function outboxInsert(p: Slots<OutboxSlots>, extraSql?: SQL): SQL {
  return sql`insert into outbox_events
      (event_id, type, org_unit_id, aggregate_type, aggregate_id, actor_id, payload, occurred_at, dispatched_at)
    select ${p.eventId}::uuid, ${p.eventType}, t.branch_id, 'queue_ticket', t.id::text, ${p.actorId}::uuid,
      jsonb_build_object('ticketId', t.id, 'number', t.number, 'serviceCode', t.service_code,
        'status', t.status, 'counterId', t.counter_id)
        || ${p.extra}::jsonb ${extraSql ? sql`|| ${extraSql}` : sql``},
      ${p.now}::timestamptz, ${p.dispatchedAt}::timestamptz
    from t
    returning id, payload`;
}

/** The outbox slots of one write; `inTx`: inside a caller's transaction (never written as dispatched). */
function eventValues(ctx: ServerContext, event: FastEvent, now: string, inTx: boolean): Slots<OutboxSlots> {
  return {
    eventId: newId(),
    eventType: event.type,
    actorId: event.actorId,
    extra: JSON.stringify(event.extra),
    now,
    dispatchedAt: !inTx && !ctx.dispatcher.wants(event.type) ? now : null,
  };
}

interface Written {
  readonly row: TicketRow;
  readonly event: StoredEvent;
  /** The statement's whole result row (extra columns a statement selected). */
  readonly raw: Record<string, unknown>;
}

/**
 * Runs a write statement: prepared and autocommitted without an executor (then tells the
 * dispatcher), or inside the caller's transaction (whose commit the NOTIFY in it follows).
 */
async function run<K extends string>(
  ctx: ServerContext,
  executor: Executor | undefined,
  statement: Statement<K | OutboxSlots>,
  values: Slots<K | OutboxSlots>,
  event: FastEvent,
): Promise<Written | undefined> {
  const rows = await ctx.database.run<Record<string, unknown>, K | OutboxSlots>(statement, values, executor);
  const raw = rows[0];
  if (!raw) return undefined;
  const row = ticketFromRaw(raw);
  const written: Written = {
    row,
    raw,
    event: {
      id: Number(raw.outboxId),
      eventId: values.eventId as string,
      type: event.type,
      orgUnitId: row.branchId,
      aggregateType: 'queue_ticket',
      aggregateId: row.id,
      actorId: event.actorId,
      payload: (typeof raw.outboxPayload === 'string'
        ? JSON.parse(raw.outboxPayload)
        : raw.outboxPayload) as Record<string, unknown>,
      occurredAt: new Date(values.now as string),
    },
  };
  if (!executor) ctx.dispatcher.committed([written.event]);
  return written;
}

type TransitionSlots = 'branchId' | 'ticketId' | OutboxSlots;

/** One kind of ticket transition (start, finish, recall, …): its shape is fixed, its values are slots. */
export interface TransitionShape<K extends string> {
  /** The states the ticket may be in. */
  readonly from: readonly string[];
  /** The SET list (updated_at is added); `now` and the transition's own slots are available. */
  readonly set: (p: Slots<K | TransitionSlots>) => SQL;
  /** A further condition on the ticket row `t`. */
  readonly where?: (p: Slots<K | TransitionSlots>) => SQL;
  /** Free the counter that holds the ticket. */
  readonly freeCounter: boolean;
  /** Event payload computed in SQL from the updated ticket `t`. */
  readonly extraSql?: SQL;
}

export type Transition<K extends string> = Statement<K | TransitionSlots>;

/**
 * One ticket transition as one statement: update the ticket if it is in one of `from`, free the
 * counter holding it (when asked), append the event. Defined once per kind, at module load.
 */
export function transitionStatement<K extends string>(shape: TransitionShape<K>): Transition<K> {
  return statement((p: Slots<K | TransitionSlots>) => {
    const freeCounter = shape.freeCounter
      ? sql`c as (
      update queue_counters set current_ticket_id = null, updated_at = ${p.now}::timestamptz
      where branch_id = ${p.branchId}::uuid and current_ticket_id = ${p.ticketId}::uuid
        and exists (select 1 from t)
    ),`
      : sql``;
    return sql`
    with t as (
      update queue_tickets t set ${shape.set(p)}, updated_at = ${p.now}::timestamptz
      where t.id = ${p.ticketId}::uuid and t.branch_id = ${p.branchId}::uuid
        and t.status in (${sql.join(
          shape.from.map((s) => sql`${s}`),
          sql`, `,
        )}) ${shape.where ? sql`and ${shape.where(p)}` : sql``}
      returning t.*
    ),
    ${freeCounter}
    e as (${outboxInsert(p, shape.extraSql)})
    select ${TICKET_JSON}, e.id as "outboxId", e.payload as "outboxPayload"
    from t, e`;
  });
}

/** Runs a transition; undefined when nothing matched (the ticket is elsewhere or in another state). */
export async function transitionFast<K extends string>(
  ctx: ServerContext,
  transition: Transition<K>,
  input: {
    readonly branchId: string;
    readonly ticketId: string;
    readonly values: Slots<K>;
    readonly event: FastEvent;
  },
): Promise<TicketRow | undefined> {
  const values = {
    ...input.values,
    ...eventValues(ctx, input.event, ctx.clock().toISOString(), false),
    branchId: input.branchId,
    ticketId: input.ticketId,
  } as Slots<K | TransitionSlots>;
  const written = await run(ctx, undefined, transition, values, input.event);
  if (!written) return undefined;
  publishLocal(ctx, written.event);
  return written.row;
}

/*
 * Issues a ticket in one statement: next daily sequence, ticket row, event. With an idempotency
 * key nothing happens when the key is already used (undefined is returned; the caller reads the
 * existing ticket). Two attempts with the same key in flight at once: the unique index makes the
 * second fail and roll back, sequence included.
 */
const ISSUE = statement(
  (
    p: Slots<
      | OutboxSlots
      | 'ticketId'
      | 'branchId'
      | 'serviceCode'
      | 'prefix'
      | 'businessDay'
      | 'priorityClass'
      | 'customerId'
      | 'assistance'
      | 'locale'
      | 'idempotencyKey'
    >,
  ) => sql`
    with s as (
      insert into queue_sequences (branch_id, service_code, business_day, last_sequence)
      select ${p.branchId}::uuid, ${p.serviceCode}, ${p.businessDay}::date, 1
      where ${p.idempotencyKey}::text is null
        or not exists (select 1 from queue_tickets where branch_id = ${p.branchId}::uuid
          and idempotency_key = ${p.idempotencyKey}::text)
      on conflict (branch_id, service_code, business_day)
      do update set last_sequence = queue_sequences.last_sequence + 1
      returning last_sequence
    ),
    t as (
      insert into queue_tickets (id, branch_id, service_code, original_service_code, business_day,
        sequence, number, priority_class, customer_id, assistance, locale, status, walk_up,
        issued_at, arrived_at, recall_count, transfer_count, idempotency_key, updated_at)
      select ${p.ticketId}::uuid, ${p.branchId}::uuid, ${p.serviceCode}, ${p.serviceCode},
        ${p.businessDay}::date, s.last_sequence,
        ${p.prefix} || case when s.last_sequence < 1000 then lpad(s.last_sequence::text, 3, '0')
                                else s.last_sequence::text end,
        ${p.priorityClass}, ${p.customerId}::uuid, ${p.assistance}, ${p.locale},
        'waiting', false, ${p.now}::timestamptz, ${p.now}::timestamptz, 0, 0, ${p.idempotencyKey}::text,
        ${p.now}::timestamptz
      from s where s.last_sequence <= 99999
      returning *
    ),
    e as (${outboxInsert(p, sql`jsonb_build_object('arrivedAt', t.arrived_at)`)})
    select ${TICKET_JSON}, e.id as "outboxId", e.payload as "outboxPayload",
      -- The line the kiosk's answer needs, read in the same round trip: the statement's snapshot
      -- predates the new ticket, so it is added to the line here.
      (select coalesce(json_agg(${WAITING_OBJECT}), '[]'::json)
        from (select w.id, w.service_code, w.priority_class, w.arrived_at, w.transfer_count, w.target_counter_id
            from queue_tickets w
            where w.branch_id = t.branch_id and w.status = 'waiting' and w.business_day = t.business_day
          union all
          select t.id, t.service_code, t.priority_class, t.arrived_at, t.transfer_count, t.target_counter_id) w
      ) as "lineJson",
      ${countersJson(sql`t.branch_id`)} as "countersJson"
    from t, e`,
);

/** Issues a ticket (see ISSUE); the event's payload adds the arrival time. */
export async function issueFast(
  ctx: ServerContext,
  input: {
    readonly branchId: string;
    readonly serviceCode: string;
    readonly prefix: string;
    readonly businessDay: string;
    readonly priorityClass: string;
    readonly customerId: string | null;
    readonly assistance: string | null;
    readonly locale: string;
    readonly idempotencyKey: string | null;
    readonly event: FastEvent;
  },
): Promise<TicketWithLine | undefined> {
  const { event, ...ticket } = input;
  const values = {
    ...ticket,
    ...eventValues(ctx, event, ctx.clock().toISOString(), false),
    ticketId: newId(),
  };
  const written = await run(ctx, undefined, ISSUE, values, event);
  if (!written) return undefined;
  publishLocal(ctx, written.event);
  return withLine(written.row, written.raw);
}

/**
 * The call itself, one statement: lock the counter row if it is open and free, move the ticket
 * from waiting to called (only if it still waits: a concurrent call of another counter that got
 * there first makes this match nothing), point the counter at it, append the event. Inside a
 * caller's transaction the NOTIFY rides along (it is sent at that commit); on its own, none.
 */
function callStatement(notify: boolean) {
  return statement(
    (p: Slots<OutboxSlots | 'branchId' | 'ticketId' | 'counterId' | 'staffId'>) => sql`
    with k as (
      select id from queue_counters
      where id = ${p.counterId}::uuid and branch_id = ${p.branchId}::uuid
        and state = 'open' and current_ticket_id is null
      for update
    ),
    t as (
      update queue_tickets t set status = 'called', called_at = ${p.now}::timestamptz,
        first_called_at = coalesce(t.first_called_at, ${p.now}::timestamptz),
        counter_id = ${p.counterId}::uuid, staff_id = ${p.staffId}::uuid,
        target_counter_id = null, updated_at = ${p.now}::timestamptz
      where t.id = ${p.ticketId}::uuid and t.branch_id = ${p.branchId}::uuid
        and t.status = 'waiting' and exists (select 1 from k)
      returning t.*
    ),
    c as (
      update queue_counters set current_ticket_id = ${p.ticketId}::uuid, updated_at = ${p.now}::timestamptz
      where id in (select id from k) and exists (select 1 from t)
    ),
    e as (${outboxInsert(p)})
    select ${TICKET_JSON}, e.id as "outboxId", e.payload as "outboxPayload"
      ${notify ? sql`, pg_notify(${OUTBOX_CHANNEL}, '') as notified` : sql``}
    from t, e`,
  );
}
const CALL = callStatement(false);
const CALL_NOTIFYING = callStatement(true);

/** Undefined when the ticket was taken meanwhile or the counter is no longer free. */
export async function callFast(
  ctx: ServerContext,
  executor: Executor,
  input: {
    readonly branchId: string;
    readonly ticketId: string;
    readonly counterId: string;
    readonly staffId: string;
    readonly event: FastEvent;
  },
): Promise<Written | undefined> {
  const inTx = executor === ctx.db ? undefined : executor;
  const { event, ...call } = input;
  const values = { ...call, ...eventValues(ctx, event, ctx.clock().toISOString(), inTx !== undefined) };
  return run(ctx, inTx, inTx ? CALL_NOTIFYING : CALL, values, event);
}

export interface RawWaiting {
  readonly id: string;
  readonly s: string;
  readonly p: string;
  readonly a: number;
  readonly x: number;
  readonly g: string | null;
}
export interface RawCounter {
  readonly id: string;
  readonly n: number;
  readonly name: string;
  readonly st: string;
  readonly sk: string[];
  readonly cur: string | null;
}

/** A waiting ticket `w` as the JSON the calling policy's RawWaiting reads (one shape for every line query). */
export const WAITING_OBJECT =
  sql.raw(`json_build_object('id', w.id, 's', w.service_code, 'p', w.priority_class,
  'a', (extract(epoch from w.arrived_at) * 1000)::float8, 'x', w.transfer_count, 'g', w.target_counter_id)`);

/** JSON of today's waiting line. */
export function waitingJson(branchId: SQL, day: SQL): SQL {
  return sql`(select coalesce(json_agg(${WAITING_OBJECT}), '[]'::json)
    from queue_tickets w
    where w.branch_id = ${branchId} and w.status = 'waiting' and w.business_day = ${day})`;
}

export function countersJson(branchId: SQL, only?: SQL): SQL {
  return sql`(select coalesce(json_agg(json_build_object('id', k.id, 'n', k.number, 'name', k.name, 'st', k.state,
      'sk', k.skills, 'cur', k.current_ticket_id) order by k.number), '[]'::json)
    from queue_counters k where k.branch_id = ${branchId} ${only ? sql`and ${only}` : sql``})`;
}

export function parseJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export function policyTicketsFromRaw(line: readonly RawWaiting[]): PolicyTicket[] {
  return line.map((w) => ({
    id: w.id,
    serviceCode: w.s,
    priorityClass: w.p,
    arrivedAtMs: Number(w.a),
    transferred: Number(w.x) > 0,
    targetCounterId: w.g ?? undefined,
  }));
}

const TICKET_WITH_LINE = statement(
  (p: Slots<'ticketId'>) => sql`
    select ${TICKET_JSON},
      case when t.status = 'waiting' then ${waitingJson(sql`t.branch_id`, sql`t.business_day`)} end as "lineJson",
      -- The prediction of a waiting ticket needs every counter; any other needs only its own.
      ${countersJson(sql`t.branch_id`, sql`(t.status = 'waiting' or k.id = t.counter_id)`)} as "countersJson"
    from queue_tickets t where t.id = ${p.ticketId}::uuid`,
);

/** A ticket with, when it waits, its branch's waiting line and counters — one round trip. */
export async function ticketWithLine(
  ctx: ServerContext,
  ticketId: string,
): Promise<TicketWithLine | undefined> {
  const rows = await ctx.database.run<Record<string, unknown>, 'ticketId'>(TICKET_WITH_LINE, { ticketId });
  const raw = rows[0];
  if (!raw) return undefined;
  return withLine(ticketFromRaw(raw), raw);
}

/**
 * A ticket with, when it waits, its branch's waiting line and every counter of the branch;
 * otherwise only the counter it was called to (if any).
 */
export interface TicketWithLine {
  readonly row: TicketRow;
  readonly waiting: RawWaiting[] | null;
  readonly counters: RawCounter[];
}

function withLine(row: TicketRow, raw: Record<string, unknown>): TicketWithLine {
  return {
    row,
    waiting:
      raw.lineJson === null || raw.lineJson === undefined ? null : parseJson<RawWaiting[]>(raw.lineJson),
    counters: parseJson<RawCounter[]>(raw.countersJson),
  };
}

/** A counter as the lobby and the board need it: the row, and its current ticket's number and status. */
export interface SnapshotCounter {
  readonly row: CounterRow;
  readonly currentNumber: string | null;
  readonly currentStatus: string | null;
}

export interface RecentCallRow {
  readonly id: string;
  readonly number: string;
  readonly serviceCode: string;
  readonly counterId: string | null;
  readonly calledAt: Date;
  readonly status: string;
}

export interface BranchSnapshot {
  /** Today's waiting line, oldest first. */
  readonly waiting: PolicyTicket[];
  readonly counters: SnapshotCounter[];
  /** The last ten calls of the day, newest first (only when asked for). */
  readonly recent: RecentCallRow[];
}

interface RawSnapshotCounter {
  readonly id: string;
  readonly branchId: string;
  readonly number: number;
  readonly name: string;
  readonly skills: string[];
  readonly state: string;
  readonly pauseReason: string | null;
  readonly staffId: string | null;
  readonly currentTicketId: string | null;
  readonly stateChangedAt: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly curNumber: string | null;
  readonly curStatus: string | null;
}

function snapshotStatement(withRecent: boolean) {
  return statement((p: Slots<'branchId' | 'day'>) => {
    const recent = withRecent
      ? sql`(select coalesce(json_agg(json_build_object('id', r.id, 'number', r.number, 'serviceCode', r.service_code,
          'counterId', r.counter_id, 'calledAt', r.called_at, 'status', r.status) order by r.called_at desc), '[]'::json)
        from (select * from queue_tickets where branch_id = ${p.branchId}::uuid and business_day = ${p.day}::date
          and called_at is not null order by called_at desc limit 10) r)`
      : sql`'[]'::json`;
    return sql`
    select
      (select coalesce(json_agg(${WAITING_OBJECT} order by w.arrived_at), '[]'::json)
        from queue_tickets w
        where w.branch_id = ${p.branchId}::uuid and w.status = 'waiting' and w.business_day = ${p.day}::date) as waiting,
      (select coalesce(json_agg(json_build_object('id', k.id, 'branchId', k.branch_id, 'number', k.number,
          'name', k.name, 'skills', k.skills, 'state', k.state, 'pauseReason', k.pause_reason,
          'staffId', k.staff_id, 'currentTicketId', k.current_ticket_id, 'stateChangedAt', k.state_changed_at,
          'createdAt', k.created_at, 'updatedAt', k.updated_at, 'curNumber', ct.number, 'curStatus', ct.status)
          order by k.number), '[]'::json)
        from queue_counters k left join queue_tickets ct on ct.id = k.current_ticket_id
        where k.branch_id = ${p.branchId}::uuid) as counters,
      ${recent} as recent`;
  });
}
const SNAPSHOT = snapshotStatement(false);
const SNAPSHOT_WITH_RECENT = snapshotStatement(true);

/**
 * A branch's waiting line, counters with their current tickets and (optionally) recent calls in
 * one prepared round trip: the lobby view and every display board's refresh read this, which
 * took four statements before.
 */
export async function branchSnapshot(
  ctx: ServerContext,
  branchId: string,
  day: string,
  withRecent: boolean,
): Promise<BranchSnapshot> {
  const [raw] = await ctx.database.run<Record<string, unknown>, 'branchId' | 'day'>(
    withRecent ? SNAPSHOT_WITH_RECENT : SNAPSHOT,
    { branchId, day },
  );
  const counters = parseJson<RawSnapshotCounter[]>(raw?.counters ?? '[]').map(
    (c): SnapshotCounter => ({
      row: {
        id: c.id,
        branchId: c.branchId,
        number: Number(c.number),
        name: c.name,
        skills: c.skills,
        state: c.state,
        pauseReason: c.pauseReason,
        staffId: c.staffId,
        currentTicketId: c.currentTicketId,
        stateChangedAt: new Date(c.stateChangedAt),
        createdAt: new Date(c.createdAt),
        updatedAt: new Date(c.updatedAt),
      },
      currentNumber: c.curNumber,
      currentStatus: c.curStatus,
    }),
  );
  const recentRows = parseJson<(Omit<RecentCallRow, 'calledAt'> & { calledAt: string })[]>(
    raw?.recent ?? '[]',
  ).map((r) => ({ ...r, calledAt: new Date(r.calledAt) }));
  return {
    waiting: policyTicketsFromRaw(parseJson<RawWaiting[]>(raw?.waiting ?? '[]')),
    counters,
    recent: recentRows,
  };
}
