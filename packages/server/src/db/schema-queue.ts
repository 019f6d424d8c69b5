// Tables of the queue context (services, counters, tickets, visits). Included in ./schema.ts.
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { ts } from './columns.ts';

/** Business types a branch offers (A cash, B personal non-cash …), with the service standard's target wait. */
export const queueServices = pgTable(
  'queue_services',
  {
    id: uuid('id').primaryKey(),
    branchId: uuid('branch_id').notNull(),
    code: text('code').notNull(),
    prefix: text('prefix').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    targetWaitSeconds: integer('target_wait_seconds').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('queue_services_branch_code_uq').on(t.branchId, t.code),
    uniqueIndex('queue_services_branch_prefix_uq').on(t.branchId, t.prefix),
  ],
);

/** Counters (窗口): skills in order of preference, state, the ticket at the counter now. */
export const queueCounters = pgTable(
  'queue_counters',
  {
    id: uuid('id').primaryKey(),
    branchId: uuid('branch_id').notNull(),
    number: integer('number').notNull(),
    name: text('name').notNull(),
    skills: text('skills').array().notNull(),
    state: text('state').notNull(),
    pauseReason: text('pause_reason'),
    staffId: uuid('staff_id'),
    currentTicketId: uuid('current_ticket_id'),
    stateChangedAt: ts('state_changed_at').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('queue_counters_branch_number_uq').on(t.branchId, t.number),
    check('queue_counters_state_ck', sql`${t.state} in ('closed','open','paused')`),
  ],
);

/** Last sequence issued per branch, service and business day: one row lock per ticket issued. */
export const queueSequences = pgTable(
  'queue_sequences',
  {
    branchId: uuid('branch_id').notNull(),
    serviceCode: text('service_code').notNull(),
    businessDay: date('business_day', { mode: 'string' }).notNull(),
    lastSequence: integer('last_sequence').notNull(),
  },
  (t) => [primaryKey({ name: 'queue_sequences_pkey', columns: [t.branchId, t.serviceCode, t.businessDay] })],
);

/** One row per ticket (visit): its whole life, never deleted. Events hold every transition. */
export const queueTickets = pgTable(
  'queue_tickets',
  {
    id: uuid('id').primaryKey(),
    branchId: uuid('branch_id').notNull(),
    serviceCode: text('service_code').notNull(),
    /** The service the ticket was issued for, before any transfer. */
    originalServiceCode: text('original_service_code').notNull(),
    businessDay: date('business_day', { mode: 'string' }).notNull(),
    sequence: integer('sequence').notNull(),
    number: text('number').notNull(),
    priorityClass: text('priority_class').notNull(),
    customerId: uuid('customer_id'),
    assistance: text('assistance'),
    locale: text('locale').notNull().default('zh-CN'),
    status: text('status').notNull(),
    /** Served at a counter without having drawn a ticket (recorded for the KPIs). */
    walkUp: boolean('walk_up').notNull().default(false),
    issuedAt: ts('issued_at').notNull(),
    /** Original arrival: a transfer keeps it. */
    arrivedAt: ts('arrived_at').notNull(),
    calledAt: ts('called_at'),
    firstCalledAt: ts('first_called_at'),
    startedAt: ts('started_at'),
    endedAt: ts('ended_at'),
    leftAt: ts('left_at'),
    counterId: uuid('counter_id'),
    targetCounterId: uuid('target_counter_id'),
    staffId: uuid('staff_id'),
    outcome: text('outcome'),
    outcomeNote: text('outcome_note'),
    recallCount: integer('recall_count').notNull().default(0),
    transferCount: integer('transfer_count').notNull().default(0),
    idempotencyKey: text('idempotency_key'),
    triageNote: text('triage_note'),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    // Numbers belong to the service that issued them: a transferred C001 stays C001 in the cash queue.
    uniqueIndex('queue_tickets_sequence_uq').on(t.branchId, t.originalServiceCode, t.businessDay, t.sequence),
    uniqueIndex('queue_tickets_idempotency_uq')
      .on(t.branchId, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} is not null`),
    index('queue_tickets_waiting_idx').on(t.branchId, t.arrivedAt).where(sql`${t.status} = 'waiting'`),
    index('queue_tickets_day_idx').on(t.branchId, t.businessDay),
    check(
      'queue_tickets_status_ck',
      sql`${t.status} in ('waiting','called','serving','served','no_show','abandoned')`,
    ),
  ],
);

/** Visit history imported from a visit-log CSV (queue_tickets stays the live record). */
export const queueVisitHistory = pgTable(
  'queue_visit_history',
  {
    id: uuid('id').primaryKey(),
    branchId: uuid('branch_id').notNull(),
    importJobId: uuid('import_job_id').notNull(),
    visitId: text('visit_id').notNull(),
    site: text('site').notNull(),
    serviceCode: text('service_code').notNull(),
    priority: integer('priority').notNull(),
    /** Local wall-clock times as written in the file (visit logs carry no zone). */
    arrivedAt: text('arrived_at').notNull(),
    calledAt: text('called_at'),
    serviceStartedAt: text('service_started_at'),
    serviceEndedAt: text('service_ended_at'),
    outcome: text('outcome').notNull(),
    counter: text('counter'),
  },
  (t) => [
    uniqueIndex('queue_visit_history_visit_uq').on(t.branchId, t.visitId),
    index('queue_visit_history_arrived_idx').on(t.branchId, t.arrivedAt),
  ],
);

/**
 * A branch's queue policy (calling policy and recalls before a no-show), edited by its branch
 * manager. No row: the domain default. `version` counts edits (optimistic concurrency).
 */
export const queueBranchPolicies = pgTable('queue_branch_policies', {
  branchId: uuid('branch_id').primaryKey(),
  policy: jsonb('policy').notNull(),
  version: integer('version').notNull(),
  updatedAt: ts('updated_at').notNull(),
  updatedBy: uuid('updated_by').notNull(),
});

/** Notices on a branch's display boards ("ATM 2 暂停服务"). Taken down by setting expired_at, never deleted. */
export const queueNotices = pgTable(
  'queue_notices',
  {
    id: uuid('id').primaryKey(),
    branchId: uuid('branch_id').notNull(),
    textZh: text('text_zh').notNull(),
    textEn: text('text_en'),
    level: text('level').notNull(),
    startsAt: ts('starts_at').notNull(),
    /** Null: until taken down by hand. */
    endsAt: ts('ends_at'),
    postedBy: uuid('posted_by').notNull(),
    expiredAt: ts('expired_at'),
    expiredBy: uuid('expired_by'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    index('queue_notices_branch_idx').on(t.branchId, t.startsAt),
    check('queue_notices_level_ck', sql`${t.level} in ('info','warning')`),
  ],
);
