import { and, asc, eq, like, type SQL, sql } from 'drizzle-orm';
import type { ServerContext } from '../context.ts';
import { orgUnits } from '../db/schema.ts';
import { caseCompensationApprovals, caseSlaClocks, cases } from '../db/schema-cases.ts';
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
