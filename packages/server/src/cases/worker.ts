import {
  dueNotifications,
  type EscalationLevel,
  markFired,
  type ScheduledNotification,
} from '@serviceloop/domain';
import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { ServerContext } from '../context.ts';
import type { Executor } from '../db/database.ts';
import { orgUnits, users } from '../db/schema.ts';
import { caseSlaClocks, caseSlaNotifications, cases, caseTimeline } from '../db/schema-cases.ts';
import { appendEvents } from '../events/outbox.ts';
import { loadCalendar } from './calendars.ts';
import { clockStateOf, derivedColumns } from './clocks.ts';

/** How often the worker looks for due warnings and escalations. */
export const SLA_TICK_MS = 15_000;

export type SlaTickContext = Pick<ServerContext, 'database' | 'db' | 'clock'>;

export interface SlaTickOptions {
  /** Called after each clock's transaction commits (tests use it to kill a worker mid-run). */
  readonly onClockCommitted?: (clockKey: string, fired: readonly string[]) => void;
}

export interface SlaTickResult {
  readonly clocks: number;
  readonly fired: number;
}

const EVENT_OF: Readonly<Record<ScheduledNotification['kind'], string>> = {
  warning: 'case.warning',
  breach: 'case.breached',
  escalation: 'case.escalated',
};

/** The people behind the escalation levels of a case, as user ids. */
async function recipientsFor(
  tx: Executor,
  c: { assigneeId: string | null; orgUnitId: string },
  levels: readonly EscalationLevel[],
): Promise<string[]> {
  const ids = new Set<string>();
  const [unit] = await tx.select({ path: orgUnits.path }).from(orgUnits).where(eq(orgUnits.id, c.orgUnitId));
  const path = unit?.path ?? '';
  const inLine = (role: string) =>
    tx
      .select({ id: users.id })
      .from(users)
      .innerJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
      // The unit itself and the units above it: the branch's own handlers and managers.
      .where(
        and(
          eq(users.active, true),
          sql`${role} = any(${users.roles})`,
          sql`${path} like ${orgUnits.path} || '%'`,
        ),
      );
  for (const level of levels) {
    if (level === 'assignee' && c.assigneeId) ids.add(c.assigneeId);
    if (level === 'team_lead') for (const u of await inLine('complaint_handler')) ids.add(u.id);
    if (level === 'branch_manager') for (const u of await inLine('branch_manager')) ids.add(u.id);
    if (level === 'head_office_service_centre') {
      const centre = await tx
        .select({ id: users.id })
        .from(users)
        .innerJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
        .where(
          and(
            eq(users.active, true),
            sql`'complaint_handler' = any(${users.roles})`,
            eq(orgUnits.kind, 'department'),
            eq(orgUnits.depth, 1),
          ),
        );
      for (const u of centre) ids.add(u.id);
    }
  }
  return [...ids].sort();
}

/**
 * Fires what is due on one clock, in one transaction: each notification's key is inserted
 * (unique) together with its outbox event and timeline entry, so a crash either keeps all
 * three or none, and a second node or a restart can never fire the same key again. The clock
 * row is locked with SKIP LOCKED, so two nodes work on different clocks.
 * Returns null when no clock is due.
 */
async function fireNextClock(
  ctx: SlaTickContext,
  now: Date,
  done: readonly string[],
): Promise<{ id: string; clockKey: string; fired: string[] } | null> {
  return ctx.db.transaction(async (tx) => {
    const notDone =
      done.length > 0
        ? [
            sql`${caseSlaClocks.id} not in (${sql.join(
              done.map((id) => sql`${id}`),
              sql`, `,
            )})`,
          ]
        : [];
    const [row] = await tx
      .select()
      .from(caseSlaClocks)
      .where(and(lte(caseSlaClocks.nextFireAt, now), ...notDone))
      .orderBy(asc(caseSlaClocks.nextFireAt))
      .limit(1)
      .for('update', { skipLocked: true });
    if (!row) return null;
    const firedRows = await tx
      .select({ key: caseSlaNotifications.key })
      .from(caseSlaNotifications)
      .where(eq(caseSlaNotifications.clockId, row.id));
    const calendar = await loadCalendar(tx, row.calendarId);
    const state = clockStateOf(
      row,
      firedRows.map((r) => r.key),
    );
    const due = dueNotifications(state, now, calendar);
    const [c] = await tx
      .select({
        number: cases.number,
        orgUnitId: cases.orgUnitId,
        assigneeId: cases.assigneeId,
        state: cases.state,
      })
      .from(cases)
      .where(eq(cases.id, row.caseId));
    const fired: string[] = [];
    for (const n of due) {
      const at = n.at ?? now;
      const inserted = await tx
        .insert(caseSlaNotifications)
        .values({
          key: n.key,
          clockId: row.id,
          caseId: row.caseId,
          kind: n.kind,
          recipients: [...n.recipients],
          scheduledAt: at,
          firedAt: now,
        })
        .onConflictDoNothing({ target: caseSlaNotifications.key })
        .returning({ id: caseSlaNotifications.id });
      if (inserted.length === 0) continue;
      fired.push(n.key);
      const data = {
        key: n.key,
        clock: row.role,
        clockKey: row.clockKey,
        kind: n.kind,
        levels: [...n.recipients],
        recipients: c ? await recipientsFor(tx, c, n.recipients) : [],
        scheduledAt: at.toISOString(),
        dueAt: row.dueAt.toISOString(),
        ...(n.share !== undefined ? { share: n.share } : {}),
      };
      await tx.insert(caseTimeline).values({
        caseId: row.caseId,
        at: now,
        actorId: null,
        type: EVENT_OF[n.kind],
        fromState: c?.state ?? null,
        toState: c?.state ?? null,
        data,
      });
      await appendEvents(tx, ctx.clock, [
        {
          type: EVENT_OF[n.kind],
          orgUnitId: c?.orgUnitId ?? null,
          aggregateType: 'case',
          aggregateId: row.caseId,
          actorId: null,
          payload: { number: c?.number ?? null, ...data },
        },
      ]);
    }
    const after = markFired(
      state,
      due.map((n) => n.key),
    );
    const breach = due.find((n) => n.kind === 'breach');
    await tx
      .update(caseSlaClocks)
      .set({
        nextFireAt: derivedColumns(after, calendar).nextFireAt,
        updatedAt: now,
        ...(breach && !row.breachedAt ? { breachedAt: breach.at ?? now } : {}),
      })
      .where(eq(caseSlaClocks.id, row.id));
    return { id: row.id, clockKey: row.clockKey, fired };
  });
}

/**
 * One pass of the SLA worker at `ctx.clock()`: every clock whose next notification is due is
 * handled once (one transaction per clock). Safe to run on several nodes at once and to kill
 * at any point; the next pass resumes where the last commit left off.
 */
export async function runSlaTick(ctx: SlaTickContext, options: SlaTickOptions = {}): Promise<SlaTickResult> {
  const now = ctx.clock();
  const done: string[] = [];
  let fired = 0;
  for (;;) {
    const result = await fireNextClock(ctx, now, done);
    if (!result) break;
    done.push(result.id);
    fired += result.fired.length;
    options.onClockCommitted?.(result.clockKey, result.fired);
  }
  return { clocks: done.length, fired };
}

/** Starts the SLA clock worker: a pass at once (catching up after a restart), then every SLA_TICK_MS. */
export function startCaseWorker(ctx: ServerContext, intervalMs = SLA_TICK_MS): () => Promise<void> {
  let running = true;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> = Promise.resolve();
  const loop = () => {
    if (!running) return;
    current = runSlaTick(ctx)
      .catch((error: unknown) => ctx.log.error({ err: error }, 'SLA tick failed'))
      .finally(() => {
        if (running) timer = setTimeout(loop, intervalMs);
      });
  };
  loop();
  return async () => {
    running = false;
    if (timer) clearTimeout(timer);
    await current;
  };
}
