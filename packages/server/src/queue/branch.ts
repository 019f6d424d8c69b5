import { AppError, isWithin, type TServiceDefinition } from '@serviceloop/domain';
import { and, asc, eq } from 'drizzle-orm';
import type { ServerContext } from '../context.ts';
import type { Executor } from '../db/database.ts';
import { orgUnits } from '../db/schema.ts';
import { queueServices } from '../db/schema-queue.ts';
import type { Actor } from '../identity/actor.ts';
import { seedBranchQueue } from './seed.ts';

/** What the queue needs to know about a branch; read on every request, so it is cached briefly. */
export interface BranchInfo {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly nameEn: string | null;
  readonly path: string;
  readonly timeZone: string;
}

export interface ServiceInfo extends TServiceDefinition {
  readonly id: string;
}

/**
 * Branch rows and service catalogues change rarely (an administrator edits them); every queue
 * operation reads them. They are cached per server context for a few seconds, and dropped at
 * once when this node changes them. Another node sees a change within TTL_MS.
 */
const TTL_MS = 10_000;

interface Cached<T> {
  readonly value: T;
  readonly at: number;
}

interface Caches {
  readonly branches: Map<string, Cached<BranchInfo | null>>;
  readonly services: Map<string, Cached<readonly ServiceInfo[]>>;
}

const caches = new WeakMap<ServerContext, Caches>();

function cachesOf(ctx: ServerContext): Caches {
  let c = caches.get(ctx);
  if (!c) {
    c = { branches: new Map(), services: new Map() };
    caches.set(ctx, c);
  }
  return c;
}

function fresh<T>(entry: Cached<T> | undefined): entry is Cached<T> {
  return entry !== undefined && Date.now() - entry.at < TTL_MS;
}

/** The branch, or undefined when the id is not a branch. */
export async function findBranch(ctx: ServerContext, branchId: string): Promise<BranchInfo | undefined> {
  const cache = cachesOf(ctx).branches;
  const hit = cache.get(branchId);
  if (fresh(hit)) return hit.value ?? undefined;
  const [row] = await ctx.db
    .select({
      id: orgUnits.id,
      code: orgUnits.code,
      name: orgUnits.name,
      nameEn: orgUnits.nameEn,
      path: orgUnits.path,
      timeZone: orgUnits.timeZone,
    })
    .from(orgUnits)
    .where(and(eq(orgUnits.id, branchId), eq(orgUnits.kind, 'branch'), eq(orgUnits.active, true)));
  cache.set(branchId, { value: row ?? null, at: Date.now() });
  return row;
}

/** A branch anybody may address (kiosk, display, status page): it must exist. */
export async function publicBranch(ctx: ServerContext, branchId: string): Promise<BranchInfo> {
  const branch = await findBranch(ctx, branchId);
  if (!branch) throw new AppError('not_found', 'Branch not found');
  return branch;
}

/** A branch in the caller's part of the org tree; any other branch is "not found". */
export async function branchInScope(ctx: ServerContext, actor: Actor, branchId: string): Promise<BranchInfo> {
  const branch = await findBranch(ctx, branchId);
  if (!branch || !isWithin(branch.path, actor.scopePath)) throw new AppError('not_found', 'Branch not found');
  return branch;
}

/** The branch's service catalogue; a branch without one gets the default catalogue and counters. */
export async function servicesOf(ctx: ServerContext, branchId: string): Promise<readonly ServiceInfo[]> {
  const cache = cachesOf(ctx).services;
  const hit = cache.get(branchId);
  if (fresh(hit)) return hit.value;
  let rows = await loadServices(ctx.db, branchId);
  if (rows.length === 0) {
    await seedBranchQueue(ctx, branchId);
    rows = await loadServices(ctx.db, branchId);
  }
  cache.set(branchId, { value: rows, at: Date.now() });
  return rows;
}

async function loadServices(db: Executor, branchId: string): Promise<ServiceInfo[]> {
  const rows = await db
    .select()
    .from(queueServices)
    .where(eq(queueServices.branchId, branchId))
    .orderBy(asc(queueServices.prefix));
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    prefix: r.prefix,
    nameZh: r.nameZh,
    nameEn: r.nameEn,
    targetWaitSeconds: r.targetWaitSeconds,
    active: r.active,
  }));
}

export async function serviceOf(ctx: ServerContext, branchId: string, code: string): Promise<ServiceInfo> {
  const service = (await servicesOf(ctx, branchId)).find((s) => s.code === code);
  if (!service) throw new AppError('not_found', `Service ${code} not found at this branch`);
  return service;
}

export function forgetServices(ctx: ServerContext, branchId: string): void {
  cachesOf(ctx).services.delete(branchId);
}
