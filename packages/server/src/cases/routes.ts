import { AppError, ZAssignee, ZCaseAction, ZReclassifyRequest } from '@serviceloop/domain';
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { type AnyRoute, defineRoute } from '../http/route.ts';
import { scopePathFor } from '../http/scope.ts';
import type { Actor } from '../identity/actor.ts';
import { listApprovals, listSlaAlerts } from './approvals.ts';
import { listAssignees } from './assignees.ts';
import { listCalendars, loadCalendar } from './calendars.ts';
import { caseConfigRoutes } from './config-routes.ts';
import {
  ZApproval,
  ZCaseActionResult,
  ZCaseDetail,
  ZCaseIntakeRequest,
  ZCaseListItem,
  ZCaseListQuery,
} from './contracts.ts';
import { caseEconomics, ZCaseEconomics } from './economics.ts';
import { completeFollowUp, getRatingLink, listFollowUps, submitRating } from './follow-up.ts';
import { reclassifyCase } from './reclassify.ts';
import {
  caseReport,
  exportCaseListXlsx,
  exportCasesCsv,
  exportCasesXlsx,
  ZCaseReport,
  ZReportQuery,
} from './reports.ts';
import { actOnCase, caseInScope, createCase, extendResolutionPeriod, getCase, listCases } from './service.ts';
import { previewDues, ZSlaPreview, ZSlaPreviewQuery } from './sla-preview.ts';
import { type ExportLocale, XLSX_TYPE, ZExportLocale } from './xlsx.ts';

const ZIdParams = z.strictObject({ id: z.uuid() });
const ZIdempotencyKey = z
  .string()
  .trim()
  .min(8)
  .max(128)
  .regex(/^[\x21-\x7e]+$/);
const ZCompensationParams = z.strictObject({ id: z.uuid(), compensationId: z.string().min(1).max(100) });
const ZFollowUpParams = z.strictObject({ id: z.uuid(), followUpId: z.uuid() });
const ZTokenParams = z.strictObject({ token: z.string().min(16).max(100) });
const ZEmpty = z.strictObject({});
const ZDecline = z.strictObject({ reason: z.string().trim().min(1).max(2000) });
const ZFollowUpDone = z.strictObject({
  status: z.enum(['done', 'cancelled']).default('done'),
  note: z.string().trim().max(2000).optional(),
});
const ZRating = z.strictObject({
  score: z.number().int().min(1).max(5),
  comment: z.string().trim().max(2000).optional(),
});
const ZScopeQuery = z.strictObject({
  orgUnitId: z.uuid().optional(),
  status: z.enum(['pending_approval', 'approved', 'declined']).optional(),
});

/** The spreadsheet's language: `?locale=`, else the user's own, else Chinese. */
const exportLocale = (asked: ExportLocale | undefined, actor: Actor): ExportLocale =>
  asked ?? (actor.locale.startsWith('en') ? 'en' : 'zh-CN');

/** Routes of the case engine (issue #5): complaints, support and internal requests. */
export function caseRoutes(ctx: ServerContext): AnyRoute[] {
  return [
    ...caseConfigRoutes(ctx),
    defineRoute({
      method: 'GET',
      url: '/api/v1/cases',
      access: 'case.read',
      summary: 'Cases in scope with SLA risk (inbox): filters by state, type, assignee, risk, text',
      tags: ['cases'],
      query: ZCaseListQuery,
      response: z.object({ items: z.array(ZCaseListItem), total: z.number().int() }),
      handler: async ({ actor, query }) => {
        const a = actor as Actor;
        return listCases(ctx, a, await scopePathFor(ctx.db, a, query.orgUnitId), query);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/cases',
      access: 'case.handle',
      status: 201,
      summary:
        'Record a case (fast counter intake); compensation within authority is granted at once. Send an Idempotency-Key header: a retry returns the first case',
      tags: ['cases'],
      body: ZCaseIntakeRequest,
      response: ZCaseDetail,
      handler: async ({ actor, body, request, reply }) => {
        const header = request.headers['idempotency-key'];
        const key = header === undefined ? undefined : ZIdempotencyKey.safeParse(header);
        if (key && !key.success) {
          throw new AppError('validation_failed', 'Idempotency-Key must be 8–128 printable ASCII characters');
        }
        const { detail, replayed } = await createCase(ctx, actor as Actor, body, key?.data);
        if (replayed) reply.header('idempotent-replayed', 'true');
        return detail;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/cases/approvals',
      access: 'case.approve',
      summary: 'Compensation approvals in scope (pending first by default filter)',
      tags: ['cases'],
      query: ZScopeQuery,
      response: z.array(ZApproval),
      handler: async ({ actor, query }) => {
        const a = actor as Actor;
        return listApprovals(ctx, await scopePathFor(ctx.db, a, query.orgUnitId), query.status);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/cases/alerts',
      access: 'case.supervise',
      summary: 'Supervisor view: SLA warnings, breaches and escalations fired in scope, newest first',
      tags: ['cases'],
      query: z.strictObject({
        orgUnitId: z.uuid().optional(),
        kind: z.enum(['warning', 'breach', 'escalation']).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
      response: z.array(
        z.object({
          key: z.string(),
          kind: z.string(),
          caseId: z.uuid(),
          caseNumber: z.string(),
          subject: z.string(),
          caseState: z.string(),
          orgUnitId: z.uuid(),
          orgUnitTimeZone: z.string(),
          clock: z.string(),
          levels: z.array(z.string()).readonly(),
          scheduledAt: z.string(),
          firedAt: z.string(),
          open: z.boolean(),
        }),
      ),
      handler: async ({ actor, query }) => {
        const a = actor as Actor;
        return listSlaAlerts(ctx, await scopePathFor(ctx.db, a, query.orgUnitId), query);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/cases/follow-ups',
      access: 'case.read',
      summary: 'Return visits (回访) in scope, soonest first',
      tags: ['cases'],
      query: z.strictObject({
        orgUnitId: z.uuid().optional(),
        status: z.enum(['scheduled', 'done', 'cancelled']).default('scheduled'),
      }),
      response: z.array(
        z.object({
          id: z.uuid(),
          caseId: z.uuid(),
          caseNumber: z.string(),
          subject: z.string(),
          orgUnitId: z.uuid(),
          assigneeId: z.uuid().nullable(),
          dueAt: z.string(),
          status: z.string(),
          overdue: z.boolean(),
        }),
      ),
      handler: async ({ actor, query }) => {
        const a = actor as Actor;
        return listFollowUps(ctx, await scopePathFor(ctx.db, a, query.orgUnitId), query.status);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/cases/reports/summary',
      access: 'case.supervise',
      summary: 'Counts by JR/T 0169-2018 axes, branch and month; SLA compliance; recovery cost',
      tags: ['cases'],
      query: ZReportQuery,
      response: ZCaseReport,
      handler: async ({ actor, query }) => {
        const a = actor as Actor;
        return caseReport(ctx, await scopePathFor(ctx.db, a, query.orgUnitId), query);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/cases/reports/export.csv',
      access: 'case.supervise',
      summary: 'Cases as CSV in the shape of the regulatory statistics (audited)',
      tags: ['cases'],
      query: ZReportQuery,
      handler: async ({ actor, query, reply }) => {
        const a = actor as Actor;
        const csv = await exportCasesCsv(ctx, a, await scopePathFor(ctx.db, a, query.orgUnitId), query);
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="cases.csv"')
          .send(csv);
        return undefined;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/cases/reports/export.xlsx',
      access: 'case.supervise',
      summary:
        'Cases as an XLSX workbook: the CSV’s rows (dates as dates, ¥ amounts as numbers) plus counts per JR/T 0169 axis; headers in zh-CN or en (audited)',
      tags: ['cases'],
      query: ZReportQuery.extend({ locale: ZExportLocale.optional() }),
      handler: async ({ actor, query, reply }) => {
        const a = actor as Actor;
        const { locale, ...q } = query;
        const xlsx = await exportCasesXlsx(
          ctx,
          a,
          await scopePathFor(ctx.db, a, q.orgUnitId),
          q,
          exportLocale(locale, a),
        );
        reply.type(XLSX_TYPE).header('content-disposition', 'attachment; filename="cases.xlsx"').send(xlsx);
        return undefined;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/cases/export.xlsx',
      access: 'case.read',
      summary: 'The workbench list with its filters as an XLSX workbook (up to 10,000 cases; audited)',
      tags: ['cases'],
      query: ZCaseListQuery.omit({ page: true, pageSize: true }).extend({ locale: ZExportLocale.optional() }),
      handler: async ({ actor, query, reply }) => {
        const a = actor as Actor;
        const { locale, ...q } = query;
        const xlsx = await exportCaseListXlsx(
          ctx,
          a,
          await scopePathFor(ctx.db, a, q.orgUnitId),
          q,
          exportLocale(locale, a),
        );
        reply
          .type(XLSX_TYPE)
          .header('content-disposition', 'attachment; filename="case-list.xlsx"')
          .send(xlsx);
        return undefined;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/cases/:id',
      access: 'case.read',
      summary: 'One case with its clocks, timeline, allowed actions, follow-ups and rating',
      tags: ['cases'],
      params: ZIdParams,
      response: ZCaseDetail,
      handler: ({ actor, params }) => getCase(ctx, actor as Actor, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/cases/:id/actions',
      access: 'case.handle',
      summary:
        'Apply a workflow action (acknowledge, pause, resume, propose_resolution, close, reopen, merge, …); closing returns the rating token once',
      tags: ['cases'],
      params: ZIdParams,
      body: ZCaseAction,
      response: ZCaseActionResult,
      handler: ({ actor, params, body }) => actOnCase(ctx, actor as Actor, params.id, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/cases/:id/assignees',
      access: 'case.handle',
      summary:
        'Staff who may take this case (handling role, in scope, on the case’s line), with their open-case load, best fit first',
      tags: ['cases'],
      params: ZIdParams,
      response: z.array(ZAssignee),
      handler: ({ actor, params }) => listAssignees(ctx, actor as Actor, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/cases/:id/reclassify',
      access: 'case.handle',
      summary:
        'Correct the classification after intake (business, product, JR/T 0169 axes, severity) with a reason; SLA clocks follow only when the policy rule changes (audited)',
      tags: ['cases'],
      params: ZIdParams,
      body: ZReclassifyRequest,
      response: ZCaseDetail,
      handler: ({ actor, params, body }) => reclassifyCase(ctx, actor as Actor, params.id, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/cases/:id/economics',
      access: 'case.read',
      summary:
        'Recovery economics: compensation paid, pending and claimed against the customer’s value, with an advisory band',
      tags: ['cases'],
      params: ZIdParams,
      response: ZCaseEconomics,
      handler: ({ actor, params }) => caseEconomics(ctx, actor as Actor, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/cases/:id/compensations/:compensationId/approve',
      access: 'case.approve',
      summary: 'Approve a compensation above the requester’s authority (never one’s own)',
      tags: ['cases'],
      params: ZCompensationParams,
      body: ZEmpty,
      response: ZCaseActionResult,
      handler: ({ actor, params }) =>
        actOnCase(ctx, actor as Actor, params.id, {
          type: 'approve_compensation',
          compensationId: params.compensationId,
        }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/cases/:id/compensations/:compensationId/decline',
      access: 'case.approve',
      summary: 'Decline a compensation request, with a reason',
      tags: ['cases'],
      params: ZCompensationParams,
      body: ZDecline,
      response: ZCaseActionResult,
      handler: ({ actor, params, body }) =>
        actOnCase(ctx, actor as Actor, params.id, {
          type: 'decline_compensation',
          compensationId: params.compensationId,
          reason: body.reason,
        }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/cases/:id/resolution-extension',
      access: 'case.supervise',
      summary:
        'Extend the resolution period (cn-nfra-2020): complex case 15 → 30 days; a further 30 with approval (case.approve) and notice to the customer',
      tags: ['cases'],
      params: ZIdParams,
      body: z.strictObject({
        step: z.enum(['complex_30', 'further_30_approved']).default('complex_30'),
        reason: z.string().trim().min(1).max(2000).optional(),
        customerNotified: z.boolean().default(false),
      }),
      response: ZCaseDetail,
      handler: ({ actor, params, body }) => extendResolutionPeriod(ctx, actor as Actor, params.id, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/cases/:id/follow-ups/:followUpId/complete',
      access: 'case.handle',
      summary: 'Record the return visit (回访) as done or cancelled',
      tags: ['cases'],
      params: ZFollowUpParams,
      body: ZFollowUpDone,
      response: ZCaseDetail,
      handler: async ({ actor, params, body }) => {
        const a = actor as Actor;
        const { c } = await caseInScope(ctx.db, a, params.id);
        await completeFollowUp(ctx, a, c, params.followUpId, body);
        return getCase(ctx, a, params.id);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/sla/preview',
      access: 'case.read',
      summary:
        'Due times of a preset’s clocks for a receipt time (same computation as `serviceloop sla due`)',
      tags: ['cases'],
      query: ZSlaPreviewQuery,
      response: ZSlaPreview,
      handler: ({ query }) => previewDues((name) => loadCalendar(ctx.db, name), query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/sla/calendars',
      access: 'case.read',
      summary: 'Business calendars: built-in and imported',
      tags: ['cases'],
      response: z.array(
        z.object({
          name: z.string(),
          source: z.enum(['built_in', 'imported']),
          timeZone: z.string(),
          holidays: z.number().int(),
          makeUpDays: z.number().int(),
          coveredYears: z.array(z.number().int()),
          /** A named (imported) calendar's latest version, the one its name resolves to; built-in: 0. */
          version: z.number().int(),
        }),
      ),
      handler: () => listCalendars(ctx.db),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/ratings/:token',
      access: 'public',
      rateLimitPerMinute: 30,
      summary: 'The customer’s rating link: which case it rates (no sign-in)',
      tags: ['cases'],
      params: ZTokenParams,
      response: z.object({ caseNumber: z.string() }),
      handler: ({ params }) => getRatingLink(ctx, params.token),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/ratings/:token',
      access: 'public',
      rateLimitPerMinute: 10,
      summary: 'Submit a 1–5 rating and a comment; the link works exactly once',
      tags: ['cases'],
      params: ZTokenParams,
      body: ZRating,
      response: z.object({ caseNumber: z.string() }),
      handler: ({ params, body }) => submitRating(ctx, params.token, body),
    }),
  ];
}
