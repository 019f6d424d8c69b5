import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UK_EW_2026_CALENDAR } from './calendar-data.ts';
import {
  clockSchedule,
  DEFAULT_ESCALATION_POLICY,
  dueNotifications,
  markFired,
  nextNotificationAt,
  type TClockState,
  ZEscalationPolicy,
} from './escalation.ts';

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

  it('property: any sequence of polls (with restarts) fires each due key exactly once', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 8 * 24 * 60 }), { minLength: 1, maxLength: 30 }),
        fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
        (pollMinutes, crashes) => {
          const polls = [...pollMinutes].sort((a, b) => a - b);
          let persisted = state();
          const firedLog: string[] = [];
          polls.forEach((m, i) => {
            const now = new Date(persisted.startedAt.getTime() + m * 60_000);
            const due = dueNotifications(persisted, now);
            // A crash after firing but before persisting would refire: the server avoids it by
            // recording the key in the same transaction as the outbox event, modelled here as
            // either both happening or neither.
            if (crashes[i]) return;
            firedLog.push(...due.map((n) => n.key));
            persisted = markFired(
              persisted,
              due.map((n) => n.key),
            );
          });
          expect(new Set(firedLog).size).toBe(firedLog.length);
          const last = polls[polls.length - 1] ?? 0;
          const end = new Date(persisted.startedAt.getTime() + last * 60_000);
          // Everything due by the last successful poll has fired, or is still due now.
          expect(dueNotifications(persisted, end).every((n) => !firedLog.includes(n.key))).toBe(true);
        },
      ),
    );
  });
});
