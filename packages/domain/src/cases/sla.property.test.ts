import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import {
  type CalendarWeekday,
  CalendarWeekdays,
  isWorkingDay,
  type TBusinessCalendar,
  type TWeeklyHours,
  toPlainDate,
  workingInstantsOn,
} from './calendar.ts';
import { CN_2026_CALENDAR, UK_EW_2026_CALENDAR } from './calendar-data.ts';
import { computeClockDue } from './sla.ts';
import { type TClockDefinition, type TPause, ZClockDefinition } from './sla-schema.ts';

const ZONES = [
  'Asia/Shanghai',
  'Europe/London',
  'America/New_York',
  'Australia/Lord_Howe', // 30-minute DST shift
  'Pacific/Chatham', // +12:45 / +13:45
  'Asia/Kolkata',
  'UTC',
] as const;

const START_2026 = Date.parse('2026-01-01T00:00:00Z');
const DAY = 86_400_000;

const arbDate2026 = fc
  .integer({ min: 0, max: 364 })
  .map((d) => Temporal.PlainDate.from('2026-01-01').add({ days: d }).toString());

const arbInterval = fc
  .tuple(fc.integer({ min: 0, max: 22 * 4 }), fc.integer({ min: 1, max: 12 * 4 }))
  .map(([s, len]) => {
    const start = s * 15;
    const end = Math.min(24 * 60, start + len * 15);
    const fmt = (m: number) =>
      `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    return { start: fmt(start), end: fmt(end) };
  });

const arbWeek: fc.Arbitrary<TWeeklyHours> = fc
  .tuple(...CalendarWeekdays.map(() => fc.option(arbInterval, { nil: undefined })))
  .filter((days) => days.some((d) => d !== undefined))
  .map((days) => {
    const week = {} as Record<CalendarWeekday, { start: string; end: string }[]>;
    CalendarWeekdays.forEach((w, i) => {
      const d = days[i];
      week[w] = d ? [d] : [];
    });
    return week as TWeeklyHours;
  });

const arbGeneratedCalendar: fc.Arbitrary<TBusinessCalendar> = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    weeklyHours: arbWeek,
    holidays: fc.uniqueArray(arbDate2026, { maxLength: 30 }),
    makeUps: fc.uniqueArray(arbDate2026, { maxLength: 8 }),
  })
  .map(({ timeZone, weeklyHours, holidays, makeUps }) => {
    const h = new Set(holidays);
    return {
      id: 'gen',
      name: 'generated',
      timeZone,
      weeklyHours,
      holidays: holidays.map((date) => ({ date, name: 'holiday' })),
      makeUpDays: makeUps.filter((d) => !h.has(d)).map((date) => ({ date, name: 'make-up' })),
    };
  });

const arbCalendar = fc.oneof(
  { weight: 1, arbitrary: fc.constant(CN_2026_CALENDAR) },
  { weight: 1, arbitrary: fc.constant(UK_EW_2026_CALENDAR) },
  { weight: 3, arbitrary: arbGeneratedCalendar },
);

const arbClock: fc.Arbitrary<TClockDefinition> = fc
  .record({
    mode: fc.constantFrom('calendar_days', 'business_days', 'weeks', 'hours', 'business_hours'),
    amount: fc.integer({ min: 1, max: 40 }),
    rollOver: fc.constantFrom('none', 'holidays', 'rest_days'),
    end: fc.constantFrom('end_of_day', 'close_of_business'),
  })
  .map((c) =>
    ZClockDefinition.parse({
      name: 'c',
      label: 'c',
      ...c,
      amount: c.mode === 'weeks' ? 1 + (c.amount % 8) : c.amount,
    }),
  );

/** An instant in 2026, minute resolution, over the whole year. */
const arbInstant = fc.integer({ min: 0, max: 360 * 24 * 60 }).map((m) => new Date(START_2026 + m * 60_000));

const arbPause: fc.Arbitrary<TPause> = fc
  .tuple(arbInstant, fc.integer({ min: 0, max: 20 * 24 * 60 }))
  .map(([from, len]) => ({
    from,
    to: new Date(from.getTime() + len * 60_000),
    reason: 'waiting_for_customer',
  }));

const due = (def: TClockDefinition, cal: TBusinessCalendar, at: Date, pauses: TPause[] = []) =>
  computeClockDue({ definition: def, calendar: cal, receivedAt: at, pauses });

const RUNS = { numRuns: 300 };

describe('SLA clock properties', () => {
  it('due is after receipt', () => {
    fc.assert(
      fc.property(
        arbClock,
        arbCalendar,
        arbInstant,
        fc.array(arbPause, { maxLength: 3 }),
        (def, cal, at, pauses) => {
          expect(due(def, cal, at, pauses).due.getTime()).toBeGreaterThan(at.getTime());
        },
      ),
      RUNS,
    );
  });

  it('is monotone in receivedAt', () => {
    fc.assert(
      fc.property(
        arbClock,
        arbCalendar,
        arbInstant,
        fc.integer({ min: 0, max: 10 * 24 * 60 }),
        fc.array(arbPause, { maxLength: 3 }),
        (def, cal, at, deltaMin, pauses) => {
          const later = new Date(at.getTime() + deltaMin * 60_000);
          expect(due(def, cal, later, pauses).due.getTime()).toBeGreaterThanOrEqual(
            due(def, cal, at, pauses).due.getTime(),
          );
        },
      ),
      RUNS,
    );
  });

  it('adding a pause never makes it earlier', () => {
    fc.assert(
      fc.property(
        arbClock,
        arbCalendar,
        arbInstant,
        fc.array(arbPause, { maxLength: 2 }),
        arbPause,
        (def, cal, at, pauses, extra) => {
          expect(due(def, cal, at, [...pauses, extra]).due.getTime()).toBeGreaterThanOrEqual(
            due(def, cal, at, pauses).due.getTime(),
          );
        },
      ),
      RUNS,
    );
  });

  it('pauses wholly before receipt or starting at/after the due time change nothing', () => {
    fc.assert(
      fc.property(
        arbClock,
        arbCalendar,
        arbInstant,
        fc.integer({ min: 0, max: 5000 }),
        (def, cal, at, gap) => {
          const base = due(def, cal, at).due;
          const before: TPause = {
            from: new Date(at.getTime() - 3 * DAY - gap * 60_000),
            to: new Date(at.getTime() - gap * 60_000),
            reason: 'other',
          };
          const after: TPause = {
            from: new Date(base.getTime() + gap * 60_000),
            to: new Date(base.getTime() + gap * 60_000 + 5 * DAY),
            reason: 'other',
          };
          // A pause before receipt on the receipt day itself would still remove that day in day
          // mode, but that day never counts, so the due time cannot move.
          expect(due(def, cal, at, [before, after]).due.getTime()).toBe(base.getTime());
        },
      ),
      RUNS,
    );
  });

  it('business-day due never lands on a non-working day, and counts exactly N working days', () => {
    const businessDays = arbClock.map((c) => ({ ...c, mode: 'business_days' as const }));
    fc.assert(
      fc.property(businessDays, arbCalendar, arbInstant, (def, cal, at) => {
        const d = due(def, cal, at);
        const last = Temporal.PlainDate.from(d.lastDay ?? '');
        expect(isWorkingDay(cal, last)).toBe(true);
        // Roll-over only moves off non-working days, so a business-day count is never rolled.
        let n = 0;
        for (
          let day = toPlainDate(cal, at).add({ days: 1 });
          Temporal.PlainDate.compare(day, last) <= 0;
          day = day.add({ days: 1 })
        ) {
          if (isWorkingDay(cal, day)) n++;
        }
        expect(n).toBe(def.amount);
      }),
      RUNS,
    );
  });

  it('rest-day roll-over always ends on a working day', () => {
    const rolling = arbClock
      .filter((c) => c.mode !== 'hours' && c.mode !== 'business_hours')
      .map((c) => ({ ...c, rollOver: 'rest_days' as const }));
    fc.assert(
      fc.property(rolling, arbCalendar, arbInstant, (def, cal, at) => {
        expect(isWorkingDay(cal, Temporal.PlainDate.from(due(def, cal, at).lastDay ?? ''))).toBe(true);
      }),
      RUNS,
    );
  });

  it('business-hours due lies inside (or at the end of) a working interval', () => {
    const hours = arbClock.map((c) => ({ ...c, mode: 'business_hours' as const }));
    fc.assert(
      fc.property(
        hours,
        arbCalendar,
        arbInstant,
        fc.array(arbPause, { maxLength: 2 }),
        (def, cal, at, pauses) => {
          const t = due(def, cal, at, pauses).due.getTime();
          const day = toPlainDate(cal, new Date(t - 1));
          const inside = [day, day.add({ days: 1 }), day.subtract({ days: 1 })]
            .flatMap((d) => workingInstantsOn(cal, d))
            .some(([s, e]) => s < t && t <= e);
          expect(inside).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('a calendar-days clock without roll-over ignores holidays; an added holiday never makes any clock earlier', () => {
    fc.assert(
      fc.property(arbClock, arbGeneratedCalendar, arbInstant, arbDate2026, (def, cal, at, extra) => {
        const withHoliday: TBusinessCalendar = {
          ...cal,
          holidays: [...cal.holidays.filter((h) => h.date !== extra), { date: extra, name: 'extra' }],
          makeUpDays: cal.makeUpDays.filter((m) => m.date !== extra),
        };
        const a = due(def, cal, at).due.getTime();
        const b = due(def, withHoliday, at).due.getTime();
        expect(b).toBeGreaterThanOrEqual(a);
        if (def.mode === 'calendar_days' && def.rollOver === 'none' && def.end === 'end_of_day')
          expect(b).toBe(a);
      }),
      RUNS,
    );
  });

  it('hours mode: the paused time is added exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 72 }),
        arbInstant,
        fc.integer({ min: 0, max: 48 * 60 }),
        fc.integer({ min: 0, max: 48 * 60 }),
        (amount, at, offsetMin, lenMin) => {
          const def = ZClockDefinition.parse({ name: 'h', label: 'h', mode: 'hours', amount });
          const from = new Date(at.getTime() + Math.min(offsetMin, amount * 60 - 1) * 60_000);
          const pause: TPause = { from, to: new Date(from.getTime() + lenMin * 60_000), reason: 'other' };
          const got = due(def, UK_EW_2026_CALENDAR, at, [pause]).due.getTime();
          expect(got).toBe(at.getTime() + amount * 3_600_000 + lenMin * 60_000);
        },
      ),
      RUNS,
    );
  });

  it('an approved extension never makes it earlier; a make-up day never makes it later', () => {
    fc.assert(
      fc.property(
        arbClock,
        arbGeneratedCalendar,
        arbInstant,
        arbDate2026,
        fc.integer({ min: 1, max: 30 }),
        (def, cal, at, extra, ext) => {
          const extended = {
            ...def,
            extensions: [{ id: 'x', amount: ext, requiresApproval: true, requiresCustomerNotice: false }],
          };
          const base = due(def, cal, at).due.getTime();
          const withExt = computeClockDue({
            definition: extended,
            calendar: cal,
            receivedAt: at,
            extensions: [{ id: 'x', approvedBy: 'boss' }],
          }).due.getTime();
          expect(withExt).toBeGreaterThanOrEqual(base);
          // Turning a non-working day (weekend or holiday) into a make-up working day adds
          // working time only, so no clock can end later.
          if (!isWorkingDay(cal, Temporal.PlainDate.from(extra))) {
            const withMakeUp: TBusinessCalendar = {
              ...cal,
              holidays: cal.holidays.filter((h) => h.date !== extra),
              makeUpDays: [...cal.makeUpDays, { date: extra, name: 'make-up' }],
            };
            expect(due(def, withMakeUp, at).due.getTime()).toBeLessThanOrEqual(base);
          }
        },
      ),
      RUNS,
    );
  });
});
