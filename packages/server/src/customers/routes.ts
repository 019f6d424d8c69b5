import {
  CustomerTiers,
  ZCreateCustomerRequest,
  ZCustomer,
  ZCustomerValueInput,
  ZCustomerValueView,
  ZImportJob,
  ZUpdateCustomerRequest,
} from '@serviceloop/domain';
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { type AnyRoute, defineRoute } from '../http/route.ts';
import { scopePathFor } from '../http/scope.ts';
import type { Actor } from '../identity/actor.ts';
import { getImportJob, startCustomerImport } from './import-service.ts';
import {
  archiveCustomer,
  createCustomer,
  getCustomer,
  listCustomers,
  revealCustomer,
  updateCustomer,
} from './service.ts';
import { getCustomerValue, setCustomerValue } from './value.ts';

const ZIdParams = z.strictObject({ id: z.uuid() });
const ZListQuery = z.strictObject({
  orgUnitId: z.uuid().optional(),
  q: z.string().trim().max(100).optional(),
  tier: z.enum(CustomerTiers).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
const ZReason = z.strictObject({ reason: z.string().trim().min(2).max(200) });
const ZImportQuery = z.strictObject({
  dryRun: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  fileName: z.string().max(200).optional(),
});

export function customerRoutes(ctx: ServerContext): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/customers',
      access: 'customer.read',
      summary: 'Customers in scope, masked; search by name, customer number, exact phone or ID number',
      tags: ['customers'],
      query: ZListQuery,
      response: z.object({ items: z.array(ZCustomer), total: z.number().int() }),
      handler: async ({ actor, query }) => {
        const a = actor as Actor;
        return listCustomers(ctx, { ...query, scopePath: await scopePathFor(ctx.db, a, query.orgUnitId) });
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/customers/:id',
      access: 'customer.read',
      summary: 'One customer, masked',
      tags: ['customers'],
      params: ZIdParams,
      response: ZCustomer,
      handler: ({ actor, params }) => getCustomer(ctx, actor as Actor, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/customers',
      access: 'customer.manage',
      status: 201,
      summary: 'Create a customer (person or company)',
      tags: ['customers'],
      body: ZCreateCustomerRequest,
      response: ZCustomer,
      handler: ({ actor, body }) => createCustomer(ctx, actor as Actor, body),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/customers/:id',
      access: 'customer.manage',
      summary: 'Update a customer',
      tags: ['customers'],
      params: ZIdParams,
      body: ZUpdateCustomerRequest,
      response: ZCustomer,
      handler: ({ actor, params, body }) => updateCustomer(ctx, actor as Actor, params.id, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/customers/:id/value',
      access: 'customer.read',
      summary:
        'The customer’s value: holdings summary, AUM band, yearly profit contribution (null when none on file)',
      tags: ['customers'],
      params: ZIdParams,
      response: ZCustomerValueView.nullable(),
      handler: ({ actor, params }) => getCustomerValue(ctx, actor as Actor, params.id),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/customers/:id/value',
      access: 'customer.manage',
      summary:
        'Record the customer’s holdings summary and profit contribution (the AUM band follows); audited',
      tags: ['customers'],
      params: ZIdParams,
      body: ZCustomerValueInput,
      response: ZCustomerValueView,
      handler: ({ actor, params, body }) => setCustomerValue(ctx, actor as Actor, params.id, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/customers/:id/archive',
      access: 'customer.manage',
      summary: 'Archive a customer (never deleted)',
      tags: ['customers'],
      params: ZIdParams,
      body: ZReason,
      handler: async ({ actor, params, body }) => {
        await archiveCustomer(ctx, actor as Actor, params.id, body.reason);
        return undefined;
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/customers/:id/reveal',
      access: 'customer.reveal',
      summary: 'Unmasked identifiers, with a stated reason; every reveal is audited',
      tags: ['customers'],
      params: ZIdParams,
      body: ZReason,
      response: ZCustomer,
      handler: ({ actor, params, body }) => revealCustomer(ctx, actor as Actor, params.id, body.reason),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/customers/imports',
      access: 'customer.import',
      status: 202,
      rawBody: 'text/csv',
      summary: 'Start a customer CSV import (dryRun=true validates only); poll the job for progress',
      tags: ['customers'],
      query: ZImportQuery,
      response: z.object({ id: z.uuid() }),
      handler: ({ actor, query, request }) => {
        const csv = typeof request.body === 'string' ? request.body : '';
        return startCustomerImport(ctx, actor as Actor, {
          csv,
          dryRun: query.dryRun,
          fileName: query.fileName,
        });
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/customers/imports/:id',
      access: 'customer.import',
      summary: 'Progress and report of an import job',
      tags: ['customers'],
      params: ZIdParams,
      response: ZImportJob,
      handler: ({ actor, params }) => getImportJob(ctx, actor as Actor, params.id),
    }),
  ];
}
