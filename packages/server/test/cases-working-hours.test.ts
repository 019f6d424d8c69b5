import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, outboxEvents } from '../src/db/schema.ts';
import {
  call,
  createTestEnv,
  engines,
  orgIdByCode,
  type Session,
  signInAs,
  type TestEnv,
} from './harness.ts';

type Interval = { start: string; end: string };
type Week = Record<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun', Interval[]>;
interface CalendarView {
  version: number;
  own: boolean;
  effective: {
    ref: string;
    source: string;
    calendar: { id: string; weeklyHours: Week } & Record<string, unknown>;
  };
  history: { version: number; changes: { weeklyHoursChanged?: boolean } }[];
}
interface ChangeResult {
  applied: boolean;
  diff: { weeklyHoursChanged: boolean; changedDays: number };
  view: CalendarView;
}
interface Preview {
  calendar: { ref: string };
  clocks: { role: string; due: string }[];
}

// Friday 27 November 2026, 14:00 in Shanghai.
const FRIDAY_2PM = new Date('2026-11-27T06:00:00Z');

describe.each(engines)('working hours of a unit calendar on %s', (engine) => {
  let env: TestEnv;
  let unit: string;
  let manager: Session;

  beforeAll(async () => {
    env = await createTestEnv(engine);
    env.clock.set(FRIDAY_2PM);
    unit = await orgIdByCode(env, 'SH-XH');
    manager = await signInAs(env, 'sh-xh.manager');
  });
  afterAll(() => env.close());

  const view = async () => {
    const res = await call(env, 'GET', `/api/v1/sla/calendars/units/${unit}`, { session: manager });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as CalendarView;
  };
  const ackDue = async () => {
    const res = await call(env, 'GET', `/api/v1/sla/config/units/${unit}/preview?caseType=complaint`, {
      session: manager,
    });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as Preview).clocks.find((c) => c.role === 'acknowledgement')?.due;
  };
  const setHours = async (weeklyHours: Week, expectedVersion: number, dryRun = false) => {
    const { id: _id, ...calendar } = (await view()).effective.calendar;
    return call(env, 'PUT', `/api/v1/sla/calendars/units/${unit}${dryRun ? '?dryRun=true' : ''}`, {
      session: manager,
      payload: {
        expectedVersion,
        change: { action: 'set', calendar: { ...calendar, weeklyHours } },
        note: '周五提前闭门',
      },
    });
  };

  it('closing an hour earlier on Fridays is a new version, audited, and moves a business-hours due time', async () => {
    const before = await view();
    expect(before.effective.source).toBe('built_in');
    expect(before.effective.calendar.weeklyHours.fri).toEqual([{ start: '09:00', end: '17:00' }]);
    // 4 business hours from Friday 14:00: 3 on Friday, 1 on Monday → Monday 10:00.
    expect(await ackDue()).toBe('2026-11-30T02:00:00.000Z');
    const earlier: Week = {
      ...before.effective.calendar.weeklyHours,
      fri: [{ start: '09:00', end: '16:00' }],
    };

    const dry = await setHours(earlier, 0, true);
    expect(dry.statusCode, dry.body).toBe(200);
    expect((dry.json() as ChangeResult).applied).toBe(false);
    expect((dry.json() as ChangeResult).diff).toMatchObject({ weeklyHoursChanged: true, changedDays: 0 });
    expect(await ackDue()).toBe('2026-11-30T02:00:00.000Z');

    const saved = await setHours(earlier, 0);
    expect(saved.statusCode, saved.body).toBe(200);
    const result = saved.json() as ChangeResult;
    expect(result.view).toMatchObject({ version: 1, own: true, effective: { ref: `unit:${unit}@1` } });
    expect(result.view.effective.calendar.weeklyHours.fri).toEqual([{ start: '09:00', end: '16:00' }]);
    expect(result.view.history[0]?.changes.weeklyHoursChanged).toBe(true);
    // 2 business hours on Friday, 2 on Monday → Monday 11:00.
    expect(await ackDue()).toBe('2026-11-30T03:00:00.000Z');

    const [audit] = await env.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'case.calendar_changed'), eq(auditLog.orgUnitId, unit)));
    expect(audit?.details).toMatchObject({ version: 1, weeklyHoursChanged: true, note: '周五提前闭门' });
    const events = await env.database.db
      .select()
      .from(outboxEvents)
      .where(and(eq(outboxEvents.type, 'case.calendar_changed'), eq(outboxEvents.aggregateId, unit)));
    expect(events).toHaveLength(1);
  });

  it('refuses hours off the quarter hour, closing before opening and overlaps; nothing is stored', async () => {
    const week = (await view()).effective.calendar.weeklyHours;
    const offGrid = await setHours({ ...week, fri: [{ start: '09:10', end: '16:00' }] }, 1);
    expect(offGrid.statusCode, offGrid.body).toBe(400);
    expect(offGrid.json().issues).toEqual([
      expect.objectContaining({ path: 'calendar.weeklyHours.fri.0.start', rule: 'hours_step' }),
    ]);
    const backwards = await setHours({ ...week, fri: [{ start: '16:00', end: '09:00' }] }, 1);
    expect(backwards.statusCode, backwards.body).toBe(400);
    expect(backwards.json().code).toBe('validation_failed');
    const overlap = await setHours(
      {
        ...week,
        sat: [
          { start: '09:00', end: '12:00' },
          { start: '11:00', end: '15:00' },
        ],
      },
      1,
    );
    expect(overlap.statusCode, overlap.body).toBe(400);
    const after = await view();
    expect(after.version).toBe(1);
    expect(after.effective.calendar.weeklyHours.fri).toEqual([{ start: '09:00', end: '16:00' }]);
    // Saturday branch hours on the grid are fine, and a version of their own.
    const saturday = await setHours({ ...week, sat: [{ start: '09:30', end: '15:45' }] }, 1);
    expect(saturday.statusCode, saturday.body).toBe(200);
    expect((saturday.json() as ChangeResult).view.version).toBe(2);
  });
});

type MakeUpDay = { date: string; name: string; hours?: Interval[] };

describe.each(engines)('working hours of a make-up working day (调休) on %s', (engine) => {
  let env: TestEnv;
  let unit: string;
  let manager: Session;

  beforeAll(async () => {
    env = await createTestEnv(engine);
    env.clock.set(FRIDAY_2PM);
    unit = await orgIdByCode(env, 'SH-PD');
    manager = await signInAs(env, 'sh-pd.manager');
  });
  afterAll(() => env.close());

  const view = async () =>
    (
      await call(env, 'GET', `/api/v1/sla/calendars/units/${unit}`, { session: manager })
    ).json() as CalendarView;
  const ackDue = async () =>
    (
      (
        await call(env, 'GET', `/api/v1/sla/config/units/${unit}/preview?caseType=complaint`, {
          session: manager,
        })
      ).json() as Preview
    ).clocks.find((c) => c.role === 'acknowledgement')?.due;
  /** Saturday 28 November as a make-up working day, with these own hours (none: the default). */
  const setSaturday = async (hours: Interval[] | undefined, expectedVersion: number) => {
    const { id: _id, ...calendar } = (await view()).effective.calendar;
    const others = (calendar.makeUpDays as MakeUpDay[]).filter((m) => m.date !== '2026-11-28');
    const saturday: MakeUpDay = { date: '2026-11-28', name: '调休上班', ...(hours ? { hours } : {}) };
    return call(env, 'PUT', `/api/v1/sla/calendars/units/${unit}`, {
      session: manager,
      payload: {
        expectedVersion,
        change: { action: 'set', calendar: { ...calendar, makeUpDays: [...others, saturday] } },
        note: '11-28 调休',
      },
    });
  };

  it('a make-up day works its own hours: validated, a new version, audited, and the due time follows', async () => {
    // 4 business hours from Friday 14:00: 3 on Friday, 1 on Monday → Monday 10:00.
    expect(await ackDue()).toBe('2026-11-30T02:00:00.000Z');

    const afternoon = await setSaturday([{ start: '13:00', end: '15:00' }], 0);
    expect(afternoon.statusCode, afternoon.body).toBe(200);
    // 3 on Friday, 1 on Saturday afternoon → Saturday 14:00.
    expect(await ackDue()).toBe('2026-11-28T06:00:00.000Z');

    // Off the quarter hour, or closing before opening: refused with the day named, nothing stored.
    const offGrid = await setSaturday([{ start: '10:05', end: '11:00' }], 1);
    expect(offGrid.statusCode, offGrid.body).toBe(400);
    expect(offGrid.json().issues).toEqual([
      expect.objectContaining({
        path: 'calendar.makeUpDays.2026-11-28.0.start',
        rule: 'hours_step',
        params: expect.objectContaining({ date: '2026-11-28' }),
      }),
    ]);
    expect((await setSaturday([{ start: '11:00', end: '10:00' }], 1)).statusCode).toBe(400);
    expect((await view()).version).toBe(1);

    // Only the hours change: a changed day of its own in the history and the audit log.
    const morning = await setSaturday([{ start: '10:00', end: '11:00' }], 1);
    expect(morning.statusCode, morning.body).toBe(200);
    const result = morning.json() as ChangeResult & {
      diff: { makeUpHoursChanged: { date: string; from: Interval[] | null; to: Interval[] | null }[] };
    };
    expect(result.diff.makeUpHoursChanged).toEqual([
      {
        date: '2026-11-28',
        name: '调休上班',
        from: [{ start: '13:00', end: '15:00' }],
        to: [{ start: '10:00', end: '11:00' }],
      },
    ]);
    expect(result.diff.changedDays).toBe(1);
    // 3 on Friday, 1 on Saturday 10:00–11:00 → Saturday 11:00.
    expect(await ackDue()).toBe('2026-11-28T03:00:00.000Z');
    const audits = await env.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'case.calendar_changed'), eq(auditLog.orgUnitId, unit)));
    expect(audits.map((a) => a.details)).toEqual([
      expect.objectContaining({ version: 1, makeUpAdded: ['2026-11-28'], makeUpHoursChanged: [] }),
      expect.objectContaining({ version: 2, changedDays: 1, makeUpHoursChanged: ['2026-11-28'] }),
    ]);

    // Back to the calendar's make-up hours (the first worked weekday's, 09:00–17:00) → Saturday 10:00.
    expect((await setSaturday(undefined, 2)).statusCode).toBe(200);
    expect(await ackDue()).toBe('2026-11-28T02:00:00.000Z');
  });
});
