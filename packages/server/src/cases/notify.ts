import { type Permission, type Role, RolePermissions, Roles } from '@serviceloop/domain';
import { and, eq, sql } from 'drizzle-orm';
import type { ServerContext } from '../context.ts';
import { orgUnits, users } from '../db/schema.ts';
import { caseCompensationApprovals, cases } from '../db/schema-cases.ts';
import type { StoredEvent } from '../events/outbox.ts';
import { notify } from '../notifications/service.ts';

/** Case events that reach somebody's inbox; the rest (created without assignee, paused, …) only reach the timeline. */
export const NOTIFIED_CASE_EVENTS = [
  'case.created',
  'case.assigned',
  'case.warning',
  'case.breached',
  'case.escalated',
  'case.compensation_approval_requested',
  'case.compensation_approved',
  'case.compensation_declined',
  'case.review_requested',
  'case.reopened',
  'case.reclassified',
  'case.rated',
  'case.follow_up_scheduled',
] as const;

const rolesWith = (permission: Permission): Role[] =>
  Roles.filter((r) => RolePermissions[r].includes(permission));

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);

/** Payload fields worth showing in the inbox (no personal data beyond the case subject). */
const SHOWN = ['clock', 'kind', 'levels', 'dueAt', 'share', 'amount', 'score', 'outcome', 'step'] as const;

/**
 * Who hears of a case event:
 * - warnings, breaches, escalations: the people the SLA worker resolved from the escalation levels;
 * - assignment (or intake with an assignee): the new assignee, unless they did it themselves;
 * - compensation waiting for approval: active approvers (case.approve) of the case's unit and
 *   the units above it, never the requester;
 * - approved or declined: the requester; review requested, reopened, reclassified, rated,
 *   return visit scheduled: the assignee (not the actor).
 */
export async function caseEventRecipients(ctx: ServerContext, event: StoredEvent): Promise<string[]> {
  const p = event.payload;
  const [c] = await ctx.db
    .select({ assigneeId: cases.assigneeId, orgUnitId: cases.orgUnitId, path: orgUnits.path })
    .from(cases)
    .innerJoin(orgUnits, eq(orgUnits.id, cases.orgUnitId))
    .where(eq(cases.id, event.aggregateId));
  if (!c) return [];
  const notActor = (ids: readonly (string | null | undefined)[]) =>
    ids.filter((id): id is string => typeof id === 'string' && id !== event.actorId);
  switch (event.type) {
    case 'case.warning':
    case 'case.breached':
    case 'case.escalated':
      return strings(p.recipients);
    case 'case.assigned':
    case 'case.created':
      // The assignee named by the event itself, not whoever holds the case when it is delivered.
      return notActor([typeof p.assigneeId === 'string' ? p.assigneeId : null]);
    case 'case.compensation_approval_requested': {
      const approverRoles = rolesWith('case.approve');
      const rows = await ctx.db
        .select({ id: users.id })
        .from(users)
        .innerJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
        .where(
          and(
            eq(users.active, true),
            sql`${users.roles} && ${sql.raw(`array[${approverRoles.map((r) => `'${r}'`).join(',')}]::text[]`)}`,
            sql`${c.path} like ${orgUnits.path} || '%'`,
          ),
        );
      return notActor(rows.map((r) => r.id));
    }
    case 'case.compensation_approved':
    case 'case.compensation_declined': {
      const id = typeof p.compensationId === 'string' ? p.compensationId : '';
      const [a] = await ctx.db
        .select({ requestedBy: caseCompensationApprovals.requestedBy })
        .from(caseCompensationApprovals)
        .where(eq(caseCompensationApprovals.id, id));
      return notActor([a?.requestedBy]);
    }
    default:
      return notActor([c.assigneeId]);
  }
}

export async function notifyCaseEvent(ctx: ServerContext, event: StoredEvent): Promise<number> {
  const recipients = await caseEventRecipients(ctx, event);
  if (recipients.length === 0) return 0;
  const [c] = await ctx.db
    .select({ number: cases.number, subject: cases.subject, type: cases.type })
    .from(cases)
    .where(eq(cases.id, event.aggregateId));
  const data: Record<string, unknown> = {
    caseId: event.aggregateId,
    number: c?.number ?? event.payload.number ?? null,
    subject: c?.subject ?? null,
    caseType: c?.type ?? null,
  };
  for (const key of SHOWN) if (event.payload[key] !== undefined) data[key] = event.payload[key];
  return notify(ctx, { event, recipients, data });
}

/** Subscribes the case engine's notifications to the outbox dispatcher. */
export function registerCaseNotifications(ctx: ServerContext): void {
  ctx.dispatcher.subscribe('case-notifications', NOTIFIED_CASE_EVENTS, async (event) => {
    await notifyCaseEvent(ctx, event);
  });
}
