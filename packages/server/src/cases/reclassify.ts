import {
  reclassify,
  refreshClock,
  type TCase,
  type TCaseConfig,
  type TClockDefinition,
  type TPause,
  type TReclassifyRequest,
} from '@serviceloop/domain';
import { eq } from 'drizzle-orm';
import { appendAudit, auditActor } from '../audit/service.ts';
import type { ServerContext } from '../context.ts';
import type { Executor } from '../db/database.ts';
import { caseSlaClocks } from '../db/schema-cases.ts';
import type { Actor } from '../identity/actor.ts';
import { loadCalendar } from './calendars.ts';
import { derivedColumns, loadCaseClocks, policyFor } from './clocks.ts';
import { caseConfigOf } from './config.ts';
import type { TCaseDetail } from './contracts.ts';
import { caseFromRecord } from './records.ts';
import { caseActorOf, caseInScope, getCase, recordEvents, saveCase } from './service.ts';

/** Clocks whose terms come from the policy rule; review and extended decision clocks do not. */
const POLICY_ROLES: readonly string[] = ['acknowledgement', 'first_response', 'resolution', 'approval'];

function pausesSince(pauses: readonly TPause[], start: Date): TPause[] {
  return pauses
    .filter((p) => p.to === null || p.to.getTime() > start.getTime())
    .map((p) => (p.from.getTime() < start.getTime() ? { ...p, from: start } : p));
}

export interface ClockChange {
  readonly role: string;
  readonly from: string;
  readonly to: string;
  readonly previousDueAt: string;
  readonly dueAt: string;
}

/**
 * When a change selects another SLA rule (severity today), the running clocks take the new
 * rule's terms, counted from when they started: a stopped clock is history and stays; a clock
 * whose commitment changed meanwhile (the 15-day decision extended to 30) keeps its own terms.
 * A clock whose due time moves is re-armed as a new generation, so its warning fires again.
 */
async function reevaluateClocks(
  tx: Executor,
  after: TCase,
  calendarId: string,
  config: TCaseConfig,
  now: Date,
): Promise<ClockChange[]> {
  const calendar = await loadCalendar(tx, calendarId);
  const { clocks: terms } = policyFor(after, config);
  const changes: ClockChange[] = [];
  for (const l of await loadCaseClocks(tx, after.id)) {
    if (l.state.stoppedAt || !POLICY_ROLES.includes(l.row.role)) continue;
    const definition = terms[l.row.role as keyof typeof terms] as TClockDefinition | undefined;
    if (!definition || definition.name !== l.definition.name) continue;
    if (JSON.stringify(definition) === JSON.stringify(l.definition)) continue;
    const refreshed = refreshClock(l.state, {
      definition,
      calendar,
      pauses: pausesSince(after.pauses, l.state.startedAt),
      extensions: l.extensions,
      now,
    });
    const moved = refreshed.dueAt.getTime() !== l.state.dueAt.getTime();
    const next = moved ? { ...refreshed, generation: l.state.generation + 1 } : refreshed;
    await tx
      .update(caseSlaClocks)
      .set({ ...derivedColumns(next, calendar), definition, updatedAt: now })
      .where(eq(caseSlaClocks.id, l.row.id));
    changes.push({
      role: l.row.role,
      from: l.definition.label,
      to: definition.label,
      previousDueAt: l.state.dueAt.toISOString(),
      dueAt: next.dueAt.toISOString(),
    });
  }
  return changes;
}

/** Corrects a complaint's classification after intake, with a reason; audited, evented, on the timeline. */
export async function reclassifyCase(
  ctx: ServerContext,
  actor: Actor,
  id: string,
  input: TReclassifyRequest,
): Promise<TCaseDetail> {
  await ctx.db.transaction(async (tx) => {
    const { c: row } = await caseInScope(tx, actor, id);
    const before = caseFromRecord(row.record);
    const now = ctx.clock();
    // The configuration the case was opened under (its snapshot), not today's.
    const config = await caseConfigOf(tx, id);
    const result = reclassify(before, input, caseActorOf(actor), now, config.policy);
    if (!result.ok) throw result.error;
    const after = result.case;
    await saveCase(tx, before, after, now);
    const clocks =
      result.slaRule.before !== result.slaRule.after
        ? await reevaluateClocks(tx, after, row.calendarId, config, now)
        : [];
    const event = { ...result.event, data: { ...result.event.data, clocks } };
    await recordEvents(tx, ctx, after, row.orgUnitId, [event]);
    await appendAudit(tx, ctx.clock, auditActor(actor), {
      action: 'case.reclassified',
      orgUnitId: row.orgUnitId,
      targetType: 'case',
      targetId: id,
      details: { number: after.number, ...event.data },
    });
  });
  return getCase(ctx, actor, id);
}
