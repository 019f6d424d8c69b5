import {
  ZBusinessCalendar,
  ZCalendarImportMode,
  ZCaseConfigOverride,
  ZWorkingInterval,
} from '@serviceloop/domain';
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { type AnyRoute, defineRoute } from '../http/route.ts';
import type { Actor } from '../identity/actor.ts';
import { getOrgUnitInScope } from '../org/service.ts';
import {
  calendarAuthor,
  getUnitCalendar,
  importUnitCalendar,
  resolveUnitCalendar,
  setUnitCalendar,
} from './calendars.ts';
import { getUnitConfigView, listConfigVersions, resolveUnitConfig, saveUnitConfig } from './config.ts';
import { previewPolicy, ZPolicyPreview, ZPolicyPreviewQuery } from './sla-preview.ts';

const ZIdParams = z.strictObject({ id: z.uuid() });
const ZDryRun = z.strictObject({
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});
const ZNote = z.string().trim().min(1).max(500).optional();
const ZUnitRef = z.object({ id: z.string(), name: z.string(), nameEn: z.string().nullable() });
const ZSections = z.enum(['presets', 'policy', 'escalation', 'authority']);

const ZConfigView = z.object({
  orgUnit: ZUnitRef.extend({ kind: z.string(), parentId: z.string().nullable() }),
  version: z.number().int(),
  override: z.record(z.string(), z.unknown()),
  effective: z.record(z.string(), z.unknown()),
  inherited: z.record(z.string(), z.unknown()),
  sources: z.record(z.string(), z.object({ unit: ZUnitRef.nullable(), version: z.number().int() })),
  lockedBy: z.record(z.string(), ZUnitRef),
  root: z.boolean(),
});

const ZDiffDay = z.object({ date: z.string(), name: z.string() });
const ZCalendarDiff = z.object({
  holidaysAdded: z.array(ZDiffDay),
  holidaysRemoved: z.array(ZDiffDay),
  makeUpAdded: z.array(ZDiffDay),
  makeUpRemoved: z.array(ZDiffDay),
  renamed: z.array(z.object({ date: z.string(), kind: z.string(), from: z.string(), to: z.string() })),
  makeUpHoursChanged: z.array(
    z.object({
      date: z.string(),
      name: z.string(),
      from: z.array(ZWorkingInterval).nullable(),
      to: z.array(ZWorkingInterval).nullable(),
    }),
  ),
  timeZone: z.object({ from: z.string(), to: z.string() }).nullable(),
  weeklyHoursChanged: z.boolean(),
  changedDays: z.number().int(),
});
const ZCalendarView = z.object({
  orgUnit: z.object({
    id: z.string(),
    name: z.string(),
    nameEn: z.string().nullable(),
    kind: z.string(),
    timeZone: z.string(),
  }),
  version: z.number().int(),
  own: z.boolean(),
  effective: z.object({
    ref: z.string(),
    source: z.enum(['own', 'inherited', 'built_in']),
    sourceUnit: ZUnitRef.nullable(),
    version: z.number().int(),
    calendar: z.record(z.string(), z.unknown()),
  }),
  history: z.array(
    z.object({
      version: z.number().int(),
      own: z.boolean(),
      source: z.string(),
      changes: z.record(z.string(), z.unknown()),
      warnings: z.array(z.string()),
      note: z.string().nullable(),
      createdByName: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
  builtIns: z.array(z.string()),
});
const ZCalendarChangeResult = z.object({
  applied: z.boolean(),
  diff: ZCalendarDiff,
  warnings: z.array(z.string()),
  years: z.array(z.number().int()),
  view: ZCalendarView,
});

// The calendar's own rules (a date not both holiday and make-up day, …) are checked when it is set.
const { id: _calendarId, ...calendarFields } = ZBusinessCalendar.shape;
const ZCalendarBody = z.strictObject(calendarFields);

/** Routes of the case engine's settings and unit calendars (issue #5, stored configuration). */
export function caseConfigRoutes(ctx: ServerContext): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/sla/config/units/:id',
      access: 'case.supervise',
      summary:
        'Case-engine configuration of an org unit: in force, inherited, its own override, where each section comes from, locks',
      tags: ['cases'],
      params: ZIdParams,
      response: ZConfigView,
      handler: ({ actor, params }) => getUnitConfigView(ctx, actor as Actor, params.id),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/sla/config/units/:id',
      access: 'case.configure',
      summary:
        'Save an org unit’s override (SLA presets and policy, escalation, compensation authority, locks) as a new version; dryRun=true only validates. Open cases keep the version they were opened under',
      tags: ['cases'],
      params: ZIdParams,
      query: ZDryRun,
      body: z.strictObject({
        expectedVersion: z.number().int().nonnegative(),
        override: ZCaseConfigOverride,
        note: ZNote,
      }),
      response: ZConfigView,
      handler: ({ actor, params, body, query }) =>
        saveUnitConfig(ctx, actor as Actor, params.id, { ...body, dryRun: query.dryRun }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/sla/config/units/:id/versions',
      access: 'case.supervise',
      summary: 'Every saved version of an org unit’s configuration override, newest first',
      tags: ['cases'],
      params: ZIdParams,
      response: z.array(
        z.object({
          version: z.number().int(),
          override: z.record(z.string(), z.unknown()),
          sections: z.array(ZSections),
          note: z.string().nullable(),
          createdByName: z.string().nullable(),
          createdAt: z.string(),
        }),
      ),
      handler: ({ actor, params }) => listConfigVersions(ctx, actor as Actor, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/sla/config/units/:id/preview',
      access: 'case.read',
      summary:
        'Due times a new case of this unit would get now (or at `received`): its policy rule, clocks and calendar',
      tags: ['cases'],
      params: ZIdParams,
      query: ZPolicyPreviewQuery,
      response: ZPolicyPreview,
      handler: async ({ actor, params, query }) => {
        await getOrgUnitInScope(ctx.db, actor as Actor, params.id);
        const [{ resolved }, calendar] = await Promise.all([
          resolveUnitConfig(ctx.db, params.id),
          resolveUnitCalendar(ctx.db, params.id),
        ]);
        return previewPolicy(resolved.config, calendar, query, ctx.clock());
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/sla/calendars/units/:id',
      access: 'case.read',
      summary:
        'The business calendar in force for an org unit (own, inherited or built-in) and its version history',
      tags: ['cases'],
      params: ZIdParams,
      response: ZCalendarView,
      handler: ({ actor, params }) => getUnitCalendar(ctx, actor as Actor, params.id),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/sla/calendars/units/:id',
      access: 'case.configure',
      summary:
        'Give an org unit its own calendar (set, or copy a built-in/imported one) or let it inherit again; a new version, dryRun=true previews the change',
      tags: ['cases'],
      params: ZIdParams,
      query: ZDryRun,
      body: z.strictObject({
        expectedVersion: z.number().int().nonnegative(),
        change: z.discriminatedUnion('action', [
          z.strictObject({ action: z.literal('set'), calendar: ZCalendarBody }),
          z.strictObject({ action: z.literal('copy'), from: z.string().min(1).max(64) }),
          z.strictObject({ action: z.literal('inherit') }),
        ]),
        note: ZNote,
      }),
      response: ZCalendarChangeResult,
      handler: ({ actor, params, body, query }) =>
        setUnitCalendar(ctx, calendarAuthor(actor as Actor), params.id, body.change, {
          expectedVersion: body.expectedVersion,
          note: body.note,
          dryRun: query.dryRun,
        }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/sla/calendars/units/:id/import',
      access: 'case.configure',
      summary:
        'Import an iCalendar (.ics) file into an org unit’s calendar: dryRun=true previews the days added and removed and make-up days marked; otherwise a new version',
      tags: ['cases'],
      params: ZIdParams,
      query: ZDryRun,
      body: z.strictObject({
        ics: z.string().min(1).max(900_000),
        fileName: z.string().trim().max(200).optional(),
        mode: ZCalendarImportMode.default('merge'),
        expectedVersion: z.number().int().nonnegative(),
        note: ZNote,
      }),
      response: ZCalendarChangeResult,
      handler: ({ actor, params, body, query }) =>
        importUnitCalendar(ctx, calendarAuthor(actor as Actor), params.id, { ...body, dryRun: query.dryRun }),
    }),
  ];
}
