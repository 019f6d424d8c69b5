import { readFileSync } from 'node:fs';
import {
  forecastArrivals,
  normaliseVisitLog,
  recommendStaffing,
  type TStaffingPlanResponse,
} from '@serviceloop/domain';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  createTestEnv,
  engines,
  orgIdByCode,
  SAMPLE_CSV,
  type Session,
  signInAs,
  type TestEnv,
} from './harness.ts';

const csv = readFileSync(SAMPLE_CSV, 'utf8');

/** Mondays in the file, counted by hand: arrivals and distinct dates. */
function mondaysInFile(): { arrivals: number; dates: number } {
  const lines = csv.trim().split('\n').slice(1);
  const dates = new Set<string>();
  let arrivals = 0;
  for (const line of lines) {
    const arrived = line.split(',')[4] as string;
    if (new Date(`${arrived}Z`).getUTCDay() !== 1) continue;
    arrivals++;
    dates.add(arrived.slice(0, 10));
  }
  return { arrivals, dates: dates.size };
}

describe.each(engines)('staffing plan from a branch’s history on %s', (engine) => {
  let env: TestEnv;
  let branch: string;
  let manager: Session;
  const url = (query = '') => `/api/v1/branches/${branch}/staffing-plan${query}`;
  const plan = async (query: string, session = manager) => {
    const res = await call(env, 'GET', url(query), { session });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as TStaffingPlanResponse;
  };

  beforeAll(async () => {
    env = await createTestEnv(engine);
    branch = await orgIdByCode(env, 'BJ-CY');
    manager = await signInAs(env, 'bj-cy.manager');
  });
  afterAll(() => env.close());

  it('without history there is nothing to staff', async () => {
    const empty = await plan('?weekday=1');
    expect(empty.history.visits).toBe(0);
    expect(empty.intervals).toEqual([]);
    expect(empty.peakCounters).toBe(0);
  });

  it('forecasts the imported sample per weekday and interval and meets every standard', async () => {
    const start = await call(env, 'POST', `/api/v1/branches/${branch}/visit-imports?dryRun=false`, {
      session: manager,
      payload: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(start.statusCode, start.body).toBe(202);
    let job: { status: string; accepted: number } = { status: 'running', accepted: 0 };
    for (let i = 0; i < 1200 && job.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = (
        await call(env, 'GET', `/api/v1/branches/${branch}/visit-imports/${start.json().id}`, {
          session: manager,
        })
      ).json();
    }
    expect(job).toMatchObject({ status: 'imported', accepted: 13_018 });

    const monday = await plan('?weekday=1&target=80');
    const byHand = mondaysInFile();
    expect(monday.weekday).toBe(1);
    expect(monday.history).toMatchObject({ visits: 13_018, from: '2010-08-01', to: '2010-08-10' });
    expect(monday.history.datesPerWeekday).toEqual([2, 2, 2, 1, 1, 1, 1]);
    const forecastTotal = monday.intervals.reduce((s, i) => s + i.arrivals, 0);
    // Every arrival but one stray visit at 06:30 (half a visit a Monday: not worth a counter).
    expect(forecastTotal).toBeCloseTo(byHand.arrivals / byHand.dates - 0.5, 0);
    expect(monday.intervals[0]?.slot).toBe('07:00');
    expect(monday.intervals.at(-1)?.slot).toBe('23:30');
    // The sample's services are not in the branch catalogue: 10 min each; VIP = priority 2.
    expect(monday.standards.map((s) => s.name)).toEqual([
      'IN: 80% ≤ 10 min',
      'NE: 80% ≤ 10 min',
      'NW: 80% ≤ 10 min',
      'PE: 80% ≤ 10 min',
      'PS: 80% ≤ 10 min',
      'TT: 80% ≤ 10 min',
      'VIP: 80% ≤ 5 min',
    ]);
    expect(monday.standards.at(-1)).toMatchObject({ minPriority: 2, targetSeconds: 300, service: null });
    for (const i of monday.intervals) {
      for (const a of i.achieved) expect(a.level, `${i.slot} ${a.standard}`).toBeGreaterThanOrEqual(0.8);
      expect(i.skillMix.reduce((s, m) => s + m.counters, 0)).toBe(i.counters);
    }
    const ten = monday.intervals.find((i) => i.slot === '10:00');
    expect(ten?.counters).toBeGreaterThanOrEqual(8);
    expect(ten?.skillMix[0]?.service).toBe('PS');
    expect(monday.peakCounters).toBe(Math.max(...monday.intervals.map((i) => i.counters)));
    expect(monday.services.find((s) => s.code === 'PS')?.meanServiceSeconds).toBeGreaterThan(150);
    // Branch catalogue services without history on Mondays are listed with no arrivals.
    expect(monday.services.find((s) => s.code === 'cash')).toMatchObject({
      arrivals: 0,
      targetWaitSeconds: 900,
    });

    // The same plan as the domain computes straight from the file: the server read every visit.
    const visits = normaliseVisitLog(parse(csv, { columns: true, skip_empty_lines: true })).visits;
    const direct = recommendStaffing({
      forecast: forecastArrivals(visits, { intervalMinutes: 30 }),
      weekday: 1,
      strayShare: 0.05,
      standards: monday.standards.map((s) => ({
        name: s.name,
        minPriority: s.minPriority ?? Number.NEGATIVE_INFINITY,
        targetSeconds: s.targetSeconds,
        level: s.level,
        ...(s.service ? { service: s.service } : {}),
      })),
    });
    expect(monday.intervals.map((i) => [i.slot, i.counters])).toEqual(
      direct.intervals.map((i) => [i.slot, i.counters]),
    );

    // A higher target never needs fewer counters; a coarser interval still covers the day.
    const strict = await plan('?weekday=1&target=95');
    expect(strict.counterHours).toBeGreaterThan(monday.counterHours);
    for (const [k, i] of strict.intervals.entries()) {
      expect(i.counters).toBeGreaterThanOrEqual(monday.intervals[k]?.counters ?? 0);
    }
    const hourly = await plan('?weekday=1&interval=60');
    expect(hourly.intervals.length).toBeLessThan(monday.intervals.length);
    expect(hourly.intervals.reduce((s, i) => s + i.arrivals, 0)).toBeCloseTo(forecastTotal, 0);
  }, 240_000);

  it('learns from the branch’s own tickets too, and plans today’s weekday by default', async () => {
    const teller = await signInAs(env, 'bj-cy.teller1');
    const queue = (await call(env, 'GET', `/api/v1/branches/${branch}/queue`, { session: teller })).json();
    const counter = queue.counters[0].id as string;
    const post = (path: string, payload: unknown = {}) =>
      call(env, 'POST', `/api/v1/branches/${branch}${path}`, { session: teller, payload });
    await post(`/counters/${counter}/open`);
    await call(env, 'POST', `/api/v1/branches/${branch}/tickets`, { payload: { serviceCode: 'cash' } });
    env.clock.advance(60_000);
    const t = (await post(`/counters/${counter}/call-next`)).json().ticket;
    await post(`/tickets/${t.id}/start`);
    env.clock.advance(120_000);
    expect((await post(`/tickets/${t.id}/finish`, { outcome: 'completed' })).statusCode).toBe(200);

    const today = await plan(''); // the test clock is a Monday in Beijing
    expect(today.weekday).toBe(1);
    expect(today.history.visits).toBe(13_019);
    expect(today.history.datesPerWeekday[1]).toBe(3);
    expect(today.services.find((s) => s.code === 'cash')?.arrivals).toBeCloseTo(1 / 3, 1);
    expect(today.standards.find((s) => s.service === 'cash')?.targetSeconds).toBe(900);
  });

  it('is read with queue.read only, within the caller’s branch, and refuses bad queries', async () => {
    const teller = await signInAs(env, 'bj-cy.teller1');
    expect((await call(env, 'GET', url('?weekday=2'), { session: teller })).statusCode).toBe(200);
    const other = await signInAs(env, 'bj-hd.manager');
    expect((await call(env, 'GET', url('?weekday=2'), { session: other })).statusCode).toBe(404);
    expect((await call(env, 'GET', url('?weekday=2'))).statusCode).toBe(401);
    for (const q of ['?weekday=7', '?target=40', '?target=100', '?interval=20', '?weekday=mon', '?foo=1']) {
      const res = await call(env, 'GET', url(q), { session: manager });
      expect(res.statusCode, q).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
  });
});
