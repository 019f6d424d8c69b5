import {
  AppError,
  computeClockDue,
  computePresetDues,
  DEFAULT_CALENDAR_FOR_PRESET,
  localInstant,
  PolicyClockRoles,
  policyClocks,
  type TBusinessCalendar,
  type TCaseConfig,
  toZonedDateTime,
  ZCaseServiceLevel,
  ZCaseType,
  ZSeverity,
} from '@serviceloop/domain';
import { z } from 'zod';

const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const LOCAL = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * The receipt instant: ISO 8601 with an offset (2026-12-23T10:00:00Z), or a local date-time
 * without one (2026-12-23T10:00, 2026-12-23 = midnight) read in the calendar's time zone.
 */
export function parseReceived(text: string, timeZone: string): Date {
  const value = text.trim();
  if (WITH_OFFSET.test(value)) {
    const at = new Date(value);
    if (!Number.isNaN(at.getTime())) return at;
  }
  const m = LOCAL.exec(value);
  if (m) {
    const midnightUtc = new Date(`${m[1]}T00:00:00Z`);
    if (!Number.isNaN(midnightUtc.getTime())) {
      const date = toZonedDateTime('UTC', midnightUtc).toPlainDate();
      const at = localInstant(timeZone, date, Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0));
      return new Date(at.getTime() + Number(m[4] ?? 0) * 1000);
    }
  }
  throw new AppError('validation_failed', `Not an ISO 8601 time: ${text}`, {
    issues: [
      { path: 'received', message: 'e.g. 2026-12-23T10:00:00Z or 2026-12-23T10:00 (calendar time zone)' },
    ],
  });
}

export const ZSlaPreviewQuery = z.strictObject({
  preset: z.string().min(1).max(64),
  /** When the clock starts: ISO 8601 with an offset, or local time in the calendar's zone. */
  received: z.string().trim().min(10).max(40),
  clock: z.string().min(1).max(64).optional(),
  calendar: z.string().min(1).max(64).optional(),
});
export type TSlaPreviewQuery = z.infer<typeof ZSlaPreviewQuery>;

export const ZSlaPreview = z.object({
  preset: z.string(),
  calendar: z.string(),
  receivedAt: z.string(),
  dues: z.array(
    z.object({ clock: z.string(), label: z.string(), due: z.string(), lastDay: z.string().nullable() }),
  ),
});
export type TSlaPreview = z.infer<typeof ZSlaPreview>;

/**
 * Due times of a preset's clocks for a receipt instant: the computation the engine uses, for
 * the admin preview (`GET /api/v1/sla/preview`) and `serviceloop sla due`. The calendar is a
 * built-in one, an imported one (by name), or the preset's default.
 */
export async function previewDues(
  calendarByName: (name: string) => Promise<TBusinessCalendar>,
  query: TSlaPreviewQuery,
): Promise<TSlaPreview> {
  const calendarName = query.calendar ?? DEFAULT_CALENDAR_FOR_PRESET[query.preset];
  if (!calendarName) {
    throw new AppError('validation_failed', `Preset ${query.preset} has no default calendar; pass one`);
  }
  const calendar = await calendarByName(calendarName);
  const receivedAt = parseReceived(query.received, calendar.timeZone);
  const all = computePresetDues({ preset: query.preset, receivedAt, calendar });
  const dues = query.clock ? all.filter((d) => d.clock === query.clock) : all;
  if (dues.length === 0) {
    throw new AppError('not_found', `Preset ${query.preset} has no clock ${query.clock}`, {
      details: { clocks: all.map((d) => d.clock) },
    });
  }
  return {
    preset: query.preset,
    calendar: calendarName,
    receivedAt: receivedAt.toISOString(),
    dues: dues.map((d) => ({
      clock: d.clock,
      label: d.label,
      due: d.detail.due.toISOString(),
      lastDay: d.detail.lastDay,
    })),
  };
}

export const ZPolicyPreviewQuery = z.strictObject({
  caseType: ZCaseType.default('complaint'),
  severity: ZSeverity.default('medium'),
  serviceLevel: ZCaseServiceLevel.default('unrated'),
  /** When the case is received: ISO 8601, or local time in the unit calendar's zone; default now. */
  received: z.string().trim().min(10).max(40).optional(),
});
export type TPolicyPreviewQuery = z.infer<typeof ZPolicyPreviewQuery>;

export const ZPolicyPreview = z.object({
  policyId: z.string(),
  ruleId: z.string(),
  calendar: z.object({ ref: z.string(), name: z.string(), timeZone: z.string() }),
  receivedAt: z.string(),
  clocks: z.array(
    z.object({
      role: z.string(),
      name: z.string(),
      label: z.string(),
      labelZh: z.string().nullable(),
      mode: z.string(),
      amount: z.number(),
      due: z.string(),
      lastDay: z.string().nullable(),
    }),
  ),
});
export type TPolicyPreview = z.infer<typeof ZPolicyPreview>;

/**
 * The due times a new case would get under a configuration and a calendar — what the engine
 * computes at intake, for the admin screens ("a complaint received now would be due …").
 */
export function previewPolicy(
  config: TCaseConfig,
  calendar: { readonly ref: string; readonly calendar: TBusinessCalendar },
  query: TPolicyPreviewQuery,
  now: Date,
): TPolicyPreview {
  const receivedAt = query.received ? parseReceived(query.received, calendar.calendar.timeZone) : now;
  const { rule, clocks } = policyClocks(
    config.policy,
    { caseType: query.caseType, severity: query.severity, serviceLevel: query.serviceLevel },
    config.presets,
  );
  return {
    policyId: config.policy.id,
    ruleId: rule.id,
    calendar: { ref: calendar.ref, name: calendar.calendar.name, timeZone: calendar.calendar.timeZone },
    receivedAt: receivedAt.toISOString(),
    clocks: PolicyClockRoles.flatMap((role) => {
      const definition = clocks[role];
      if (!definition) return [];
      const detail = computeClockDue({ definition, receivedAt, calendar: calendar.calendar });
      return [
        {
          role,
          name: definition.name,
          label: definition.label,
          labelZh: definition.labelZh ?? null,
          mode: definition.mode,
          amount: definition.amount,
          due: detail.due.toISOString(),
          lastDay: detail.lastDay,
        },
      ];
    }),
  };
}
