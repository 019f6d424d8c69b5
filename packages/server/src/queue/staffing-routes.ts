import { ZStaffingPlanQuery, ZStaffingPlanResponse } from '@serviceloop/domain';
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { type AnyRoute, defineRoute } from '../http/route.ts';
import type { Actor } from '../identity/actor.ts';
import { staffingPlan } from './staffing.ts';

/** Staffing plan of a branch (issue #4): forecast arrivals and counters per interval. */
export function staffingRoutes(ctx: ServerContext): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/branches/:branchId/staffing-plan',
      access: 'queue.read',
      summary:
        'Staffing plan for a weekday: arrivals per service and interval forecast from the branch’s history, counters (and their leading skills) to meet each service’s target wait for target% of customers, VIPs within 5 min',
      tags: ['queue'],
      params: z.strictObject({ branchId: z.uuid() }),
      query: ZStaffingPlanQuery,
      response: ZStaffingPlanResponse,
      handler: ({ actor, params, query }) =>
        staffingPlan(ctx, actor as Actor, { branchId: params.branchId, ...query }),
    }),
  ];
}
