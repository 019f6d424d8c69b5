import {
  TicketStatuses,
  ZBranchQueuePolicy,
  ZBusinessDay,
  ZCreateServiceRequest,
  ZDisplayNotices,
  ZImportJob,
  ZIssueTicketRequest,
  ZIssueTicketResponse,
  ZNotice,
  ZPostNoticeRequest,
  ZQueueCode,
  ZTicket,
  ZTicketStatusView,
  ZTransferTicketRequest,
  ZUpdateBranchQueuePolicyRequest,
  ZUpdateServiceRequest,
  ZWaitEstimate,
} from '@serviceloop/domain';
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { type AnyRoute, defineRoute } from '../http/route.ts';
import type { Actor } from '../identity/actor.ts';
import { publicBranch, servicesOf } from './branch.ts';
import { dayKpis, kpisCsv, kpiTrend } from './kpis.ts';
import { displayNotices, expireNotice, listNotices, postNotice } from './notices.ts';
import {
  callNext,
  FinishOutcomes,
  finishService,
  getTicketInBranch,
  issueTicket,
  listTickets,
  markAbandoned,
  markNoShow,
  recallTicket,
  serveWalkUp,
  setCounterSkills,
  setCounterState,
  setTriageNote,
  startService,
  transferTicket,
} from './service.ts';
import { createService, getQueueSettings, updateQueuePolicy, updateService } from './settings.ts';
import { type CounterRow, toTicket } from './store.ts';
import { streamDisplay } from './stream.ts';
import { displayState, lobbyOverview, ticketStatus, ticketStatusOf } from './views.ts';
import { exportVisits, getVisitImport, startVisitImport } from './visits.ts';

const ZBranchParams = z.strictObject({ branchId: z.uuid() });
const ZCounterParams = z.strictObject({ branchId: z.uuid(), counterId: z.uuid() });
const ZTicketParams = z.strictObject({ branchId: z.uuid(), ticketId: z.uuid() });
const ZPublicTicketParams = z.strictObject({ ticketId: z.uuid() });
const ZEmpty = z.strictObject({});
const ZIdempotencyKey = z
  .string()
  .trim()
  .min(8)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'Printable ASCII');

export const ZTicketDetail = ZTicket.extend({
  walkUp: z.boolean(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  outcome: z.string().nullable(),
  staffId: z.uuid().nullable(),
  transferCount: z.number().int(),
  originalServiceCode: z.string(),
  triageNote: z.string().nullable(),
  assistance: z.string().nullable(),
});

export const ZCounter = z.object({
  id: z.uuid(),
  branchId: z.uuid(),
  number: z.number().int(),
  name: z.string(),
  skills: z.array(z.string()),
  state: z.enum(['closed', 'open', 'paused']),
  pauseReason: z.string().nullable(),
  staffId: z.uuid().nullable(),
  currentTicketId: z.uuid().nullable(),
});

const ZServiceView = z.object({
  code: z.string(),
  prefix: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  targetWaitSeconds: z.number().int(),
  active: z.boolean(),
});

const ZLobbyOverview = z.object({
  branchId: z.uuid(),
  branchName: z.string(),
  businessDay: z.string(),
  at: z.string(),
  waitingTotal: z.number().int(),
  services: z.array(
    ZServiceView.extend({
      waiting: z.number().int(),
      longestWaitSeconds: z.number().int(),
      /** What a customer drawing a ticket now (default class) would be told, with its 80% interval. */
      estimate: ZWaitEstimate,
      /** …and how many people the kiosk would say are ahead of them. */
      newArrivalAhead: z.number().int(),
    }),
  ),
  counters: z.array(
    z.object({
      id: z.uuid(),
      number: z.number().int(),
      name: z.string(),
      state: z.string(),
      pauseReason: z.string().nullable(),
      skills: z.array(z.string()),
      staffId: z.uuid().nullable(),
      currentTicketId: z.uuid().nullable(),
      currentNumber: z.string().nullable(),
      currentStatus: z.string().nullable(),
    }),
  ),
});

const ZDisplayState = z.object({
  branchId: z.uuid(),
  branchName: z.string(),
  at: z.string(),
  counters: z.array(
    z.object({
      number: z.number().int(),
      name: z.string(),
      state: z.string(),
      currentNumber: z.string().nullable(),
    }),
  ),
  recentCalls: z.array(
    z.object({
      ticketId: z.uuid(),
      number: z.string(),
      serviceCode: z.string(),
      counterNumber: z.number().int().nullable(),
      calledAt: z.string(),
      status: z.string(),
    }),
  ),
  waiting: z.array(
    z.object({
      code: z.string(),
      nameZh: z.string(),
      nameEn: z.string(),
      waiting: z.number(),
      /** Predicted wait of a ticket drawn now for this service (default class), with its 80% interval. */
      estimate: ZWaitEstimate,
    }),
  ),
});

function toCounter(row: CounterRow): z.infer<typeof ZCounter> {
  return {
    id: row.id,
    branchId: row.branchId,
    number: row.number,
    name: row.name,
    skills: row.skills,
    state: row.state as 'closed' | 'open' | 'paused',
    pauseReason: row.pauseReason,
    staffId: row.staffId,
    currentTicketId: row.currentTicketId,
  };
}

const ZKpiFigures = z.object({
  arrivals: z.number().int(),
  walkUps: z.number().int(),
  served: z.number().int(),
  abandoned: z.number().int(),
  noShows: z.number().int(),
  open: z.number().int(),
  meanWaitSeconds: z.number().nullable(),
  p90WaitSeconds: z.number().nullable(),
  maxWaitSeconds: z.number().nullable(),
  withinTargetPct: z.number().nullable(),
  meanServiceSeconds: z.number().nullable(),
});

const ZDayKpis = z.object({
  branchId: z.uuid(),
  branchName: z.string(),
  branchNameEn: z.string().nullable(),
  businessDay: z.string(),
  at: z.string(),
  branch: ZKpiFigures,
  services: z.array(
    ZKpiFigures.extend({
      code: z.string(),
      nameZh: z.string(),
      nameEn: z.string(),
      targetWaitSeconds: z.number().int(),
    }),
  ),
  counters: z.array(ZKpiFigures.extend({ counterId: z.uuid(), number: z.number().int(), name: z.string() })),
  hours: z.array(
    z.object({
      hour: z.number().int(),
      arrivals: z.number().int(),
      served: z.number().int(),
      meanWaitSeconds: z.number().nullable(),
    }),
  ),
  waitBuckets: z.array(z.number().int()),
});

const ZKpiTrend = z.object({
  branchId: z.uuid(),
  from: z.string(),
  to: z.string(),
  days: z.array(ZKpiFigures.extend({ businessDay: z.string() })),
});

const ZQueueSettings = z.object({
  branchId: z.uuid(),
  branchName: z.string(),
  branchNameEn: z.string().nullable(),
  services: z.array(ZServiceView),
  policy: ZBranchQueuePolicy,
  version: z.number().int(),
  updatedAt: z.string().nullable(),
  updatedByName: z.string().nullable(),
  defaults: ZBranchQueuePolicy,
});

const ZServiceParams = z.strictObject({ branchId: z.uuid(), serviceCode: ZQueueCode });
const ZNoticeParams = z.strictObject({ branchId: z.uuid(), noticeId: z.uuid() });

const ticketPath = '/api/v1/branches/:branchId/tickets/:ticketId';
const counterPath = '/api/v1/branches/:branchId/counters/:counterId';

/** Routes of the branch queue (issue #3): kiosk, calling, counters, display stream, KPIs. */
export function queueRoutes(ctx: ServerContext): AnyRoute[] {
  const ticketAction = (
    action: string,
    summary: string,
    run: (actor: Actor, p: { branchId: string; ticketId: string }) => Promise<unknown>,
    access: 'queue.serve' | 'queue.manage' = 'queue.serve',
  ): AnyRoute =>
    defineRoute({
      method: 'POST',
      url: `${ticketPath}/${action}`,
      access,
      summary,
      tags: ['queue'],
      params: ZTicketParams,
      body: ZEmpty,
      response: ZTicketDetail,
      handler: ({ actor, params }) => run(actor as Actor, params) as Promise<z.infer<typeof ZTicketDetail>>,
    });

  const counterState = (action: 'open' | 'close', state: 'open' | 'closed', summary: string): AnyRoute =>
    defineRoute({
      method: 'POST',
      url: `${counterPath}/${action}`,
      access: 'queue.serve',
      summary,
      tags: ['queue'],
      params: ZCounterParams,
      body: ZEmpty,
      response: ZCounter,
      handler: async ({ actor, params }) =>
        toCounter(await setCounterState(ctx, actor as Actor, { ...params, state })),
    });

  return [
    // ---- public: kiosk, status page, display board
    defineRoute({
      method: 'GET',
      url: '/api/v1/branches/:branchId/kiosk',
      access: 'public',
      rateLimitPerMinute: 600,
      summary: 'Kiosk start screen: the branch and the services it offers now',
      tags: ['queue'],
      params: ZBranchParams,
      response: z.object({
        branchId: z.uuid(),
        branchName: z.string(),
        branchNameEn: z.string().nullable(),
        services: z.array(ZServiceView),
      }),
      handler: async ({ params }) => {
        const branch = await publicBranch(ctx, params.branchId);
        const services = (await servicesOf(ctx, branch.id)).filter((s) => s.active);
        return {
          branchId: branch.id,
          branchName: branch.name,
          branchNameEn: branch.nameEn,
          services: services.map(({ id: _id, ...s }) => s),
        };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/branches/:branchId/tickets',
      access: 'public',
      rateLimitPerMinute: 300,
      status: 201,
      summary:
        'Kiosk: draw a ticket. Send an Idempotency-Key header: a retry returns the first ticket, never a second one',
      tags: ['queue'],
      params: ZBranchParams,
      body: ZIssueTicketRequest,
      response: ZIssueTicketResponse,
      handler: async ({ params, body, request, reply }) => {
        const header = request.headers['idempotency-key'];
        const key =
          header === undefined
            ? undefined
            : ZIdempotencyKey.parse(Array.isArray(header) ? header[0] : header);
        const { row, replayed, line } = await issueTicket(ctx, {
          branchId: params.branchId,
          request: body,
          idempotencyKey: key,
        });
        const status = line ? await ticketStatusOf(ctx, line) : await ticketStatus(ctx, row.id);
        // A replay answers like the first attempt did (201), marked by a header.
        if (replayed) reply.header('idempotent-replayed', 'true');
        return {
          ticket: toTicket(row),
          peopleAhead: status.peopleAhead ?? 0,
          estimate: status.estimate,
          statusUrl: `/t/${row.id}`,
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/tickets/:ticketId',
      access: 'public',
      rateLimitPerMinute: 600,
      summary: 'Public status of one ticket by its unguessable id (QR code): position, estimate or counter',
      tags: ['queue'],
      params: ZPublicTicketParams,
      response: ZTicketStatusView,
      handler: ({ params }) => ticketStatus(ctx, params.ticketId),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/branches/:branchId/display',
      access: 'public',
      rateLimitPerMinute: 600,
      summary: 'Display board state (counters, recent calls, waiting counts), no personal data',
      tags: ['queue'],
      params: ZBranchParams,
      response: ZDisplayState,
      handler: ({ params }) => displayState(ctx, params.branchId),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/branches/:branchId/display/stream',
      access: 'public',
      rateLimitPerMinute: 120,
      summary:
        'Display board live over Server-Sent Events: `state` and `notices` on connect and after changes, `call` for each call or recall',
      tags: ['queue'],
      params: ZBranchParams,
      handler: async ({ params, reply }) => {
        await streamDisplay(ctx, params.branchId, reply);
        return undefined;
      },
    }),

    // ---- signed-in: lobby, counters, tickets
    defineRoute({
      method: 'GET',
      url: '/api/v1/branches/:branchId/queue',
      access: 'queue.read',
      summary: 'Lobby overview: waiting per service, longest wait, estimates, counters and their state',
      tags: ['queue'],
      params: ZBranchParams,
      response: ZLobbyOverview,
      handler: ({ actor, params }) => lobbyOverview(ctx, actor as Actor, params.branchId),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/branches/:branchId/tickets',
      access: 'queue.read',
      summary: "Today's tickets of the branch by status (default: waiting)",
      tags: ['queue'],
      params: ZBranchParams,
      query: z.strictObject({
        status: z
          .string()
          .default('waiting')
          .transform((s) => s.split(','))
          .pipe(z.array(z.enum(TicketStatuses)).min(1)),
        serviceCode: ZQueueCode.optional(),
      }),
      response: z.array(ZTicketDetail),
      handler: ({ actor, params, query }) =>
        listTickets(ctx, actor as Actor, {
          branchId: params.branchId,
          statuses: query.status,
          serviceCode: query.serviceCode,
        }),
    }),
    defineRoute({
      method: 'GET',
      url: ticketPath,
      access: 'queue.read',
      summary: 'One ticket of the branch with its whole record',
      tags: ['queue'],
      params: ZTicketParams,
      response: ZTicketDetail,
      handler: ({ actor, params }) => getTicketInBranch(ctx, actor as Actor, params),
    }),
    counterState('open', 'open', 'Open a counter (the signed-in teller staffs it)'),
    defineRoute({
      method: 'POST',
      url: `${counterPath}/pause`,
      access: 'queue.serve',
      summary: 'Pause a counter with a reason (break, meeting, system down)',
      tags: ['queue'],
      params: ZCounterParams,
      body: z.strictObject({ reason: z.string().trim().min(1).max(200) }),
      response: ZCounter,
      handler: async ({ actor, params, body }) =>
        toCounter(
          await setCounterState(ctx, actor as Actor, { ...params, state: 'paused', reason: body.reason }),
        ),
    }),
    counterState('close', 'closed', 'Close a counter (it must not hold a ticket)'),
    defineRoute({
      method: 'PUT',
      url: `${counterPath}/skills`,
      access: 'queue.manage',
      summary: "Change a counter's skills (services, most preferred first) on the fly",
      tags: ['queue'],
      params: ZCounterParams,
      body: z.strictObject({ skills: z.array(ZQueueCode).max(32) }),
      response: ZCounter,
      handler: async ({ actor, params, body }) =>
        toCounter(await setCounterSkills(ctx, actor as Actor, { ...params, skills: body.skills })),
    }),
    defineRoute({
      method: 'POST',
      url: `${counterPath}/call-next`,
      access: 'queue.serve',
      summary:
        'Call the next ticket by the calling policy; `ticket` is null when nobody waits for this counter',
      tags: ['queue'],
      params: ZCounterParams,
      body: ZEmpty,
      response: z.object({ ticket: ZTicketDetail.nullable() }),
      handler: async ({ actor, params }) => ({
        ticket: (await callNext(ctx, actor as Actor, params)) ?? null,
      }),
    }),
    defineRoute({
      method: 'POST',
      url: `${counterPath}/walk-up`,
      access: 'queue.serve',
      status: 201,
      summary: 'Serve a customer who came without a ticket (recorded as a walk-up visit)',
      tags: ['queue'],
      params: ZCounterParams,
      body: z.strictObject({ serviceCode: ZQueueCode }),
      response: ZTicketDetail,
      handler: ({ actor, params, body }) =>
        serveWalkUp(ctx, actor as Actor, { ...params, serviceCode: body.serviceCode }),
    }),
    ticketAction(
      'recall',
      'Announce a called ticket again (after the last recall it becomes a no-show)',
      (a, p) => recallTicket(ctx, a, p),
    ),
    ticketAction('no-show', 'The called customer did not come', (a, p) => markNoShow(ctx, a, p)),
    ticketAction('start', 'The customer is at the counter: service starts', (a, p) =>
      startService(ctx, a, p),
    ),
    defineRoute({
      method: 'POST',
      url: `${ticketPath}/finish`,
      access: 'queue.serve',
      summary: 'Service ends with an outcome',
      tags: ['queue'],
      params: ZTicketParams,
      body: z.strictObject({
        outcome: z.enum(FinishOutcomes).default('completed'),
        note: z.string().trim().max(500).optional(),
      }),
      response: ZTicketDetail,
      handler: ({ actor, params, body }) =>
        finishService(ctx, actor as Actor, { ...params, outcome: body.outcome, note: body.note }),
    }),
    defineRoute({
      method: 'POST',
      url: `${ticketPath}/transfer`,
      access: 'queue.serve',
      summary: 'Transfer to another service and/or one counter; the original arrival time is kept',
      tags: ['queue'],
      params: ZTicketParams,
      body: ZTransferTicketRequest,
      response: ZTicketDetail,
      handler: ({ actor, params, body }) => transferTicket(ctx, actor as Actor, { ...params, request: body }),
    }),
    ticketAction(
      'abandon',
      'A waiting customer left before being called',
      (a, p) => markAbandoned(ctx, a, p),
      'queue.manage',
    ),
    defineRoute({
      method: 'GET',
      url: '/api/v1/branches/:branchId/kpis',
      access: 'queue.read',
      summary:
        'Day KPIs per branch, service and counter: arrivals, served, abandoned, no-shows, waits, % within target, service time',
      tags: ['queue'],
      params: ZBranchParams,
      query: z.strictObject({ day: ZBusinessDay.optional() }),
      response: ZDayKpis,
      handler: ({ actor, params, query }) =>
        dayKpis(ctx, actor as Actor, { branchId: params.branchId, day: query.day }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/branches/:branchId/visits.csv',
      access: 'queue.read',
      summary: 'Finished visits between two business days in the visit-log CSV format (audited export)',
      tags: ['queue'],
      params: ZBranchParams,
      query: z.strictObject({ from: ZBusinessDay, to: ZBusinessDay }),
      response: z.string(),
      handler: async ({ actor, params, query, reply }) => {
        const csv = await exportVisits(ctx, actor as Actor, { branchId: params.branchId, ...query });
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="visits-${query.from}-${query.to}.csv"`);
        return csv;
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/branches/:branchId/visit-imports',
      access: 'queue.manage',
      status: 202,
      rawBody: 'text/csv',
      summary: 'Import queue history in the visit-log CSV format (dryRun=true validates only); poll the job',
      tags: ['queue'],
      params: ZBranchParams,
      query: z.strictObject({
        dryRun: z
          .enum(['true', 'false'])
          .default('true')
          .transform((v) => v === 'true'),
        fileName: z.string().max(200).optional(),
      }),
      response: z.object({ id: z.uuid() }),
      handler: ({ actor, params, query, request }) =>
        startVisitImport(ctx, actor as Actor, {
          branchId: params.branchId,
          csv: typeof request.body === 'string' ? request.body : '',
          dryRun: query.dryRun,
          fileName: query.fileName,
        }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/branches/:branchId/visit-imports/:jobId',
      access: 'queue.manage',
      summary: 'Progress and report (rejected rows) of a visit-log import',
      tags: ['queue'],
      params: z.strictObject({ branchId: z.uuid(), jobId: z.uuid() }),
      response: ZImportJob,
      handler: ({ actor, params }) => getVisitImport(ctx, actor as Actor, params),
    }),
    // ---- display notices (lobby manager posts, boards show them live)
    defineRoute({
      method: 'GET',
      url: '/api/v1/branches/:branchId/display/notices',
      access: 'public',
      rateLimitPerMinute: 600,
      summary: "Notices shown on the branch's display boards now (no names), with the server's time",
      tags: ['queue'],
      params: ZBranchParams,
      response: ZDisplayNotices,
      handler: ({ params }) => displayNotices(ctx, params.branchId),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/branches/:branchId/notices',
      access: 'queue.read',
      summary: 'Display notices of the branch: the active ones and the recent past ones, newest first',
      tags: ['queue'],
      params: ZBranchParams,
      response: z.array(ZNotice),
      handler: ({ actor, params }) => listNotices(ctx, actor as Actor, params.branchId),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/branches/:branchId/notices',
      access: 'queue.manage',
      status: 201,
      summary:
        'Post a notice on the display boards (e.g. "ATM 2 暂停服务"), for a number of minutes or until taken down (audited)',
      tags: ['queue'],
      params: ZBranchParams,
      body: ZPostNoticeRequest,
      response: ZNotice,
      handler: ({ actor, params, body }) =>
        postNotice(ctx, actor as Actor, { branchId: params.branchId, request: body }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/branches/:branchId/notices/:noticeId/expire',
      access: 'queue.manage',
      summary: 'Take a notice off the display boards now (kept on file; audited)',
      tags: ['queue'],
      params: ZNoticeParams,
      body: ZEmpty,
      response: ZNotice,
      handler: ({ actor, params }) => expireNotice(ctx, actor as Actor, params),
    }),

    // ---- branch queue settings (branch manager)
    defineRoute({
      method: 'GET',
      url: '/api/v1/branches/:branchId/queue-settings',
      access: 'queue.read',
      summary: "The branch's service catalogue (all services, active or not) and queue policy",
      tags: ['queue'],
      params: ZBranchParams,
      response: ZQueueSettings,
      handler: ({ actor, params }) => getQueueSettings(ctx, actor as Actor, params.branchId),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/branches/:branchId/services',
      access: 'queue.configure',
      status: 201,
      summary: 'Add a service (code, one-letter prefix, names, target wait); audited',
      tags: ['queue'],
      params: ZBranchParams,
      body: ZCreateServiceRequest,
      response: ZServiceView,
      handler: ({ actor, params, body }) =>
        createService(ctx, actor as Actor, { branchId: params.branchId, service: body }),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/branches/:branchId/services/:serviceCode',
      access: 'queue.configure',
      summary:
        'Change a service: prefix, names, target wait, active. Effective for the next ticket and call; audited',
      tags: ['queue'],
      params: ZServiceParams,
      body: ZUpdateServiceRequest,
      response: ZServiceView,
      handler: ({ actor, params, body }) => updateService(ctx, actor as Actor, { ...params, patch: body }),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/branches/:branchId/queue-settings/policy',
      access: 'queue.configure',
      summary:
        'Replace the queue policy (class weights, head starts, max-wait bounds, recalls before a no-show); send expectedVersion to refuse a stale edit (409). Audited',
      tags: ['queue'],
      params: ZBranchParams,
      body: ZUpdateBranchQueuePolicyRequest,
      response: ZQueueSettings,
      handler: ({ actor, params, body }) =>
        updateQueuePolicy(ctx, actor as Actor, { branchId: params.branchId, request: body }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/branches/:branchId/kpis.csv',
      access: 'queue.read',
      summary: "A day's KPIs as CSV: the branch, each service and each counter",
      tags: ['queue'],
      params: ZBranchParams,
      query: z.strictObject({ day: ZBusinessDay.optional() }),
      response: z.string(),
      handler: async ({ actor, params, query, reply }) => {
        const k = await dayKpis(ctx, actor as Actor, { branchId: params.branchId, day: query.day });
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="kpis-${k.businessDay}.csv"`);
        return kpisCsv(k);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/branches/:branchId/kpis/trend',
      access: 'queue.read',
      summary: "The branch's KPIs for each business day of a period (at most 92 days)",
      tags: ['queue'],
      params: ZBranchParams,
      query: z.strictObject({ from: ZBusinessDay, to: ZBusinessDay }),
      response: ZKpiTrend,
      handler: ({ actor, params, query }) =>
        kpiTrend(ctx, actor as Actor, { branchId: params.branchId, ...query }),
    }),
    defineRoute({
      method: 'PUT',
      url: `${ticketPath}/triage`,
      access: 'queue.manage',
      summary: 'Lobby triage note on a ticket (business classified, forms checked)',
      tags: ['queue'],
      params: ZTicketParams,
      body: z.strictObject({ note: z.string().trim().min(1).max(500) }),
      response: ZTicketDetail,
      handler: ({ actor, params, body }) =>
        setTriageNote(ctx, actor as Actor, { ...params, note: body.note }),
    }),
  ];
}
