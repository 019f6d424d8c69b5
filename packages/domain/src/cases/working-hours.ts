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

export interface WeeklyHoursIssue {
  readonly path: string;
  readonly message: string;
  readonly rule: 'hours_order' | 'hours_step' | 'hours_overlap';
  readonly params: Readonly<Record<string, string>>;
}

/**
 * What is wrong with edited weekly hours, per weekday and interval (paths like `fri.0.end`):
 * each interval opens before it closes, on the quarter-hour grid, after the one before it.
 * The schema checks the first and the last too; this names them for a screen.
 */
export function weeklyHoursIssues(
  hours: Readonly<Record<CalendarWeekday, readonly { start: string; end: string }[]>>,
  stepMinutes = WORKING_HOURS_STEP_MINUTES,
): WeeklyHoursIssue[] {
  const issues: WeeklyHoursIssue[] = [];
  for (const day of CalendarWeekdays) {
    hours[day].forEach((interval, i) => {
      const path = `${day}.${i}`;
      const params = { weekday: day, start: interval.start, end: interval.end };
      for (const edge of ['start', 'end'] as const) {
        if (!HHMM.test(interval[edge]) || minutesOfDay(interval[edge]) % stepMinutes !== 0) {
          issues.push({
            path: `${path}.${edge}`,
            message: `${day}: ${interval[edge]} is not on the ${stepMinutes}-minute grid`,
            rule: 'hours_step',
            params: { ...params, time: interval[edge] },
          });
        }
      }
      if (minutesOfDay(interval.start) >= minutesOfDay(interval.end)) {
        issues.push({
          path: `${path}.end`,
          message: `${day}: opens at ${interval.start} but closes at ${interval.end}`,
          rule: 'hours_order',
          params,
        });
      }
      const before = hours[day][i - 1];
      if (before && minutesOfDay(interval.start) < minutesOfDay(before.end)) {
        issues.push({
          path: `${path}.start`,
          message: `${day}: ${interval.start}–${interval.end} overlaps ${before.start}–${before.end}`,
          rule: 'hours_overlap',
          params,
        });
      }
    });
  }
  return issues;
}
