import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/errors.ts';
import { dayKind } from './calendar.ts';
import { CN_2026_CALENDAR, UK_EW_2026_CALENDAR } from './calendar-data.ts';
import { calendarFromICalendar, isMakeUpMarked, parseICalendar, toICalendar } from './calendar-ical.ts';
import { computeDue } from './sla.ts';

const CN_FEED = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//test//cn holidays//ZH',
  'X-WR-CALNAME:中国节假日',
  'X-WR-TIMEZONE:Asia/Shanghai',
  'BEGIN:VEVENT',
  'UID:gq-2026',
  'DTSTAMP:20251105T000000Z',
  'DTSTART;VALUE=DATE:20261001',
  'DTEND;VALUE=DATE:20261008',
  'SUMMARY:国庆节',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:gq-2026-ban-1',
  'DTSTAMP:20251105T000000Z',
  'DTSTART;VALUE=DATE:20260920',
  'SUMMARY:国庆节 (班)',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:gq-2026-ban-2',
  'DTSTAMP:20251105T000000Z',
  'DTSTART;VALUE=DATE:20261010',
  'DTEND;VALUE=DATE:20261011',
  'SUMMARY:调休',
  'CATEGORIES:补班',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:meeting',
  'DTSTAMP:20251105T000000Z',
  'DTSTART:20261012T020000Z',
  'DTEND:20261012T030000Z',
  'SUMMARY:A meeting',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:cancelled',
  'DTSTAMP:20251105T000000Z',
  'DTSTART;VALUE=DATE:20261013',
  'SUMMARY:Cancelled closure',
  'STATUS:CANCELLED',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

describe('parseICalendar', () => {
  it('reads all-day holidays (DTEND exclusive), make-up days by SUMMARY and CATEGORIES, and skips the rest', () => {
    const parsed = parseICalendar(CN_FEED);
    expect(parsed.holidays.map((h) => h.date)).toEqual([
      '2026-10-01',
      '2026-10-02',
      '2026-10-03',
      '2026-10-04',
      '2026-10-05',
      '2026-10-06',
      '2026-10-07',
    ]);
    expect(parsed.makeUpDays.map((m) => m.date)).toEqual(['2026-09-20', '2026-10-10']);
    expect(parsed.timeZone).toBe('Asia/Shanghai');
    expect(parsed.name).toBe('中国节假日');
    expect(parsed.warnings).toHaveLength(2);
  });

  it('expands yearly recurring all-day events inside the window', () => {
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//test//EN',
      'BEGIN:VEVENT',
      'UID:xmas',
      'DTSTAMP:20250101T000000Z',
      'DTSTART;VALUE=DATE:20241225',
      'RRULE:FREQ=YEARLY',
      'SUMMARY:Christmas Day',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    const parsed = parseICalendar(ics, { expandFrom: '2025-01-01', expandTo: '2027-12-31' });
    expect(parsed.holidays.map((h) => h.date)).toEqual(['2025-12-25', '2026-12-25', '2027-12-25']);
  });

  it('rejects text that is not iCalendar', () => {
    try {
      parseICalendar('BEGIN:VCALENDAR\r\nthis is not ical');
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e) && e.code).toBe('import_rejected');
    }
  });

  it('marks make-up days by X- property, categories or summary', () => {
    expect(isMakeUpMarked('Anything', [], 'WORKDAY')).toBe(true);
    expect(isMakeUpMarked('补班', [], 'HOLIDAY')).toBe(false);
    expect(isMakeUpMarked('春节补班', [], null)).toBe(true);
    expect(isMakeUpMarked('班', [], null)).toBe(true);
    expect(isMakeUpMarked('Make-up working day', [], null)).toBe(true);
    expect(isMakeUpMarked('Non-working day', [], null)).toBe(false);
    expect(isMakeUpMarked('春节', [], null)).toBe(false);
    expect(isMakeUpMarked('班级活动', [], null)).toBe(false);
    expect(isMakeUpMarked('x', ['workday'], null)).toBe(true);
  });
});

describe('calendarFromICalendar', () => {
  it('builds a calendar whose SLA due times match the built-in China 2026 calendar around 国庆', () => {
    const { calendar } = calendarFromICalendar(CN_FEED, { id: 'cn-import' });
    expect(calendar.timeZone).toBe('Asia/Shanghai');
    expect(dayKind(calendar, Temporal.PlainDate.from('2026-10-10'))).toBe('make_up');
    for (const at of ['2026-09-20T02:00:00Z', '2026-09-25T03:00:00Z', '2026-09-26T03:00:00Z']) {
      const input = { preset: 'cn-nfra-2020', clock: 'decision', receivedAt: new Date(at) } as const;
      expect(computeDue({ ...input, calendar }).toISOString()).toBe(
        computeDue({ ...input, calendar: CN_2026_CALENDAR }).toISOString(),
      );
    }
  });

  it('needs a time zone', () => {
    const noZone = CN_FEED.replace('X-WR-TIMEZONE:Asia/Shanghai\r\n', '');
    expect(() => calendarFromICalendar(noZone, { id: 'x' })).toThrowError(/time zone/);
    expect(calendarFromICalendar(noZone, { id: 'x', timeZone: 'Asia/Hong_Kong' }).calendar.timeZone).toBe(
      'Asia/Hong_Kong',
    );
  });

  it('adds imported days to a base calendar', () => {
    const { calendar } = calendarFromICalendar(CN_FEED, { id: 'cn', base: CN_2026_CALENDAR });
    expect(calendar.holidays).toHaveLength(CN_2026_CALENDAR.holidays.length);
  });
});

describe('toICalendar round trip', () => {
  it('exports and re-imports the built-in calendars unchanged', () => {
    for (const cal of [CN_2026_CALENDAR, UK_EW_2026_CALENDAR]) {
      const text = toICalendar(cal, new Date('2026-11-01T00:00:00Z'));
      const parsed = parseICalendar(text);
      expect(parsed.holidays).toEqual(cal.holidays.map(({ date, name }) => ({ date, name })));
      expect(parsed.makeUpDays).toEqual(cal.makeUpDays.map(({ date, name }) => ({ date, name })));
      expect(parsed.timeZone).toBe(cal.timeZone);
    }
  });

  it('round-trips arbitrary day sets and names', () => {
    const arbDate = fc
      .integer({ min: 0, max: 800 })
      .map((d) => Temporal.PlainDate.from('2026-01-01').add({ days: d }).toString());
    const arbName = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() === s && s.length > 0);
    fc.assert(
      fc.property(
        fc.uniqueArray(arbDate, { maxLength: 20 }),
        fc.array(arbName, { minLength: 20, maxLength: 20 }),
        (dates, names) => {
          const half = Math.floor(dates.length / 2);
          const cal = {
            ...UK_EW_2026_CALENDAR,
            holidays: dates
              .slice(0, half)
              .sort()
              .map((date, i) => ({ date, name: names[i] ?? 'h' })),
            makeUpDays: dates
              .slice(half)
              .sort()
              .map((date, i) => ({ date, name: names[i + half] ?? 'm' })),
          };
          const parsed = parseICalendar(toICalendar(cal, new Date('2026-11-01T00:00:00Z')));
          expect(parsed.holidays).toEqual(cal.holidays);
          expect(parsed.makeUpDays).toEqual(cal.makeUpDays);
        },
      ),
      { numRuns: 100 },
    );
  });
});
