import {
  AppError,
  defaultBranchQueuePolicy,
  type TBranchQueuePolicy,
  type TServiceDefinition,
  type TUpdateBranchQueuePolicyRequest,
  type TUpdateServiceRequest,
} from '@serviceloop/domain';
import { and, eq, ne, sql } from 'drizzle-orm';
import { appendAudit, auditActor } from '../audit/service.ts';
import type { ServerContext } from '../context.ts';
import type { Executor } from '../db/database.ts';
import { users } from '../db/schema.ts';
import { queueBranchPolicies, queueServices } from '../db/schema-queue.ts';
import { appendEvents } from '../events/outbox.ts';
import type { Actor } from '../identity/actor.ts';
import { newId } from '../ids.ts';
import {
  branchInScope,
  branchPolicy,
  forgetPolicy,
  forgetServices,
  loadPolicy,
  type ServiceInfo,
  servicesOf,
} from './branch.ts';

/*
 * A branch's queue settings, edited by its branch manager: the service catalogue (letter prefix,
 * names, target wait, active) and the queue policy (priority classes and their weights, head
 * starts and maximum-wait bounds; recalls before a no-show). Every edit is one transaction with
 * its audit entry and event, and drops this node's caches, so the next ticket and the next call
 * use it; other nodes pick it up within branch.ts's cache TTL.
 */

export type ServiceView = Omit<ServiceInfo, 'id'>;

export interface QueueSettings {
  readonly branchId: string;
  readonly branchName: string;
  readonly branchNameEn: string | null;
  readonly services: ServiceView[];
  readonly policy: TBranchQueuePolicy;
  readonly version: number;
  readonly updatedAt: string | null;
  readonly updatedByName: string | null;
  /** The domain default, for a "restore defaults" in the editor. */
  readonly defaults: TBranchQueuePolicy;
}

const toView = ({ id: _id, ...s }: ServiceInfo): ServiceView => s;

export async function getQueueSettings(
  ctx: ServerContext,
  actor: Actor,
  branchId: string,
): Promise<QueueSettings> {
  const branch = await branchInScope(ctx, actor, branchId);
  const [services, info] = await Promise.all([servicesOf(ctx, branch.id), branchPolicy(ctx, branch.id)]);
  let updatedByName: string | null = null;
  if (info.updatedBy) {
    const [u] = await ctx.db
      .select({ name: users.displayName })
      .from(users)
      .where(eq(users.id, info.updatedBy));
    updatedByName = u?.name ?? null;
  }
  return {
    branchId: branch.id,
    branchName: branch.name,
    branchNameEn: branch.nameEn,
    services: services.map(toView),
    policy: info.policy,
    version: info.version,
    updatedAt: info.updatedAt?.toISOString() ?? null,
    updatedByName,
    defaults: defaultBranchQueuePolicy,
  };
}

function isUniqueViolation(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (typeof e === 'object' && (e as { code?: unknown }).code === '23505') {
      const c = (e as { constraint?: unknown; constraint_name?: unknown }).constraint;
      return typeof c === 'string' ? c : 'unique';
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

async function serviceUsing(
  db: Executor,
  branchId: string,
  field: 'code' | 'prefix',
  value: string,
  except?: string,
): Promise<string | undefined> {
  const column = field === 'code' ? queueServices.code : queueServices.prefix;
  const [row] = await db
    .select({ code: queueServices.code })
    .from(queueServices)
    .where(
      and(
        eq(queueServices.branchId, branchId),
        eq(column, value),
        except ? ne(queueServices.code, except) : undefined,
      ),
    );
  return row?.code;
}

function conflict(field: 'code' | 'prefix', value: string, owner: string): AppError {
  return new AppError(
    'conflict',
    field === 'prefix'
      ? `Prefix ${value} is already used by service ${owner}: two services would share ticket numbers`
      : `A service with code ${value} already exists`,
    { issues: [{ path: field, message: `already used by ${owner}` }] },
  );
}

function serviceEvent(type: string, branchId: string, actor: Actor, payload: Record<string, unknown>) {
  return {
    type,
    orgUnitId: branchId,
    aggregateType: 'queue_service',
    aggregateId: branchId,
    actorId: actor.userId,
    payload,
  };
}

/** Adds a service to the branch's catalogue (kiosk offers it at once when active). */
export async function createService(
  ctx: ServerContext,
  actor: Actor,
  input: { branchId: string; service: TServiceDefinition },
): Promise<ServiceView> {
  const branch = await branchInScope(ctx, actor, input.branchId);
  await servicesOf(ctx, branch.id); // a branch without a catalogue gets the default one first
  const s = input.service;
  const now = ctx.clock();
  try {
    await ctx.db.transaction(async (tx) => {
      for (const field of ['code', 'prefix'] as const) {
        const owner = await serviceUsing(tx, branch.id, field, s[field]);
        if (owner) throw conflict(field, s[field], owner);
      }
      await tx.insert(queueServices).values({
        id: newId(),
        branchId: branch.id,
        ...s,
        createdAt: now,
        updatedAt: now,
      });
      await appendAudit(tx, ctx.clock, auditActor(actor), {
        action: 'queue.service_created',
        orgUnitId: branch.id,
        targetType: 'queue_service',
        targetId: s.code,
        details: { ...s },
      });
      await appendEvents(tx, ctx.clock, [
        serviceEvent('queue.service_created', branch.id, actor, { serviceCode: s.code, after: s }),
      ]);
    });
  } catch (error) {
    // Two managers adding the same code or prefix at once: the unique index decides.
    if (isUniqueViolation(error)) throw new AppError('conflict', 'The code or prefix was just taken');
    throw error;
  }
  forgetServices(ctx, branch.id);
  return { ...s };
}

/** Changes a service (prefix, names, target wait, active); its code is its identity. */
export async function updateService(
  ctx: ServerContext,
  actor: Actor,
  input: { branchId: string; serviceCode: string; patch: TUpdateServiceRequest },
): Promise<ServiceView> {
  const branch = await branchInScope(ctx, actor, input.branchId);
  await servicesOf(ctx, branch.id);
  const now = ctx.clock();
  let after: ServiceView | undefined;
  try {
    after = await ctx.db.transaction(async (tx) => {
      const [before] = await tx
        .select()
        .from(queueServices)
        .where(and(eq(queueServices.branchId, branch.id), eq(queueServices.code, input.serviceCode)))
        .for('update');
      if (!before) throw new AppError('not_found', `Service ${input.serviceCode} not found at this branch`);
      const { patch } = input;
      if (patch.prefix !== undefined && patch.prefix !== before.prefix) {
        const owner = await serviceUsing(tx, branch.id, 'prefix', patch.prefix, before.code);
        if (owner) throw conflict('prefix', patch.prefix, owner);
      }
      if (patch.active === false && before.active) {
        // Serialise deactivations of one branch, so two at once cannot switch off the last two.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`queue-services:${branch.id}`}))`);
        const [other] = await tx
          .select({ code: queueServices.code })
          .from(queueServices)
          .where(
            and(
              eq(queueServices.branchId, branch.id),
              eq(queueServices.active, true),
              ne(queueServices.code, before.code),
            ),
          )
          .limit(1);
        if (!other) {
          throw new AppError('invalid_state', 'The kiosk needs at least one active service', {
            issues: [{ path: 'active', message: 'last active service' }],
          });
        }
      }
      const changes = Object.fromEntries(
        Object.entries(patch).filter(
          ([k, v]) => v !== undefined && v !== (before as Record<string, unknown>)[k],
        ),
      );
      const [row] = await tx
        .update(queueServices)
        .set({ ...changes, updatedAt: now })
        .where(eq(queueServices.id, before.id))
        .returning();
      if (!row) throw new AppError('not_found', 'Service not found');
      const view: ServiceView = {
        code: row.code,
        prefix: row.prefix,
        nameZh: row.nameZh,
        nameEn: row.nameEn,
        targetWaitSeconds: row.targetWaitSeconds,
        active: row.active,
      };
      if (Object.keys(changes).length > 0) {
        const was = Object.fromEntries(
          Object.keys(changes).map((k) => [k, (before as Record<string, unknown>)[k]]),
        );
        await appendAudit(tx, ctx.clock, auditActor(actor), {
          action: 'queue.service_updated',
          orgUnitId: branch.id,
          targetType: 'queue_service',
          targetId: row.code,
          details: { before: was, after: changes },
        });
        await appendEvents(tx, ctx.clock, [
          serviceEvent('queue.service_updated', branch.id, actor, {
            serviceCode: row.code,
            before: was,
            after: changes,
          }),
        ]);
      }
      return view;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('conflict', 'That prefix was just taken');
    throw error;
  }
  forgetServices(ctx, branch.id);
  return after;
}

/**
 * Replaces the branch's queue policy. With `expectedVersion`, an edit made from an older version
 * is refused (409) rather than silently overwriting a colleague's change.
 */
export async function updateQueuePolicy(
  ctx: ServerContext,
  actor: Actor,
  input: { branchId: string; request: TUpdateBranchQueuePolicyRequest },
): Promise<QueueSettings> {
  const branch = await branchInScope(ctx, actor, input.branchId);
  const { expectedVersion, ...policy } = input.request;
  const now = ctx.clock();
  await ctx.db.transaction(async (tx) => {
    // The first edit inserts the row; later ones lock it. Either way one edit at a time.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`queue-policy:${branch.id}`}))`);
    const before = await loadPolicy(ctx, tx, branch.id);
    if (expectedVersion !== undefined && expectedVersion !== before.version) {
      throw new AppError(
        'conflict',
        'The policy was changed by someone else since you opened it; reload and edit again',
        { details: { currentVersion: before.version } },
      );
    }
    const version = before.version + 1;
    await tx
      .insert(queueBranchPolicies)
      .values({ branchId: branch.id, policy, version, updatedAt: now, updatedBy: actor.userId })
      .onConflictDoUpdate({
        target: queueBranchPolicies.branchId,
        set: { policy, version, updatedAt: now, updatedBy: actor.userId },
      });
    await appendAudit(tx, ctx.clock, auditActor(actor), {
      action: 'queue.policy_updated',
      orgUnitId: branch.id,
      targetType: 'org_unit',
      targetId: branch.id,
      details: { version, before: before.policy, after: policy },
    });
    await appendEvents(tx, ctx.clock, [
      {
        type: 'queue.policy_updated',
        orgUnitId: branch.id,
        aggregateType: 'queue_policy',
        aggregateId: branch.id,
        actorId: actor.userId,
        payload: { version, noShowAfterRecalls: policy.noShowAfterRecalls },
      },
    ]);
  });
  forgetPolicy(ctx, branch.id);
  return getQueueSettings(ctx, actor, branch.id);
}
