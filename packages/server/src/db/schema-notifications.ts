// Tables of the notifications context (in-app inbox, outbound deliveries). Included in ./schema.ts.
import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { ts } from './columns.ts';

/**
 * One row per recipient per event: the in-app inbox. Fed by the outbox dispatcher, which
 * delivers at least once; the unique (event, recipient) pair makes a redelivery a no-op.
 * Never deleted: reading marks `read_at`.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey(),
    recipientId: uuid('recipient_id').notNull(),
    /** The outbox event this notification came from. */
    eventId: uuid('event_id').notNull(),
    type: text('type').notNull(),
    orgUnitId: uuid('org_unit_id'),
    aggregateType: text('aggregate_type').notNull(),
    aggregateId: text('aggregate_id').notNull(),
    /** What the inbox shows: case number, subject, clock, amount, … (no personal data). */
    data: jsonb('data').notNull(),
    occurredAt: ts('occurred_at').notNull(),
    createdAt: ts('created_at').notNull(),
    readAt: ts('read_at'),
  },
  (t) => [
    uniqueIndex('notifications_event_recipient_uq').on(t.eventId, t.recipientId),
    index('notifications_recipient_idx').on(t.recipientId, t.occurredAt),
    index('notifications_unread_idx').on(t.recipientId).where(sql`${t.readAt} is null`),
  ],
);

/**
 * Outbound copies of a notification (e-mail, …) through a channel adapter. One row per
 * notification and channel: a redelivered event finds the row already `sent` and sends nothing.
 */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    notificationId: uuid('notification_id').notNull(),
    channel: text('channel').notNull(),
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    sentAt: ts('sent_at'),
  },
  (t) => [
    uniqueIndex('notification_deliveries_uq').on(t.notificationId, t.channel),
    check('notification_deliveries_status_ck', sql`${t.status} in ('sent','failed','skipped')`),
  ],
);
