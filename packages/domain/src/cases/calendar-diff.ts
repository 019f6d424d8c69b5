import { z } from 'zod';
import { AppError } from '../shared/errors.ts';
import {
  CalendarWeekdays,
  mergeCalendarDays,
  type TBusinessCalendar,
  type TCalendarDay,
  type TMakeUpDay,
  type TWorkingInterval,
  ZBusinessCalendar,
} from './calendar.ts';
import { type ParseICalendarOptions, parseICalendar } from './calendar-ical.ts';

/**
 * What an import or an edit changes in a business calendar, day by day, so an administrator sees
 * it before applying: holidays added and removed, make-up working days (调休) marked and
 * unmarked, renamed days, and a changed week or time zone.
 */
export interface CalendarDiff {
  readonly holidaysAdded: TCalendarDay[];
  readonly holidaysRemoved: TCalendarDay[];
  readonly makeUpAdded: TMakeUpDay[];
  readonly makeUpRemoved: TMakeUpDay[];
  readonly renamed: Array<{ date: string; kind: 'holiday' | 'make_up'; from: string; to: string }>;
  /** Make-up days that stay make-up days with other own hours (null: the calendar's make-up hours). */
  readonly makeUpHoursChanged: Array<{
    date: string;
    name: string;
    from: TWorkingInterval[] | null;
    to: TWorkingInterval[] | null;
  }>;
  readonly timeZone: { from: string; to: string } | null;
  readonly weeklyHoursChanged: boolean;
  /** Number of changed dates (a day that turns from holiday into make-up day counts once). */
  readonly changedDays: number;
}

export function diffCalendars(before: TBusinessCalendar, after: TBusinessCalendar): CalendarDiff {
  const byDate = <T extends TCalendarDay>(xs: readonly T[]) => new Map(xs.map((x) => [x.date, x]));
  const hb = byDate(before.holidays);
  const ha = byDate(after.holidays);
  const mb = byDate(before.makeUpDays);
  const ma = byDate(after.makeUpDays);
  const sort = <T extends { date: string }>(xs: T[]) => xs.sort((a, b) => a.date.localeCompare(b.date));
  const renamed: CalendarDiff['renamed'] = [];
  for (const [date, h] of ha) {
    const old = hb.get(date);
    if (old && old.name !== h.name) renamed.push({ date, kind: 'holiday', from: old.name, to: h.name });
  }
  const makeUpHoursChanged: CalendarDiff['makeUpHoursChanged'] = [];
  for (const [date, m] of ma) {
    const old = mb.get(date);
    if (old && old.name !== m.name) renamed.push({ date, kind: 'make_up', from: old.name, to: m.name });
    if (old && JSON.stringify(old.hours ?? null) !== JSON.stringify(m.hours ?? null))
      makeUpHoursChanged.push({ date, name: m.name, from: old.hours ?? null, to: m.hours ?? null });
  }
  const diff = {
    holidaysAdded: sort([...ha.values()].filter((h) => !hb.has(h.date))),
    holidaysRemoved: sort([...hb.values()].filter((h) => !ha.has(h.date))),
    makeUpAdded: sort([...ma.values()].filter((m) => !mb.has(m.date))),
    makeUpRemoved: sort([...mb.values()].filter((m) => !ma.has(m.date))),
    renamed: sort(renamed),
    makeUpHoursChanged: sort(makeUpHoursChanged),
    timeZone: before.timeZone === after.timeZone ? null : { from: before.timeZone, to: after.timeZone },
    weeklyHoursChanged: CalendarWeekdays.some(
      (d) => JSON.stringify(before.weeklyHours[d]) !== JSON.stringify(after.weeklyHours[d]),
    ),
  };
  const dates = new Set(
    [
      ...diff.holidaysAdded,
      ...diff.holidaysRemoved,
      ...diff.makeUpAdded,
      ...diff.makeUpRemoved,
      ...renamed,
      ...makeUpHoursChanged,
    ].map((d) => d.date),
  );
  return { ...diff, changedDays: dates.size };
}

/**
 * `merge`: the file's days are added (a date it lists wins over what the calendar said);
 * `replace_years`: every holiday and make-up day in the years the file covers is replaced by
 * the file's (use it for a corrected government notice).
 */
export const CalendarImportModes = ['merge', 'replace_years'] as const;
export type CalendarImportMode = (typeof CalendarImportModes)[number];
export const ZCalendarImportMode = z.enum(CalendarImportModes);

export interface CalendarImportResult {
  readonly calendar: TBusinessCalendar;
  readonly diff: CalendarDiff;
  readonly warnings: string[];
  /** Years the file has days in. */
  readonly years: number[];
}

/** Applies iCalendar text to a calendar (pure): the result, what changed, and the parser's warnings. */
export function importICalendarInto(
  base: TBusinessCalendar,
  text: string,
  mode: CalendarImportMode,
  options: ParseICalendarOptions = {},
): CalendarImportResult {
  const parsed = parseICalendar(text, options);
  const warnings = [...parsed.warnings];
  const fileDays = [...parsed.holidays, ...parsed.makeUpDays];
  if (fileDays.length === 0) {
    throw new AppError('import_rejected', 'The file has no all-day holidays or make-up working days', {
      details: { warnings },
    });
  }
  if (parsed.timeZone && parsed.timeZone !== base.timeZone) {
    warnings.push(
      `the file's time zone ${parsed.timeZone} is ignored; the calendar stays in ${base.timeZone}`,
    );
  }
  const years = [...new Set(fileDays.map((d) => Number(d.date.slice(0, 4))))].sort((a, b) => a - b);
  const inYears = (d: { date: string }) => years.includes(Number(d.date.slice(0, 4)));
  const start: TBusinessCalendar =
    mode === 'replace_years'
      ? {
          ...base,
          holidays: base.holidays.filter((d) => !inYears(d)),
          makeUpDays: base.makeUpDays.filter((d) => !inYears(d)),
        }
      : base;
  const merged = mergeCalendarDays(start, parsed);
  const covered = [...new Set([...(base.coveredYears ?? []), ...years])].sort((a, b) => a - b);
  const result = ZBusinessCalendar.safeParse({ ...merged, coveredYears: covered });
  if (!result.success) {
    throw new AppError('import_rejected', 'The imported calendar is invalid', {
      issues: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return { calendar: result.data, diff: diffCalendars(base, result.data), warnings, years };
}
