import {
  AppError,
  type TDisplayNotice,
  type TDisplayNotices,
  type TNotice,
  type TNoticeLevel,
  type TPostNoticeRequest,
} from '@serviceloop/domain';
import { and, desc, eq, gt, isNull, lte, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { appendAudit, auditActor } from '../audit/service.ts';
import type { ServerContext } from '../context.ts';
import type { Executor } from '../db/database.ts';
import { outboxEvents, users } from '../db/schema.ts';
import { queueNotices } from '../db/schema-queue.ts';
import { type NewEvent, OUTBOX_CHANNEL, type StoredEvent } from '../events/outbox.ts';
import type { Actor } from '../identity/actor.ts';
import { newId } from '../ids.ts';
import { branchInScope, publicBranch } from './branch.ts';
import { publishLocal } from './stream.ts';

/*
 * Notices on a branch's display boards ("ATM 2 暂停服务"), posted and taken down by lobby
 * managers. Each change is one transaction: the notice row, an audit entry and a
 * `queue.notice_*` event whose payload carries the branch's whole list of active notices and the
 * time of the change (`at`), so a board only has to show the newest list it received (stream.ts
 * forwards it as an SSE `notices` message). Changes of one branch are serialised, so `at` and
 * event ids follow commit order; a board ignores a list older than the one it shows (a late copy
 * from the dispatcher, e.g. after a restart, must not bring back a notice taken down since).
 */

type NoticeRow = typeof queueNotices.$inferSelect;

const MAX_ACTIVE = 20;

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

function toDisplay(row: NoticeRow): TDisplayNotice {
  return {
    id: row.id,
    textZh: row.textZh,
    textEn: row.textEn,
    level: row.level as TNoticeLevel,
    startsAt: row.startsAt.toISOString(),
    endsAt: iso(row.endsAt),
  };
}

const activeAt = (now: Date) =>
  and(
    isNull(queueNotices.expiredAt),
    lte(queueNotices.startsAt, now),
    or(isNull(queueNotices.endsAt), gt(queueNotices.endsAt, now)),
  );

async function activeNotices(db: Executor, branchId: string, now: Date): Promise<NoticeRow[]> {
  return db
    .select()
    .from(queueNotices)
    .where(and(eq(queueNotices.branchId, branchId), activeAt(now)))
    .orderBy(desc(queueNotices.startsAt), desc(queueNotices.id))
    .limit(MAX_ACTIVE);
}

/** What the boards show now (public: no names), with the server's time. */
export async function displayNotices(ctx: ServerContext, branchId: string): Promise<TDisplayNotices> {
  const branch = await publicBranch(ctx, branchId);
  const now = ctx.clock();
  return { at: now.toISOString(), notices: (await activeNotices(ctx.db, branch.id, now)).map(toDisplay) };
}

/**
 * Appends one event like appendEvents does and returns it as stored, so this node's boards can
 * show it at once (publishLocal) instead of waiting for the dispatcher.
 */
async function appendEvent(tx: Executor, ctx: ServerContext, event: NewEvent): Promise<StoredEvent> {
  const now = ctx.clock();
  const [row] = await tx
    .insert(outboxEvents)
    .values({ eventId: newId(), ...event, occurredAt: now })
    .returning({ id: outboxEvents.id, eventId: outboxEvents.eventId });
  await tx.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, '')`);
  if (!row) throw new Error('outbox insert returned no row');
  return { ...event, id: row.id, eventId: row.eventId, occurredAt: now };
}

async function change(
  ctx: ServerContext,
  actor: Actor,
  branchId: string,
  apply: (tx: Executor, now: Date) => Promise<NoticeRow>,
  what: { event: 'queue.notice_posted' | 'queue.notice_expired' },
): Promise<NoticeRow> {
  const { row, event } = await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`queue-notices:${branchId}`}))`);
    const now = ctx.clock();
    const row = await apply(tx, now);
    const notices = (await activeNotices(tx, branchId, now)).map(toDisplay);
    await appendAudit(tx, ctx.clock, auditActor(actor), {
      action: what.event,
      orgUnitId: branchId,
      targetType: 'queue_notice',
      targetId: row.id,
      details: { textZh: row.textZh, textEn: row.textEn, level: row.level, endsAt: iso(row.endsAt) },
    });
    const event = await appendEvent(tx, ctx, {
      type: what.event,
      orgUnitId: branchId,
      aggregateType: 'queue_notice',
      aggregateId: row.id,
      actorId: actor.userId,
      payload: { noticeId: row.id, at: now.toISOString(), notices },
    });
    return { row, event };
  });
  publishLocal(ctx, event);
  return row;
}

/** Posts a notice on the branch's boards, from now until `durationMinutes` or until taken down. */
export async function postNotice(
  ctx: ServerContext,
  actor: Actor,
  input: { branchId: string; request: TPostNoticeRequest },
): Promise<TNotice> {
  const branch = await branchInScope(ctx, actor, input.branchId);
  const { request } = input;
  const row = await change(
    ctx,
    actor,
    branch.id,
    async (tx, now) => {
      const active = await activeNotices(tx, branch.id, now);
      if (active.length >= MAX_ACTIVE) {
        throw new AppError('invalid_state', `At most ${MAX_ACTIVE} notices at once: take one down first`);
      }
      const [inserted] = await tx
        .insert(queueNotices)
        .values({
          id: newId(),
          branchId: branch.id,
          textZh: request.textZh,
          textEn: request.textEn ?? null,
          level: request.level,
          startsAt: now,
          endsAt:
            request.durationMinutes === undefined
              ? null
              : new Date(now.getTime() + request.durationMinutes * 60_000),
          postedBy: actor.userId,
          createdAt: now,
        })
        .returning();
      return inserted as NoticeRow;
    },
    { event: 'queue.notice_posted' },
  );
  return noticeView(ctx, row, ctx.clock());
}

/** Takes a notice down before its end (kept on file, marked expired by whom and when). */
export async function expireNotice(
  ctx: ServerContext,
  actor: Actor,
  input: { branchId: string; noticeId: string },
): Promise<TNotice> {
  const branch = await branchInScope(ctx, actor, input.branchId);
  const row = await change(
    ctx,
    actor,
    branch.id,
    async (tx, now) => {
      const [before] = await tx
        .select()
        .from(queueNotices)
        .where(and(eq(queueNotices.id, input.noticeId), eq(queueNotices.branchId, branch.id)))
        .for('update');
      if (!before) throw new AppError('not_found', 'Notice not found');
      if (before.expiredAt || (before.endsAt && before.endsAt <= now)) {
        throw new AppError('invalid_state', 'This notice is no longer shown');
      }
      const [after] = await tx
        .update(queueNotices)
        .set({ expiredAt: now, expiredBy: actor.userId, endsAt: now })
        .where(eq(queueNotices.id, before.id))
        .returning();
      return after as NoticeRow;
    },
    { event: 'queue.notice_expired' },
  );
  return noticeView(ctx, row, ctx.clock());
}

const poster = alias(users, 'poster');
const expirer = alias(users, 'expirer');

function statusOf(row: NoticeRow, now: Date): TNotice['status'] {
  return row.expiredAt === null && (row.endsAt === null || row.endsAt > now) ? 'active' : 'expired';
}

async function noticeView(ctx: ServerContext, row: NoticeRow, now: Date): Promise<TNotice> {
  const names = await ctx.db
    .select({ id: users.id, name: users.displayName })
    .from(users)
    .where(or(eq(users.id, row.postedBy), row.expiredBy ? eq(users.id, row.expiredBy) : undefined));
  const nameOf = (id: string | null) => (id ? (names.find((n) => n.id === id)?.name ?? null) : null);
  return {
    ...toDisplay(row),
    branchId: row.branchId,
    status: statusOf(row, now),
    postedBy: row.postedBy,
    postedByName: nameOf(row.postedBy),
    expiredAt: iso(row.expiredAt),
    expiredByName: nameOf(row.expiredBy),
  };
}

/** The branch's notices, newest first: the active ones and the last 50 past ones. */
export async function listNotices(ctx: ServerContext, actor: Actor, branchId: string): Promise<TNotice[]> {
  const branch = await branchInScope(ctx, actor, branchId);
  const now = ctx.clock();
  const rows = await ctx.db
    .select({ notice: queueNotices, postedByName: poster.displayName, expiredByName: expirer.displayName })
    .from(queueNotices)
    .leftJoin(poster, eq(poster.id, queueNotices.postedBy))
    .leftJoin(expirer, eq(expirer.id, queueNotices.expiredBy))
    .where(eq(queueNotices.branchId, branch.id))
    .orderBy(desc(queueNotices.startsAt), desc(queueNotices.id))
    .limit(MAX_ACTIVE + 50);
  return rows.map(({ notice, postedByName, expiredByName }) => ({
    ...toDisplay(notice),
    branchId: notice.branchId,
    status: statusOf(notice, now),
    postedBy: notice.postedBy,
    postedByName,
    expiredAt: iso(notice.expiredAt),
    expiredByName,
  }));
}
