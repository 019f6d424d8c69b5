import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import {
  closeOfBusiness,
  dayKind,
  isWorkingDay,
  makeUpDayHoursIssues,
  mergeCalendarDays,
  standardWeek,
  type TBusinessCalendar,
  weeklyHoursIssues,
  workingHoursOn,
  ZBusinessCalendar,
} from './calendar.ts';
import { BUILT_IN_CALENDARS, CN_2026_CALENDAR, UK_EW_2026_CALENDAR } from './calendar-data.ts';

const d = (iso: string) => Temporal.PlainDate.from(iso);

describe('business calendars', () => {
  it('built-in calendars validate', () => {
    for (const cal of Object.values(BUILT_IN_CALENDARS))
      expect(ZBusinessCalendar.safeParse(cal).success).toBe(true);
  });

  it('China 2026: 33 holiday days and 6 make-up days, as announced', () => {
    expect(CN_2026_CALENDAR.holidays).toHaveLength(3 + 9 + 3 + 5 + 3 + 3 + 7);
    expect(CN_2026_CALENDAR.makeUpDays.map((m) => m.date)).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
    // Every make-up day is a weekend day.
    for (const m of CN_2026_CALENDAR.makeUpDays) expect(d(m.date).dayOfWeek).toBeGreaterThanOrEqual(6);
    expect(dayKind(CN_2026_CALENDAR, d('2026-10-10'))).toBe('make_up');
    expect(dayKind(CN_2026_CALENDAR, d('2026-10-01'))).toBe('holiday');
    expect(dayKind(CN_2026_CALENDAR, d('2026-10-11'))).toBe('weekend');
    expect(dayKind(CN_2026_CALENDAR, d('2026-10-12'))).toBe('working');
  });

  it('UK 2026: Christmas Friday, Boxing Day substitute Monday 28 December', () => {
    expect(isWorkingDay(UK_EW_2026_CALENDAR, d('2026-12-25'))).toBe(false);
    expect(isWorkingDay(UK_EW_2026_CALENDAR, d('2026-12-26'))).toBe(false);
    expect(isWorkingDay(UK_EW_2026_CALENDAR, d('2026-12-28'))).toBe(false);
    expect(isWorkingDay(UK_EW_2026_CALENDAR, d('2026-12-29'))).toBe(true);
    expect(UK_EW_2026_CALENDAR.holidays).toHaveLength(8);
  });

  it('close of business follows the zone (GMT vs BST)', () => {
    expect(closeOfBusiness(UK_EW_2026_CALENDAR, d('2026-12-30')).toISOString()).toBe(
      '2026-12-30T17:00:00.000Z',
    );
    expect(closeOfBusiness(UK_EW_2026_CALENDAR, d('2026-07-01')).toISOString()).toBe(
      '2026-07-01T16:00:00.000Z',
    );
    // A day without hours closes at 24:00.
    expect(closeOfBusiness(UK_EW_2026_CALENDAR, d('2026-12-25')).toISOString()).toBe(
      '2026-12-26T00:00:00.000Z',
    );
  });

  it('a make-up day is worked even when Monday is not', () => {
    const cal: TBusinessCalendar = {
      ...UK_EW_2026_CALENDAR,
      weeklyHours: { ...UK_EW_2026_CALENDAR.weeklyHours, mon: [] },
      makeUpDays: [{ date: '2026-06-06', name: 'make-up' }],
    };
    expect(workingHoursOn(cal, d('2026-06-06'))).toEqual([{ start: '09:00', end: '17:00' }]);
  });

  it('rejects a date that is both holiday and make-up day, and overlapping intervals', () => {
    const both = { ...CN_2026_CALENDAR, makeUpDays: [{ date: '2026-10-01', name: 'x' }] };
    expect(ZBusinessCalendar.safeParse(both).success).toBe(false);
    const overlap = {
      ...UK_EW_2026_CALENDAR,
      weeklyHours: {
        ...UK_EW_2026_CALENDAR.weeklyHours,
        mon: [
          { start: '09:00', end: '12:00' },
          { start: '11:00', end: '17:00' },
        ],
      },
    };
    expect(ZBusinessCalendar.safeParse(overlap).success).toBe(false);
    expect(ZBusinessCalendar.safeParse({ ...UK_EW_2026_CALENDAR, timeZone: 'Mars/Olympus' }).success).toBe(
      false,
    );
  });

  it('merging imported days: imported wins, a date is never both', () => {
    const merged = mergeCalendarDays(CN_2026_CALENDAR, {
      holidays: [{ date: '2026-10-10', name: 'cancelled make-up' }],
      makeUpDays: [{ date: '2026-10-07', name: 'moved' }],
    });
    expect(dayKind(merged, d('2026-10-10'))).toBe('holiday');
    expect(dayKind(merged, d('2026-10-07'))).toBe('make_up');
    expect(ZBusinessCalendar.safeParse(merged).success).toBe(true);
  });

  it('edited weekly hours: open before close, on the quarter hour, intervals in order', () => {
    for (const cal of Object.values(BUILT_IN_CALENDARS))
      expect(weeklyHoursIssues(cal.weeklyHours)).toEqual([]);
    const week = standardWeek();
    expect(
      weeklyHoursIssues({
        ...week,
        sat: [
          { start: '09:00', end: '12:00' },
          { start: '13:30', end: '24:00' },
        ],
      }),
    ).toEqual([]);
    const bad = weeklyHoursIssues({
      ...week,
      mon: [{ start: '09:10', end: '17:00' }],
      fri: [{ start: '16:00', end: '16:00' }],
      sat: [
        { start: '09:00', end: '12:00' },
        { start: '11:45', end: '14:00' },
      ],
    });
    expect(bad.map((i) => [i.path, i.rule])).toEqual([
      ['mon.0.start', 'hours_step'],
      ['fri.0.end', 'hours_order'],
      ['sat.1.start', 'hours_overlap'],
    ]);
    expect(bad[1]?.params).toEqual({ weekday: 'fri', start: '16:00', end: '16:00' });
  });

  it('own hours of a make-up day: the weekly rules per date, and not empty; without hours it passes', () => {
    expect(
      makeUpDayHoursIssues([
        { date: '2026-02-28' },
        { date: '2026-05-09', hours: [{ start: '09:00', end: '12:00' }] },
      ]),
    ).toEqual([]);
    const bad = makeUpDayHoursIssues([
      { date: '2026-02-28', hours: [{ start: '13:00', end: '10:00' }] },
      { date: '2026-05-09', hours: [{ start: '09:05', end: '12:00' }] },
      { date: '2026-09-20', hours: [] },
    ]);
    expect(bad.map((i) => [i.path, i.rule])).toEqual([
      ['2026-02-28.0.end', 'hours_order'],
      ['2026-05-09.0.start', 'hours_step'],
      ['2026-09-20.hours', 'hours_empty'],
    ]);
    expect(bad[0]?.params).toEqual({ date: '2026-02-28', start: '13:00', end: '10:00' });
  });

  it('a make-up day with own hours works those hours, others the calendar default', () => {
    const cal: TBusinessCalendar = {
      ...CN_2026_CALENDAR,
      makeUpDays: CN_2026_CALENDAR.makeUpDays.map((m) =>
        m.date === '2026-02-28' ? { ...m, hours: [{ start: '10:00', end: '12:00' }] } : m,
      ),
    };
    expect(ZBusinessCalendar.safeParse(cal).success).toBe(true);
    expect(workingHoursOn(cal, d('2026-02-28'))).toEqual([{ start: '10:00', end: '12:00' }]);
    expect(workingHoursOn(cal, d('2026-02-14'))).toEqual(cal.weeklyHours.mon);
  });
});
