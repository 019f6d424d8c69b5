import { AppError, type StaffLevel } from '@serviceloop/domain';
import { asc, eq, like, sql } from 'drizzle-orm';
import type { Executor } from '../db/database.ts';
import { orgUnits } from '../db/schema.ts';

/** The org-unit columns the configuration needs. */
export interface ChainUnit {
  readonly id: string;
  readonly parentId: string | null;
  readonly kind: string;
  readonly code: string;
  readonly name: string;
  readonly nameEn: string | null;
  readonly path: string;
  readonly depth: number;
  readonly timeZone: string;
}

const columns = {
  id: orgUnits.id,
  parentId: orgUnits.parentId,
  kind: orgUnits.kind,
  code: orgUnits.code,
  name: orgUnits.name,
  nameEn: orgUnits.nameEn,
  path: orgUnits.path,
  depth: orgUnits.depth,
  timeZone: orgUnits.timeZone,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The unit and every unit above it, head office first. */
export async function unitChain(db: Executor, unitId: string): Promise<ChainUnit[]> {
  if (!UUID.test(unitId)) throw new AppError('not_found', 'Org unit not found');
  const [unit] = await db.select({ path: orgUnits.path }).from(orgUnits).where(eq(orgUnits.id, unitId));
  if (!unit) throw new AppError('not_found', 'Org unit not found');
  return db
    .select(columns)
    .from(orgUnits)
    .where(sql`${unit.path} like ${orgUnits.path} || '%'`)
    .orderBy(asc(orgUnits.depth));
}

/** The units below a unit (not the unit itself), shallowest first. */
export async function unitsBelow(db: Executor, unit: ChainUnit): Promise<ChainUnit[]> {
  const rows = await db
    .select(columns)
    .from(orgUnits)
    .where(like(orgUnits.path, `${unit.path}%`))
    .orderBy(asc(orgUnits.depth), asc(orgUnits.code));
  return rows.filter((r) => r.id !== unit.id);
}

/** The level at which a person works: a department counts as the unit above it. */
export function staffLevelOf(chain: readonly ChainUnit[]): StaffLevel {
  for (let i = chain.length - 1; i >= 0; i--) {
    const kind = chain[i]?.kind;
    if (kind === 'branch' || kind === 'region' || kind === 'head_office') return kind;
  }
  return 'branch';
}

/** An org unit's id by its code (the command line names units by code). */
export async function unitIdByCode(db: Executor, code: string): Promise<string> {
  const [unit] = await db.select({ id: orgUnits.id }).from(orgUnits).where(eq(orgUnits.code, code));
  if (!unit) throw new AppError('not_found', `No org unit with code ${code}`);
  return unit.id;
}
