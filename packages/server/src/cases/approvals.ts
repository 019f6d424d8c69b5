import { and, asc, desc, eq, like, type SQL, sql } from 'drizzle-orm';
import type { ServerContext } from '../context.ts';
import { orgUnits } from '../db/schema.ts';
import { caseCompensationApprovals, caseSlaClocks, caseSlaNotifications, cases } from '../db/schema-cases.ts';
import type { TApproval } from './contracts.ts';

/** The approvals inbox: compensation above the requester's authority, in scope, oldest first. */
export async function listApprovals(
  ctx: ServerContext,
  scopePath: string,
  status: 'pending_approval' | 'approved' | 'declined' | undefined,
): Promise<TApproval[]> {
  const filters: SQL[] = [like(orgUnits.path, `${scopePath}%`)];
  if (status) filters.push(eq(caseCompensationApprovals.status, status));
  const rows = await ctx.db
    .select({ a: caseCompensationApprovals, number: cases.number, dueAt: caseSlaClocks.dueAt })
    .from(caseCompensationApprovals)
    .innerJoin(cases, eq(cases.id, caseCompensationApprovals.caseId))
    .innerJoin(orgUnits, eq(orgUnits.id, caseCompensationApprovals.orgUnitId))
    .leftJoin(
      caseSlaClocks,
      eq(caseSlaClocks.clockKey, sql`${cases.id}::text || ':approval:' || ${caseCompensationApprovals.id}`),
    )
    .where(and(...filters))
    .orderBy(asc(caseCompensationApprovals.requestedAt));
  return rows.map(({ a, number, dueAt }) => ({
    id: a.id,
    caseId: a.caseId,
    caseNumber: number,
    orgUnitId: a.orgUnitId,
    amount: { amountMinor: a.amountMinor, currency: a.currency },
    reason: a.reason,
    status: a.status,
    requestedBy: a.requestedBy,
    requestedAt: a.requestedAt.toISOString(),
    decidedBy: a.decidedBy,
    decidedAt: a.decidedAt?.toISOString() ?? null,
    note: a.note,
    approvalDueAt: dueAt?.toISOString() ?? null,
  }));
}

export interface SlaAlert {
  readonly key: string;
  readonly kind: string;
  readonly caseId: string;
  readonly caseNumber: string;
  readonly subject: string;
  readonly caseState: string;
  readonly orgUnitId: string;
  /** The case's unit's IANA zone, in which the web shows `firedAt`. */
  readonly orgUnitTimeZone: string;
  readonly clock: string;
  readonly levels: readonly string[];
  readonly scheduledAt: string;
  readonly firedAt: string;
  /** False once the clock was met or the case left the open states. */
  readonly open: boolean;
}

/** The supervisor's view: warnings, breaches and escalations fired in scope, newest first. */
export async function listSlaAlerts(
  ctx: ServerContext,
  scopePath: string,
  query: { kind?: 'warning' | 'breach' | 'escalation' | undefined; limit: number },
): Promise<SlaAlert[]> {
  const filters: SQL[] = [like(orgUnits.path, `${scopePath}%`)];
  if (query.kind) filters.push(eq(caseSlaNotifications.kind, query.kind));
  const rows = await ctx.db
    .select({
      n: caseSlaNotifications,
      number: cases.number,
      subject: cases.subject,
      state: cases.state,
      orgUnitId: cases.orgUnitId,
      timeZone: orgUnits.timeZone,
      role: caseSlaClocks.role,
      clockState: caseSlaClocks.state,
    })
    .from(caseSlaNotifications)
    .innerJoin(cases, eq(cases.id, caseSlaNotifications.caseId))
    .innerJoin(orgUnits, eq(orgUnits.id, cases.orgUnitId))
    .innerJoin(caseSlaClocks, eq(caseSlaClocks.id, caseSlaNotifications.clockId))
    .where(and(...filters))
    .orderBy(desc(caseSlaNotifications.firedAt), desc(caseSlaNotifications.id))
    .limit(query.limit);
  return rows.map((r) => ({
    key: r.n.key,
    kind: r.n.kind,
    caseId: r.n.caseId,
    caseNumber: r.number,
    subject: r.subject,
    caseState: r.state,
    orgUnitId: r.orgUnitId,
    orgUnitTimeZone: r.timeZone,
    clock: r.role,
    levels: r.n.recipients,
    scheduledAt: r.n.scheduledAt.toISOString(),
    firedAt: r.n.firedAt.toISOString(),
    open: r.clockState !== 'stopped',
  }));
}
