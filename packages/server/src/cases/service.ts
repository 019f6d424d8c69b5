import {
  AppError,
  allowedActions,
  caseNumberYear,
  clockPeriod,
  computeClockDue,
  formatCaseNumber,
  newCase,
  OpenCaseStates,
  resolveClock,
  type TCase,
  type TCaseAction,
  type TCaseActor,
  type TCaseEvent,
  transition,
} from '@serviceloop/domain';
import { and, asc, count, desc, eq, inArray, isNull, like, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { appendAudit, auditActor } from '../audit/service.ts';
import type { ServerContext } from '../context.ts';
import type { Executor } from '../db/database.ts';
import { customers, orgUnits, users } from '../db/schema.ts';
import {
  caseCompensationApprovals,
  caseFollowUps,
  caseSlaClocks,
  cases,
  caseTimeline,
} from '../db/schema-cases.ts';
import { appendEvents } from '../events/outbox.ts';
import { type Actor, assertInScope } from '../identity/actor.ts';
import { newId } from '../ids.ts';
import { getOrgUnitInScope } from '../org/service.ts';
import { loadCalendar, resolveUnitCalendar } from './calendars.ts';
import {
  applyEventsToClocks,
  type ExtensionStep,
  extendResolutionClock,
  loadCaseClocks,
  presetOf,
  riskOf,
  startCaseClocks,
} from './clocks.ts';
import { authorityFor, caseConfigOf, resolveUnitConfig, snapshotConfig } from './config.ts';
import type {
  TCaseActionResult,
  TCaseDetail,
  TCaseIntakeRequest,
  TCaseListItem,
  TCaseListQuery,
} from './contracts.ts';
import { closeFollowUp } from './follow-up.ts';
import { caseFromRecord } from './records.ts';

export type CaseRow = typeof cases.$inferSelect;

const assignee = alias(users, 'assignee');

export function caseActorOf(actor: Actor): TCaseActor {
  return { userId: actor.userId, roles: [...actor.roles] };
}

/** The row columns that are projections of the domain record. */
export function projection(c: TCase, now: Date) {
  const counted = c.compensations.filter((x) => x.status === 'granted' || x.status === 'approved');
  const cls = c.complaint?.classification ?? null;
  return {
    state: c.state,
    assigneeId: c.assigneeId,
    severity: c.complaint?.severity ?? 'medium',
    serviceLevel: c.complaint?.serviceLevel ?? 'unrated',
    subject: c.subject,
    record: c,
    jrtChannel: cls?.channel ?? null,
    jrtBusinessType: cls?.businessType ?? null,
    jrtCause: cls?.cause ?? null,
    rootCauseCategory: c.rootCause?.category ?? null,
    rootCauseText: c.rootCause?.text ?? null,
    compensationMinor: counted.reduce((s, x) => s + x.amount.amountMinor, 0),
    currency: counted[0]?.amount.currency ?? c.compensations[0]?.amount.currency ?? 'CNY',
    closedAt: c.closedAt,
    mergedIntoId: c.mergedIntoCaseId,
    version: c.version,
    updatedAt: now,
  };
}

/**
 * Writes a changed case over the version it was read at (optimistic locking): a colleague's
 * change in between is a conflict, never overwritten.
 */
export async function saveCase(db: Executor, before: TCase, after: TCase, now: Date): Promise<void> {
  const updated = await db
    .update(cases)
    .set(projection(after, now))
    .where(and(eq(cases.id, before.id), eq(cases.version, before.version)))
    .returning({ id: cases.id });
  if (updated.length === 0) throw new AppError('conflict', 'The case changed meanwhile; reload and retry');
}

/** A case the actor may see, with its org unit; other branches' cases are "not found". */
export async function caseInScope(db: Executor, actor: Actor, id: string) {
  if (!UUID.test(id)) throw new AppError('not_found', 'Case not found');
  const [row] = await db
    .select({ c: cases, path: orgUnits.path, unitName: orgUnits.name, timeZone: orgUnits.timeZone })
    .from(cases)
    .innerJoin(orgUnits, eq(orgUnits.id, cases.orgUnitId))
    .where(eq(cases.id, id));
  assertInScope(actor, row?.path, 'Case');
  return row as NonNullable<typeof row>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function assertUserInScope(db: Executor, actor: Actor, userId: string | null | undefined) {
  if (!userId) return;
  if (!UUID.test(userId)) throw new AppError('not_found', 'User not found');
  const [u] = await db
    .select({ path: orgUnits.path })
    .from(users)
    .innerJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
    .where(and(eq(users.id, userId), eq(users.active, true)));
  assertInScope(actor, u?.path, 'User');
}

async function nextCaseSequence(tx: Executor, type: string, year: number): Promise<number> {
  const result: unknown = await tx.execute(sql`
    insert into case_number_counters (case_type, year, last) values (${type}, ${year}, 1)
    on conflict (case_type, year) do update set last = case_number_counters.last + 1
    returning last`);
  const rows = (result as { rows: { last: number | string }[] }).rows;
  return Number(rows[0]?.last);
}

export async function recordEvents(
  tx: Executor,
  ctx: ServerContext,
  c: TCase,
  orgUnitId: string,
  events: readonly TCaseEvent[],
): Promise<void> {
  if (events.length === 0) return;
  await tx.insert(caseTimeline).values(
    events.map((e) => ({
      caseId: c.id,
      at: e.at,
      actorId: e.actorId,
      type: e.type,
      fromState: e.from,
      toState: e.to,
      data: { ...e.data },
    })),
  );
  await appendEvents(
    tx,
    ctx.clock,
    events.map((e) => ({
      type: e.type,
      orgUnitId,
      aggregateType: 'case',
      aggregateId: c.id,
      actorId: e.actorId,
      payload: { number: c.number, caseType: c.type, from: e.from, to: e.to, ...e.data },
    })),
  );
}

/** Keeps the approvals inbox in step with the compensations on the record. */
async function syncApprovals(tx: Executor, c: TCase, orgUnitId: string, events: readonly TCaseEvent[]) {
  for (const e of events) {
    const id = typeof e.data.compensationId === 'string' ? e.data.compensationId : undefined;
    const comp = id ? c.compensations.find((x) => x.id === id) : undefined;
    if (!comp) continue;
    if (e.type === 'case.compensation_approval_requested') {
      await tx.insert(caseCompensationApprovals).values({
        id: comp.id,
        caseId: c.id,
        orgUnitId,
        amountMinor: comp.amount.amountMinor,
        currency: comp.amount.currency,
        reason: comp.reason,
        status: comp.status,
        requestedBy: comp.requestedBy,
        requestedAt: comp.requestedAt,
      });
    } else if (e.type === 'case.compensation_approved' || e.type === 'case.compensation_declined') {
      await tx
        .update(caseCompensationApprovals)
        .set({ status: comp.status, decidedBy: comp.decidedBy, decidedAt: comp.decidedAt, note: comp.note })
        .where(eq(caseCompensationApprovals.id, comp.id));
    }
  }
}

const AUDITED_COMPENSATION = new Set([
  'case.compensation_granted',
  'case.compensation_approval_requested',
  'case.compensation_approved',
  'case.compensation_declined',
]);

async function auditEvents(
  tx: Executor,
  ctx: ServerContext,
  actor: Actor,
  c: TCase,
  orgUnitId: string,
  action: string,
  events: readonly TCaseEvent[],
) {
  await appendAudit(tx, ctx.clock, auditActor(actor), {
    action,
    orgUnitId,
    targetType: 'case',
    targetId: c.id,
    details: { number: c.number, events: events.map((e) => e.type), state: c.state },
  });
  for (const e of events.filter((x) => AUDITED_COMPENSATION.has(x.type))) {
    await appendAudit(tx, ctx.clock, auditActor(actor), {
      action: e.type,
      orgUnitId,
      targetType: 'case',
      targetId: c.id,
      details: { number: c.number, ...e.data },
    });
  }
}

/** Counter intake: one transaction records the case, starts its clocks and handles compensation. */
export async function createCase(
  ctx: ServerContext,
  actor: Actor,
  input: TCaseIntakeRequest,
  idempotencyKey?: string,
): Promise<{ detail: TCaseDetail; replayed: boolean }> {
  const earlier = async () => {
    if (!idempotencyKey) return undefined;
    const [row] = await ctx.db
      .select({ id: cases.id })
      .from(cases)
      .where(and(eq(cases.createdBy, actor.userId), eq(cases.idempotencyKey, idempotencyKey)));
    return row?.id;
  };
  const first = await earlier();
  if (first) return { detail: await getCase(ctx, actor, first), replayed: true };
  let id: string;
  try {
    id = await insertCase(ctx, actor, input, idempotencyKey);
  } catch (error) {
    // Two attempts with the same key at once: the loser answers with the winner's case.
    const winner = await earlier();
    if (!winner) throw error;
    return { detail: await getCase(ctx, actor, winner), replayed: true };
  }
  return { detail: await getCase(ctx, actor, id), replayed: false };
}

async function insertCase(
  ctx: ServerContext,
  actor: Actor,
  input: TCaseIntakeRequest,
  idempotencyKey: string | undefined,
): Promise<string> {
  return ctx.db.transaction(async (tx) => {
    const unit = await getOrgUnitInScope(tx, actor, input.orgUnitId);
    let customerId: string | null = null;
    let contact: Record<string, unknown> | null = null;
    if (input.customer.kind === 'linked') {
      // A customer may complain at any branch: existence is checked, not the customer's home branch.
      const [cust] = await tx
        .select({ id: customers.id })
        .from(customers)
        .where(and(eq(customers.id, input.customer.customerId), isNull(customers.deletedAt)));
      if (!cust) throw new AppError('not_found', 'Customer not found');
      customerId = cust.id;
    } else if (input.customer.kind === 'walk_in') {
      contact = { ...input.customer };
    } else {
      await assertUserInScope(tx, actor, input.customer.userId);
    }
    await assertUserInScope(tx, actor, input.assigneeId);
    const now = ctx.clock();
    const year = caseNumberYear(now, unit.timeZone);
    const number = formatCaseNumber(input.type, year, await nextCaseSequence(tx, input.type, year));
    const { compensation, ...request } = input;
    let c = newCase(request, { id: newId(), number }, now);
    const events: TCaseEvent[] = [];
    // The unit's configuration and calendar in force now; the case keeps both (snapshot, calendar version).
    const [{ resolved }, unitCalendar] = await Promise.all([
      resolveUnitConfig(tx, unit.id),
      resolveUnitCalendar(tx, unit.id),
    ]);
    if (compensation) {
      const result = transition(
        c,
        { type: 'offer_compensation', amount: compensation.amount, reason: compensation.reason },
        caseActorOf(actor),
        now,
        { compensationAuthority: await authorityFor(tx, actor, unit.id) },
      );
      if (!result.ok) throw result.error;
      c = result.case;
      events.push(...result.events);
    }
    const { ref: calendarId, calendar } = unitCalendar;
    const configSnapshotId = await snapshotConfig(tx, resolved, now);
    await tx.insert(cases).values({
      id: c.id,
      number,
      type: c.type,
      channel: c.channel,
      customerId,
      contact,
      orgUnitId: unit.id,
      createdBy: actor.userId,
      slaPolicyId: resolved.config.policy.id,
      calendarId,
      configSnapshotId,
      receivedAt: now,
      createdAt: now,
      idempotencyKey: idempotencyKey ?? null,
      ...projection(c, now),
    });
    await startCaseClocks(tx, c, calendarId, calendar, now, resolved.config);
    await applyEventsToClocks(tx, c, events, calendarId, calendar, now);
    const created: TCaseEvent = {
      type: 'case.created',
      caseId: c.id,
      at: now,
      actorId: actor.userId,
      from: 'received',
      to: 'received',
      data: { channel: c.channel, subject: c.subject, assigneeId: c.assigneeId },
    };
    await recordEvents(tx, ctx, c, unit.id, [created, ...events]);
    await syncApprovals(tx, c, unit.id, events);
    await auditEvents(tx, ctx, actor, c, unit.id, 'case.created', events);
    return c.id;
  });
}

/** End of the window in which the customer may ask for a review (cn-nfra-2020 review_request). */
async function reviewDeadline(db: Executor, row: CaseRow, c: TCase): Promise<Date | undefined> {
  if (c.type !== 'complaint' || !c.decisionAt) return undefined;
  const [calendar, config] = await Promise.all([loadCalendar(db, row.calendarId), caseConfigOf(db, row.id)]);
  return computeClockDue({
    definition: resolveClock(presetOf(config, 'cn-nfra-2020'), 'review_request'),
    receivedAt: c.decisionAt,
    calendar,
  }).due;
}

/** Applies one workflow action through the domain's state machine, in one transaction. */
export async function actOnCase(
  ctx: ServerContext,
  actor: Actor,
  id: string,
  action: TCaseAction,
): Promise<TCaseActionResult> {
  const ratingToken = await ctx.db.transaction(async (tx) => {
    const { c: row } = await caseInScope(tx, actor, id);
    const before = caseFromRecord(row.record);
    if (action.type === 'merge') {
      const target = await caseInScope(tx, actor, action.intoCaseId);
      if (['merged', 'withdrawn'].includes(target.c.state)) {
        throw new AppError('invalid_state', 'Cannot merge into a merged or withdrawn case');
      }
    }
    if (action.type === 'assign') await assertUserInScope(tx, actor, action.assigneeId);
    const now = ctx.clock();
    const deadline = await reviewDeadline(tx, row, before);
    const result = transition(before, action, caseActorOf(actor), now, {
      ...(deadline ? { reviewRequestDeadline: deadline } : {}),
      compensationAuthority: await authorityFor(tx, actor, row.orgUnitId),
    });
    if (!result.ok) throw result.error;
    const after = result.case;
    await saveCase(tx, before, after, now);
    const calendar = await loadCalendar(tx, row.calendarId);
    await applyEventsToClocks(tx, after, result.events, row.calendarId, calendar, now);
    await recordEvents(tx, ctx, after, row.orgUnitId, result.events);
    await syncApprovals(tx, after, row.orgUnitId, result.events);
    await auditEvents(tx, ctx, actor, after, row.orgUnitId, `case.${action.type}`, result.events);
    if (result.events.some((e) => e.type === 'case.closed')) {
      return closeFollowUp(tx, ctx, after, row.orgUnitId, now);
    }
    return null;
  });
  return { ...(await getCase(ctx, actor, id)), ratingToken };
}

export async function getCase(ctx: ServerContext, actor: Actor, id: string): Promise<TCaseDetail> {
  const { c: row, unitName, timeZone } = await caseInScope(ctx.db, actor, id);
  const c = caseFromRecord(row.record);
  const [clocks, timeline, followUps] = await Promise.all([
    loadCaseClocks(ctx.db, id),
    ctx.db.select().from(caseTimeline).where(eq(caseTimeline.caseId, id)).orderBy(asc(caseTimeline.id)),
    ctx.db.select().from(caseFollowUps).where(eq(caseFollowUps.caseId, id)).orderBy(asc(caseFollowUps.dueAt)),
  ]);
  const now = ctx.clock();
  return {
    case: c,
    orgUnitName: unitName,
    orgUnitTimeZone: timeZone,
    risk: riskOf(
      clocks.map((k) => k.row),
      now,
    ),
    allowedActions: allowedActions(c),
    clocks: clocks.map(({ row, state, definition, extensions }) => ({
      id: row.id,
      role: row.role,
      clockKey: row.clockKey,
      label: definition.label,
      period: clockPeriod(definition, extensions),
      startedAt: row.startedAt.toISOString(),
      dueAt: row.dueAt.toISOString(),
      warnAt: row.warnAt?.toISOString() ?? null,
      state: row.state as 'running' | 'paused' | 'stopped',
      stoppedAt: row.stoppedAt?.toISOString() ?? null,
      breached: (row.stoppedAt ?? now).getTime() >= row.dueAt.getTime(),
      fired: state.fired,
    })),
    timeline: timeline.map((t) => ({
      id: t.id,
      at: t.at.toISOString(),
      actorId: t.actorId,
      type: t.type,
      fromState: t.fromState,
      toState: t.toState,
      data: t.data as Record<string, unknown>,
    })),
    followUps: followUps.map((f) => ({
      id: f.id,
      dueAt: f.dueAt.toISOString(),
      status: f.status as 'scheduled' | 'done' | 'cancelled',
      assigneeId: f.assigneeId,
      completedAt: f.completedAt?.toISOString() ?? null,
      note: f.note,
    })),
    rating:
      row.rating !== null && row.ratedAt
        ? { score: row.rating, comment: row.ratingComment, at: row.ratedAt.toISOString() }
        : null,
  };
}

function riskCondition(risk: 'ok' | 'warning' | 'breached', now: Date): SQL {
  const breached = sql`exists (select 1 from case_sla_clocks k where k.case_id = ${cases.id}
    and k.state <> 'stopped' and k.due_at <= ${now})`;
  const warning = sql`exists (select 1 from case_sla_clocks k where k.case_id = ${cases.id}
    and k.state <> 'stopped' and k.warn_at <= ${now})`;
  if (risk === 'breached') return breached;
  if (risk === 'warning') return sql`(not ${breached} and ${warning})`;
  return sql`(not ${breached} and not ${warning})`;
}

/** Open cases (still being worked): closed, merged and withdrawn ones are not. */
export const OPEN_STATES = OpenCaseStates;

/** The inbox: cases in scope, filtered, with their nearest due time and SLA risk. */
export async function listCases(
  ctx: ServerContext,
  actor: Actor,
  scopePath: string,
  query: TCaseListQuery,
): Promise<{ items: TCaseListItem[]; total: number }> {
  const now = ctx.clock();
  const filters: SQL[] = [like(orgUnits.path, `${scopePath}%`)];
  if (query.state) filters.push(eq(cases.state, query.state));
  if (query.type) filters.push(eq(cases.type, query.type));
  if (query.assigneeId) {
    filters.push(eq(cases.assigneeId, query.assigneeId === 'me' ? actor.userId : query.assigneeId));
  }
  if (query.open !== undefined) {
    const list = sql.join(
      OPEN_STATES.map((s) => sql`${s}`),
      sql`, `,
    );
    filters.push(query.open ? sql`${cases.state} in (${list})` : sql`${cases.state} not in (${list})`);
  }
  if (query.risk) filters.push(riskCondition(query.risk, now));
  if (query.q) {
    const term = `%${query.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    filters.push(sql`(${cases.number} ilike ${term} or ${cases.subject} ilike ${term})`);
  }
  const where = and(...filters);
  const nextDue = sql<Date | string | null>`(select min(k.due_at) from case_sla_clocks k
    where k.case_id = ${cases.id} and k.state <> 'stopped')`;
  const rows = await ctx.db
    .select({
      c: cases,
      unitName: orgUnits.name,
      unitTimeZone: orgUnits.timeZone,
      assigneeName: assignee.displayName,
      nextDue,
    })
    .from(cases)
    .innerJoin(orgUnits, eq(orgUnits.id, cases.orgUnitId))
    .leftJoin(assignee, eq(assignee.id, cases.assigneeId))
    .where(where)
    .orderBy(
      ...(query.sort === 'due'
        ? [sql`${nextDue} asc nulls last`, desc(cases.receivedAt)]
        : [desc(cases.receivedAt), desc(cases.id)]),
    )
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  const [total] = await ctx.db
    .select({ n: count() })
    .from(cases)
    .innerJoin(orgUnits, eq(orgUnits.id, cases.orgUnitId))
    .where(where);
  const ids = rows.map((r) => r.c.id);
  const clockRows =
    ids.length > 0
      ? await ctx.db
          .select({
            caseId: caseSlaClocks.caseId,
            state: caseSlaClocks.state,
            dueAt: caseSlaClocks.dueAt,
            warnAt: caseSlaClocks.warnAt,
            stoppedAt: caseSlaClocks.stoppedAt,
          })
          .from(caseSlaClocks)
          .where(inArray(caseSlaClocks.caseId, ids))
      : [];
  return {
    total: total?.n ?? 0,
    items: rows.map((r) => ({
      id: r.c.id,
      number: r.c.number,
      type: r.c.type as TCaseListItem['type'],
      state: r.c.state as TCaseListItem['state'],
      channel: r.c.channel as TCaseListItem['channel'],
      subject: r.c.subject,
      orgUnitId: r.c.orgUnitId,
      orgUnitName: r.unitName,
      orgUnitTimeZone: r.unitTimeZone,
      assigneeId: r.c.assigneeId,
      assigneeName: r.assigneeName,
      severity: r.c.severity,
      serviceLevel: r.c.serviceLevel,
      receivedAt: r.c.receivedAt.toISOString(),
      nextDueAt: r.nextDue ? new Date(r.nextDue).toISOString() : null,
      risk: riskOf(
        clockRows.filter((k) => k.caseId === r.c.id),
        now,
      ),
      compensationMinor: r.c.compensationMinor,
      currency: r.c.currency,
    })),
  };
}

/** Extends a complaint's resolution period (cn-nfra-2020); audited and on the timeline. */
export async function extendResolutionPeriod(
  ctx: ServerContext,
  actor: Actor,
  id: string,
  input: { step: ExtensionStep; reason?: string | undefined; customerNotified: boolean },
): Promise<TCaseDetail> {
  await ctx.db.transaction(async (tx) => {
    const { c: row } = await caseInScope(tx, actor, id);
    const c = caseFromRecord(row.record);
    if (input.step === 'further_30_approved') {
      if (!actor.permissions.has('case.approve')) {
        throw new AppError('forbidden', 'The further 30 days need an approver (case.approve)');
      }
      if (!input.customerNotified) {
        throw new AppError('validation_failed', 'Notify the customer of the further extension first', {
          issues: [{ path: 'customerNotified', message: 'must be true' }],
        });
      }
    }
    if (!OPEN_STATES.includes(c.state)) {
      throw new AppError('invalid_state', `Cannot extend a case that is ${c.state}`);
    }
    const now = ctx.clock();
    const calendar = await loadCalendar(tx, row.calendarId);
    const change = await extendResolutionClock(tx, c, input.step, actor.userId, calendar, now);
    const data = {
      step: input.step,
      reason: input.reason ?? null,
      from: change.from,
      to: change.to,
      previousDueAt: change.previousDueAt.toISOString(),
      dueAt: change.dueAt.toISOString(),
    };
    await recordEvents(tx, ctx, c, row.orgUnitId, [
      {
        type: 'case.resolution_extended',
        caseId: c.id,
        at: now,
        actorId: actor.userId,
        from: c.state,
        to: c.state,
        data,
      },
    ]);
    await appendAudit(tx, ctx.clock, auditActor(actor), {
      action: 'case.resolution_extended',
      orgUnitId: row.orgUnitId,
      targetType: 'case',
      targetId: c.id,
      details: { number: c.number, ...data },
    });
    await tx.update(cases).set({ updatedAt: now }).where(eq(cases.id, id));
  });
  return getCase(ctx, actor, id);
}
