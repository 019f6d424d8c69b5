import {
  ZCreateOrgUnitRequest,
  ZCreateStaffRequest,
  ZOrgUnit,
  ZResetPasswordRequest,
  ZStaff,
  ZUpdateOrgUnitRequest,
  ZUpdateStaffRequest,
} from '@serviceloop/domain';
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { type AnyRoute, defineRoute } from '../http/route.ts';
import { scopePathFor } from '../http/scope.ts';
import type { Actor } from '../identity/actor.ts';
import { createOrgUnit, listOrgUnits, updateOrgUnit } from './service.ts';
import { createStaff, listStaff, resetPassword, updateStaff } from './staff-service.ts';

const ZIdParams = z.strictObject({ id: z.uuid() });
const ZScopeQuery = z.strictObject({ orgUnitId: z.uuid().optional() });

export function orgRoutes(ctx: ServerContext): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/org-units',
      access: 'authenticated',
      summary: 'Org units in the caller’s subtree (head office → region → branch → department)',
      tags: ['org'],
      response: z.array(ZOrgUnit),
      handler: ({ actor }) => listOrgUnits(ctx, actor as Actor),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/org-units',
      access: 'org.manage',
      status: 201,
      summary: 'Create an org unit under a unit in scope',
      tags: ['org'],
      body: ZCreateOrgUnitRequest,
      response: ZOrgUnit,
      handler: ({ actor, body }) => createOrgUnit(ctx, actor as Actor, body),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/org-units/:id',
      access: 'org.manage',
      summary: 'Rename, move time zone or (de)activate an org unit',
      tags: ['org'],
      params: ZIdParams,
      body: ZUpdateOrgUnitRequest,
      response: ZOrgUnit,
      handler: ({ actor, params, body }) => updateOrgUnit(ctx, actor as Actor, params.id, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/staff',
      access: 'staff.read',
      summary: 'Staff in scope (optionally narrowed to an org unit)',
      tags: ['org'],
      query: ZScopeQuery,
      response: z.array(ZStaff),
      handler: async ({ actor, query }) => {
        const a = actor as Actor;
        return listStaff(ctx, await scopePathFor(ctx.db, a, query.orgUnitId));
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/staff',
      access: 'staff.manage',
      status: 201,
      summary: 'Create a staff member with roles',
      tags: ['org'],
      body: ZCreateStaffRequest,
      response: ZStaff,
      handler: ({ actor, body }) => createStaff(ctx, actor as Actor, body),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/staff/:id',
      access: 'staff.manage',
      summary: 'Change a staff member’s roles, unit or status (ends their sessions)',
      tags: ['org'],
      params: ZIdParams,
      body: ZUpdateStaffRequest,
      response: ZStaff,
      handler: ({ actor, params, body }) => updateStaff(ctx, actor as Actor, params.id, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/staff/:id/password',
      access: 'staff.manage',
      summary: 'Set a new password (unlocks the account, ends sessions)',
      tags: ['org'],
      params: ZIdParams,
      body: ZResetPasswordRequest,
      handler: async ({ actor, params, body }) => {
        await resetPassword(ctx, actor as Actor, params.id, body.password);
        return undefined;
      },
    }),
  ];
}
