import {
  AppError,
  isLocked,
  type Role,
  type TCreateStaffRequest,
  type TStaff,
  type TUpdateStaffRequest,
} from '@serviceloop/domain';
import { asc, eq, like } from 'drizzle-orm';
import { appendAudit, auditActor } from '../audit/service.ts';
import type { ServerContext } from '../context.ts';
import { orgUnits, sessions, users } from '../db/schema.ts';
import { appendEvents } from '../events/outbox.ts';
import { type Actor, assertInScope } from '../identity/actor.ts';
import { hashPassword } from '../identity/passwords.ts';
import { forgetUserSessions } from '../identity/session-cache.ts';
import { newId } from '../ids.ts';
import { getOrgUnitInScope } from './service.ts';

type UserRow = typeof users.$inferSelect;

function toStaff(row: UserRow, orgUnitName: string, now: Date): TStaff {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    orgUnitId: row.orgUnitId,
    orgUnitName,
    roles: row.roles as Role[],
    locale: row.locale,
    active: row.active,
    locked: isLocked(row.lockedUntil, now),
    lastSignInAt: row.lastSignInAt?.toISOString() ?? null,
  };
}

/** Nobody grants what they do not hold: only an administrator can make an administrator. */
function assertCanGrant(actor: Actor, roles: readonly Role[]): void {
  if (roles.includes('administrator') && !actor.roles.includes('administrator')) {
    throw new AppError('forbidden', 'Only an administrator can grant the administrator role');
  }
}

/** Staff of the org units under scopePath (already checked against the caller's scope). */
export async function listStaff(ctx: ServerContext, scopePath: string): Promise<TStaff[]> {
  const rows = await ctx.db
    .select({ user: users, orgName: orgUnits.name })
    .from(users)
    .innerJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
    .where(like(orgUnits.path, `${scopePath}%`))
    .orderBy(asc(orgUnits.path), asc(users.username));
  const now = ctx.clock();
  return rows.map((r) => toStaff(r.user, r.orgName, now));
}

export async function createStaff(
  ctx: ServerContext,
  actor: Actor,
  input: TCreateStaffRequest,
): Promise<TStaff> {
  assertCanGrant(actor, input.roles);
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction(async (tx) => {
    const unit = await getOrgUnitInScope(tx, actor, input.orgUnitId);
    const [dupe] = await tx.select({ id: users.id }).from(users).where(eq(users.username, input.username));
    if (dupe) throw new AppError('conflict', `Username ${input.username} is taken`);
    const now = ctx.clock();
    const row: UserRow = {
      id: newId(),
      username: input.username,
      displayName: input.displayName,
      passwordHash,
      orgUnitId: unit.id,
      roles: [...new Set(input.roles)],
      locale: input.locale,
      active: true,
      failedAttempts: 0,
      lockedUntil: null,
      lastSignInAt: null,
      createdAt: now,
      updatedAt: now,
    };
    await tx.insert(users).values(row);
    await appendEvents(tx, ctx.clock, [
      {
        type: 'identity.staff_created',
        orgUnitId: unit.id,
        aggregateType: 'user',
        aggregateId: row.id,
        actorId: actor.userId,
        payload: { username: row.username, roles: row.roles },
      },
    ]);
    await appendAudit(tx, ctx.clock, auditActor(actor), {
      action: 'identity.staff_created',
      orgUnitId: unit.id,
      targetType: 'user',
      targetId: row.id,
      details: { username: row.username, roles: row.roles },
    });
    return toStaff(row, unit.name, now);
  });
}

async function userInScope(ctx: ServerContext, actor: Actor, id: string) {
  const [row] = await ctx.db
    .select({ user: users, path: orgUnits.path, orgName: orgUnits.name })
    .from(users)
    .innerJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
    .where(eq(users.id, id));
  assertInScope(actor, row?.path, 'Staff member');
  return row as NonNullable<typeof row>;
}

export async function updateStaff(
  ctx: ServerContext,
  actor: Actor,
  id: string,
  input: TUpdateStaffRequest,
): Promise<TStaff> {
  const current = await userInScope(ctx, actor, id);
  if (input.roles) assertCanGrant(actor, input.roles);
  if (current.user.roles.includes('administrator') && !actor.roles.includes('administrator')) {
    throw new AppError('forbidden', 'Only an administrator can change an administrator');
  }
  if (id === actor.userId && (input.active === false || input.roles)) {
    throw new AppError('invalid_state', 'You cannot change your own roles or deactivate yourself');
  }
  const updated = await ctx.db.transaction(async (tx) => {
    const unit = input.orgUnitId ? await getOrgUnitInScope(tx, actor, input.orgUnitId) : undefined;
    const now = ctx.clock();
    const [after] = await tx
      .update(users)
      .set({
        ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
        ...(unit ? { orgUnitId: unit.id } : {}),
        ...(input.roles ? { roles: [...new Set(input.roles)] } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
        ...(input.locale !== undefined ? { locale: input.locale } : {}),
        updatedAt: now,
      })
      .where(eq(users.id, id))
      .returning();
    // Access changes take effect at once: the member's open sessions end.
    if (input.roles || input.active === false || unit) {
      await tx.update(sessions).set({ revokedAt: now }).where(eq(sessions.userId, id));
    }
    const details = {
      changed: Object.keys(input),
      rolesBefore: current.user.roles,
      rolesAfter: after?.roles ?? current.user.roles,
      orgUnitBefore: current.user.orgUnitId,
    };
    await appendEvents(tx, ctx.clock, [
      {
        type: 'identity.staff_updated',
        orgUnitId: after?.orgUnitId ?? current.user.orgUnitId,
        aggregateType: 'user',
        aggregateId: id,
        actorId: actor.userId,
        payload: details,
      },
    ]);
    await appendAudit(tx, ctx.clock, auditActor(actor), {
      action: 'identity.staff_updated',
      orgUnitId: after?.orgUnitId ?? current.user.orgUnitId,
      targetType: 'user',
      targetId: id,
      details,
    });
    return toStaff(after as UserRow, unit?.name ?? current.orgName, now);
  });
  // This node's cached sessions of the member go at once (other nodes: identity/session-cache.ts).
  forgetUserSessions(ctx, id);
  return updated;
}

export async function resetPassword(
  ctx: ServerContext,
  actor: Actor,
  id: string,
  password: string,
): Promise<void> {
  const current = await userInScope(ctx, actor, id);
  if (current.user.roles.includes('administrator') && !actor.roles.includes('administrator')) {
    throw new AppError('forbidden', 'Only an administrator can reset an administrator');
  }
  const passwordHash = await hashPassword(password);
  await ctx.db.transaction(async (tx) => {
    const now = ctx.clock();
    await tx
      .update(users)
      .set({ passwordHash, failedAttempts: 0, lockedUntil: null, updatedAt: now })
      .where(eq(users.id, id));
    await tx.update(sessions).set({ revokedAt: now }).where(eq(sessions.userId, id));
    await appendAudit(tx, ctx.clock, auditActor(actor), {
      action: 'identity.password_reset',
      orgUnitId: current.user.orgUnitId,
      targetType: 'user',
      targetId: id,
    });
  });
  forgetUserSessions(ctx, id);
}
