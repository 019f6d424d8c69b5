import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/errors.ts';
import { standardWeek, type TBusinessCalendar } from './calendar.ts';
import {
  BUILT_IN_CALENDARS,
  CN_2026_CALENDAR,
  DEFAULT_CALENDAR_FOR_PRESET,
  UK_EW_2026_CALENDAR,
} from './calendar-data.ts';
import { clockPeriod, computeClockDue, computeDue, computeDueDetail, computePresetDues } from './sla.ts';
import { CN_NFRA_2020, UK_FCA_DISP } from './sla-presets.ts';
import { ZClockDefinition } from './sla-schema.ts';

const US_CALENDAR: TBusinessCalendar = {
  id: 'us-ny',
  name: 'New York',
  timeZone: 'America/New_York',
  weeklyHours: standardWeek(),
  holidays: [],
  makeUpDays: [],
};

const cn = (receivedAt: string, clock = 'decision') =>
  computeDueDetail({
    preset: 'cn-nfra-2020',
    clock,
    receivedAt: new Date(receivedAt),
    calendar: CN_2026_CALENDAR,
  });

describe('UK FCA DISP, hand-checked', () => {
  it('a complaint received Wed 23 Dec 2026 has its 3rd business day on Wed 30 Dec', () => {
    const d = computeDueDetail({
      preset: 'uk-fca-disp',
      clock: 'summary_resolution',
      receivedAt: new Date('2026-12-23T10:00:00Z'),
      calendar: UK_EW_2026_CALENDAR,
    });
    // Thu 24 (1), Fri 25 Christmas, weekend, Mon 28 Boxing Day substitute, Tue 29 (2), Wed 30 (3).
    expect(d.lastDay).toBe('2026-12-30');
    expect(d.due.toISOString()).toBe('2026-12-30T17:00:00.000Z'); // close of business, GMT
  });

  it('received late on 23 Dec (after hours) still counts from the next day', () => {
    const due = computeDue({
      preset: UK_FCA_DISP,
      clock: 'summary_resolution',
      receivedAt: new Date('2026-12-23T23:59:00Z'),
      calendar: UK_EW_2026_CALENDAR,
    });
    expect(due.toISOString()).toBe('2026-12-30T17:00:00.000Z');
  });

  it('final response: end of eight weeks after receipt', () => {
    const d = computeDueDetail({
      preset: 'uk-fca-disp',
      clock: 'final_response',
      receivedAt: new Date('2026-12-23T10:00:00Z'),
      calendar: UK_EW_2026_CALENDAR,
    });
    expect(d.lastDay).toBe('2027-02-17');
    expect(d.due.toISOString()).toBe('2027-02-18T00:00:00.000Z');
  });

  it('payment services: 15 business days across Easter 2026 (BST)', () => {
    const d = computeDueDetail({
      preset: 'uk-fca-disp',
      clock: 'payment_final',
      receivedAt: new Date('2026-03-30T09:30:00+01:00'),
      calendar: UK_EW_2026_CALENDAR,
    });
    // 31 Mar, 1, 2 Apr; Good Friday 3 and Easter Monday 6 skipped; 7 Apr … 22 Apr is the 15th.
    expect(d.lastDay).toBe('2026-04-22');
    expect(d.due.toISOString()).toBe('2026-04-22T23:00:00.000Z');
  });

  it('payment services, exceptional: 35 business days', () => {
    const d = computeDueDetail({
      preset: 'uk-fca-disp',
      clock: 'payment_final_exceptional',
      receivedAt: new Date('2026-03-30T09:30:00+01:00'),
      calendar: UK_EW_2026_CALENDAR,
    });
    // From 22 Apr (15th) twenty more: 23, 24, 27–30 Apr, 1 May (22nd); 4 May holiday; 5–8 (26th),
    // 11–15 (31st), 18–21 May (35th).
    expect(d.lastDay).toBe('2026-05-21');
  });

  it('4 business hours on Christmas Eve afternoon runs into Tue 29 Dec', () => {
    const def = ZClockDefinition.parse({ name: 'ack', label: 'ack', mode: 'business_hours', amount: 4 });
    const d = computeClockDue({
      definition: def,
      receivedAt: new Date('2026-12-24T15:00:00Z'),
      calendar: UK_EW_2026_CALENDAR,
    });
    expect(d.due.toISOString()).toBe('2026-12-29T11:00:00.000Z');
  });
});

describe('China NFRA 2020 with Civil Code counting, hand-checked', () => {
  it('国庆: received on the make-up Sunday 20 Sep, day 15 is 5 Oct (holiday) → ends 8 Oct 24:00', () => {
    const d = cn('2026-09-20T02:00:00Z');
    expect(d.lastDay).toBe('2026-10-08');
    expect(d.due.toISOString()).toBe('2026-10-08T16:00:00.000Z');
  });

  it('time zone: 01:30 Beijing time on 20 Sep is still receipt on 20 Sep', () => {
    expect(cn('2026-09-19T17:30:00Z').lastDay).toBe('2026-10-08');
  });

  it('国庆 调休: day 15 on the make-up Saturday 10 Oct is a working day and does not roll', () => {
    const d = cn('2026-09-25T03:00:00Z');
    expect(d.lastDay).toBe('2026-10-10');
    expect(d.due.toISOString()).toBe('2026-10-10T16:00:00.000Z');
  });

  it('day 15 on an ordinary Sunday (11 Oct) rolls to Monday 12 Oct', () => {
    expect(cn('2026-09-26T03:00:00Z').lastDay).toBe('2026-10-12');
  });

  it('春节: received 1 Feb, day 15 is 16 Feb (holiday) → ends 24 Feb, after 春节 (15–23 Feb)', () => {
    const d = cn('2026-02-01T03:00:00Z');
    expect(d.lastDay).toBe('2026-02-24');
    expect(d.due.toISOString()).toBe('2026-02-24T16:00:00.000Z');
  });

  it('春节 调休: day 15 on the make-up Saturdays 14 Feb and 28 Feb stays there', () => {
    expect(cn('2026-01-30T03:00:00Z').lastDay).toBe('2026-02-14');
    expect(cn('2026-02-13T03:00:00Z').lastDay).toBe('2026-02-28');
  });

  it('decision_extended 30 days ending on 7 Oct rolls to 8 Oct', () => {
    expect(cn('2026-09-07T03:00:00Z', 'decision_extended').lastDay).toBe('2026-10-08');
  });

  it('a further 30 days with approval and notice', () => {
    const d = computeDueDetail({
      preset: CN_NFRA_2020,
      clock: 'decision_extended',
      receivedAt: new Date('2026-08-22T03:00:00Z'),
      calendar: CN_2026_CALENDAR,
      extensions: [
        {
          id: 'further_30_approved',
          approvedBy: 'head-office-vp',
          approvedAt: new Date('2026-09-10T03:00:00Z'),
          customerNotifiedAt: new Date('2026-09-10T04:00:00Z'),
        },
      ],
    });
    // 22 Aug + 60 days = 21 Oct (Wednesday).
    expect(d.amount).toBe(60);
    expect(d.lastDay).toBe('2026-10-21');
  });

  it('the further extension is refused without approval', () => {
    try {
      computeDue({
        preset: 'cn-nfra-2020',
        clock: 'decision_extended',
        receivedAt: new Date('2026-08-22T03:00:00Z'),
        calendar: CN_2026_CALENDAR,
        extensions: [{ id: 'further_30_approved', customerNotifiedAt: new Date('2026-09-10T04:00:00Z') }],
      });
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e) && e.code).toBe('validation_failed');
    }
  });

  it('review clocks: 30 days from the decision, then 30 days from the request', () => {
    // Decision received Sat 5 Sep; day 30 = 5 Oct (国庆) → 8 Oct.
    expect(cn('2026-09-05T03:00:00Z', 'review_request').lastDay).toBe('2026-10-08');
    // Review requested Thu 1 Jan (元旦); day 30 = 31 Jan (Saturday) → Mon 2 Feb.
    expect(cn('2026-01-01T03:00:00Z', 'review_decision').lastDay).toBe('2026-02-02');
  });

  it('external appraisal is excluded from the time limit (whole days)', () => {
    const base = cn('2026-03-02T02:00:00Z');
    expect(base.lastDay).toBe('2026-03-17');
    const paused = computeDueDetail({
      preset: 'cn-nfra-2020',
      clock: 'decision',
      receivedAt: new Date('2026-03-02T02:00:00Z'),
      calendar: CN_2026_CALENDAR,
      // Thu 5 Mar 10:00 to Tue 10 Mar 15:00 Beijing: 5, 6, 7, 8, 9 Mar removed; 10 Mar counts.
      pauses: [
        {
          from: new Date('2026-03-05T02:00:00Z'),
          to: new Date('2026-03-10T07:00:00Z'),
          reason: 'external_appraisal',
        },
      ],
    });
    // 17 + 5 = 22 Mar (Sunday) → Monday 23 Mar.
    expect(paused.lastDay).toBe('2026-03-23');
    expect(paused.due.toISOString()).toBe('2026-03-23T16:00:00.000Z');
  });

  it('business days across 国庆 count the make-up Saturday 10 Oct', () => {
    const def = ZClockDefinition.parse({ name: 'reply', label: 'reply', mode: 'business_days', amount: 3 });
    const d = computeClockDue({
      definition: def,
      receivedAt: new Date('2026-09-30T02:00:00Z'),
      calendar: CN_2026_CALENDAR,
    });
    expect(d.lastDay).toBe('2026-10-10');
  });

  it('business days across 春节 count the make-up Saturday 14 Feb', () => {
    const def = ZClockDefinition.parse({ name: 'reply', label: 'reply', mode: 'business_days', amount: 3 });
    const d = computeClockDue({
      definition: def,
      receivedAt: new Date('2026-02-13T02:00:00Z'),
      calendar: CN_2026_CALENDAR,
    });
    // 14 Feb (make-up, 1), 15–23 holiday, 24 (2), 25 (3).
    expect(d.lastDay).toBe('2026-02-25');
  });

  it('business hours on the make-up Sunday 4 Jan', () => {
    const def = ZClockDefinition.parse({ name: 'ack', label: 'ack', mode: 'business_hours', amount: 4 });
    // Fri 2 Jan 2026 16:00 Beijing (holiday): next working time is Sun 4 Jan 09:00 (调休上班).
    const d = computeClockDue({
      definition: def,
      receivedAt: new Date('2026-01-02T08:00:00Z'),
      calendar: CN_2026_CALENDAR,
    });
    expect(d.due.toISOString()).toBe('2026-01-04T05:00:00.000Z');
  });
});

describe('US CFPB', () => {
  it('15 calendar days across the DST change, end of day in New York', () => {
    const d = computeDueDetail({
      preset: 'us-cfpb',
      clock: 'response',
      receivedAt: new Date('2026-03-07T17:00:00Z'),
      calendar: US_CALENDAR,
    });
    expect(d.lastDay).toBe('2026-03-22');
    expect(d.due.toISOString()).toBe('2026-03-23T04:00:00.000Z');
  });
  it('60 days final response', () => {
    const d = computeDueDetail({
      preset: 'us-cfpb',
      clock: 'final_response',
      receivedAt: new Date('2026-03-07T17:00:00Z'),
      calendar: US_CALENDAR,
    });
    expect(d.lastDay).toBe('2026-05-06');
  });
});

describe('built-in calendars and preview', () => {
  it('US federal 2026: CFPB 15 days ending on Thanksgiving do not roll (calendar days, no roll-over)', () => {
    const d = computeDueDetail({
      preset: 'us-cfpb',
      clock: 'response',
      receivedAt: new Date('2026-11-11T15:00:00Z'),
      calendar: BUILT_IN_CALENDARS[DEFAULT_CALENDAR_FOR_PRESET['us-cfpb'] ?? ''] ?? US_CALENDAR,
    });
    expect(d.lastDay).toBe('2026-11-26');
    expect(d.due.toISOString()).toBe('2026-11-27T05:00:00.000Z'); // EST
  });

  it('every preset has a default calendar and a preview of all its clocks', () => {
    for (const [preset, calendarId] of Object.entries(DEFAULT_CALENDAR_FOR_PRESET)) {
      const calendar = BUILT_IN_CALENDARS[calendarId];
      if (!calendar) throw new Error(`missing ${calendarId}`);
      const rows = computePresetDues({ preset, receivedAt: new Date('2026-12-23T10:00:00Z'), calendar });
      expect(rows.length).toBeGreaterThanOrEqual(2);
    }
    const uk = computePresetDues({
      preset: 'uk-fca-disp',
      receivedAt: new Date('2026-12-23T10:00:00Z'),
      calendar: UK_EW_2026_CALENDAR,
    });
    expect(uk.map((r) => r.clock)).toEqual([
      'summary_resolution',
      'final_response',
      'payment_final',
      'payment_final_exceptional',
    ]);
    expect(uk[0]?.detail.lastDay).toBe('2026-12-30');
  });
});

describe('errors and pauses', () => {
  it('unknown preset or clock is not_found', () => {
    const run = (preset: string, clock: string) => () =>
      computeDue({
        preset,
        clock,
        receivedAt: new Date('2026-01-01T00:00:00Z'),
        calendar: UK_EW_2026_CALENDAR,
      });
    expect(run('nope', 'decision')).toThrowError(/Unknown SLA preset/);
    expect(run('cn-nfra-2020', 'nope')).toThrowError(/has no clock/);
  });

  it('an open pause needs now, and then counts until now', () => {
    const def = ZClockDefinition.parse({ name: 'h', label: 'h', mode: 'hours', amount: 24 });
    const input = {
      definition: def,
      receivedAt: new Date('2026-05-01T00:00:00Z'),
      calendar: UK_EW_2026_CALENDAR,
      pauses: [{ from: new Date('2026-05-01T06:00:00Z'), to: null, reason: 'waiting_for_customer' as const }],
    };
    expect(() => computeClockDue(input)).toThrowError(/open pause/);
    const d = computeClockDue({ ...input, now: new Date('2026-05-01T10:00:00Z') });
    expect(d.due.toISOString()).toBe('2026-05-02T04:00:00.000Z');
  });

  it('a pause starting after the breach does not revive the clock', () => {
    const def = ZClockDefinition.parse({ name: 'h', label: 'h', mode: 'hours', amount: 2 });
    const d = computeClockDue({
      definition: def,
      receivedAt: new Date('2026-05-01T00:00:00Z'),
      calendar: UK_EW_2026_CALENDAR,
      pauses: [
        { from: new Date('2026-05-01T03:00:00Z'), to: new Date('2026-05-01T05:00:00Z'), reason: 'other' },
      ],
    });
    expect(d.due.toISOString()).toBe('2026-05-01T02:00:00.000Z');
  });

  it('a calendar with no working time is rejected when counting business days', () => {
    const closed: TBusinessCalendar = {
      ...UK_EW_2026_CALENDAR,
      weeklyHours: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
    };
    const def = ZClockDefinition.parse({ name: 'b', label: 'b', mode: 'business_days', amount: 1 });
    expect(() =>
      computeClockDue({ definition: def, receivedAt: new Date('2026-05-01T00:00:00Z'), calendar: closed }),
    ).toThrowError(/no working day/);
  });
});

describe('clockPeriod', () => {
  it('gives the limit in figures, with only the applied extensions added up', () => {
    const extended = CN_NFRA_2020.clocks.find((c) => c.name === 'decision_extended');
    if (!extended) throw new Error('preset changed');
    expect(clockPeriod(extended)).toEqual({
      mode: 'calendar_days',
      amount: 30,
      end: 'end_of_day',
      rollOver: 'rest_days',
      extendedBy: 0,
    });
    expect(clockPeriod(extended, [{ id: 'further_30_approved', approvedBy: 'x' }]).extendedBy).toBe(30);
    const ack = ZClockDefinition.parse({ name: 'ack', label: 'Ack', mode: 'business_hours', amount: 0.5 });
    expect(clockPeriod(ack)).toMatchObject({ mode: 'business_hours', amount: 0.5, extendedBy: 0 });
  });
});
