// Weekly opening hours without zod or any other dependency: the web app's hours editor checks
// them at run time with the same rules the server applies (calendar.ts re-exports them).

export const CalendarWeekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type CalendarWeekday = (typeof CalendarWeekdays)[number];

/** A local wall-clock time HH:MM; '24:00' is allowed as an end. */
export const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export function minutesOfDay(time: string): number {
  const [h, m] = time.split(':');
  return Number(h) * 60 + Number(m);
}

/** Opening hours are edited on a quarter-hour grid. */
export const WORKING_HOURS_STEP_MINUTES = 15;

/** What is wrong with edited working hours; `params` name the weekday or the date, and the interval. */
export interface WorkingHoursIssue {
  readonly path: string;
  readonly message: string;
  readonly rule: 'hours_order' | 'hours_step' | 'hours_overlap' | 'hours_empty';
  readonly params: Readonly<Record<string, string>>;
}
export type WeeklyHoursIssue = WorkingHoursIssue;

type Interval = { readonly start: string; readonly end: string };

/**
 * One day's intervals: each opens before it closes, on the grid, after the one before it.
 * `key` starts the paths (`fri.0.end`) and names the day in messages; `params` say which day.
 */
function dayIssues(
  key: string,
  intervals: readonly Interval[],
  params: Readonly<Record<string, string>>,
  stepMinutes: number,
): WorkingHoursIssue[] {
  const issues: WorkingHoursIssue[] = [];
  intervals.forEach((interval, i) => {
    const path = `${key}.${i}`;
    const p = { ...params, start: interval.start, end: interval.end };
    for (const edge of ['start', 'end'] as const) {
      if (!HHMM.test(interval[edge]) || minutesOfDay(interval[edge]) % stepMinutes !== 0) {
        issues.push({
          path: `${path}.${edge}`,
          message: `${key}: ${interval[edge]} is not on the ${stepMinutes}-minute grid`,
          rule: 'hours_step',
          params: { ...p, time: interval[edge] },
        });
      }
    }
    if (minutesOfDay(interval.start) >= minutesOfDay(interval.end)) {
      issues.push({
        path: `${path}.end`,
        message: `${key}: opens at ${interval.start} but closes at ${interval.end}`,
        rule: 'hours_order',
        params: p,
      });
    }
    const before = intervals[i - 1];
    if (before && minutesOfDay(interval.start) < minutesOfDay(before.end)) {
      issues.push({
        path: `${path}.start`,
        message: `${key}: ${interval.start}–${interval.end} overlaps ${before.start}–${before.end}`,
        rule: 'hours_overlap',
        params: p,
      });
    }
  });
  return issues;
}

/**
 * What is wrong with edited weekly hours, per weekday and interval (paths like `fri.0.end`):
 * each interval opens before it closes, on the quarter-hour grid, after the one before it.
 * The schema checks the first and the last too; this names them for a screen.
 */
export function weeklyHoursIssues(
  hours: Readonly<Record<CalendarWeekday, readonly Interval[]>>,
  stepMinutes = WORKING_HOURS_STEP_MINUTES,
): WorkingHoursIssue[] {
  return CalendarWeekdays.flatMap((day) => dayIssues(day, hours[day], { weekday: day }, stepMinutes));
}

/**
 * What is wrong with the own hours of make-up working days (调休), per date and interval (paths
 * like `2026-02-28.0.end`), by the weekly rules; and a make-up day with own hours is open at
 * some time (without hours it works the calendar's make-up hours).
 */
export function makeUpDayHoursIssues(
  days: readonly { readonly date: string; readonly hours?: readonly Interval[] | undefined }[],
  stepMinutes = WORKING_HOURS_STEP_MINUTES,
): WorkingHoursIssue[] {
  return days.flatMap((day) => {
    if (day.hours === undefined) return [];
    if (day.hours.length === 0) {
      return [
        {
          path: `${day.date}.hours`,
          message: `${day.date}: a make-up working day needs working hours`,
          rule: 'hours_empty' as const,
          params: { date: day.date },
        },
      ];
    }
    return dayIssues(day.date, day.hours, { date: day.date }, stepMinutes);
  });
}
