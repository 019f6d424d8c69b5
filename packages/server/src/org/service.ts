import {
  AppError,
  canBeChildOf,
  childPath,
  type OrgUnitKind,
  type TCreateOrgUnitRequest,
  type TOrgUnit,
  type TUpdateOrgUnitRequest,
} from '@serviceloop/domain';
import { asc, eq, like } from 'drizzle-orm';
import { appendAudit, auditActor } from '../audit/service.ts';
import type { ServerContext } from '../context.ts';
import type { Executor } from '../db/database.ts';
import { orgUnits } from '../db/schema.ts';
import { appendEvents } from '../events/outbox.ts';
import { type Actor, assertInScope } from '../identity/actor.ts';
import { newId } from '../ids.ts';

type OrgRow = typeof orgUnits.$inferSelect;

export function toOrgUnit(row: OrgRow): TOrgUnit {
  return {
    id: row.id,
    parentId: row.parentId,
    kind: row.kind as OrgUnitKind,
    code: row.code,
    name: row.name,
    nameEn: row.nameEn,
    timeZone: row.timeZone,
    address: row.address,
    path: row.path,
    depth: row.depth,
    active: row.active,
  };
}

export async function listOrgUnits(ctx: ServerContext, actor: Actor): Promise<TOrgUnit[]> {
  const rows = await ctx.db
    .select()
    .from(orgUnits)
    .where(like(orgUnits.path, `${actor.scopePath}%`))
    .orderBy(asc(orgUnits.depth), asc(orgUnits.code));
  return rows.map(toOrgUnit);
}

export async function getOrgUnitInScope(db: Executor, actor: Actor, id: string): Promise<OrgRow> {
  const [row] = await db.select().from(orgUnits).where(eq(orgUnits.id, id));
  assertInScope(actor, row?.path, 'Org unit');
  return row as OrgRow;
}

export async function createOrgUnit(
  ctx: ServerContext,
  actor: Actor,
  input: TCreateOrgUnitRequest,
): Promise<TOrgUnit> {
  return ctx.db.transaction(async (tx) => {
    const parent = await getOrgUnitInScope(tx, actor, input.parentId);
    if (!canBeChildOf(input.kind, parent.kind as OrgUnitKind)) {
      throw new AppError('validation_failed', `A ${input.kind} cannot sit under a ${parent.kind}`, {
        issues: [{ path: 'kind', message: `not allowed under ${parent.kind}` }],
      });
    }
    const [dupe] = await tx.select({ id: orgUnits.id }).from(orgUnits).where(eq(orgUnits.code, input.code));
    if (dupe) throw new AppError('conflict', `Org unit code ${input.code} is already used`);
    const now = ctx.clock();
    const id = newId();
    const row: OrgRow = {
      id,
      parentId: parent.id,
      kind: input.kind,
      code: input.code,
      name: input.name,
      nameEn: input.nameEn ?? null,
      timeZone: input.timeZone ?? parent.timeZone,
      address: input.address ?? null,
      path: childPath(parent.path, id),
      depth: parent.depth + 1,
      active: true,
      createdAt: now,
      updatedAt: now,
    };
    await tx.insert(orgUnits).values(row);
    await appendEvents(tx, ctx.clock, [
      {
        type: 'org.unit_created',
        orgUnitId: id,
        aggregateType: 'org_unit',
        aggregateId: id,
        actorId: actor.userId,
        payload: { code: row.code, kind: row.kind, parentId: parent.id },
      },
    ]);
    await appendAudit(tx, ctx.clock, auditActor(actor), {
      action: 'org.unit_created',
      orgUnitId: id,
      targetType: 'org_unit',
      targetId: id,
      details: { code: row.code, kind: row.kind, name: row.name, parentId: parent.id },
    });
    return toOrgUnit(row);
  });
}

export async function updateOrgUnit(
  ctx: ServerContext,
  actor: Actor,
  id: string,
  input: TUpdateOrgUnitRequest,
): Promise<TOrgUnit> {
  return ctx.db.transaction(async (tx) => {
    const before = await getOrgUnitInScope(tx, actor, id);
    if (before.id === actor.orgUnitId && input.active === false) {
      throw new AppError('invalid_state', 'You cannot deactivate your own org unit');
    }
    const now = ctx.clock();
    const patch = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.nameEn !== undefined ? { nameEn: input.nameEn } : {}),
      ...(input.timeZone !== undefined ? { timeZone: input.timeZone } : {}),
      ...(input.address !== undefined ? { address: input.address } : {}),
      ...(input.active !== undefined ? { active: input.active } : {}),
      updatedAt: now,
    };
    const [after] = await tx.update(orgUnits).set(patch).where(eq(orgUnits.id, id)).returning();
    const changed = Object.keys(input);
    await appendEvents(tx, ctx.clock, [
      {
        type: 'org.unit_updated',
        orgUnitId: id,
        aggregateType: 'org_unit',
        aggregateId: id,
        actorId: actor.userId,
        payload: { changed },
      },
    ]);
    await appendAudit(tx, ctx.clock, auditActor(actor), {
      action: 'org.unit_updated',
      orgUnitId: id,
      targetType: 'org_unit',
      targetId: id,
      details: { changed, before: { name: before.name, timeZone: before.timeZone, active: before.active } },
    });
    return toOrgUnit(after as OrgRow);
  });
}
