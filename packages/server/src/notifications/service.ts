import { AppError } from '@serviceloop/domain';
import { and, count, desc, eq, inArray, isNull, lt, type SQL, sql } from 'drizzle-orm';
import type { ServerContext } from '../context.ts';
import { users } from '../db/schema.ts';
import { notificationDeliveries, notifications } from '../db/schema-notifications.ts';
import type { StoredEvent } from '../events/outbox.ts';
import type { Actor } from '../identity/actor.ts';
import { newId } from '../ids.ts';

/** What an outbound channel gets: the stored notification and who it is for. */
export interface OutboundNotification {
  readonly id: string;
  readonly type: string;
  readonly occurredAt: Date;
  readonly data: Readonly<Record<string, unknown>>;
  readonly recipient: { readonly userId: string; readonly displayName: string; readonly locale: string };
}

/**
 * An outbound channel (e-mail, SMS, a chat bot…). `deliver` may throw: the event is retried by
 * the dispatcher and the channel is asked again, but never again once it has succeeded for a
 * notification (one delivery row per notification and channel). Return 'skipped' when the
 * channel has nothing to send to (no address on file).
 */
export interface NotificationChannel {
  readonly name: string;
  deliver(notification: OutboundNotification): Promise<'sent' | 'skipped'>;
}

const channels = new WeakMap<ServerContext, NotificationChannel[]>();

/** Adds an outbound channel for this server; the in-app inbox is always on. */
export function addNotificationChannel(ctx: ServerContext, channel: NotificationChannel): void {
  channels.set(ctx, [...(channels.get(ctx) ?? []), channel]);
}

export function notificationChannels(ctx: ServerContext): readonly NotificationChannel[] {
  return channels.get(ctx) ?? [];
}

export interface NotifyInput {
  readonly event: StoredEvent;
  readonly recipients: readonly string[];
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * Puts one event into its recipients' inboxes. The dispatcher delivers at least once, so the
 * insert is keyed by (event id, recipient): a redelivery inserts nothing. Outbound channels
 * then get every notification of this event that they have not yet sent.
 */
export async function notify(ctx: ServerContext, input: NotifyInput): Promise<number> {
  const recipients = [...new Set(input.recipients)].filter((r) => UUID.test(r));
  if (recipients.length === 0) return 0;
  const now = ctx.clock();
  const inserted = await ctx.db
    .insert(notifications)
    .values(
      recipients.map((recipientId) => ({
        id: newId(),
        recipientId,
        eventId: input.event.eventId,
        type: input.event.type,
        orgUnitId: input.event.orgUnitId,
        aggregateType: input.event.aggregateType,
        aggregateId: input.event.aggregateId,
        data: { ...input.data },
        occurredAt: input.event.occurredAt,
        createdAt: now,
      })),
    )
    .onConflictDoNothing({ target: [notifications.eventId, notifications.recipientId] })
    .returning({ id: notifications.id });
  const outbound = notificationChannels(ctx);
  if (outbound.length > 0) await deliverOutbound(ctx, input.event.eventId, outbound);
  return inserted.length;
}

async function deliverOutbound(
  ctx: ServerContext,
  eventId: string,
  outbound: readonly NotificationChannel[],
): Promise<void> {
  const rows = await ctx.db
    .select({
      n: notifications,
      displayName: users.displayName,
      locale: users.locale,
    })
    .from(notifications)
    .innerJoin(users, eq(users.id, notifications.recipientId))
    .where(eq(notifications.eventId, eventId));
  if (rows.length === 0) return;
  const done = await ctx.db
    .select({ id: notificationDeliveries.notificationId, channel: notificationDeliveries.channel })
    .from(notificationDeliveries)
    .where(
      and(
        inArray(
          notificationDeliveries.notificationId,
          rows.map((r) => r.n.id),
        ),
        inArray(notificationDeliveries.status, ['sent', 'skipped']),
      ),
    );
  const finished = new Set(done.map((d) => `${d.id}|${d.channel}`));
  let failure: unknown;
  for (const { n, displayName, locale } of rows) {
    for (const channel of outbound) {
      if (finished.has(`${n.id}|${channel.name}`)) continue;
      const now = ctx.clock();
      let status: 'sent' | 'skipped' | 'failed';
      let lastError: string | null = null;
      try {
        status = await channel.deliver({
          id: n.id,
          type: n.type,
          occurredAt: n.occurredAt,
          data: n.data as Record<string, unknown>,
          recipient: { userId: n.recipientId, displayName, locale },
        });
      } catch (error) {
        status = 'failed';
        lastError = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
        failure ??= error;
      }
      await ctx.db
        .insert(notificationDeliveries)
        .values({
          notificationId: n.id,
          channel: channel.name,
          status,
          attempts: 1,
          lastError,
          createdAt: now,
          updatedAt: now,
          sentAt: status === 'sent' ? now : null,
        })
        .onConflictDoUpdate({
          target: [notificationDeliveries.notificationId, notificationDeliveries.channel],
          set: {
            status,
            attempts: sql`${notificationDeliveries.attempts} + 1`,
            lastError,
            updatedAt: now,
            sentAt: status === 'sent' ? now : null,
          },
        });
    }
  }
  // The dispatcher retries the event later; sent copies are not sent again.
  if (failure !== undefined) throw failure;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface NotificationView {
  readonly id: string;
  readonly type: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly data: Record<string, unknown>;
  readonly occurredAt: string;
  readonly readAt: string | null;
}

function view(n: typeof notifications.$inferSelect): NotificationView {
  return {
    id: n.id,
    type: n.type,
    aggregateType: n.aggregateType,
    aggregateId: n.aggregateId,
    data: n.data as Record<string, unknown>,
    occurredAt: n.occurredAt.toISOString(),
    readAt: n.readAt?.toISOString() ?? null,
  };
}

/** The signed-in user's own inbox, newest first; `before` pages back by occurrence time. */
export async function listNotifications(
  ctx: ServerContext,
  actor: Actor,
  query: { unread?: boolean | undefined; before?: string | undefined; limit: number },
): Promise<{ items: NotificationView[]; unread: number }> {
  const filters: SQL[] = [eq(notifications.recipientId, actor.userId)];
  if (query.unread) filters.push(isNull(notifications.readAt));
  if (query.before) filters.push(lt(notifications.occurredAt, new Date(query.before)));
  const rows = await ctx.db
    .select()
    .from(notifications)
    .where(and(...filters))
    .orderBy(desc(notifications.occurredAt), desc(notifications.id))
    .limit(query.limit);
  return { items: rows.map(view), unread: await unreadCount(ctx, actor) };
}

export async function unreadCount(ctx: ServerContext, actor: Actor): Promise<number> {
  const [row] = await ctx.db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.recipientId, actor.userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

/** Marks one of the user's own notifications read; anyone else's is "not found". */
export async function markRead(ctx: ServerContext, actor: Actor, id: string): Promise<NotificationView> {
  const now = ctx.clock();
  await ctx.db
    .update(notifications)
    .set({ readAt: now })
    .where(
      and(
        eq(notifications.id, id),
        eq(notifications.recipientId, actor.userId),
        isNull(notifications.readAt),
      ),
    );
  const [row] = await ctx.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.id, id), eq(notifications.recipientId, actor.userId)));
  if (!row) throw new AppError('not_found', 'Notification not found');
  return view(row);
}

export async function markAllRead(ctx: ServerContext, actor: Actor): Promise<{ marked: number }> {
  const rows = await ctx.db
    .update(notifications)
    .set({ readAt: ctx.clock() })
    .where(and(eq(notifications.recipientId, actor.userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return { marked: rows.length };
}
