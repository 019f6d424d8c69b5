import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UK_EW_2026_CALENDAR } from './calendar-data.ts';
import {
  clockSchedule,
  DEFAULT_ESCALATION_POLICY,
  dueNotifications,
  markFired,
  nextNotificationAt,
  refreshClock,
  startClock,
  stopClock,
  type TClockState,
  ZEscalationPolicy,
} from './escalation.ts';
import { resolveClock } from './sla.ts';
import { ZClockDefinition } from './sla-schema.ts';

const at = (iso: string) => new Date(iso);

const state = (patch: Partial<TClockState> = {}): TClockState => ({
  clockId: 'case-1:resolution',
  startedAt: at('2026-06-01T00:00:00Z'),
  dueAt: at('2026-06-05T00:00:00Z'), // 96 hours
  pauses: [],
  stoppedAt: null,
  generation: 0,
  fired: [],
  policy: DEFAULT_ESCALATION_POLICY,
  measure: 'elapsed',
  ...patch,
});

describe('clockSchedule', () => {
  it('warns at 75% of the running time, breaches at due, escalates along the chain', () => {
    const s = clockSchedule(state());
    expect(s.warnings.map((w) => w.at?.toISOString())).toEqual(['2026-06-04T00:00:00.000Z']);
    expect(s.warnings[0]?.recipients).toEqual(['assignee', 'team_lead']);
    expect(s.breach.at?.toISOString()).toBe('2026-06-05T00:00:00.000Z');
    expect(s.escalations.map((e) => [e.recipients[0], e.at?.toISOString()])).toEqual([
      ['team_lead', '2026-06-05T00:00:00.000Z'],
      ['branch_manager', '2026-06-05T04:00:00.000Z'],
      ['head_office_service_centre', '2026-06-06T00:00:00.000Z'],
    ]);
  });

  it('excludes closed pauses from the running time', () => {
    // 24 h pause on day 1; due was extended to 6 June by the engine: 96 h of running time.
    const s = clockSchedule(
      state({
        dueAt: at('2026-06-06T00:00:00Z'),
        pauses: [
          {
            from: at('2026-06-01T12:00:00Z'),
            to: at('2026-06-02T12:00:00Z'),
            reason: 'waiting_for_customer',
          },
        ],
      }),
    );
    expect(s.warnings[0]?.at?.toISOString()).toBe('2026-06-05T00:00:00.000Z');
  });

  it('an open pause suspends everything from its start', () => {
    const s = clockSchedule(
      state({ pauses: [{ from: at('2026-06-03T00:00:00Z'), to: null, reason: 'external_appraisal' }] }),
    );
    expect(s.warnings[0]?.at).toBeNull();
    expect(s.breach.at).toBeNull();
    expect(s.escalations.every((e) => e.at === null)).toBe(true);
    const early = clockSchedule(
      state({ pauses: [{ from: at('2026-06-04T12:00:00Z'), to: null, reason: 'external_appraisal' }] }),
    );
    expect(early.warnings[0]?.at?.toISOString()).toBe('2026-06-04T00:00:00.000Z');
    expect(early.breach.at).toBeNull();
  });

  it('measures shares in business time when asked: a 4-business-hour clock warns after 3', () => {
    // Fri 24 Jul 2026 16:00 BST → due Mon 27 Jul 12:00 BST (1 h Friday + 3 h Monday).
    const s = clockSchedule(
      state({
        startedAt: at('2026-07-24T15:00:00Z'),
        dueAt: at('2026-07-27T11:00:00Z'),
        measure: 'business',
      }),
      UK_EW_2026_CALENDAR,
    );
    expect(s.warnings[0]?.at?.toISOString()).toBe('2026-07-27T10:00:00.000Z'); // Mon 11:00 BST
    const elapsed = clockSchedule(
      state({ startedAt: at('2026-07-24T15:00:00Z'), dueAt: at('2026-07-27T11:00:00Z') }),
    );
    expect(elapsed.warnings[0]?.at?.toISOString()).toBe('2026-07-26T18:00:00.000Z'); // 51 of 68 h: a Sunday
  });

  it('several warning shares, each with its own key', () => {
    const policy = ZEscalationPolicy.parse({ warningShares: [0.9, 0.5] });
    const s = clockSchedule(state({ policy }));
    expect(s.warnings.map((w) => w.key)).toEqual([
      'case-1:resolution#0:warning:50',
      'case-1:resolution#0:warning:90',
    ]);
  });
});

describe('dueNotifications', () => {
  it('returns what is due and not fired, in order, and nothing twice', () => {
    let s = state();
    expect(dueNotifications(s, at('2026-06-03T23:59:59Z'))).toEqual([]);
    const first = dueNotifications(s, at('2026-06-05T01:00:00Z'));
    expect(first.map((n) => n.kind)).toEqual(['warning', 'breach', 'escalation']);
    s = markFired(
      s,
      first.map((n) => n.key),
    );
    expect(dueNotifications(s, at('2026-06-05T01:00:00Z'))).toEqual([]);
    expect(nextNotificationAt(s, at('2026-06-05T01:00:00Z'))?.toISOString()).toBe('2026-06-05T04:00:00.000Z');
    const later = dueNotifications(s, at('2026-06-07T00:00:00Z'));
    expect(later.map((n) => n.recipients[0])).toEqual(['branch_manager', 'head_office_service_centre']);
    s = markFired(
      s,
      later.map((n) => n.key),
    );
    expect(nextNotificationAt(s, at('2026-06-07T00:00:00Z'))).toBeNull();
  });

  it('a clock met before its breach fires nothing more', () => {
    const s = state({ stoppedAt: at('2026-06-04T12:00:00Z') });
    expect(dueNotifications(s, at('2026-06-10T00:00:00Z')).map((n) => n.kind)).toEqual(['warning']);
  });

  it('a new generation re-arms with new keys', () => {
    const s = markFired(
      state(),
      dueNotifications(state(), at('2026-06-10T00:00:00Z')).map((n) => n.key),
    );
    expect(dueNotifications(s, at('2026-06-10T00:00:00Z'))).toEqual([]);
    expect(dueNotifications({ ...s, generation: 1 }, at('2026-06-10T00:00:00Z'))).toHaveLength(5);
  });

  it('property: any sequence of polls, with crashes, fires each due key exactly once', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 8 * 24 * 60 }), fc.boolean()), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.option(fc.integer({ min: 0, max: 8 * 24 * 60 }), { nil: undefined }),
        (polls, stopMin) => {
          const start = state().startedAt.getTime();
          const minute = (m: number) => new Date(start + m * 60_000);
          let persisted = state({ stoppedAt: stopMin === undefined ? null : minute(stopMin) });
          const fired: string[] = [];
          for (const [m, crash] of [...polls].sort((a, b) => a[0] - b[0])) {
            const due = dueNotifications(persisted, minute(m));
            // The server records the key in the same transaction as the outbox event: a crash
            // loses both, so the next poll (after restart) fires it again, once.
            if (crash) continue;
            fired.push(...due.map((n) => n.key));
            persisted = markFired(
              persisted,
              due.map((n) => n.key),
            );
          }
          // A final poll after the last restart catches up.
          const end = minute(Math.max(...polls.map(([m]) => m)));
          fired.push(...dueNotifications(persisted, end).map((n) => n.key));
          expect(new Set(fired).size).toBe(fired.length);
          const schedule = clockSchedule(persisted);
          const stop = persisted.stoppedAt?.getTime() ?? Number.POSITIVE_INFINITY;
          const expected = [...schedule.warnings, schedule.breach, ...schedule.escalations]
            .filter((n) => n.at !== null && n.at.getTime() <= end.getTime() && n.at.getTime() < stop)
            .map((n) => n.key);
          expect([...fired].sort()).toEqual([...expected].sort());
        },
      ),
    );
  });
});

describe('clock lifecycle', () => {
  it('start, pause, resume and stop a UK summary-resolution clock', () => {
    const definition = resolveClock('uk-fca-disp', 'summary_resolution');
    const startedAt = at('2026-12-23T10:00:00Z');
    let clock = startClock({ clockId: 'c1:summary', definition, startedAt, calendar: UK_EW_2026_CALENDAR });
    expect(clock.dueAt.toISOString()).toBe('2026-12-30T17:00:00.000Z');
    expect(clock.measure).toBe('elapsed');
    // Waiting for the customer all of Thu 24 Dec (pause from 23rd 15:00 to 29th 10:00): 24 Dec no longer
    // counts, so the 3rd business day becomes Thu 31 Dec.
    const pauses = [{ from: at('2026-12-23T15:00:00Z'), to: null, reason: 'waiting_for_customer' as const }];
    clock = refreshClock(clock, {
      definition,
      calendar: UK_EW_2026_CALENDAR,
      pauses,
      now: at('2026-12-24T12:00:00Z'),
    });
    expect(dueNotifications(clock, at('2027-01-10T00:00:00Z'))).toEqual([]); // suspended while paused
    const resumed = [
      {
        from: at('2026-12-23T15:00:00Z'),
        to: at('2026-12-29T10:00:00Z'),
        reason: 'waiting_for_customer' as const,
      },
    ];
    clock = refreshClock(clock, {
      definition,
      calendar: UK_EW_2026_CALENDAR,
      pauses: resumed,
      now: at('2026-12-29T10:00:00Z'),
    });
    expect(clock.dueAt.toISOString()).toBe('2026-12-31T17:00:00.000Z');
    // Running time 5 h + 55 h = 60 h; 75% = 45 h → Thu 31 Dec 02:00. Met at 12:00, before the breach.
    clock = stopClock(clock, at('2026-12-31T12:00:00Z'));
    expect(dueNotifications(clock, at('2027-01-10T00:00:00Z')).map((n) => n.kind)).toEqual(['warning']);
    expect(stopClock(clock, at('2027-01-01T00:00:00Z')).stoppedAt?.toISOString()).toBe(
      '2026-12-31T12:00:00.000Z',
    );
  });

  it('business-hour clocks measure warnings in working time', () => {
    const definition = ZClockDefinition.parse({
      name: 'ack',
      label: 'ack',
      mode: 'business_hours',
      amount: 4,
    });
    const clock = startClock({
      clockId: 'c1:ack',
      definition,
      startedAt: at('2026-07-24T15:00:00Z'),
      calendar: UK_EW_2026_CALENDAR,
    });
    expect(clock.measure).toBe('business');
    expect(clock.dueAt.toISOString()).toBe('2026-07-27T11:00:00.000Z');
    expect(clockSchedule(clock, UK_EW_2026_CALENDAR).warnings[0]?.at?.toISOString()).toBe(
      '2026-07-27T10:00:00.000Z',
    );
  });
});
