import type {
  CalendarChangeResult,
  CalendarDiff,
  CaseConfigSection,
  CaseServiceLevel,
  CaseType,
  ConfigVersionView,
  EscalationLevel,
  Role,
  Severity,
  TAuthorityTable,
  TBusinessCalendar,
  TCaseConfig,
  TCaseConfigOverride,
  TClockDefinition,
  TClockRef,
  TEscalationPolicy,
  TSlaPolicy,
  TSlaPreset,
  UnitCalendarVersion,
  UnitCalendarView,
  UnitConfigView,
  UnitRef,
} from '@serviceloop/domain';
import { request } from '../shell/api.ts';

// The settings API's shapes (type-only imports: nothing of the domain is bundled).
export type {
  CalendarChangeResult,
  CalendarDiff,
  CaseConfigSection,
  EscalationLevel,
  TAuthorityTable,
  TBusinessCalendar,
  TCaseConfig,
  TCaseConfigOverride,
  TClockDefinition,
  TClockRef,
  TEscalationPolicy,
  TSlaPolicy,
  TSlaPreset,
  UnitCalendarVersion as CalendarHistoryEntry,
  UnitCalendarView,
  UnitConfigView,
  UnitRef,
};
export type ConfigVersion = ConfigVersionView;

export interface PolicyPreview {
  readonly policyId: string;
  readonly ruleId: string;
  readonly calendar: { readonly ref: string; readonly name: string; readonly timeZone: string };
  readonly receivedAt: string;
  readonly clocks: readonly {
    readonly role: string;
    readonly name: string;
    readonly label: string;
    readonly labelZh: string | null;
    readonly mode: string;
    readonly amount: number;
    readonly due: string;
    readonly lastDay: string | null;
  }[];
}

export const SectionList = [
  'policy',
  'presets',
  'escalation',
  'authority',
] as const satisfies readonly CaseConfigSection[];
export const LevelList = [
  'assignee',
  'team_lead',
  'branch_manager',
  'head_office_service_centre',
] as const satisfies readonly EscalationLevel[];
export const AuthorityLevelList = ['any', 'branch', 'region', 'head_office'] as const;
export const AuthorityRoleList = [
  'teller',
  'lobby_manager',
  'customer_manager',
  'complaint_handler',
  'branch_manager',
  'back_office',
  'quality_supervisor',
  'administrator',
] as const satisfies readonly Role[];
export const CountingModeList = [
  'calendar_days',
  'business_days',
  'weeks',
  'hours',
  'business_hours',
] as const;
export const DayEndList = ['end_of_day', 'close_of_business'] as const;
export const RollOverList = ['none', 'holidays', 'rest_days'] as const;
export const ServiceLevelList = [
  'unrated',
  'diamond',
  'gold',
  'silver',
  'basic',
] as const satisfies readonly CaseServiceLevel[];
export const PolicyClockRoleList = ['acknowledgement', 'first_response', 'resolution', 'approval'] as const;
export type { CaseType, Severity };

export const configApi = {
  view: (unitId: string, signal?: AbortSignal) =>
    request<UnitConfigView>('GET', `/sla/config/units/${unitId}`, signal ? { signal } : {}),
  versions: (unitId: string, signal?: AbortSignal) =>
    request<ConfigVersion[]>('GET', `/sla/config/units/${unitId}/versions`, signal ? { signal } : {}),
  save: (
    unitId: string,
    body: { expectedVersion: number; override: TCaseConfigOverride; note?: string },
    dryRun: boolean,
  ) =>
    request<UnitConfigView>('PUT', `/sla/config/units/${unitId}`, {
      json: body,
      query: { dryRun: dryRun ? 'true' : undefined },
    }),
  preview: (
    unitId: string,
    query: { caseType: CaseType; severity: Severity; serviceLevel: CaseServiceLevel },
    signal?: AbortSignal,
  ) =>
    request<PolicyPreview>('GET', `/sla/config/units/${unitId}/preview`, {
      query,
      ...(signal ? { signal } : {}),
    }),
  calendar: (unitId: string, signal?: AbortSignal) =>
    request<UnitCalendarView>('GET', `/sla/calendars/units/${unitId}`, signal ? { signal } : {}),
  importIcs: (
    unitId: string,
    body: {
      ics: string;
      fileName: string;
      mode: 'merge' | 'replace_years';
      expectedVersion: number;
      note?: string;
    },
    dryRun: boolean,
  ) =>
    request<CalendarChangeResult>('POST', `/sla/calendars/units/${unitId}/import`, {
      json: body,
      query: { dryRun: dryRun ? 'true' : undefined },
    }),
  changeCalendar: (
    unitId: string,
    body: {
      expectedVersion: number;
      change:
        | { action: 'set'; calendar: Omit<TBusinessCalendar, 'id'> }
        | { action: 'copy'; from: string }
        | { action: 'inherit' };
      note?: string;
    },
    dryRun: boolean,
  ) =>
    request<CalendarChangeResult>('PUT', `/sla/calendars/units/${unitId}`, {
      json: body,
      query: { dryRun: dryRun ? 'true' : undefined },
    }),
};

/** Yuan text for minor units; null is "no limit". */
export function yuan(minor: number | null, locale: string): string | null {
  if (minor === null) return null;
  const amount = new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    maximumFractionDigits: 2,
  }).format(minor / 100);
  return `¥${amount}`;
}

/** A clock reference that points at a preset's clock (rather than defining its own). */
export function isPresetRef(ref: TClockRef): ref is { preset: string; clock: string } {
  return 'preset' in ref;
}

/** The definition a reference stands for, looked up in the configured presets. */
export function clockOf(ref: TClockRef, presets: readonly TSlaPreset[]): TClockDefinition | undefined {
  if (!isPresetRef(ref)) return ref;
  return presets.find((p) => p.name === ref.preset)?.clocks.find((c) => c.name === ref.clock);
}

/** Local calendar dates as YYYY-MM-DD without a date library (UTC arithmetic on plain dates). */
export function plainDate(year: number, month: number, day: number): string {
  return new Date(Date.UTC(year, month, day)).toISOString().slice(0, 10);
}

export function weekdayIndex(date: string): number {
  // 0 = Monday … 6 = Sunday
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

export const WeekdayKeys = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export type DayKind = 'working' | 'weekend' | 'holiday' | 'make_up';

export function kindOf(calendar: TBusinessCalendar, date: string): DayKind {
  if (calendar.holidays.some((h) => h.date === date)) return 'holiday';
  if (calendar.makeUpDays.some((m) => m.date === date)) return 'make_up';
  const weekday = WeekdayKeys[weekdayIndex(date)] ?? 'mon';
  return calendar.weeklyHours[weekday].length > 0 ? 'working' : 'weekend';
}
