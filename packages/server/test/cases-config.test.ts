import { DEFAULT_CASE_CONFIG, type TCaseConfig } from '@serviceloop/domain';
import { and, eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCalendar } from '../src/cases/calendars.ts';
import { auditLog, outboxEvents } from '../src/db/schema.ts';
import { cases } from '../src/db/schema-cases.ts';
import { call, createTestEnv, engines, orgIdByCode, sessionCache, type TestEnv } from './harness.ts';

interface Detail {
  case: { id: string; compensations: { id: string; status: string }[] };
  clocks: { role: string; dueAt: string; state: string }[];
}
interface ConfigView {
  version: number;
  override: Record<string, unknown>;
  effective: TCaseConfig;
  sources: Record<string, { unit: { name: string } | null; version: number }>;
  lockedBy: Record<string, { name: string }>;
}
interface Preview {
  calendar: { ref: string };
  clocks: { role: string; due: string }[];
}
interface CalendarResult {
  applied: boolean;
  diff: {
    holidaysAdded: { date: string }[];
    makeUpAdded: { date: string }[];
    holidaysRemoved: { date: string }[];
    changedDays: number;
    timeZone: { from: string; to: string } | null;
  };
  warnings: string[];
  view: { version: number; own: boolean; effective: { ref: string; source: string } };
}

// Monday 23 November 2026, 10:00 in Beijing (the harness's start).
const ACK_4H = '2026-11-23T06:00:00.000Z';
const ACK_2H = '2026-11-23T04:00:00.000Z';
const DECISION_15D = '2026-12-08T16:00:00.000Z'; // 24:00 on Tue 8 Dec, Beijing
const DECISION_10D = '2026-12-03T16:00:00.000Z';
const FIRST_RESPONSE = '2026-11-24T09:00:00.000Z'; // close of business on Tue 24 Nov

function complaint(orgUnitId: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'complaint',
    orgUnitId,
    channel: 'counter',
    customer: { kind: 'walk_in', name: '配置测试', phone: '13800000000' },
    subject: '配置测试',
    content: '用于检验配置版本的投诉',
    complaint: {
      business: '借记卡',
      claims: { compensation: null, remedies: [], nonProperty: [] },
      severity: 'medium',
      serviceLevel: 'unrated',
      classification: {
        channel: 'branch_counter',
        businessType: 'debit_card',
        cause: 'other',
        otherText: '测试',
      },
    },
    ...extra,
  };
}

const ics = (...events: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...events, 'END:VCALENDAR'].join('\r\n');
const allDay = (uid: string, date: string, summary: string) =>
  [
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20261101T000000Z',
    `DTSTART;VALUE=DATE:${date}`,
    `SUMMARY:${summary}`,
    'END:VEVENT',
  ].join('\r\n');

describe.each(engines)('stored case configuration on %s', (engine) => {
  let env: TestEnv;
  let hq: string;
  let north: string;
  let bjcy: string;
  let bjhd: string;
  const as = sessionCache(() => env);
  const get = async <T>(username: string, url: string) => {
    const res = await call(env, 'GET', url, { session: await as(username) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as T;
  };
  const create = async (username: string, payload: Record<string, unknown>) => {
    const res = await call(env, 'POST', '/api/v1/cases', { session: await as(username), payload });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Detail;
  };
  const due = (d: { clocks: { role: string; dueAt: string }[] }, role: string) =>
    d.clocks.find((c) => c.role === role)?.dueAt;
  const previewDue = (p: Preview, role: string) => p.clocks.find((c) => c.role === role)?.due;
  const saveConfig = (username: string, unit: string, body: Record<string, unknown>, dryRun = false) =>
    as(username).then((session) =>
      call(env, 'PUT', `/api/v1/sla/config/units/${unit}${dryRun ? '?dryRun=true' : ''}`, {
        session,
        payload: body,
      }),
    );

  /** The default policy with the complaint rule's acknowledgement and approval clocks shortened. */
  function fasterPolicy(): TCaseConfig['policy'] {
    return {
      ...DEFAULT_CASE_CONFIG.policy,
      rules: DEFAULT_CASE_CONFIG.policy.rules.map((r) =>
        r.id === 'complaint'
          ? {
              ...r,
              clocks: {
                ...r.clocks,
                acknowledgement: {
                  name: 'acknowledgement',
                  label: 'Acknowledge within 2 business hours',
                  mode: 'business_hours',
                  amount: 2,
                },
                approval: {
                  name: 'approval',
                  label: 'Approval within 1 business hour',
                  mode: 'business_hours',
                  amount: 1,
                },
              },
            }
          : r,
      ),
    } as TCaseConfig['policy'];
  }
  const presetsWithDecision = (days: number) =>
    DEFAULT_CASE_CONFIG.presets.map((p) =>
      p.name === 'cn-nfra-2020'
        ? { ...p, clocks: p.clocks.map((c) => (c.name === 'decision' ? { ...c, amount: days } : c)) }
        : p,
    );

  beforeAll(async () => {
    env = await createTestEnv(engine);
    hq = await orgIdByCode(env, 'HQ');
    north = await orgIdByCode(env, 'NORTH');
    bjcy = await orgIdByCode(env, 'BJ-CY');
    bjhd = await orgIdByCode(env, 'BJ-HD');
  });
  afterAll(() => env.close());

  it('head office starts from the code defaults (version 0), with a level above ¥10,000', async () => {
    const view = await get<ConfigView>('admin', `/api/v1/sla/config/units/${hq}`);
    expect(view.version).toBe(0);
    expect(view.sources.policy).toEqual({ unit: null, version: 0 });
    expect(view.effective.authority.tiers).toContainEqual({
      role: 'branch_manager',
      level: 'region',
      limitMinor: 5_000_000,
    });
  });

  it('a policy change reaches new cases, never an open one (its later clocks keep the old policy too)', async () => {
    const open = await create('bj-cy.teller1', complaint(bjcy));
    expect(due(open, 'acknowledgement')).toBe(ACK_4H);

    const saved = await saveConfig('admin', hq, {
      expectedVersion: 0,
      override: { policy: fasterPolicy() },
      note: '投诉受理提速',
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((saved.json() as ConfigView).version).toBe(1);

    const fresh = await create('bj-cy.teller1', complaint(bjcy));
    expect(due(fresh, 'acknowledgement')).toBe(ACK_2H);
    const reread = await get<Detail>('admin', `/api/v1/cases/${open.case.id}`);
    expect(due(reread, 'acknowledgement')).toBe(ACK_4H);

    // A compensation above the teller's authority starts an approval clock: the open case's
    // comes from the policy it was opened under (1 business day), the new case's from the new one.
    const offer = {
      type: 'offer_compensation',
      amount: { amountMinor: 500_000, currency: 'CNY' },
      reason: '误导销售损失',
    };
    for (const id of [open.case.id, fresh.case.id]) {
      const res = await call(env, 'POST', `/api/v1/cases/${id}/actions`, {
        session: await as('bj-cy.teller1'),
        payload: offer,
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const a = await get<Detail>('admin', `/api/v1/cases/${open.case.id}`);
    const b = await get<Detail>('admin', `/api/v1/cases/${fresh.case.id}`);
    expect(due(a, 'approval')).toBe(FIRST_RESPONSE);
    expect(due(b, 'approval')).toBe('2026-11-23T03:00:00.000Z');

    const [rowA, rowB] = await Promise.all(
      [open.case.id, fresh.case.id].map((id) =>
        env.database.db.select({ s: cases.configSnapshotId }).from(cases).where(eq(cases.id, id)),
      ),
    );
    expect(rowA?.[0]?.s).toBeTruthy();
    expect(rowA?.[0]?.s).not.toBe(rowB?.[0]?.s);
  });

  it('a branch override wins over head office, for that branch only', async () => {
    const res = await saveConfig('bj-cy.manager', bjcy, {
      expectedVersion: 0,
      override: { presets: presetsWithDecision(10) },
    });
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json() as ConfigView;
    expect(view.sources.presets?.unit?.name).toBe('北京朝阳支行');
    expect(view.sources.policy?.unit?.name).toBe('总行');

    const here = await create('bj-cy.teller1', complaint(bjcy));
    const there = await create('bj-hd.teller1', complaint(bjhd));
    expect(due(here, 'resolution')).toBe(DECISION_10D);
    expect(due(there, 'resolution')).toBe(DECISION_15D);
    // Both follow head office's faster acknowledgement.
    expect(due(here, 'acknowledgement')).toBe(ACK_2H);
    expect(due(there, 'acknowledgement')).toBe(ACK_2H);
  });

  it('refuses what the domain forbids, with issues; a stale version is a conflict', async () => {
    const view = await get<ConfigView>('admin', `/api/v1/sla/config/units/${hq}`);
    const badChain = await saveConfig('admin', hq, {
      expectedVersion: view.version,
      override: {
        ...view.override,
        escalation: {
          steps: [
            { level: 'branch_manager', afterBreachMinutes: 0 },
            { level: 'team_lead', afterBreachMinutes: 60 },
          ],
        },
      },
    });
    expect(badChain.statusCode).toBe(400);
    expect(badChain.headers['content-type']).toMatch(/problem\+json/);
    expect(badChain.json().code).toBe('validation_failed');
    expect(badChain.json().issues.map((i: { path: string }) => i.path)).toContain(
      'override.escalation.steps.1.level',
    );

    const looser = await saveConfig('bj-cy.manager', bjcy, {
      expectedVersion: 1,
      override: { presets: presetsWithDecision(20) },
    });
    expect(looser.statusCode).toBe(400);
    expect(JSON.stringify(looser.json().issues)).toMatch(/only be stricter/);

    const raised = await saveConfig('bj-cy.manager', bjcy, {
      expectedVersion: 1,
      override: {
        presets: presetsWithDecision(10),
        authority: {
          currency: 'CNY',
          tiers: DEFAULT_CASE_CONFIG.authority.tiers.map((t) =>
            t.role === 'teller' ? { ...t, limitMinor: 40_000 } : t,
          ),
        },
      },
    });
    expect(raised.statusCode).toBe(400);
    expect(JSON.stringify(raised.json().issues)).toMatch(/allowed by the unit above/);

    // Head office cannot lock a section a branch overrides (the branch would silently change).
    const lock = await saveConfig('admin', hq, {
      expectedVersion: view.version,
      override: { ...view.override, locks: ['presets'] },
    });
    expect(lock.statusCode).toBe(400);
    expect(lock.json().issues[0].path).toMatch(/^below\.BJ-CY\./);

    const stale = await saveConfig('admin', hq, { expectedVersion: 0, override: view.override });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('conflict');

    // dryRun validates without saving.
    const dry = await saveConfig(
      'admin',
      hq,
      { expectedVersion: view.version, override: { locks: ['authority'] } },
      true,
    );
    expect(dry.statusCode, dry.body).toBe(200);
    expect((await get<ConfigView>('admin', `/api/v1/sla/config/units/${hq}`)).version).toBe(view.version);
  });

  it('a lock from head office stops a branch override; versions are kept and audited', async () => {
    const view = await get<ConfigView>('admin', `/api/v1/sla/config/units/${hq}`);
    const locked = await saveConfig('admin', hq, {
      expectedVersion: view.version,
      override: { ...view.override, locks: ['authority'] },
    });
    expect(locked.statusCode, locked.body).toBe(200);
    const branch = await get<ConfigView>('bj-cy.manager', `/api/v1/sla/config/units/${bjcy}`);
    expect(branch.lockedBy.authority?.name).toBe('总行');
    const refused = await saveConfig('bj-cy.manager', bjcy, {
      expectedVersion: branch.version,
      override: { ...branch.override, authority: DEFAULT_CASE_CONFIG.authority },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().issues.map((i: { path: string }) => i.path)).toContain('override.authority');

    // Back to inheriting is a new version, not a deletion.
    const back = await saveConfig('bj-cy.manager', bjcy, { expectedVersion: branch.version, override: {} });
    expect(back.statusCode, back.body).toBe(200);
    const versions = await get<{ version: number; sections: string[] }[]>(
      'bj-cy.manager',
      `/api/v1/sla/config/units/${bjcy}/versions`,
    );
    expect(versions.map((v) => [v.version, v.sections])).toEqual([
      [2, []],
      [1, ['presets']],
    ]);
    const audits = await env.database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'case.config_changed'), eq(auditLog.orgUnitId, bjcy)));
    expect(audits.length).toBe(2);
    const events = await env.database.db
      .select({ id: outboxEvents.id })
      .from(outboxEvents)
      .where(eq(outboxEvents.type, 'case.config_changed'));
    expect(events.length).toBe(4);
  });

  it('authority: a region manager approves ¥30,000 that a branch manager may not', async () => {
    const d = await create('bj-cy.teller1', complaint(bjcy));
    const offered = await call(env, 'POST', `/api/v1/cases/${d.case.id}/actions`, {
      session: await as('bj-cy.teller1'),
      payload: {
        type: 'offer_compensation',
        amount: { amountMinor: 3_000_000, currency: 'CNY' },
        reason: '资金损失',
      },
    });
    expect(offered.statusCode, offered.body).toBe(200);
    const comp = (offered.json() as Detail).case.compensations[0];
    expect(comp?.status).toBe('pending_approval');
    const url = `/api/v1/cases/${d.case.id}/compensations/${comp?.id}/approve`;
    const byBranch = await call(env, 'POST', url, { session: await as('bj-cy.manager'), payload: {} });
    expect(byBranch.statusCode).toBe(403);
    const byRegion = await call(env, 'POST', url, { session: await as('north.manager'), payload: {} });
    expect(byRegion.statusCode, byRegion.body).toBe(200);
    expect((byRegion.json() as Detail).case.compensations[0]?.status).toBe('approved');
  });

  it('another branch’s configuration is not found; a teller may not change any', async () => {
    expect(
      (await call(env, 'GET', `/api/v1/sla/config/units/${bjhd}`, { session: await as('bj-cy.manager') }))
        .statusCode,
    ).toBe(404);
    expect(
      (await call(env, 'GET', `/api/v1/sla/config/units/${north}`, { session: await as('bj-cy.manager') }))
        .statusCode,
    ).toBe(404);
    const teller = await saveConfig('bj-cy.teller1', bjcy, { expectedVersion: 2, override: {} });
    expect(teller.statusCode).toBe(403);
  });

  it('an .ics uploaded over HTTP moves a due date of that branch only, after a preview; open cases keep theirs', async () => {
    const before = await create('bj-cy.teller1', complaint(bjcy));
    const previewOf = (unit: string) =>
      get<Preview>('admin', `/api/v1/sla/config/units/${unit}/preview?caseType=complaint`);
    expect(previewDue(await previewOf(bjhd), 'first_response')).toBe(FIRST_RESPONSE);
    expect(previewDue(await previewOf(bjhd), 'resolution')).toBe(DECISION_15D);

    const text = ics(
      allDay('a', '20261124', '行庆日'),
      allDay('b', '20261208', '支行庆典'),
      allDay('c', '20261205', '补班'),
    );
    const session = await as('bj-cy.manager');
    const url = `/api/v1/sla/calendars/units/${bjcy}/import`;
    const dry = await call(env, 'POST', `${url}?dryRun=true`, {
      session,
      payload: { ics: text, fileName: 'bj-cy-2026.ics', expectedVersion: 0 },
    });
    expect(dry.statusCode, dry.body).toBe(200);
    const preview = dry.json() as CalendarResult;
    expect(preview.applied).toBe(false);
    expect(preview.diff.holidaysAdded.map((d) => d.date)).toEqual(['2026-11-24', '2026-12-08']);
    expect(preview.diff.makeUpAdded.map((d) => d.date)).toEqual(['2026-12-05']);
    expect(preview.view.effective.source).toBe('built_in');
    // Nothing changed yet.
    expect(previewDue(await previewOf(bjcy), 'first_response')).toBe(FIRST_RESPONSE);

    const applied = await call(env, 'POST', url, {
      session,
      payload: { ics: text, fileName: 'bj-cy-2026.ics', expectedVersion: 0, note: '支行庆典' },
    });
    expect(applied.statusCode, applied.body).toBe(200);
    const result = applied.json() as CalendarResult;
    expect(result.applied).toBe(true);
    expect(result.view).toMatchObject({
      version: 1,
      own: true,
      effective: { ref: `unit:${bjcy}@1`, source: 'own' },
    });

    // Tue 24 Nov is now a holiday at BJ-CY: the first response moves to Wed 25; 8 Dec rolls over to 9 Dec.
    const moved = await previewOf(bjcy);
    expect(moved.calendar.ref).toBe(`unit:${bjcy}@1`);
    expect(previewDue(moved, 'first_response')).toBe('2026-11-25T09:00:00.000Z');
    expect(previewDue(moved, 'resolution')).toBe('2026-12-09T16:00:00.000Z');
    expect(previewDue(await previewOf(bjhd), 'first_response')).toBe(FIRST_RESPONSE);

    const after = await create('bj-cy.teller1', complaint(bjcy));
    expect(due(after, 'first_response')).toBe('2026-11-25T09:00:00.000Z');
    const elsewhere = await create('bj-hd.teller1', complaint(bjhd));
    expect(due(elsewhere, 'first_response')).toBe(FIRST_RESPONSE);
    const kept = await get<Detail>('admin', `/api/v1/cases/${before.case.id}`);
    expect(due(kept, 'first_response')).toBe(FIRST_RESPONSE);

    // A department of the branch inherits the branch's calendar.
    const dept = await get<CalendarResult['view']>(
      'admin',
      `/api/v1/sla/calendars/units/${await orgIdByCode(env, 'BJ-CY-PB')}`,
    );
    expect(dept.effective).toMatchObject({ source: 'inherited', ref: `unit:${bjcy}@1` });

    const stale = await call(env, 'POST', url, { session, payload: { ics: text, expectedVersion: 0 } });
    expect(stale.statusCode).toBe(409);
  });

  it('a bad .ics is refused as problem+json with a code', async () => {
    const session = await as('bj-cy.manager');
    const url = `/api/v1/sla/calendars/units/${bjcy}/import?dryRun=true`;
    for (const text of ['BEGIN:VCALENDAR\r\nthis is not ical', ics(), 'PNG\u0000\u0001']) {
      const res = await call(env, 'POST', url, { session, payload: { ics: text, expectedVersion: 1 } });
      expect(res.statusCode, text).toBe(422);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json().code).toBe('import_rejected');
    }
  });

  it('no upload or override of any shape makes a 5xx (real unit, dry run)', async () => {
    const session = await as('bj-cy.manager');
    const vevent = fc
      .tuple(fc.integer({ min: 0, max: 400 }), fc.string({ maxLength: 20 }), fc.boolean())
      .map(([day, summary, ban]) => {
        const date = new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10).replaceAll('-', '');
        return [
          'BEGIN:VEVENT',
          `UID:${day}`,
          `DTSTART;VALUE=DATE:${date}`,
          `SUMMARY:${summary}${ban ? ' (班)' : ''}`,
          'END:VEVENT',
        ].join('\r\n');
      });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.array(vevent, { maxLength: 6 }).map((events) => ics(...events)),
        ),
        fc.constantFrom('merge', 'replace_years'),
        async (text, mode) => {
          const res = await call(env, 'POST', `/api/v1/sla/calendars/units/${bjcy}/import?dryRun=true`, {
            session,
            payload: { ics: text, mode, expectedVersion: 0 },
          });
          expect(res.statusCode, res.body).toBeLessThan(500);
        },
      ),
      { numRuns: 40 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom('policy', 'presets', 'escalation', 'authority', 'locks'),
          fc.jsonValue(),
        ),
        async (override) => {
          const res = await saveConfig('bj-cy.manager', bjcy, { expectedVersion: 0, override }, true);
          expect(res.statusCode, res.body).toBeLessThan(500);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a unit can copy a built-in calendar and go back to inheriting, each a version', async () => {
    const session = await as('admin');
    const url = `/api/v1/sla/calendars/units/${bjhd}`;
    const copy = await call(env, 'PUT', url, {
      session,
      payload: { expectedVersion: 0, change: { action: 'copy', from: 'uk-ew-2026' } },
    });
    expect(copy.statusCode, copy.body).toBe(200);
    expect((copy.json() as CalendarResult).diff.timeZone).toEqual({
      from: 'Asia/Shanghai',
      to: 'Europe/London',
    });
    const back = await call(env, 'PUT', url, {
      session,
      payload: { expectedVersion: 1, change: { action: 'inherit' } },
    });
    expect(back.statusCode, back.body).toBe(200);
    expect((back.json() as CalendarResult).view).toMatchObject({
      version: 2,
      own: false,
      effective: { source: 'built_in' },
    });
    const invalid = await call(env, 'PUT', url, {
      session,
      payload: {
        expectedVersion: 2,
        change: {
          action: 'set',
          calendar: {
            name: 'x',
            timeZone: 'Asia/Shanghai',
            weeklyHours: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
            holidays: [],
            makeUpDays: [],
          },
        },
      },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().code).toBe('validation_failed');
  });

  it('the calendar list gives a named calendar’s latest version (built-ins 0)', async () => {
    type Listed = { name: string; source: string; version: number; holidays: number };
    const list = () => get<Listed[]>('bj-cy.complaints', '/api/v1/sla/calendars');
    const file = (...days: string[]) => ics(...days.map((d) => allDay(`h-${d}`, d, '假日')));
    await importCalendar(env.app.ctx, {
      name: 'branch-2027',
      timeZone: 'Asia/Shanghai',
      ics: file('20270101'),
    });
    expect((await list()).find((c) => c.name === 'branch-2027')).toMatchObject({
      source: 'imported',
      version: 1,
      holidays: 1,
    });
    await importCalendar(env.app.ctx, {
      name: 'branch-2027',
      timeZone: 'Asia/Shanghai',
      ics: file('20270101', '20270102'),
    });
    const listed = await list();
    expect(listed.find((c) => c.name === 'branch-2027')).toMatchObject({ version: 2, holidays: 2 });
    expect(listed.find((c) => c.name === 'cn-2026')).toMatchObject({ source: 'built_in', version: 0 });
    // The contract says so too (the zod response schema is what OpenAPI publishes).
    const openapi = (await call(env, 'GET', '/api/v1/openapi.json')).json();
    const item = openapi.paths['/api/v1/sla/calendars'].get.responses['200'].content['application/json']
      .schema.items as { properties: Record<string, unknown>; required: string[] };
    expect(item.properties.version).toMatchObject({ type: 'integer' });
    expect(item.required).toContain('version');
  });
});
