import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  createTestEnv,
  engines,
  orgIdByCode,
  type Session,
  signInAs,
  type TestEnv,
} from './harness.ts';

// Issue #3: day KPIs from the server for any past business day, per branch, service and counter,
// with an hourly profile, a wait distribution, a CSV export and a trend over days.
describe.each(engines)('queue KPIs for past days on %s', (engine) => {
  let env: TestEnv;
  let branch: string;
  let teller: Session;
  let counterId: string;
  let firstDay: string;
  const base = () => `/api/v1/branches/${branch}`;
  const post = (url: string, payload: unknown = {}) => call(env, 'POST', url, { session: teller, payload });
  const get = async (url: string) => {
    teller = await signInAs(env, 'bj-cy.teller2'); // the clock jumps past the idle timeout
    return call(env, 'GET', url, { session: teller });
  };

  /** One served visit: waits `waitMin` minutes, served for `serviceMin` minutes. */
  const serve = async (serviceCode: string, waitMin: number, serviceMin: number) => {
    const issued = await call(env, 'POST', `${base()}/tickets`, { payload: { serviceCode } });
    const id = issued.json().ticket.id as string;
    env.clock.advance(waitMin * 60_000);
    teller = await signInAs(env, 'bj-cy.teller2'); // a long wait outlasts the session's idle timeout
    const called = (await post(`${base()}/counters/${counterId}/call-next`)).json().ticket;
    expect(called.id).toBe(id);
    await post(`${base()}/tickets/${id}/start`);
    env.clock.advance(serviceMin * 60_000);
    await post(`${base()}/tickets/${id}/finish`);
  };

  beforeAll(async () => {
    env = await createTestEnv(engine);
    branch = await orgIdByCode(env, 'BJ-CY');
    teller = await signInAs(env, 'bj-cy.teller2');
    const overview = (await call(env, 'GET', `${base()}/queue`, { session: teller })).json();
    counterId = overview.counters[0].id;
    firstDay = overview.businessDay;
    await post(`${base()}/counters/${counterId}/open`);
  });
  afterAll(() => env.close());

  it("keeps a day's figures after the day is over, with hours and a wait distribution", async () => {
    // 10:00 Beijing: three visits, waits 2, 12 and 40 minutes.
    await serve('cash', 2, 5); // called 10:02, ends 10:07
    await serve('cash', 12, 3); // arrives 10:07, called 10:19
    await serve('personal', 40, 10); // arrives 10:22, called 11:02
    env.clock.advance(24 * 3600_000); // next day
    const today = (await get(`${base()}/kpis`)).json();
    expect(today.businessDay > firstDay).toBe(true);
    expect(today.branch.arrivals).toBe(0);

    const res = await get(`${base()}/kpis?day=${firstDay}`);
    expect(res.statusCode, res.body).toBe(200);
    const k = res.json();
    expect(k).toMatchObject({ businessDay: firstDay, branchName: '北京朝阳支行' });
    expect(k.branch).toMatchObject({
      arrivals: 3,
      served: 3,
      meanWaitSeconds: 1080, // (2 + 12 + 40) / 3 min
      maxWaitSeconds: 2400,
      withinTargetPct: 66.7, // 2 and 12 min are within 15 min; 40 is not
      meanServiceSeconds: 360,
    });
    const personal = k.services.find((s: { code: string }) => s.code === 'personal');
    expect(personal).toMatchObject({ nameZh: '个人非现金业务', arrivals: 1, withinTargetPct: 0 });
    expect(k.counters[0]).toMatchObject({ number: 1, name: '1号窗口', served: 3 });
    // Hours of Beijing time: arrivals at 10:00, 10:07, 10:22; served at 10:07, 10:22, 11:12.
    expect(k.hours).toEqual([
      { hour: 10, arrivals: 3, served: 2, meanWaitSeconds: 420 },
      { hour: 11, arrivals: 0, served: 1, meanWaitSeconds: 2400 },
    ]);
    // Buckets < 5, < 10, < 15, < 20, < 30, < 45, ≥ 45 minutes.
    expect(k.waitBuckets).toEqual([1, 0, 1, 0, 0, 1, 0]);
  });

  it('exports a day as CSV and gives a trend over days; refuses days to come', async () => {
    const csv = await get(`${base()}/kpis.csv?day=${firstDay}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.headers['content-disposition']).toContain(`kpis-${firstDay}.csv`);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toMatch(/^business_day,level,key,name_zh,name_en,target_wait_seconds,arrivals,/);
    expect(lines[1]).toMatch(new RegExp(`^${firstDay},branch,[0-9a-f-]+,北京朝阳支行,,,3,0,3,`));
    expect(lines.some((l) => l.startsWith(`${firstDay},service,cash,现金业务,Cash,900,2,`))).toBe(true);
    expect(lines.filter((l) => l.includes(',counter,'))).toHaveLength(5);

    const next = new Date(Date.parse(firstDay) + 86_400_000).toISOString().slice(0, 10);
    const trend = await get(`${base()}/kpis/trend?from=${firstDay}&to=${next}`);
    expect(trend.statusCode, trend.body).toBe(200);
    expect(
      trend.json().days.map((d: { businessDay: string; arrivals: number }) => [d.businessDay, d.arrivals]),
    ).toEqual([
      [firstDay, 3],
      [next, 0],
    ]);
    expect((await get(`${base()}/kpis/trend?from=${next}&to=${firstDay}`)).statusCode).toBe(400);
    expect((await get(`${base()}/kpis/trend?from=2026-01-01&to=2026-12-31`)).statusCode).toBe(400);
    expect((await get(`${base()}/kpis?day=2099-01-01`)).statusCode).toBe(400);
    const other = await signInAs(env, 'sh-pd.manager');
    for (const url of [`${base()}/kpis.csv`, `${base()}/kpis/trend?from=${firstDay}&to=${next}`]) {
      expect((await call(env, 'GET', url, { session: other })).statusCode, url).toBe(404);
    }
  });
});
