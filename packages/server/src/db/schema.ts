import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { ts } from './columns.ts';
import * as casesTables from './schema-cases.ts';
import * as notificationTables from './schema-notifications.ts';
import * as queueTables from './schema-queue.ts';

// The one schema definition. Migrations in ./migrations are generated from it (drizzle-kit) and
// a test fails when the migrated database and this file drift apart.

export const orgUnits = pgTable(
  'org_units',
  {
    id: uuid('id').primaryKey(),
    parentId: uuid('parent_id'),
    kind: text('kind').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    timeZone: text('time_zone').notNull(),
    address: text('address'),
    path: text('path').notNull(),
    depth: integer('depth').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('org_units_code_uq').on(t.code),
    index('org_units_path_idx').on(sql`${t.path} text_pattern_ops`),
    index('org_units_parent_idx').on(t.parentId),
    check('org_units_kind_ck', sql`${t.kind} in ('head_office','region','branch','department')`),
  ],
);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    orgUnitId: uuid('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    roles: text('roles').array().notNull(),
    locale: text('locale').notNull().default('zh-CN'),
    active: boolean('active').notNull().default(true),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    lockedUntil: ts('locked_until'),
    lastSignInAt: ts('last_sign_in_at'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [uniqueIndex('users_username_uq').on(t.username), index('users_org_idx').on(t.orgUnitId)],
);

export const sessions = pgTable(
  'sessions',
  {
    // sha-256 of the cookie token: a leaked table does not leak usable sessions.
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    csrfToken: text('csrf_token').notNull(),
    createdAt: ts('created_at').notNull(),
    lastSeenAt: ts('last_seen_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    revokedAt: ts('revoked_at'),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** Readable customer numbers (C00000001), dense and never reused. */
export const customerNoSeq = pgSequence('customer_no_seq', { startWith: 1 });

export const customers = pgTable(
  'customers',
  {
    id: uuid('id').primaryKey(),
    customerNo: text('customer_no').notNull(),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    idType: text('id_type').notNull(),
    idNumber: text('id_number').notNull(),
    phone: text('phone'),
    email: text('email'),
    birthDate: date('birth_date', { mode: 'string' }),
    tier: text('tier').notNull(),
    serviceLevel: text('service_level').notNull(),
    homeBranchId: uuid('home_branch_id')
      .notNull()
      .references(() => orgUnits.id),
    accountManagerId: uuid('account_manager_id').references(() => users.id),
    notes: text('notes'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    deletedAt: ts('deleted_at'),
  },
  (t) => [
    uniqueIndex('customers_no_uq').on(t.customerNo),
    uniqueIndex('customers_id_number_uq').on(t.idType, t.idNumber),
    index('customers_branch_idx').on(t.homeBranchId),
    index('customers_phone_idx').on(t.phone),
    check('customers_kind_ck', sql`${t.kind} in ('person','company')`),
  ],
);

/**
 * What a customer is worth to the bank (DOMAIN §2: pyramid by profit, combined holdings view):
 * a summary of holdings, the assets-under-management band and the yearly profit contribution,
 * as of a date. One current row per customer; every change is audited. Feeds the recovery
 * economics of complaints (compensation against the customer's value).
 */
export const customerValues = pgTable(
  'customer_values',
  {
    customerId: uuid('customer_id')
      .primaryKey()
      .references(() => customers.id),
    /** Deposits (current and time), minor units. */
    depositsMinor: bigint('deposits_minor', { mode: 'number' }).notNull(),
    /** Wealth management, funds, insurance and precious metals held through the bank. */
    investmentsMinor: bigint('investments_minor', { mode: 'number' }).notNull(),
    /** Outstanding loans and card balances (not part of assets under management). */
    loansMinor: bigint('loans_minor', { mode: 'number' }).notNull(),
    /** Derived from deposits + investments: under_50k … over_6m. */
    aumBand: text('aum_band').notNull(),
    /** Yearly profit contribution (年贡献利润). */
    annualProfitMinor: bigint('annual_profit_minor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull().default('CNY'),
    /** How many more years the relationship is expected to last if kept. */
    expectedYears: integer('expected_years').notNull(),
    asOf: date('as_of', { mode: 'string' }).notNull(),
    updatedAt: ts('updated_at').notNull(),
    updatedBy: uuid('updated_by'),
  },
  (t) => [
    index('customer_values_band_idx').on(t.aumBand),
    check('customer_values_years_ck', sql`${t.expectedYears} between 1 and 50`),
  ],
);

export const outboxEvents = pgTable(
  'outbox_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    eventId: uuid('event_id').notNull(),
    type: text('type').notNull(),
    orgUnitId: uuid('org_unit_id'),
    aggregateType: text('aggregate_type').notNull(),
    aggregateId: text('aggregate_id').notNull(),
    actorId: uuid('actor_id'),
    payload: jsonb('payload').notNull(),
    occurredAt: ts('occurred_at').notNull(),
    dispatchedAt: ts('dispatched_at'),
    attempts: integer('attempts').notNull().default(0),
    claimedUntil: ts('claimed_until'),
    lastError: text('last_error'),
  },
  (t) => [
    uniqueIndex('outbox_events_event_id_uq').on(t.eventId),
    index('outbox_events_pending_idx').on(t.id).where(sql`${t.dispatchedAt} is null`),
    index('outbox_events_aggregate_idx').on(t.aggregateType, t.aggregateId),
  ],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    chain: text('chain').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    at: ts('at').notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name'),
    action: text('action').notNull(),
    orgUnitId: uuid('org_unit_id'),
    targetType: text('target_type'),
    targetId: text('target_id'),
    details: jsonb('details').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    uniqueIndex('audit_log_chain_seq_uq').on(t.chain, t.seq),
    index('audit_log_org_at_idx').on(t.orgUnitId, t.at),
  ],
);

export const auditChainHeads = pgTable('audit_chain_heads', {
  chain: text('chain').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
});

export const importJobs = pgTable(
  'import_jobs',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind').notNull(),
    orgUnitId: uuid('org_unit_id').notNull(),
    actorId: uuid('actor_id').notNull(),
    dryRun: boolean('dry_run').notNull(),
    status: text('status').notNull(),
    fileName: text('file_name'),
    total: integer('total').notNull().default(0),
    accepted: integer('accepted').notNull().default(0),
    rejected: integer('rejected').notNull().default(0),
    report: jsonb('report').notNull(),
    createdAt: ts('created_at').notNull(),
    finishedAt: ts('finished_at'),
  },
  (t) => [index('import_jobs_org_idx').on(t.orgUnitId, t.createdAt)],
);

export const schema = {
  orgUnits,
  users,
  sessions,
  customers,
  customerValues,
  outboxEvents,
  auditLog,
  auditChainHeads,
  importJobs,
  ...queueTables,
  ...casesTables,
  ...notificationTables,
};
export type Schema = typeof schema;
