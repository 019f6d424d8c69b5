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
