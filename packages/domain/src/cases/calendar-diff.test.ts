import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/errors.ts';
import { CN_2026_CALENDAR } from './calendar-data.ts';
import { diffCalendars, importICalendarInto } from './calendar-diff.ts';
import { toICalendar } from './calendar-ical.ts';

const ics = (...events: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...events, 'END:VCALENDAR'].join('\r\n');
const day = (uid: string, date: string, summary: string, extra: string[] = []) =>
  [
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    `DTSTART;VALUE=DATE:${date}`,
    `SUMMARY:${summary}`,
    ...extra,
    'END:VEVENT',
  ].join('\r\n');

describe('calendar import preview', () => {
  it('merge: lists added holidays and marked make-up days; nothing else moves', () => {
    const text = ics(day('a', '20261120', '行庆日'), day('b', '20261128', '行庆调休', ['CATEGORIES:补班']));
    const { calendar, diff, warnings, years } = importICalendarInto(CN_2026_CALENDAR, text, 'merge');
    expect(diff.holidaysAdded.map((d) => d.date)).toEqual(['2026-11-20']);
    expect(diff.makeUpAdded.map((d) => d.date)).toEqual(['2026-11-28']);
    expect(diff.holidaysRemoved).toEqual([]);
    expect(diff.makeUpRemoved).toEqual([]);
    expect(diff.changedDays).toBe(2);
    expect(years).toEqual([2026]);
    expect(warnings).toEqual([]);
    expect(calendar.holidays.length).toBe(CN_2026_CALENDAR.holidays.length + 1);
  });

  it('replace_years: the file replaces the year; days it no longer lists are removed', () => {
    const text = ics(day('a', '20260101', '元旦'));
    const { diff } = importICalendarInto(CN_2026_CALENDAR, text, 'replace_years');
    expect(diff.holidaysAdded).toEqual([]);
    expect(diff.holidaysRemoved.length).toBe(CN_2026_CALENDAR.holidays.length - 1);
    expect(diff.makeUpRemoved.length).toBe(CN_2026_CALENDAR.makeUpDays.length);
  });

  it('a holiday that becomes a make-up day shows as removed and added, and renames are listed', () => {
    const text = ics(day('a', '20261001', '国庆节 (班)'), day('b', '20261002', 'National Day'));
    const { diff } = importICalendarInto(CN_2026_CALENDAR, text, 'merge');
    expect(diff.holidaysRemoved.map((d) => d.date)).toEqual(['2026-10-01']);
    expect(diff.makeUpAdded.map((d) => d.date)).toEqual(['2026-10-01']);
    expect(diff.renamed).toEqual([
      { date: '2026-10-02', kind: 'holiday', from: '国庆节', to: 'National Day' },
    ]);
    expect(diff.changedDays).toBe(2);
  });

  it('a make-up day given its own hours counts as a changed day, with the hours before and after', () => {
    const hours = [{ start: '09:00', end: '12:00' }];
    const withHours = {
      ...CN_2026_CALENDAR,
      makeUpDays: CN_2026_CALENDAR.makeUpDays.map((m) => (m.date === '2026-02-28' ? { ...m, hours } : m)),
    };
    const set = diffCalendars(CN_2026_CALENDAR, withHours);
    expect(set.makeUpHoursChanged).toEqual([
      { date: '2026-02-28', name: '春节调休上班', from: null, to: hours },
    ]);
    expect(set.changedDays).toBe(1);
    expect(set.makeUpAdded).toEqual([]);
    expect(diffCalendars(withHours, CN_2026_CALENDAR).makeUpHoursChanged[0]).toMatchObject({
      from: hours,
      to: null,
    });
    expect(diffCalendars(withHours, withHours).changedDays).toBe(0);
  });

  it('our own export imports back with no change', () => {
    const text = toICalendar(CN_2026_CALENDAR, new Date('2026-01-01T00:00:00Z'));
    const { diff } = importICalendarInto(CN_2026_CALENDAR, text, 'replace_years');
    expect(diff.changedDays).toBe(0);
    expect(diffCalendars(CN_2026_CALENDAR, CN_2026_CALENDAR).changedDays).toBe(0);
  });

  it('a file that is not iCalendar, or has no all-day events, is rejected with import_rejected', () => {
    for (const text of [
      'hello',
      ics(
        ['BEGIN:VEVENT', 'UID:x', 'DTSTART:20261012T020000Z', 'SUMMARY:meeting', 'END:VEVENT'].join('\r\n'),
      ),
    ]) {
      try {
        importICalendarInto(CN_2026_CALENDAR, text, 'merge');
        expect.unreachable();
      } catch (error) {
        expect(isAppError(error) && error.code).toBe('import_rejected');
      }
    }
  });
});
