import { AppError, isWithin } from '@serviceloop/domain';
import { eq } from 'drizzle-orm';
import type { Executor } from '../db/database.ts';
import { orgUnits } from '../db/schema.ts';
import type { Actor } from '../identity/actor.ts';

/**
 * The path of the org unit a request narrows to: the caller's own scope by default, or a unit
 * inside it (the org switcher). A unit outside the caller's subtree is "not found".
 */
export async function scopePathFor(
  db: Executor,
  actor: Actor,
  orgUnitId: string | undefined,
): Promise<string> {
  if (!orgUnitId) return actor.scopePath;
  const [unit] = await db.select({ path: orgUnits.path }).from(orgUnits).where(eq(orgUnits.id, orgUnitId));
  if (!unit || !isWithin(unit.path, actor.scopePath)) throw new AppError('not_found', 'Org unit not found');
  return unit.path;
}
