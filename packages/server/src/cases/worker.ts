import {
  dueNotifications,
  type EscalationLevel,
  type EscalationOrgLevel,
  levelRecipients,
  markFired,
  type ScheduledNotification,
  type TEscalationPolicy,
} from '@serviceloop/domain';
import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { ServerContext } from '../context.ts';
import type { Executor } from '../db/database.ts';
import { orgUnits, users } from '../db/schema.ts';
import { caseSlaClocks, caseSlaNotifications, cases, caseTimeline } from '../db/schema-cases.ts';
import { appendEvents } from '../events/outbox.ts';
import { loadCalendar } from './calendars.ts';
import { clockStateOf, derivedColumns } from './clocks.ts';
import { type ChainUnit, unitChain } from './config-units.ts';

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

/** The unit of an org level on the case's line (the case's unit, or the nearest of that kind at or above it). */
function unitAt(chain: readonly ChainUnit[], level: EscalationOrgLevel): ChainUnit | undefined {
  if (level === 'case_unit') return chain[chain.length - 1];
  for (let i = chain.length - 1; i >= 0; i--) if (chain[i]?.kind === level) return chain[i];
  return undefined;
}

/**
 * The people behind the escalation levels of a case, as user ids, as the clock's chain routes
 * them (`levelRecipients`: configured, else the default): the assignee, and the active staff
 * holding a role in the unit of an org level or in its departments (a department counts as the
 * unit above it; units below it that are not departments do not). An org level the case's line
 * lacks (a head-office department has no branch) reaches nobody.
 */
async function recipientsFor(
  tx: Executor,
  c: { assigneeId: string | null; orgUnitId: string },
  levels: readonly EscalationLevel[],
  policy: TEscalationPolicy,
  chainOf: () => Promise<readonly ChainUnit[]>,
): Promise<string[]> {
  const ids = new Set<string>();
  const wanted = new Map<string, { role: string; path: string }>();
  for (const level of levels) {
    for (const r of levelRecipients(policy, level)) {
      if (r.kind === 'assignee') {
        if (c.assigneeId) ids.add(c.assigneeId);
        continue;
      }
      const chain = await chainOf();
      for (const at of r.at) {
        const unit = unitAt(chain, at);
        if (unit) wanted.set(`${r.role}|${unit.path}`, { role: r.role, path: unit.path });
      }
    }
  }
  for (const { role, path } of wanted.values()) {
    const rows = await tx
      .select({ id: users.id })
      .from(users)
      .innerJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
      .where(
        and(
          eq(users.active, true),
          sql`${role} = any(${users.roles})`,
          sql`${orgUnits.path} like ${path} || '%'`,
          // No unit other than a department between the level's unit and the person's own.
          sql`not exists (select 1 from org_units m where ${orgUnits.path} like m.path || '%'
            and m.path like ${path} || '_%' and m.kind <> 'department')`,
        ),
      );
    for (const u of rows) ids.add(u.id);
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
    let chain: Promise<ChainUnit[]> | undefined;
    const chainOf = () => {
      chain ??= unitChain(tx, c?.orgUnitId ?? '');
      return chain;
    };
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
        recipients: c ? await recipientsFor(tx, c, n.recipients, state.policy, chainOf) : [],
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
