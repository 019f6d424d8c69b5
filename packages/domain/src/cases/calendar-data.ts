import { Temporal } from 'temporal-polyfill';
import { standardWeek, type TBusinessCalendar, type TCalendarDay, type TMakeUpDay } from './calendar.ts';

function span(from: string, to: string, name: string, nameEn: string): TCalendarDay[] {
  const out: TCalendarDay[] = [];
  const last = Temporal.PlainDate.from(to);
  for (
    let d = Temporal.PlainDate.from(from);
    Temporal.PlainDate.compare(d, last) <= 0;
    d = d.add({ days: 1 })
  ) {
    out.push({ date: d.toString(), name, nameEn });
  }
  return out;
}

/**
 * China (mainland) 2026, as announced by the General Office of the State Council on
 * 4 November 2025 (国务院办公厅关于2026年部分节假日安排的通知). Make-up working days (调休上班)
 * are the weekend days listed as 上班.
 */
export const CN_2026_HOLIDAYS: readonly TCalendarDay[] = [
  ...span('2026-01-01', '2026-01-03', '元旦', "New Year's Day"),
  ...span('2026-02-15', '2026-02-23', '春节', 'Spring Festival'),
  ...span('2026-04-04', '2026-04-06', '清明节', 'Qingming Festival'),
  ...span('2026-05-01', '2026-05-05', '劳动节', 'Labour Day'),
  ...span('2026-06-19', '2026-06-21', '端午节', 'Dragon Boat Festival'),
  ...span('2026-09-25', '2026-09-27', '中秋节', 'Mid-Autumn Festival'),
  ...span('2026-10-01', '2026-10-07', '国庆节', 'National Day'),
];

export const CN_2026_MAKE_UP_DAYS: readonly TMakeUpDay[] = [
  { date: '2026-01-04', name: '元旦调休上班', nameEn: "New Year's make-up working day" },
  { date: '2026-02-14', name: '春节调休上班', nameEn: 'Spring Festival make-up working day' },
  { date: '2026-02-28', name: '春节调休上班', nameEn: 'Spring Festival make-up working day' },
  { date: '2026-05-09', name: '劳动节调休上班', nameEn: 'Labour Day make-up working day' },
  { date: '2026-09-20', name: '国庆节调休上班', nameEn: 'National Day make-up working day' },
  { date: '2026-10-10', name: '国庆节调休上班', nameEn: 'National Day make-up working day' },
];

export const CN_2026_CALENDAR: TBusinessCalendar = {
  id: 'cn-2026',
  name: '中国内地 2026 工作日历 (China mainland 2026)',
  timeZone: 'Asia/Shanghai',
  weeklyHours: standardWeek('09:00', '17:00'),
  holidays: [...CN_2026_HOLIDAYS],
  makeUpDays: [...CN_2026_MAKE_UP_DAYS],
  coveredYears: [2026],
};

/** England and Wales bank holidays 2026 (gov.uk). Boxing Day falls on a Saturday: substitute Monday 28 Dec. */
export const UK_EW_2026_HOLIDAYS: readonly TCalendarDay[] = [
  { date: '2026-01-01', name: "New Year's Day" },
  { date: '2026-04-03', name: 'Good Friday' },
  { date: '2026-04-06', name: 'Easter Monday' },
  { date: '2026-05-04', name: 'Early May bank holiday' },
  { date: '2026-05-25', name: 'Spring bank holiday' },
  { date: '2026-08-31', name: 'Summer bank holiday' },
  { date: '2026-12-25', name: 'Christmas Day' },
  { date: '2026-12-28', name: 'Boxing Day (substitute day)' },
];

export const UK_EW_2026_CALENDAR: TBusinessCalendar = {
  id: 'uk-ew-2026',
  name: 'England and Wales 2026',
  timeZone: 'Europe/London',
  weeklyHours: standardWeek('09:00', '17:00'),
  holidays: [...UK_EW_2026_HOLIDAYS],
  makeUpDays: [],
  coveredYears: [2026],
};

/** US federal holidays 2026 (OPM); 4 July is a Saturday, observed Friday 3 July. */
export const US_FEDERAL_2026_HOLIDAYS: readonly TCalendarDay[] = [
  { date: '2026-01-01', name: "New Year's Day" },
  { date: '2026-01-19', name: 'Birthday of Martin Luther King, Jr.' },
  { date: '2026-02-16', name: "Washington's Birthday" },
  { date: '2026-05-25', name: 'Memorial Day' },
  { date: '2026-06-19', name: 'Juneteenth National Independence Day' },
  { date: '2026-07-03', name: 'Independence Day (observed)' },
  { date: '2026-09-07', name: 'Labor Day' },
  { date: '2026-10-12', name: 'Columbus Day' },
  { date: '2026-11-11', name: 'Veterans Day' },
  { date: '2026-11-26', name: 'Thanksgiving Day' },
  { date: '2026-12-25', name: 'Christmas Day' },
];

export const US_FEDERAL_2026_CALENDAR: TBusinessCalendar = {
  id: 'us-federal-2026',
  name: 'US federal holidays 2026 (Eastern Time)',
  timeZone: 'America/New_York',
  weeklyHours: standardWeek('09:00', '17:00'),
  holidays: [...US_FEDERAL_2026_HOLIDAYS],
  makeUpDays: [],
  coveredYears: [2026],
};

export const BUILT_IN_CALENDARS: Readonly<Record<string, TBusinessCalendar>> = {
  [CN_2026_CALENDAR.id]: CN_2026_CALENDAR,
  [UK_EW_2026_CALENDAR.id]: UK_EW_2026_CALENDAR,
  [US_FEDERAL_2026_CALENDAR.id]: US_FEDERAL_2026_CALENDAR,
};

/** The calendar a preset uses when none is named (e.g. `serviceloop sla due` without --calendar). */
export const DEFAULT_CALENDAR_FOR_PRESET: Readonly<Record<string, string>> = {
  'cn-nfra-2020': CN_2026_CALENDAR.id,
  'uk-fca-disp': UK_EW_2026_CALENDAR.id,
  'us-cfpb': US_FEDERAL_2026_CALENDAR.id,
};
