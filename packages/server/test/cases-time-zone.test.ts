import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSlaTick } from '../src/cases/worker.ts';
import { call, createTestEnv, engines, orgIdByCode, sessionCache, type TestEnv } from './harness.ts';

// Monday 23 November 2026, 17:30 in London = Tuesday 24 November, 01:30 in Beijing: one instant,
// two local dates.
const RECEIVED = new Date('2026-11-23T17:30:00Z');

interface Detail {
  case: { id: string; number: string };
  orgUnitTimeZone: string;
  clocks: { warnAt: string | null }[];
}

function complaint(orgUnitId: string, subject: string) {
  return {
    type: 'complaint',
    orgUnitId,
    channel: 'counter',
    customer: { kind: 'walk_in', name: '李四', phone: '13800000001' },
    subject,
    content: '客户反映转账到账延迟',
    complaint: {
      business: '转账汇款',
      claims: { compensation: null, remedies: [], nonProperty: ['apology'] },
      severity: 'medium',
      serviceLevel: 'unrated',
      classification: {
        channel: 'branch_counter',
        businessType: 'debit_card',
        cause: 'service_attitude_quality',
      },
    },
  };
}

describe.each(engines)('a case is read in its own unit’s time zone on %s', (engine) => {
  let env: TestEnv;
  let bjcy: string;
  let bjhd: string;
  let shanghaiCase: Detail;
  let londonCase: Detail;
  const as = sessionCache(() => env);

  beforeAll(async () => {
    env = await createTestEnv(engine);
    env.clock.set(RECEIVED);
    bjcy = await orgIdByCode(env, 'BJ-CY');
    bjhd = await orgIdByCode(env, 'BJ-HD');
    // A branch abroad: BJ-HD moves to London; BJ-CY stays in Beijing.
    const moved = await call(env, 'PATCH', `/api/v1/org-units/${bjhd}`, {
      session: await as('admin'),
      payload: { timeZone: 'Europe/London' },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const create = async (username: string, unit: string, subject: string) => {
      const res = await call(env, 'POST', '/api/v1/cases', {
        session: await as(username),
        payload: complaint(unit, subject),
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as Detail;
    };
    shanghaiCase = await create('bj-cy.teller1', bjcy, '朝阳 转账延迟');
    londonCase = await create('bj-hd.teller1', bjhd, '海淀 转账延迟');
  });
  afterAll(() => env.close());

  it('the detail, the list and the supervisor’s alerts carry the owning unit’s zone', async () => {
    expect(shanghaiCase.orgUnitTimeZone).toBe('Asia/Shanghai');
    expect(londonCase.orgUnitTimeZone).toBe('Europe/London');
    const handler = await as('hq.service');
    const detail = await call(env, 'GET', `/api/v1/cases/${londonCase.case.id}`, { session: handler });
    expect((detail.json() as Detail).orgUnitTimeZone).toBe('Europe/London');
    const list = await call(env, 'GET', '/api/v1/cases', { session: handler });
    const zones = Object.fromEntries(
      (list.json() as { items: { number: string; orgUnitTimeZone: string }[] }).items.map((c) => [
        c.number,
        c.orgUnitTimeZone,
      ]),
    );
    expect(zones[shanghaiCase.case.number]).toBe('Asia/Shanghai');
    expect(zones[londonCase.case.number]).toBe('Europe/London');

    const warnAt = londonCase.clocks.map((c) => c.warnAt).find((w) => w !== null);
    if (!warnAt) throw new Error('the London case has no warning time');
    env.clock.set(new Date(new Date(warnAt).getTime() + 60_000));
    as.clear();
    await runSlaTick(env.app.ctx);
    const alerts = await call(env, 'GET', `/api/v1/cases/alerts?orgUnitId=${bjhd}`, {
      session: await as('hq.director'),
    });
    expect(alerts.statusCode, alerts.body).toBe(200);
    const rows = alerts.json() as { caseNumber: string; orgUnitTimeZone: string }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((a) => a.orgUnitTimeZone))).toEqual(new Set(['Europe/London']));
  });

  it('report dates are each branch’s local dates, whatever zone the caller is in', async () => {
    const director = await as('hq.director');
    const total = async (query: string) => {
      const res = await call(env, 'GET', `/api/v1/cases/reports/summary?${query}`, { session: director });
      expect(res.statusCode, res.body).toBe(200);
      const r = res.json() as { total: number; byBranch: { key: string }[] };
      return { total: r.total, branches: r.byBranch.map((b) => b.key) };
    };
    // The same instant is the 23rd in London and the 24th in Beijing.
    expect(await total('fromDate=2026-11-23&toDate=2026-11-23')).toEqual({ total: 1, branches: ['BJ-HD'] });
    expect(await total('fromDate=2026-11-24&toDate=2026-11-24')).toEqual({ total: 1, branches: ['BJ-CY'] });
    expect(await total('fromDate=2026-11-23')).toEqual({ total: 2, branches: ['BJ-CY', 'BJ-HD'] });
    expect((await total('toDate=2026-11-22')).total).toBe(0);
    const csv = await call(
      env,
      'GET',
      '/api/v1/cases/reports/export.csv?fromDate=2026-11-24&toDate=2026-11-24',
      {
        session: director,
      },
    );
    expect(csv.body).toContain(shanghaiCase.case.number);
    expect(csv.body).not.toContain(londonCase.case.number);
    const bad = await call(env, 'GET', '/api/v1/cases/reports/summary?fromDate=2026-11-31', {
      session: director,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues[0].path).toContain('fromDate');
  });

  it('the workbench export writes each case in its own branch’s wall clock', async () => {
    const res = await call(env, 'GET', '/api/v1/cases/export.xlsx?locale=en', {
      session: await as('hq.service'),
    });
    expect(res.statusCode, res.body).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0] as ExcelJS.Worksheet;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const received = (number: string) => {
      for (let i = 2; i <= ws.rowCount; i++) {
        const row = ws.getRow(i);
        if (row.getCell(header.indexOf('Case number') + 1).value === number) {
          return (row.getCell(header.indexOf('Received') + 1).value as Date).toISOString();
        }
      }
      throw new Error(`${number} is not in the export`);
    };
    // Wall-clock cells (no zone in Excel): 01:30 on the 24th in Beijing, 17:30 on the 23rd in London.
    expect(received(shanghaiCase.case.number)).toBe('2026-11-24T01:30:00.000Z');
    expect(received(londonCase.case.number)).toBe('2026-11-23T17:30:00.000Z');
  });
});
