import { createHash, randomBytes } from 'node:crypto';
import { AppError, type TCase } from '@serviceloop/domain';
import { and, asc, eq, gt, isNull, like } from 'drizzle-orm';
import { appendAudit, auditActor } from '../audit/service.ts';
import type { ServerContext } from '../context.ts';
import type { Executor } from '../db/database.ts';
import { orgUnits } from '../db/schema.ts';
import { caseFollowUps, caseRatingTokens, cases, caseTimeline } from '../db/schema-cases.ts';
import { appendEvents } from '../events/outbox.ts';
import type { Actor } from '../identity/actor.ts';
import { newId } from '../ids.ts';

const DAY = 86_400_000;
/** The return visit (回访) is due three days after closure; the rating link lives thirty days. */
export const FOLLOW_UP_AFTER_MS = 3 * DAY;
export const RATING_LINK_TTL_MS = 30 * DAY;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * On closure: schedules the return visit and issues a single-use rating token. Only the hash
 * is stored; the token itself is returned once, for the link sent to the customer.
 */
export async function closeFollowUp(
  tx: Executor,
  ctx: ServerContext,
  c: TCase,
  orgUnitId: string,
  now: Date,
): Promise<string> {
  const followUpId = newId();
  await tx.insert(caseFollowUps).values({
    id: followUpId,
    caseId: c.id,
    orgUnitId,
    assigneeId: c.assigneeId,
    dueAt: new Date(now.getTime() + FOLLOW_UP_AFTER_MS),
    status: 'scheduled',
    createdAt: now,
  });
  const token = randomBytes(24).toString('base64url');
  await tx.insert(caseRatingTokens).values({
    tokenHash: hashToken(token),
    caseId: c.id,
    createdAt: now,
    expiresAt: new Date(now.getTime() + RATING_LINK_TTL_MS),
  });
  await tx.insert(caseTimeline).values({
    caseId: c.id,
    at: now,
    actorId: null,
    type: 'case.follow_up_scheduled',
    fromState: c.state,
    toState: c.state,
    data: { followUpId, dueAt: new Date(now.getTime() + FOLLOW_UP_AFTER_MS).toISOString() },
  });
  await appendEvents(tx, ctx.clock, [
    {
      type: 'case.follow_up_scheduled',
      orgUnitId,
      aggregateType: 'case',
      aggregateId: c.id,
      actorId: null,
      payload: { number: c.number, followUpId },
    },
  ]);
  return token;
}

async function liveToken(db: Executor, token: string, now: Date) {
  const [row] = await db
    .select({ t: caseRatingTokens, number: cases.number, orgUnitId: cases.orgUnitId })
    .from(caseRatingTokens)
    .innerJoin(cases, eq(cases.id, caseRatingTokens.caseId))
    .where(eq(caseRatingTokens.tokenHash, hashToken(token)));
  if (!row) throw new AppError('not_found', 'This rating link does not exist');
  if (row.t.usedAt) throw new AppError('conflict', 'This rating link has already been used');
  if (row.t.expiresAt.getTime() <= now.getTime())
    throw new AppError('not_found', 'This rating link has expired');
  return row;
}

/** What the public rating page shows: only the case number. */
export async function getRatingLink(ctx: ServerContext, token: string): Promise<{ caseNumber: string }> {
  const row = await liveToken(ctx.db, token, ctx.clock());
  return { caseNumber: row.number };
}

/** The customer's 1–5 rating and comment; the token is spent in the same transaction. */
export async function submitRating(
  ctx: ServerContext,
  token: string,
  input: { score: number; comment?: string | undefined },
): Promise<{ caseNumber: string }> {
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock();
    const row = await liveToken(tx, token, now);
    const spent = await tx
      .update(caseRatingTokens)
      .set({ usedAt: now })
      .where(
        and(
          eq(caseRatingTokens.tokenHash, row.t.tokenHash),
          isNull(caseRatingTokens.usedAt),
          gt(caseRatingTokens.expiresAt, now),
        ),
      )
      .returning({ caseId: caseRatingTokens.caseId });
    if (spent.length === 0) throw new AppError('conflict', 'This rating link has already been used');
    const comment = input.comment ?? null;
    await tx
      .update(cases)
      .set({ rating: input.score, ratingComment: comment, ratedAt: now, updatedAt: now })
      .where(eq(cases.id, row.t.caseId));
    await tx.insert(caseTimeline).values({
      caseId: row.t.caseId,
      at: now,
      actorId: null,
      type: 'case.rated',
      fromState: null,
      toState: null,
      data: { score: input.score, comment },
    });
    await appendEvents(tx, ctx.clock, [
      {
        type: 'case.rated',
        orgUnitId: row.orgUnitId,
        aggregateType: 'case',
        aggregateId: row.t.caseId,
        actorId: null,
        payload: { number: row.number, score: input.score },
      },
    ]);
    return { caseNumber: row.number };
  });
}

/** Records the return visit as done (or cancelled), with a note. */
export async function completeFollowUp(
  ctx: ServerContext,
  actor: Actor,
  caseRow: { id: string; orgUnitId: string; number: string },
  followUpId: string,
  input: { status: 'done' | 'cancelled'; note?: string | undefined },
): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const now = ctx.clock();
    const updated = await tx
      .update(caseFollowUps)
      .set({ status: input.status, completedAt: now, completedBy: actor.userId, note: input.note ?? null })
      .where(
        and(
          eq(caseFollowUps.id, followUpId),
          eq(caseFollowUps.caseId, caseRow.id),
          eq(caseFollowUps.status, 'scheduled'),
        ),
      )
      .returning({ id: caseFollowUps.id });
    if (updated.length === 0) throw new AppError('not_found', 'No scheduled return visit with this id');
    await tx.insert(caseTimeline).values({
      caseId: caseRow.id,
      at: now,
      actorId: actor.userId,
      type: 'case.follow_up_completed',
      fromState: null,
      toState: null,
      data: { followUpId, status: input.status, note: input.note ?? null },
    });
    await appendEvents(tx, ctx.clock, [
      {
        type: 'case.follow_up_completed',
        orgUnitId: caseRow.orgUnitId,
        aggregateType: 'case',
        aggregateId: caseRow.id,
        actorId: actor.userId,
        payload: { number: caseRow.number, followUpId, status: input.status },
      },
    ]);
    await appendAudit(tx, ctx.clock, auditActor(actor), {
      action: 'case.follow_up_completed',
      orgUnitId: caseRow.orgUnitId,
      targetType: 'case',
      targetId: caseRow.id,
      details: { followUpId, status: input.status },
    });
  });
}

export interface FollowUpItem {
  readonly id: string;
  readonly caseId: string;
  readonly caseNumber: string;
  readonly subject: string;
  readonly orgUnitId: string;
  readonly assigneeId: string | null;
  readonly dueAt: string;
  readonly status: string;
  readonly overdue: boolean;
}

/** Return visits in scope, soonest first (the workbench's follow-up list). */
export async function listFollowUps(
  ctx: ServerContext,
  scopePath: string,
  status: 'scheduled' | 'done' | 'cancelled',
): Promise<FollowUpItem[]> {
  const now = ctx.clock();
  const rows = await ctx.db
    .select({ f: caseFollowUps, number: cases.number, subject: cases.subject })
    .from(caseFollowUps)
    .innerJoin(cases, eq(cases.id, caseFollowUps.caseId))
    .innerJoin(orgUnits, eq(orgUnits.id, caseFollowUps.orgUnitId))
    .where(and(like(orgUnits.path, `${scopePath}%`), eq(caseFollowUps.status, status)))
    .orderBy(asc(caseFollowUps.dueAt))
    .limit(500);
  return rows.map(({ f, number, subject }) => ({
    id: f.id,
    caseId: f.caseId,
    caseNumber: number,
    subject,
    orgUnitId: f.orgUnitId,
    assigneeId: f.assigneeId,
    dueAt: f.dueAt.toISOString(),
    status: f.status,
    overdue: f.status === 'scheduled' && f.dueAt.getTime() < now.getTime(),
  }));
}
