import { createHash } from 'node:crypto';
import {
  AppError,
  authorityForStaff,
  type CaseConfigSection,
  CaseConfigSections,
  type ConfigIssue,
  type ConfigLayer,
  type ConfigVersionView,
  configOverrideIssues,
  DEFAULT_CASE_CONFIG,
  type ResolvedCaseConfig,
  resolveCaseConfig,
  type TCaseConfig,
  type TCaseConfigOverride,
  type TCompensationAuthority,
  type UnitConfigView,
  type UnitRef,
  ZCaseConfig,
  ZCaseConfigOverride,
} from '@serviceloop/domain';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { canonicalJson } from '../audit/chain.ts';
import { appendAudit, auditActor } from '../audit/service.ts';
import type { ServerContext } from '../context.ts';
import type { Executor } from '../db/database.ts';
import { caseConfigSnapshots, caseConfigVersions, cases } from '../db/schema-cases.ts';
import { appendEvents } from '../events/outbox.ts';
import type { Actor } from '../identity/actor.ts';
import { newId } from '../ids.ts';
import { getOrgUnitInScope } from '../org/service.ts';
import { type ChainUnit, staffLevelOf, unitChain, unitsBelow } from './config-units.ts';

/**
 * The case engine's stored configuration (see the domain's sla-config.ts): one override per
 * org unit and version, resolved down the org tree. New cases are opened under the resolved
 * configuration of their unit, stored once as a snapshot (by content hash) that the case keeps:
 * later changes apply to new cases only.
 */

type VersionRow = typeof caseConfigVersions.$inferSelect;

async function latestVersions(db: Executor, unitIds: readonly string[]): Promise<Map<string, VersionRow>> {
  const map = new Map<string, VersionRow>();
  if (unitIds.length === 0) return map;
  const rows = await db
    .select()
    .from(caseConfigVersions)
    .where(
      and(
        inArray(caseConfigVersions.orgUnitId, [...unitIds]),
        sql`${caseConfigVersions.version} = (select max(w.version) from case_config_versions w
          where w.org_unit_id = ${caseConfigVersions.orgUnitId})`,
      ),
    );
  for (const r of rows) map.set(r.orgUnitId, r);
  return map;
}

function layersOf(chain: readonly ChainUnit[], latest: ReadonlyMap<string, VersionRow>): ConfigLayer[] {
  return chain.flatMap((u) => {
    const row = latest.get(u.id);
    return row
      ? [{ unitId: u.id, version: row.version, override: ZCaseConfigOverride.parse(row.override) }]
      : [];
  });
}

export interface UnitConfig {
  readonly chain: ChainUnit[];
  readonly resolved: ResolvedCaseConfig;
}

/** The configuration in force for a unit now. */
export async function resolveUnitConfig(db: Executor, unitId: string): Promise<UnitConfig> {
  const chain = await unitChain(db, unitId);
  const latest = await latestVersions(
    db,
    chain.map((u) => u.id),
  );
  return { chain, resolved: resolveCaseConfig(layersOf(chain, latest)) };
}

// Snapshots are immutable: keep parsed ones.
const snapshots = new Map<string, TCaseConfig>();
const SNAPSHOTS_MAX = 200;

/** Stores (once) the resolved configuration a case is opened under; returns its id. */
export async function snapshotConfig(tx: Executor, resolved: ResolvedCaseConfig, now: Date): Promise<string> {
  const content = { config: resolved.config, sources: resolved.sources };
  const id = createHash('sha256').update(canonicalJson(content)).digest('hex');
  if (!snapshots.has(id)) {
    await tx
      .insert(caseConfigSnapshots)
      .values({ id, config: resolved.config, sources: resolved.sources, createdAt: now })
      .onConflictDoNothing({ target: caseConfigSnapshots.id });
  }
  return id;
}

export async function loadConfigSnapshot(db: Executor, id: string | null): Promise<TCaseConfig> {
  if (!id) return DEFAULT_CASE_CONFIG;
  const hit = snapshots.get(id);
  if (hit) return hit;
  const [row] = await db
    .select({ config: caseConfigSnapshots.config })
    .from(caseConfigSnapshots)
    .where(eq(caseConfigSnapshots.id, id));
  if (!row) throw new AppError('internal', `Configuration snapshot ${id} is missing`);
  const config = ZCaseConfig.parse(row.config);
  if (snapshots.size >= SNAPSHOTS_MAX) snapshots.clear();
  snapshots.set(id, config);
  return config;
}

/** The configuration a case was opened under (the code defaults for cases older than stored configuration). */
export async function caseConfigOf(db: Executor, caseId: string): Promise<TCaseConfig> {
  const [row] = await db.select({ id: cases.configSnapshotId }).from(cases).where(eq(cases.id, caseId));
  return loadConfigSnapshot(db, row?.id ?? null);
}

/**
 * The compensation authority of a person acting on a case of `caseUnitId`: the limits in force
 * for that unit now (authority is about staff, not about the case's promise), for the person's
 * roles at the level of their own unit (branch, region or head office).
 */
export async function authorityFor(
  db: Executor,
  actor: Actor,
  caseUnitId: string,
): Promise<TCompensationAuthority> {
  const [{ resolved }, own] = await Promise.all([
    resolveUnitConfig(db, caseUnitId),
    unitChain(db, actor.orgUnitId),
  ]);
  return authorityForStaff(resolved.config.authority, actor.roles, staffLevelOf(own));
}

// ---------------------------------------------------------------------------------------------
// The admin API.

const ref = (u: ChainUnit): UnitRef => ({ id: u.id, name: u.name, nameEn: u.nameEn });

async function viewOf(db: Executor, unitId: string): Promise<UnitConfigView> {
  const chain = await unitChain(db, unitId);
  const unit = chain[chain.length - 1] as ChainUnit;
  const latest = await latestVersions(
    db,
    chain.map((u) => u.id),
  );
  const layers = layersOf(chain, latest);
  const resolved = resolveCaseConfig(layers);
  const above = resolveCaseConfig(layers.filter((l) => l.unitId !== unit.id));
  const byId = new Map(chain.map((u) => [u.id, u]));
  const own = latest.get(unit.id);
  const sources = {} as Record<CaseConfigSection, { unit: UnitRef | null; version: number }>;
  const lockedBy: Partial<Record<CaseConfigSection, UnitRef>> = {};
  for (const s of CaseConfigSections) {
    const src = resolved.sources[s];
    const u = src.unitId ? byId.get(src.unitId) : undefined;
    sources[s] = { unit: u ? ref(u) : null, version: src.version };
    const lockId = above.lockedBy[s];
    const lock = lockId ? byId.get(lockId) : undefined;
    if (lock) lockedBy[s] = ref(lock);
  }
  return {
    orgUnit: { ...ref(unit), kind: unit.kind, parentId: unit.parentId },
    version: own?.version ?? 0,
    override: own ? ZCaseConfigOverride.parse(own.override) : { locks: [] },
    effective: resolved.config,
    inherited: above.config,
    sources,
    lockedBy,
    root: chain.length === 1,
  };
}

export async function getUnitConfigView(
  ctx: ServerContext,
  actor: Actor,
  unitId: string,
): Promise<UnitConfigView> {
  await getOrgUnitInScope(ctx.db, actor, unitId);
  return viewOf(ctx.db, unitId);
}

export async function listConfigVersions(
  ctx: ServerContext,
  actor: Actor,
  unitId: string,
): Promise<ConfigVersionView[]> {
  await getOrgUnitInScope(ctx.db, actor, unitId);
  const rows = await ctx.db
    .select()
    .from(caseConfigVersions)
    .where(eq(caseConfigVersions.orgUnitId, unitId))
    .orderBy(desc(caseConfigVersions.version));
  return rows.map((r) => {
    const override = ZCaseConfigOverride.parse(r.override);
    return {
      version: r.version,
      override,
      sections: CaseConfigSections.filter((s) => override[s] !== undefined),
      note: r.note,
      createdByName: r.createdByName,
      createdAt: r.createdAt.toISOString(),
    };
  });
}

const CONFIG_LOCK = 0x5c_0c_0f_19;

/**
 * Saves a unit's override as a new version. Refused (400 with issues) when it breaks a rule of
 * the domain, overrides a section locked above, or would leave any unit below with an invalid
 * configuration (e.g. head office locking a section a branch overrides, or lowering a ceiling
 * under a branch's limits). `expectedVersion` guards against lost updates (409).
 */
export async function saveUnitConfig(
  ctx: ServerContext,
  actor: Actor,
  unitId: string,
  input: {
    readonly expectedVersion: number;
    readonly override: TCaseConfigOverride;
    readonly note?: string | undefined;
    readonly dryRun: boolean;
  },
): Promise<UnitConfigView> {
  return ctx.db.transaction(async (tx) => {
    await getOrgUnitInScope(tx, actor, unitId);
    // Saves are rare and the check spans the subtree: one writer at a time, bank-wide.
    if (!input.dryRun) await tx.execute(sql`select pg_advisory_xact_lock(${CONFIG_LOCK})`);
    const chain = await unitChain(tx, unitId);
    const unit = chain[chain.length - 1] as ChainUnit;
    const below = await unitsBelow(tx, unit);
    const latest = await latestVersions(
      tx,
      [...chain, ...below].map((u) => u.id),
    );
    const ownVersion = latest.get(unit.id)?.version ?? 0;
    if (!input.dryRun && ownVersion !== input.expectedVersion) {
      throw new AppError(
        'conflict',
        `The configuration changed meanwhile (now version ${ownVersion}); reload and retry`,
      );
    }
    const override = input.override;
    const aboveLayers = layersOf(chain.slice(0, -1), latest);
    const above = resolveCaseConfig(aboveLayers);
    const issues: ConfigIssue[] = configOverrideIssues(override, above, { root: chain.length === 1 }).map(
      (i) => ({ ...i, path: `override.${i.path}` }),
    );
    // Every unit below that has its own override must stay valid under the new one.
    const next = new Map(latest);
    const nextRow: VersionRow = {
      id: '',
      orgUnitId: unit.id,
      version: ownVersion + 1,
      override,
      note: null,
      createdBy: null,
      createdByName: null,
      createdAt: new Date(0),
    };
    next.set(unit.id, nextRow);
    for (const child of below) {
      const own = next.get(child.id);
      if (!own) continue;
      const childChain = [...chain, ...below.filter((b) => child.path.startsWith(b.path))];
      const layers = layersOf(childChain, next);
      const childAbove = resolveCaseConfig(layers.filter((l) => l.unitId !== child.id));
      for (const i of configOverrideIssues(ZCaseConfigOverride.parse(own.override), childAbove, {
        root: false,
      })) {
        issues.push({
          ...i,
          path: `below.${child.code}.${i.path}`,
          message: `${child.name} v${own.version}: ${i.message}`,
          params: { ...i.params, unit: child.name, unitVersion: own.version },
        });
      }
    }
    if (issues.length > 0) {
      throw new AppError('validation_failed', 'The configuration is not valid', {
        issues: issues.slice(0, 50),
      });
    }
    if (input.dryRun) {
      const resolved = resolveCaseConfig([
        ...aboveLayers,
        { unitId: unit.id, version: ownVersion + 1, override },
      ]);
      const view = await viewOf(tx, unitId);
      return { ...view, override, effective: resolved.config };
    }
    const now = ctx.clock();
    const version = ownVersion + 1;
    await tx.insert(caseConfigVersions).values({
      id: newId(),
      orgUnitId: unit.id,
      version,
      override,
      note: input.note ?? null,
      createdBy: actor.userId,
      createdByName: actor.displayName,
      createdAt: now,
    });
    const before = latest.get(unit.id);
    const beforeOverride = before ? ZCaseConfigOverride.parse(before.override) : undefined;
    const changed = CaseConfigSections.filter(
      (s) => canonicalJson(beforeOverride?.[s] ?? null) !== canonicalJson(override[s] ?? null),
    );
    const details = {
      version,
      changed,
      overridden: CaseConfigSections.filter((s) => override[s] !== undefined),
      locks: override.locks,
      note: input.note ?? null,
    };
    await appendAudit(tx, ctx.clock, auditActor(actor), {
      action: 'case.config_changed',
      orgUnitId: unit.id,
      targetType: 'case_config',
      targetId: `${unit.id}@${version}`,
      details,
    });
    await appendEvents(tx, ctx.clock, [
      {
        type: 'case.config_changed',
        orgUnitId: unit.id,
        aggregateType: 'org_unit',
        aggregateId: unit.id,
        actorId: actor.userId,
        payload: details,
      },
    ]);
    return viewOf(tx, unitId);
  });
}
