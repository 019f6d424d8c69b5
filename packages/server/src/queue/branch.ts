import {
  AppError,
  defaultBranchQueuePolicy,
  isWithin,
  type TBranchQueuePolicy,
  type TServiceDefinition,
  ZBranchQueuePolicy,
} from '@serviceloop/domain';
import { and, asc, eq } from 'drizzle-orm';
import type { ServerContext } from '../context.ts';
import type { Executor } from '../db/database.ts';
import { orgUnits } from '../db/schema.ts';
import { queueBranchPolicies, queueServices } from '../db/schema-queue.ts';
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
 * once when this node changes them. Another node sees a change within TTL_MS and one request.
 */
const TTL_MS = 10_000;

interface Cached<T> {
  readonly value: T;
  readonly at: number;
}

/** A branch's queue policy and the edit it came from (0: never edited, the domain default). */
export interface PolicyInfo {
  readonly policy: TBranchQueuePolicy;
  readonly version: number;
  readonly updatedAt: Date | null;
  readonly updatedBy: string | null;
}

interface Caches {
  readonly branches: Map<string, Cached<BranchInfo | null>>;
  readonly services: Map<string, Cached<readonly ServiceInfo[]>>;
  readonly policies: Map<string, Cached<PolicyInfo>>;
}

const caches = new WeakMap<ServerContext, Caches>();

function cachesOf(ctx: ServerContext): Caches {
  let c = caches.get(ctx);
  if (!c) {
    c = { branches: new Map(), services: new Map(), policies: new Map() };
    caches.set(ctx, c);
  }
  return c;
}

const refreshing = new WeakMap<Map<string, unknown>, Set<string>>();

/**
 * A cached value: fresh, it is returned; expired, it is still returned while one background read
 * replaces it (no request waits for a re-read of something that rarely changes); absent, it is
 * read. A re-read equal to the cached value (`same`) keeps the cached object, so what is keyed by
 * its identity (compiled policies, predictions) stays warm.
 */
async function cachedRead<T>(
  ctx: ServerContext,
  cache: Map<string, Cached<T>>,
  key: string,
  load: () => Promise<T>,
  same: (a: T, b: T) => boolean,
): Promise<T> {
  const hit = cache.get(key);
  if (!hit) {
    const value = await load();
    cache.set(key, { value, at: Date.now() });
    return value;
  }
  if (Date.now() - hit.at < TTL_MS) return hit.value;
  let keys = refreshing.get(cache);
  if (!keys) {
    keys = new Set();
    refreshing.set(cache, keys);
  }
  if (!keys.has(key)) {
    const inFlight = keys;
    inFlight.add(key);
    load()
      .then((value) => {
        // An edit on this node (forget*) meanwhile removed the entry: its next read loads anew.
        if (cache.get(key) !== hit) return;
        cache.set(key, { value: same(hit.value, value) ? hit.value : value, at: Date.now() });
      })
      .catch((error: unknown) => ctx.log.warn({ err: error, key }, 'queue cache refresh failed'))
      .finally(() => inFlight.delete(key));
  }
  return hit.value;
}

const sameJson = <T>(a: T, b: T): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The branch, or undefined when the id is not a branch. */
export async function findBranch(ctx: ServerContext, branchId: string): Promise<BranchInfo | undefined> {
  const value = await cachedRead(
    ctx,
    cachesOf(ctx).branches,
    branchId,
    async () => {
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
      return row ?? null;
    },
    sameJson,
  );
  return value ?? undefined;
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
  return cachedRead(
    ctx,
    cachesOf(ctx).services,
    branchId,
    async () => {
      let rows = await loadServices(ctx.db, branchId);
      if (rows.length === 0) {
        await seedBranchQueue(ctx, branchId);
        rows = await loadServices(ctx.db, branchId);
      }
      return rows;
    },
    sameJson,
  );
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

/**
 * The branch's queue policy: calling policy and recalls before a no-show. Cached like the service
 * catalogue; the same object is returned while cached, so the domain's compiled-policy cache
 * (keyed by identity) stays warm on the calling hot path. A stored policy that no longer parses
 * (a contract tightened since) falls back to the default, loudly.
 */
export async function branchPolicy(ctx: ServerContext, branchId: string): Promise<PolicyInfo> {
  return cachedRead(
    ctx,
    cachesOf(ctx).policies,
    branchId,
    () => loadPolicy(ctx, ctx.db, branchId),
    (a, b) => a.version === b.version && sameJson(a.policy, b.policy),
  );
}

/** The stored policy read through `db` (e.g. a transaction holding its row lock), uncached. */
export async function loadPolicy(ctx: ServerContext, db: Executor, branchId: string): Promise<PolicyInfo> {
  const [row] = await db.select().from(queueBranchPolicies).where(eq(queueBranchPolicies.branchId, branchId));
  if (!row) return { policy: defaultBranchQueuePolicy, version: 0, updatedAt: null, updatedBy: null };
  const parsed = ZBranchQueuePolicy.safeParse(row.policy);
  if (!parsed.success) {
    ctx.log.error(
      { branchId, issues: parsed.error.issues },
      'stored queue policy is invalid; using the default',
    );
  }
  return {
    policy: parsed.success ? parsed.data : defaultBranchQueuePolicy,
    version: row.version,
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
  };
}

/** Drops this node's cached policy of a branch (after an edit): the next call uses the new one. */
export function forgetPolicy(ctx: ServerContext, branchId: string): void {
  cachesOf(ctx).policies.delete(branchId);
}
