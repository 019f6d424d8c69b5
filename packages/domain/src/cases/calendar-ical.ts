import ICAL from 'ical.js';
import { Temporal } from 'temporal-polyfill';
import { AppError } from '../shared/errors.ts';
import {
  mergeCalendarDays,
  standardWeek,
  type TBusinessCalendar,
  type TCalendarDay,
  type TMakeUpDay,
  type TWeeklyHours,
  ZBusinessCalendar,
} from './calendar.ts';

/**
 * iCalendar import and export of holidays and make-up working days.
 *
 * Every all-day VEVENT (DTSTART;VALUE=DATE) is a non-working holiday on each date from DTSTART
 * up to, not including, DTEND (one day when DTEND and DURATION are absent), unless it is marked
 * as a make-up working day (调休上班). A VEVENT is a make-up working day when, in this order:
 *  1. `X-SERVICELOOP-DAY-KIND` is `WORKDAY` (or `HOLIDAY`, which forces a holiday) — what our
 *     own export writes, and the unambiguous way to author a file by hand;
 *  2. CATEGORIES holds WORKDAY, WORKING-DAY, MAKE-UP-WORKDAY, 补班, 上班 or 班;
 *  3. SUMMARY says so: 补班, 调休上班, 上班, a stand-alone 班 (as public Chinese holiday feeds write
 *     "国庆节 (班)" or "班"), or "working day" / "workday" / "make-up day" (but not "non-working").
 * Timed events and cancelled events are skipped with a warning; recurring all-day events
 * (e.g. RRULE:FREQ=YEARLY for Christmas) are expanded inside the requested window.
 * If one date is both a holiday and a make-up day, the make-up day wins (the explicit marker
 * is the exception to a holiday block) and a warning is returned.
 */

export interface ParsedICalendar {
  readonly holidays: TCalendarDay[];
  readonly makeUpDays: TMakeUpDay[];
  /** X-WR-TIMEZONE, when present and valid. */
  readonly timeZone: string | null;
  /** X-WR-CALNAME, when present. */
  readonly name: string | null;
  readonly warnings: string[];
}

export interface ParseICalendarOptions {
  /** Window for expanding recurring events, inclusive ISO dates. Default 2000-01-01 … 2099-12-31. */
  readonly expandFrom?: string;
  readonly expandTo?: string;
}

const WORK_CATEGORIES = new Set([
  'WORKDAY',
  'WORKING-DAY',
  'WORKING DAY',
  'MAKE-UP-WORKDAY',
  'MAKEUP',
  '补班',
  '上班',
  '班',
]);
const WORK_SUMMARY =
  /补班|调休上班|上班|(?:^|[\s(（【[])班(?:$|[\s)）】\]])|\bwork(?:ing)?[\s-]?day\b|\bmake-?up\s+(?:working\s+)?day\b/i;
const NON_WORKING = /non[\s-]?working|不上班|休息日/i;
const MAX_OCCURRENCES = 5000;

export function isMakeUpMarked(
  summary: string,
  categories: readonly string[],
  dayKind: string | null,
): boolean {
  if (dayKind) {
    const kind = dayKind.trim().toUpperCase();
    if (kind === 'WORKDAY') return true;
    if (kind === 'HOLIDAY') return false;
  }
  if (categories.some((c) => WORK_CATEGORIES.has(c.trim().toUpperCase()))) return true;
  return WORK_SUMMARY.test(summary) && !NON_WORKING.test(summary);
}

function asString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function toPlain(time: ICAL.Time): Temporal.PlainDate {
  return new Temporal.PlainDate(time.year, time.month, time.day);
}

function categoriesOf(event: ICAL.Component): string[] {
  return event
    .getAllProperties('categories')
    .flatMap((p) => p.getValues())
    .filter((v): v is string => typeof v === 'string');
}

export function parseICalendar(text: string, options: ParseICalendarOptions = {}): ParsedICalendar {
  let root: ICAL.Component;
  try {
    const jcal: unknown = ICAL.parse(text);
    // ICAL.parse returns an array of components when the text holds several VCALENDARs.
    const first = Array.isArray(jcal) && Array.isArray(jcal[0]) ? jcal[0] : jcal;
    if (!Array.isArray(first)) throw new Error('no component');
    root = new ICAL.Component(first);
  } catch (cause) {
    throw new AppError('import_rejected', 'Not a valid iCalendar file', { cause });
  }
  if (root.name !== 'vcalendar') throw new AppError('import_rejected', 'Expected a VCALENDAR component');

  const windowFrom = Temporal.PlainDate.from(options.expandFrom ?? '2000-01-01');
  const windowTo = Temporal.PlainDate.from(options.expandTo ?? '2099-12-31');
  const holidays = new Map<string, TCalendarDay>();
  const makeUps = new Map<string, TMakeUpDay>();
  const warnings: string[] = [];

  for (const vevent of root.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(vevent);
    const summary = (event.summary ?? '').trim();
    const label = summary || event.uid || 'event';
    if ((asString(vevent.getFirstPropertyValue('status')) ?? '').toUpperCase() === 'CANCELLED') {
      warnings.push(`skipped cancelled event ${label}`);
      continue;
    }
    const start = event.startDate;
    if (!start) {
      warnings.push(`skipped event without DTSTART: ${label}`);
      continue;
    }
    if (!start.isDate) {
      warnings.push(`skipped timed (not all-day) event ${label}`);
      continue;
    }
    const end = event.endDate;
    const first = toPlain(start);
    const days = end ? Math.max(1, first.until(toPlain(end), { largestUnit: 'days' }).days) : 1;
    const workday = isMakeUpMarked(
      summary,
      categoriesOf(vevent),
      asString(vevent.getFirstPropertyValue('x-serviceloop-day-kind')),
    );

    const starts: Temporal.PlainDate[] = [];
    if (event.isRecurring()) {
      const it = event.iterator();
      for (let i = 0; i < MAX_OCCURRENCES; i++) {
        const next = it.next();
        if (!next) break;
        const d = toPlain(next);
        if (Temporal.PlainDate.compare(d, windowTo) > 0) break;
        if (Temporal.PlainDate.compare(d, windowFrom) >= 0) starts.push(d);
      }
    } else {
      starts.push(first);
    }

    const name = (summary || (workday ? '调休上班 make-up working day' : 'Holiday')).slice(0, 100);
    for (const s of starts) {
      for (let i = 0; i < days; i++) {
        const date = s.add({ days: i }).toString();
        if (workday) makeUps.set(date, { date, name });
        else holidays.set(date, { date, name });
      }
    }
  }

  for (const date of makeUps.keys()) {
    if (holidays.delete(date))
      warnings.push(`${date} is both holiday and make-up day; treated as a working day`);
  }
  const zone = asString(root.getFirstPropertyValue('x-wr-timezone'));
  let timeZone: string | null = null;
  if (zone) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      timeZone = zone;
    } catch {
      warnings.push(`ignored unknown X-WR-TIMEZONE ${zone}`);
    }
  }
  const byDate = <T extends { date: string }>(a: T, b: T) => a.date.localeCompare(b.date);
  return {
    holidays: [...holidays.values()].sort(byDate),
    makeUpDays: [...makeUps.values()].sort(byDate),
    timeZone,
    name: asString(root.getFirstPropertyValue('x-wr-calname')),
    warnings,
  };
}

export interface CalendarFromICalendarOptions extends ParseICalendarOptions {
  readonly id: string;
  readonly name?: string;
  /** Overrides X-WR-TIMEZONE; one of the two is required unless `base` gives a zone. */
  readonly timeZone?: string;
  readonly weeklyHours?: TWeeklyHours;
  /** An existing calendar to add the imported days to (imported days win on conflict). */
  readonly base?: TBusinessCalendar;
}

/** Builds (or extends) a validated business calendar from iCalendar text. */
export function calendarFromICalendar(
  text: string,
  options: CalendarFromICalendarOptions,
): { calendar: TBusinessCalendar; warnings: string[] } {
  const parsed = parseICalendar(text, options);
  const timeZone = options.timeZone ?? options.base?.timeZone ?? parsed.timeZone;
  if (!timeZone) throw new AppError('import_rejected', 'No time zone: pass one or add X-WR-TIMEZONE');
  const base: TBusinessCalendar = options.base ?? {
    id: options.id,
    name: options.name ?? parsed.name ?? options.id,
    timeZone,
    weeklyHours: options.weeklyHours ?? standardWeek(),
    holidays: [],
    makeUpDays: [],
  };
  const merged = mergeCalendarDays(
    {
      ...base,
      id: options.id,
      name: options.name ?? base.name,
      timeZone,
      weeklyHours: options.weeklyHours ?? base.weeklyHours,
    },
    parsed,
  );
  const years = new Set(merged.coveredYears ?? []);
  for (const d of [...parsed.holidays, ...parsed.makeUpDays]) years.add(Number(d.date.slice(0, 4)));
  const result = ZBusinessCalendar.safeParse({ ...merged, coveredYears: [...years].sort((a, b) => a - b) });
  if (!result.success) {
    throw new AppError('import_rejected', 'Imported calendar is invalid', {
      issues: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return { calendar: result.data, warnings: parsed.warnings };
}

/** Exports holidays and make-up days as all-day VEVENTs; `generatedAt` is DTSTAMP (clock injected). */
export function toICalendar(calendar: TBusinessCalendar, generatedAt: Date): string {
  const root = new ICAL.Component(['vcalendar', [], []]);
  root.updatePropertyWithValue('prodid', '-//ServiceLoop//Business calendar//EN');
  root.updatePropertyWithValue('version', '2.0');
  root.updatePropertyWithValue('x-wr-calname', calendar.name);
  root.updatePropertyWithValue('x-wr-timezone', calendar.timeZone);
  const stamp = ICAL.Time.fromJSDate(generatedAt, true);
  const days: Array<{ day: TCalendarDay; kind: 'HOLIDAY' | 'WORKDAY' }> = [
    ...calendar.holidays.map((day) => ({ day, kind: 'HOLIDAY' as const })),
    ...calendar.makeUpDays.map((day) => ({ day, kind: 'WORKDAY' as const })),
  ].sort((a, b) => a.day.date.localeCompare(b.day.date));
  for (const { day, kind } of days) {
    const vevent = new ICAL.Component('vevent');
    vevent.addPropertyWithValue('uid', `${calendar.id}-${day.date}-${kind.toLowerCase()}@serviceloop`);
    vevent.addPropertyWithValue('dtstamp', stamp);
    vevent.addPropertyWithValue('dtstart', ICAL.Time.fromDateString(day.date));
    vevent.addPropertyWithValue(
      'dtend',
      ICAL.Time.fromDateString(Temporal.PlainDate.from(day.date).add({ days: 1 }).toString()),
    );
    vevent.addPropertyWithValue('summary', day.name);
    vevent.addPropertyWithValue('categories', kind);
    vevent.addPropertyWithValue('x-serviceloop-day-kind', kind);
    vevent.addPropertyWithValue('transp', 'TRANSPARENT');
    root.addSubcomponent(vevent);
  }
  return root.toString();
}
