import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import { type CalendarWeekday, CalendarWeekdays, HHMM, minutesOfDay } from './working-hours.ts';

/**
 * Business calendars: which local days an org unit works, and when. Holidays and make-up
 * working days (调休: a Saturday/Sunday that is worked in exchange for a longer holiday) override
 * the weekly pattern. Dates are local calendar dates in the calendar's IANA time zone.
 */

export {
  type CalendarWeekday,
  CalendarWeekdays,
  makeUpDayHoursIssues,
  minutesOfDay,
  type WeeklyHoursIssue,
  WORKING_HOURS_STEP_MINUTES,
  type WorkingHoursIssue,
  weeklyHoursIssues,
} from './working-hours.ts';

export const ZPlainDateString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

function isValidZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
export const ZCalendarTimeZone = z.string().min(1).refine(isValidZone, { message: 'Unknown IANA time zone' });

/** One working interval on a day, local wall-clock time, end exclusive; '24:00' allowed as end. */
export const ZWorkingInterval = z
  .strictObject({ start: z.string().regex(HHMM), end: z.string().regex(HHMM) })
  .refine((i) => minutesOfDay(i.start) < minutesOfDay(i.end), { message: 'start must be before end' });
export type TWorkingInterval = z.infer<typeof ZWorkingInterval>;

const ZDayHours = z
  .array(ZWorkingInterval)
  .max(8)
  .refine(nonOverlapping, { message: 'intervals must be sorted and not overlap' });

export const ZWeeklyHours = z.strictObject({
  mon: ZDayHours,
  tue: ZDayHours,
  wed: ZDayHours,
  thu: ZDayHours,
  fri: ZDayHours,
  sat: ZDayHours,
  sun: ZDayHours,
});
export type TWeeklyHours = z.infer<typeof ZWeeklyHours>;

export const ZCalendarDay = z.strictObject({
  date: ZPlainDateString,
  name: z.string().min(1).max(100),
  nameEn: z.string().max(100).optional(),
});
export type TCalendarDay = z.infer<typeof ZCalendarDay>;

/** A make-up working day; without own hours it works `makeUpDayHours`, else the first worked weekday's hours. */
export const ZMakeUpDay = ZCalendarDay.extend({ hours: ZDayHours.min(1).optional() });
export type TMakeUpDay = z.infer<typeof ZMakeUpDay>;

export const ZBusinessCalendar = z
  .strictObject({
    id: z.string().min(1).max(64),
    name: z.string().min(1).max(100),
    timeZone: ZCalendarTimeZone,
    weeklyHours: ZWeeklyHours,
    holidays: z.array(ZCalendarDay),
    makeUpDays: z.array(ZMakeUpDay),
    makeUpDayHours: ZDayHours.optional(),
    /** Years whose holidays are loaded; outside them only the weekly pattern applies. */
    coveredYears: z.array(z.number().int().min(1900).max(2200)).optional(),
  })
  .superRefine((cal, ctx) => {
    const holidays = new Set(cal.holidays.map((h) => h.date));
    for (const m of cal.makeUpDays) {
      if (holidays.has(m.date)) {
        ctx.addIssue({
          code: 'custom',
          path: ['makeUpDays'],
          message: `${m.date} is both holiday and make-up day`,
        });
      }
    }
    const working = CalendarWeekdays.some((d) => cal.weeklyHours[d].length > 0) || cal.makeUpDays.length > 0;
    if (!working)
      ctx.addIssue({ code: 'custom', path: ['weeklyHours'], message: 'calendar has no working time' });
  });
export type TBusinessCalendar = z.infer<typeof ZBusinessCalendar>;

function nonOverlapping(intervals: readonly TWorkingInterval[]): boolean {
  for (let i = 1; i < intervals.length; i++) {
    const prev = intervals[i - 1];
    const cur = intervals[i];
    if (prev && cur && minutesOfDay(cur.start) < minutesOfDay(prev.end)) return false;
  }
  return true;
}

export const standardWeek = (start = '09:00', end = '17:00'): TWeeklyHours => {
  const day = [{ start, end }];
  return { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] };
};

export type DayKind = 'working' | 'weekend' | 'holiday' | 'make_up';

interface CompiledCalendar {
  readonly holidays: ReadonlyMap<string, TCalendarDay>;
  readonly makeUps: ReadonlyMap<string, TMakeUpDay>;
}

// Calendars are immutable values; compiling their day lists once keeps day-by-day walks cheap.
const compiled = new WeakMap<TBusinessCalendar, CompiledCalendar>();

function compile(calendar: TBusinessCalendar): CompiledCalendar {
  let c = compiled.get(calendar);
  if (!c) {
    c = {
      holidays: new Map(calendar.holidays.map((h) => [h.date, h])),
      makeUps: new Map(calendar.makeUpDays.map((m) => [m.date, m])),
    };
    compiled.set(calendar, c);
  }
  return c;
}

export function weekdayOf(date: Temporal.PlainDate): CalendarWeekday {
  // Temporal's dayOfWeek is ISO: 1 = Monday … 7 = Sunday.
  return CalendarWeekdays[date.dayOfWeek - 1] ?? 'mon';
}

export function dayKind(calendar: TBusinessCalendar, date: Temporal.PlainDate): DayKind {
  const key = date.toString();
  const c = compile(calendar);
  if (c.holidays.has(key)) return 'holiday';
  if (c.makeUps.has(key)) return 'make_up';
  return calendar.weeklyHours[weekdayOf(date)].length > 0 ? 'working' : 'weekend';
}

/** Working intervals of a local date (empty on a non-working day). */
export function workingHoursOn(
  calendar: TBusinessCalendar,
  date: Temporal.PlainDate,
): readonly TWorkingInterval[] {
  const key = date.toString();
  const c = compile(calendar);
  if (c.holidays.has(key)) return [];
  const makeUp = c.makeUps.get(key);
  if (makeUp) return makeUp.hours ?? makeUpDefaultHours(calendar);
  return calendar.weeklyHours[weekdayOf(date)];
}

const FALLBACK_DAY: readonly TWorkingInterval[] = [{ start: '09:00', end: '17:00' }];

/** A make-up day is always worked: its own hours, else the calendar's, else the first worked weekday's. */
function makeUpDefaultHours(calendar: TBusinessCalendar): readonly TWorkingInterval[] {
  if (calendar.makeUpDayHours && calendar.makeUpDayHours.length > 0) return calendar.makeUpDayHours;
  for (const d of CalendarWeekdays) {
    const hours = calendar.weeklyHours[d];
    if (hours.length > 0) return hours;
  }
  return FALLBACK_DAY;
}

export function isWorkingDay(calendar: TBusinessCalendar, date: Temporal.PlainDate): boolean {
  return workingHoursOn(calendar, date).length > 0;
}

export function isHoliday(calendar: TBusinessCalendar, date: Temporal.PlainDate): boolean {
  return compile(calendar).holidays.has(date.toString());
}

/** Whether the calendar's holiday data covers the date's year (outside it, only weekdays apply). */
export function calendarCovers(calendar: TBusinessCalendar, date: Temporal.PlainDate): boolean {
  return calendar.coveredYears === undefined || calendar.coveredYears.includes(date.year);
}

export function toPlainDate(calendar: TBusinessCalendar, at: Date): Temporal.PlainDate {
  return toZonedDateTime(calendar.timeZone, at).toPlainDate();
}

export function toZonedDateTime(timeZone: string, at: Date): Temporal.ZonedDateTime {
  return Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(timeZone);
}

/** Instant of a local wall-clock minute on a date; '24:00' is the start of the next day. */
export function localInstant(timeZone: string, date: Temporal.PlainDate, minuteOfDay: number): Date {
  const day = minuteOfDay >= 24 * 60 ? date.add({ days: 1 }) : date;
  const minute = minuteOfDay >= 24 * 60 ? minuteOfDay - 24 * 60 : minuteOfDay;
  const zdt = day.toZonedDateTime({
    timeZone,
    plainTime: new Temporal.PlainTime(Math.floor(minute / 60), minute % 60),
  });
  return new Date(zdt.epochMilliseconds);
}

/** End of a local date (24:00), i.e. the first instant of the next date. */
export function endOfLocalDay(timeZone: string, date: Temporal.PlainDate): Date {
  return new Date(date.add({ days: 1 }).toZonedDateTime({ timeZone }).epochMilliseconds);
}

/** Close of business on a date: the end of its last working interval, or 24:00 when it has none. */
export function closeOfBusiness(calendar: TBusinessCalendar, date: Temporal.PlainDate): Date {
  const hours = workingHoursOn(calendar, date);
  const last = hours[hours.length - 1];
  if (!last) return endOfLocalDay(calendar.timeZone, date);
  return localInstant(calendar.timeZone, date, minutesOfDay(last.end));
}

/** Working intervals of a date as instants [start, end) in epoch ms. */
export function workingInstantsOn(
  calendar: TBusinessCalendar,
  date: Temporal.PlainDate,
): ReadonlyArray<readonly [number, number]> {
  return workingHoursOn(calendar, date)
    .map((i): readonly [number, number] => [
      localInstant(calendar.timeZone, date, minutesOfDay(i.start)).getTime(),
      localInstant(calendar.timeZone, date, minutesOfDay(i.end)).getTime(),
    ])
    .filter(([s, e]) => e > s); // a DST gap can swallow an interval
}

/** Merge a calendar's holiday and make-up lists with imported ones; imported days win. */
export function mergeCalendarDays(
  base: TBusinessCalendar,
  extra: { holidays: readonly TCalendarDay[]; makeUpDays: readonly TMakeUpDay[] },
): TBusinessCalendar {
  const holidays = new Map(base.holidays.map((h) => [h.date, h]));
  const makeUps = new Map(base.makeUpDays.map((m) => [m.date, m]));
  for (const h of extra.holidays) {
    makeUps.delete(h.date);
    holidays.set(h.date, h);
  }
  for (const m of extra.makeUpDays) {
    holidays.delete(m.date);
    makeUps.set(m.date, m);
  }
  const sort = <T extends { date: string }>(xs: Iterable<T>): T[] =>
    [...xs].sort((a, b) => a.date.localeCompare(b.date));
  return { ...base, holidays: sort(holidays.values()), makeUpDays: sort(makeUps.values()) };
}
