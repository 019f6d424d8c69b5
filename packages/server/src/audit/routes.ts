import { and, desc, eq, like } from 'drizzle-orm';
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { auditLog, orgUnits } from '../db/schema.ts';
import { type AnyRoute, defineRoute } from '../http/route.ts';
import { scopePathFor } from '../http/scope.ts';
import type { Actor } from '../identity/actor.ts';

const ZAuditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actorName: z.string().nullable(),
  action: z.string(),
  orgUnitId: z.string().nullable(),
  orgUnitName: z.string().nullable(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  details: z.unknown(),
});

export function auditRoutes(ctx: ServerContext): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/audit',
      access: 'audit.read',
      summary: 'Audit entries of org units in scope, newest first',
      tags: ['audit'],
      query: z.strictObject({
        orgUnitId: z.uuid().optional(),
        action: z.string().max(100).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
      response: z.array(ZAuditEntry),
      handler: async ({ actor, query }) => {
        const scope = await scopePathFor(ctx.db, actor as Actor, query.orgUnitId);
        const rows = await ctx.db
          .select({ entry: auditLog, orgUnitName: orgUnits.name })
          .from(auditLog)
          .innerJoin(orgUnits, eq(orgUnits.id, auditLog.orgUnitId))
          .where(
            and(
              like(orgUnits.path, `${scope}%`),
              query.action ? eq(auditLog.action, query.action) : undefined,
            ),
          )
          .orderBy(desc(auditLog.at), desc(auditLog.id))
          .limit(query.limit);
        return rows.map(({ entry, orgUnitName }) => ({
          id: entry.id,
          at: entry.at.toISOString(),
          actorName: entry.actorName,
          action: entry.action,
          orgUnitId: entry.orgUnitId,
          orgUnitName,
          targetType: entry.targetType,
          targetId: entry.targetId,
          details: entry.details,
        }));
      },
    }),
  ];
}
