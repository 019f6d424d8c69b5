import type { CaseType, Role, TAssignee } from '@serviceloop/domain';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { ServerContext } from '../context.ts';
import { orgUnits, users } from '../db/schema.ts';
import { cases } from '../db/schema-cases.ts';
import type { Actor } from '../identity/actor.ts';
import { caseInScope, OPEN_STATES } from './service.ts';

/**
 * Who handles cases: complaint handlers first for complaints, back office first for internal
 * requests. Tellers record cases at the counter but do not take them over; administrators run
 * the system.
 */
const PRIORITY: Readonly<Record<CaseType, readonly Role[]>> = {
  complaint: ['complaint_handler', 'branch_manager', 'customer_manager', 'lobby_manager', 'back_office'],
  ebanking_support: [
    'complaint_handler',
    'back_office',
    'customer_manager',
    'lobby_manager',
    'branch_manager',
  ],
  internal_request: [
    'back_office',
    'complaint_handler',
    'branch_manager',
    'customer_manager',
    'lobby_manager',
  ],
};

export type Assignee = TAssignee;

/**
 * Staff who may take this case: active, holding a handling role, inside the caller's scope and
 * on the case's line — its unit, the units below it (departments), the units above it (region,
 * head office) — or in a head-office department (the customer service centre). Sorted by role
 * fit for the case type, then by open-case load, lightest first.
 */
export async function listAssignees(ctx: ServerContext, actor: Actor, caseId: string): Promise<Assignee[]> {
  const { c, path } = await caseInScope(ctx.db, actor, caseId);
  const priority = PRIORITY[c.type as CaseType] ?? PRIORITY.complaint;
  const roleList = sql.raw(`array[${priority.map((r) => `'${r}'`).join(',')}]::text[]`);
  const rows = await ctx.db
    .select({
      id: users.id,
      displayName: users.displayName,
      username: users.username,
      roles: users.roles,
      orgUnitId: orgUnits.id,
      orgUnitName: orgUnits.name,
    })
    .from(users)
    .innerJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
    .where(
      and(
        eq(users.active, true),
        sql`${users.roles} && ${roleList}`,
        sql`${orgUnits.path} like ${`${actor.scopePath}%`}`,
        sql`(${path} like ${orgUnits.path} || '%' or ${orgUnits.path} like ${`${path}%`}
          or (${orgUnits.kind} = 'department' and ${orgUnits.depth} = 1))`,
      ),
    )
    .limit(500);
  const ids = rows.map((r) => r.id);
  const openList = sql.join(
    OPEN_STATES.map((s) => sql`${s}`),
    sql`, `,
  );
  const load =
    ids.length > 0
      ? await ctx.db
          .select({
            assigneeId: cases.assigneeId,
            open: sql<number>`count(*)::int`,
            breached: sql<number>`count(*) filter (where exists (select 1 from case_sla_clocks k
              where k.case_id = ${cases.id} and k.state <> 'stopped' and k.due_at <= ${ctx.clock()}))::int`,
          })
          .from(cases)
          .where(and(inArray(cases.assigneeId, ids), sql`${cases.state} in (${openList})`))
          .groupBy(cases.assigneeId)
      : [];
  const byUser = new Map(load.map((l) => [l.assigneeId, l]));
  const rank = (roles: readonly string[]) =>
    Math.min(...roles.map((r) => priority.indexOf(r as Role)).filter((i) => i >= 0), priority.length);
  return rows
    .map((r) => ({
      userId: r.id,
      displayName: r.displayName,
      username: r.username,
      orgUnitId: r.orgUnitId,
      orgUnitName: r.orgUnitName,
      roles: r.roles,
      openCases: Number(byUser.get(r.id)?.open ?? 0),
      breachedCases: Number(byUser.get(r.id)?.breached ?? 0),
      current: r.id === c.assigneeId,
    }))
    .sort(
      (a, b) =>
        rank(a.roles) - rank(b.roles) ||
        a.openCases - b.openCases ||
        a.displayName.localeCompare(b.displayName, 'zh-CN'),
    );
}
