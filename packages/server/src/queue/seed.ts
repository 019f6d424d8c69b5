import { defaultServices } from '@serviceloop/domain';
import { and, eq } from 'drizzle-orm';
import type { ServerContext } from '../context.ts';
import { orgUnits } from '../db/schema.ts';
import { queueCounters, queueServices } from '../db/schema-queue.ts';
import { newId } from '../ids.ts';

/** Counters of a fresh branch: numbers 1–5 and their skills, most preferred service first. */
export const defaultCounters: readonly { readonly number: number; readonly skills: readonly string[] }[] = [
  { number: 1, skills: ['cash', 'personal'] },
  { number: 2, skills: ['cash', 'personal'] },
  { number: 3, skills: ['personal', 'cash'] },
  { number: 4, skills: ['corporate', 'personal'] },
  { number: 5, skills: ['wealth', 'personal', 'cash'] },
];

/**
 * Gives one branch the default service catalogue and five closed counters. Idempotent and safe
 * to run concurrently (unique indexes, ON CONFLICT DO NOTHING); returns whether it added services.
 */
export async function seedBranchQueue(ctx: ServerContext, branchId: string): Promise<boolean> {
  const now = ctx.clock();
  return ctx.db.transaction(async (tx) => {
    const inserted = await tx
      .insert(queueServices)
      .values(
        defaultServices.map((s) => ({
          id: newId(),
          branchId,
          code: s.code,
          prefix: s.prefix,
          nameZh: s.nameZh,
          nameEn: s.nameEn,
          targetWaitSeconds: s.targetWaitSeconds,
          active: s.active,
          createdAt: now,
          updatedAt: now,
        })),
      )
      .onConflictDoNothing()
      .returning({ id: queueServices.id });
    await tx
      .insert(queueCounters)
      .values(
        defaultCounters.map((c) => ({
          id: newId(),
          branchId,
          number: c.number,
          name: `${c.number}号窗口`,
          skills: [...c.skills],
          state: 'closed',
          stateChangedAt: now,
          createdAt: now,
          updatedAt: now,
        })),
      )
      .onConflictDoNothing();
    return inserted.length > 0;
  });
}

/** Demo seed: the default catalogue and counters for every branch. Call after seedDemo. */
export async function seedQueueDemo(ctx: ServerContext): Promise<{ branches: number }> {
  const branches = await ctx.db
    .select({ id: orgUnits.id })
    .from(orgUnits)
    .where(and(eq(orgUnits.kind, 'branch'), eq(orgUnits.active, true)));
  for (const b of branches) await seedBranchQueue(ctx, b.id);
  return { branches: branches.length };
}
