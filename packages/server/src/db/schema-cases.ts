// Tables of the cases context (cases, SLA clocks, calendars, approvals). Included in ./schema.ts.
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { ts } from './columns.ts';

/** Readable case numbers: one counter per case type and year of receipt (CMP-2026-000123). */
export const caseNumberCounters = pgTable(
  'case_number_counters',
  {
    caseType: text('case_type').notNull(),
    year: integer('year').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ name: 'case_number_counters_pkey', columns: [t.caseType, t.year] })],
);

/**
 * One row per case. `record` is the whole domain case (validated by the domain's ZCase when
 * read); the other columns are projections of it for scoping, filtering and reports.
 * Nothing is deleted: merged and withdrawn are states.
 */
export const cases = pgTable(
  'cases',
  {
    id: uuid('id').primaryKey(),
    number: text('number').notNull(),
    type: text('type').notNull(),
    channel: text('channel').notNull(),
    customerId: uuid('customer_id'),
    /** Walk-in contact (name, phone, email) when no customer is linked. */
    contact: jsonb('contact'),
    orgUnitId: uuid('org_unit_id').notNull(),
    assigneeId: uuid('assignee_id'),
    createdBy: uuid('created_by').notNull(),
    state: text('state').notNull(),
    severity: text('severity').notNull(),
    serviceLevel: text('service_level').notNull(),
    subject: text('subject').notNull(),
    record: jsonb('record').notNull(),
    jrtChannel: text('jrt_channel'),
    jrtBusinessType: text('jrt_business_type'),
    jrtCause: text('jrt_cause'),
    rootCauseCategory: text('root_cause_category'),
    rootCauseText: text('root_cause_text'),
    /** Granted plus approved compensation, minor units. */
    compensationMinor: bigint('compensation_minor', { mode: 'number' }).notNull().default(0),
    currency: text('currency').notNull().default('CNY'),
    slaPolicyId: text('sla_policy_id').notNull(),
    calendarId: text('calendar_id').notNull(),
    /** The resolved configuration the case was opened under (case_config_snapshots); null = code defaults. */
    configSnapshotId: text('config_snapshot_id'),
    receivedAt: ts('received_at').notNull(),
    closedAt: ts('closed_at'),
    mergedIntoId: uuid('merged_into_id'),
    rating: smallint('rating'),
    ratingComment: text('rating_comment'),
    ratedAt: ts('rated_at'),
    version: integer('version').notNull(),
    /** The Idempotency-Key of the intake request: a retry returns the first case. */
    idempotencyKey: text('idempotency_key'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('cases_number_uq').on(t.number),
    uniqueIndex('cases_idempotency_uq')
      .on(t.createdBy, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} is not null`),
    index('cases_org_received_idx').on(t.orgUnitId, t.receivedAt),
    index('cases_state_idx').on(t.state),
    index('cases_assignee_idx').on(t.assigneeId),
    index('cases_customer_idx').on(t.customerId),
    check('cases_type_ck', sql`${t.type} in ('complaint','ebanking_support','internal_request')`),
    check('cases_rating_ck', sql`${t.rating} is null or ${t.rating} between 1 and 5`),
  ],
);

/** Everything that happened to a case, in order: transitions, warnings, escalations, ratings. */
export const caseTimeline = pgTable(
  'case_timeline',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: uuid('case_id').notNull(),
    at: ts('at').notNull(),
    actorId: uuid('actor_id'),
    type: text('type').notNull(),
    fromState: text('from_state'),
    toState: text('to_state'),
    data: jsonb('data').notNull(),
  },
  (t) => [index('case_timeline_case_idx').on(t.caseId, t.id)],
);

/**
 * One row per clock per case (acknowledgement, first response, resolution, approval of one
 * compensation, review decision). The worker looks for `next_fire_at <= now`.
 */
export const caseSlaClocks = pgTable(
  'case_sla_clocks',
  {
    id: uuid('id').primaryKey(),
    caseId: uuid('case_id').notNull(),
    /** The domain clock id, `<caseId>:<role>` (approval clocks add the compensation id). */
    clockKey: text('clock_key').notNull(),
    role: text('role').notNull(),
    definition: jsonb('definition').notNull(),
    calendarId: text('calendar_id').notNull(),
    policy: jsonb('policy').notNull(),
    measure: text('measure').notNull(),
    generation: integer('generation').notNull().default(0),
    startedAt: ts('started_at').notNull(),
    dueAt: ts('due_at').notNull(),
    /** First warning instant (null while suspended by a pause). */
    warnAt: ts('warn_at'),
    pauses: jsonb('pauses').notNull(),
    /** Applied extensions of the definition (e.g. cn-nfra-2020 further_30_approved). */
    extensions: jsonb('extensions').notNull().default([]),
    state: text('state').notNull(),
    stoppedAt: ts('stopped_at'),
    /** Earliest scheduled notification not yet fired; null when nothing more can fire. */
    nextFireAt: ts('next_fire_at'),
    breachedAt: ts('breached_at'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('case_sla_clocks_key_uq').on(t.clockKey),
    index('case_sla_clocks_case_idx').on(t.caseId),
    index('case_sla_clocks_next_idx').on(t.nextFireAt).where(sql`${t.nextFireAt} is not null`),
    check('case_sla_clocks_state_ck', sql`${t.state} in ('running','paused','stopped')`),
  ],
);

/** Fired warnings, breaches and escalations. The unique key is THE exactly-once guarantee. */
export const caseSlaNotifications = pgTable(
  'case_sla_notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    key: text('key').notNull(),
    clockId: uuid('clock_id').notNull(),
    caseId: uuid('case_id').notNull(),
    kind: text('kind').notNull(),
    recipients: text('recipients').array().notNull(),
    scheduledAt: ts('scheduled_at').notNull(),
    firedAt: ts('fired_at').notNull(),
  },
  (t) => [
    uniqueIndex('case_sla_notifications_key_uq').on(t.key),
    index('case_sla_notifications_case_idx').on(t.caseId),
  ],
);

/** Compensation above the requester's authority, waiting for (or decided by) an approver. */
export const caseCompensationApprovals = pgTable(
  'case_compensation_approvals',
  {
    /** The domain compensation id, `<caseId>:comp:<n>`. */
    id: text('id').primaryKey(),
    caseId: uuid('case_id').notNull(),
    orgUnitId: uuid('org_unit_id').notNull(),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    reason: text('reason').notNull(),
    status: text('status').notNull(),
    requestedBy: uuid('requested_by').notNull(),
    requestedAt: ts('requested_at').notNull(),
    decidedBy: uuid('decided_by'),
    decidedAt: ts('decided_at'),
    note: text('note'),
  },
  (t) => [
    index('case_compensation_approvals_case_idx').on(t.caseId),
    index('case_compensation_approvals_org_status_idx').on(t.orgUnitId, t.status),
  ],
);

/** Imported business calendars (built-in ones live in the domain). */
/**
 * Calendars imported under a name (`serviceloop calendar import --name`): the latest version of
 * each, read by name. Every version, the latest included, is kept in business_calendar_versions.
 */
export const businessCalendars = pgTable(
  'business_calendars',
  {
    name: text('name').primaryKey(),
    calendar: jsonb('calendar').notNull(),
    source: text('source').notNull(),
    warnings: jsonb('warnings').notNull(),
    /** The version `calendar` is (the latest). */
    version: integer('version').notNull().default(1),
    importedAt: ts('imported_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  () => [],
);

/** Each import of a named calendar: a new version, only ever inserted. */
export const businessCalendarVersions = pgTable(
  'business_calendar_versions',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    version: integer('version').notNull(),
    calendar: jsonb('calendar').notNull(),
    /** ics:<file name> */
    source: text('source').notNull(),
    /** What changed against the previous version (counts and dates). */
    changes: jsonb('changes').notNull(),
    warnings: jsonb('warnings').notNull(),
    note: text('note'),
    createdByName: text('created_by_name'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('business_calendar_versions_name_version_uq').on(t.name, t.version)],
);

/** Single-use rating links: only the sha-256 of the token is stored. */
export const caseRatingTokens = pgTable(
  'case_rating_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    caseId: uuid('case_id').notNull(),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
  },
  (t) => [index('case_rating_tokens_case_idx').on(t.caseId)],
);

/** Return visits (回访) scheduled when a case closes. */
export const caseFollowUps = pgTable(
  'case_follow_ups',
  {
    id: uuid('id').primaryKey(),
    caseId: uuid('case_id').notNull(),
    orgUnitId: uuid('org_unit_id').notNull(),
    assigneeId: uuid('assignee_id'),
    dueAt: ts('due_at').notNull(),
    status: text('status').notNull(),
    completedAt: ts('completed_at'),
    completedBy: uuid('completed_by'),
    note: text('note'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    index('case_follow_ups_org_due_idx').on(t.orgUnitId, t.dueAt),
    check('case_follow_ups_status_ck', sql`${t.status} in ('scheduled','done','cancelled')`),
  ],
);

/**
 * Versions of an org unit's case-engine configuration override (SLA presets and policy,
 * escalation chain, compensation authority, locks). Rows are only ever inserted: the latest
 * version per unit is in force, older ones are the history; "back to inherited" is a new version.
 */
export const caseConfigVersions = pgTable(
  'case_config_versions',
  {
    id: uuid('id').primaryKey(),
    orgUnitId: uuid('org_unit_id').notNull(),
    version: integer('version').notNull(),
    override: jsonb('override').notNull(),
    note: text('note'),
    createdBy: uuid('created_by'),
    createdByName: text('created_by_name'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('case_config_versions_unit_version_uq').on(t.orgUnitId, t.version)],
);

/** A resolved configuration, by the sha-256 of its canonical JSON; cases point at the one they were opened under. */
export const caseConfigSnapshots = pgTable('case_config_snapshots', {
  id: text('id').primaryKey(),
  config: jsonb('config').notNull(),
  /** Which unit's version each section came from. */
  sources: jsonb('sources').notNull(),
  createdAt: ts('created_at').notNull(),
});

/**
 * Versions of an org unit's own business calendar (working week, holidays, make-up days).
 * `calendar` null means the unit inherits again from the unit above. Clocks refer to a version
 * (`unit:<orgUnitId>@<version>`), so a later change never moves an open case's deadlines.
 */
export const caseUnitCalendarVersions = pgTable(
  'case_unit_calendar_versions',
  {
    id: uuid('id').primaryKey(),
    orgUnitId: uuid('org_unit_id').notNull(),
    version: integer('version').notNull(),
    calendar: jsonb('calendar'),
    /** edit, copy:<calendar>, ics:<file name>, inherit. */
    source: text('source').notNull(),
    /** What changed against the previous effective calendar (counts and dates). */
    changes: jsonb('changes').notNull(),
    warnings: jsonb('warnings').notNull(),
    note: text('note'),
    createdBy: uuid('created_by'),
    createdByName: text('created_by_name'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('case_unit_calendar_versions_unit_version_uq').on(t.orgUnitId, t.version)],
);
