import { CN_2026_CALENDAR, computeDue, UK_EW_2026_CALENDAR } from '@serviceloop/domain';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSlaTick } from '../src/cases/worker.ts';
import { auditLog, outboxEvents } from '../src/db/schema.ts';
import { caseSlaNotifications } from '../src/db/schema-cases.ts';
import {
  call,
  createTestEnv,
  engines,
  orgIdByCode,
  type Session,
  sessionCache,
  type TestEnv,
} from './harness.ts';

interface Detail {
  case: {
    id: string;
    number: string;
    state: string;
    compensations: { id: string; status: string; amount: { amountMinor: number } }[];
  };
  risk: string;
  allowedActions: string[];
  clocks: {
    role: string;
    label: string;
    period: Record<string, unknown>;
    dueAt: string;
    warnAt: string | null;
    state: string;
    fired: string[];
  }[];
  timeline: { type: string }[];
  followUps: { id: string; status: string }[];
  rating: { score: number; comment: string | null } | null;
  ratingToken?: string | null;
}

const CLASSIFIED = {
  channel: 'branch_counter',
  businessType: 'debit_card',
  cause: 'service_attitude_quality',
};

function complaint(orgUnitId: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'complaint',
    orgUnitId,
    channel: 'counter',
    customer: { kind: 'walk_in', name: '张三', phone: '13800000000' },
    subject: 'ATM 吞卡后处理缓慢',
    content: '客户反映 ATM 吞卡后两天未处理,要求赔偿交通费',
    complaint: {
      business: '借记卡',
      claims: {
        compensation: { amountMinor: 15_000, currency: 'CNY' },
        remedies: [],
        nonProperty: ['apology'],
      },
      severity: 'medium',
      serviceLevel: 'unrated',
      classification: CLASSIFIED,
    },
    ...extra,
  };
}

describe.each(engines)('cases on %s', (engine) => {
  let env: TestEnv;
  let bjcy: string;
  let bjhd: string;
  const as = sessionCache(() => env);
  // Sessions expire by the injected clock: sign in again after moving it.
  const setClock = (at: Date) => {
    env.clock.set(at);
    as.clear();
  };
  const act = async (username: string, id: string, action: Record<string, unknown>) =>
    call(env, 'POST', `/api/v1/cases/${id}/actions`, { session: await as(username), payload: action });
  const create = async (username: string, payload: Record<string, unknown>) => {
    const res = await call(env, 'POST', '/api/v1/cases', { session: await as(username), payload });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Detail;
  };

  beforeAll(async () => {
    env = await createTestEnv(engine);
    // Monday 23 November 2026, 09:30 in Beijing.
    setClock(new Date('2026-11-23T01:30:00Z'));
    bjcy = await orgIdByCode(env, 'BJ-CY');
    bjhd = await orgIdByCode(env, 'BJ-HD');
  });
  afterAll(() => env.close());

  it('counter intake: ¥150 is granted on the spot, the case gets a number and three clocks', async () => {
    const d = await create(
      'bj-cy.teller1',
      complaint(bjcy, {
        compensation: { amount: { amountMinor: 15_000, currency: 'CNY' }, reason: '交通费' },
      }),
    );
    expect(d.case.number).toMatch(/^CMP-2026-\d{6}$/);
    expect(d.case.state).toBe('received');
    expect(d.case.compensations.map((c) => c.status)).toEqual(['granted']);
    expect(d.clocks.map((c) => c.role).sort()).toEqual(['acknowledgement', 'first_response', 'resolution']);
    // Each clock's limit in figures (the screen words it in the reader's language), besides its label.
    const byRole = Object.fromEntries(d.clocks.map((c) => [c.role, c]));
    expect(byRole.acknowledgement).toMatchObject({
      label: 'Acknowledge within 4 business hours',
      period: { mode: 'business_hours', amount: 4, end: 'end_of_day', rollOver: 'none', extendedBy: 0 },
    });
    expect(byRole.first_response?.period).toEqual({
      mode: 'business_days',
      amount: 1,
      end: 'close_of_business',
      rollOver: 'none',
      extendedBy: 0,
    });
    expect(byRole.resolution?.period).toEqual({
      mode: 'calendar_days',
      amount: 15,
      end: 'end_of_day',
      rollOver: 'rest_days',
      extendedBy: 0,
    });
    expect(d.timeline.map((t) => t.type)).toEqual(['case.created', 'case.compensation_granted']);
    const events = await env.database.db
      .select({ type: outboxEvents.type })
      .from(outboxEvents)
      .where(eq(outboxEvents.aggregateId, d.case.id));
    expect(events.map((e) => e.type).sort()).toEqual(['case.compensation_granted', 'case.created']);
    const audits = await env.database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.targetId, d.case.id));
    expect(audits.map((a) => a.action).sort()).toEqual(['case.compensation_granted', 'case.created']);
  });

  it('a retried intake with the same Idempotency-Key records one case', async () => {
    const session = await as('bj-cy.teller1');
    const headers = { 'idempotency-key': 'counter-3-20261123-0001' };
    const payload = complaint(bjcy, { subject: '重复提交测试' });
    const [a, b] = await Promise.all([
      call(env, 'POST', '/api/v1/cases', { session, payload, headers }),
      call(env, 'POST', '/api/v1/cases', { session, payload, headers }),
    ]);
    const c = await call(env, 'POST', '/api/v1/cases', { session, payload, headers });
    expect([a.statusCode, b.statusCode, c.statusCode]).toEqual([201, 201, 201]);
    expect(new Set([a, b, c].map((r) => (r.json() as Detail).case.id)).size).toBe(1);
    expect(c.headers['idempotent-replayed']).toBe('true');
    const bad = await call(env, 'POST', '/api/v1/cases', {
      session,
      payload,
      headers: { 'idempotency-key': 'x' },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('a ¥5,000 claim goes to approval with its own clock; nobody approves their own request', async () => {
    const d = await create(
      'bj-cy.teller1',
      complaint(bjcy, {
        compensation: { amount: { amountMinor: 500_000, currency: 'CNY' }, reason: '资金损失' },
      }),
    );
    const comp = d.case.compensations[0];
    expect(comp?.status).toBe('pending_approval');
    expect(d.clocks.map((c) => c.role)).toContain('approval');
    const inbox = await call(env, 'GET', '/api/v1/cases/approvals?status=pending_approval', {
      session: await as('bj-cy.manager'),
    });
    expect(inbox.statusCode).toBe(200);
    expect((inbox.json() as { id: string }[]).map((a) => a.id)).toContain(comp?.id);
    // A teller has no approval permission at all.
    const teller = await call(env, 'POST', `/api/v1/cases/${d.case.id}/compensations/${comp?.id}/approve`, {
      session: await as('bj-cy.teller1'),
      payload: {},
    });
    expect(teller.statusCode).toBe(403);
    const ok = await call(env, 'POST', `/api/v1/cases/${d.case.id}/compensations/${comp?.id}/approve`, {
      session: await as('bj-cy.manager'),
      payload: {},
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const after = ok.json() as Detail;
    expect(after.case.compensations[0]?.status).toBe('approved');
    expect(after.clocks.find((c) => c.role === 'approval')?.state).toBe('stopped');
    const again = await call(env, 'POST', `/api/v1/cases/${d.case.id}/compensations/${comp?.id}/approve`, {
      session: await as('bj-cy.manager'),
      payload: {},
    });
    expect(again.statusCode).toBe(409);

    // The branch manager's own ¥20,000 request (above their ¥10,000 authority) waits for someone else.
    const own = await create(
      'bj-cy.manager',
      complaint(bjcy, {
        compensation: { amount: { amountMinor: 2_000_000, currency: 'CNY' }, reason: '重大损失' },
      }),
    );
    const ownComp = own.case.compensations[0];
    expect(ownComp?.status).toBe('pending_approval');
    const self = await call(
      env,
      'POST',
      `/api/v1/cases/${own.case.id}/compensations/${ownComp?.id}/approve`,
      {
        session: await as('bj-cy.manager'),
        payload: {},
      },
    );
    expect(self.statusCode).toBe(403);
    const declined = await call(
      env,
      'POST',
      `/api/v1/cases/${own.case.id}/compensations/${ownComp?.id}/decline`,
      {
        session: await as('admin'),
        payload: { reason: '证据不足' },
      },
    );
    expect(declined.statusCode, declined.body).toBe(200);
    expect((declined.json() as Detail).case.compensations[0]?.status).toBe('declined');
  });

  it('time passes: the warning, then the breach and escalations fire exactly once', async () => {
    const d = await create(
      'bj-cy.complaints',
      complaint(bjcy, { type: 'ebanking_support', complaint: null }),
    );
    const ack = d.clocks.find((c) => c.role === 'acknowledgement');
    expect(ack?.warnAt).toBeTruthy();
    setClock(new Date(ack?.warnAt as string));
    await runSlaTick(env.app.ctx);
    let now = (
      await call(env, 'GET', `/api/v1/cases/${d.case.id}`, { session: await as('bj-cy.complaints') })
    ).json() as Detail;
    expect(now.timeline.filter((t) => t.type === 'case.warning')).toHaveLength(1);
    expect(now.risk).toBe('warning');
    const list = await call(env, 'GET', '/api/v1/cases?risk=warning', {
      session: await as('bj-cy.complaints'),
    });
    expect((list.json() as { items: { id: string }[] }).items.map((i) => i.id)).toContain(d.case.id);

    // Past the due time and 24 hours on: breach and every escalation step.
    setClock(new Date(new Date(ack?.dueAt as string).getTime() + 25 * 3_600_000));
    await runSlaTick(env.app.ctx);
    await runSlaTick(env.app.ctx);
    now = (
      await call(env, 'GET', `/api/v1/cases/${d.case.id}`, { session: await as('bj-cy.complaints') })
    ).json() as Detail;
    expect(now.risk).toBe('breached');
    const fired = await env.database.db
      .select({ key: caseSlaNotifications.key, kind: caseSlaNotifications.kind })
      .from(caseSlaNotifications)
      .where(eq(caseSlaNotifications.caseId, d.case.id));
    const ackKeys = fired.filter((f) => f.key.includes(':acknowledgement#'));
    expect(ackKeys.map((f) => f.kind).sort()).toEqual([
      'breach',
      'escalation',
      'escalation',
      'escalation',
      'warning',
    ]);
    const escalated = await env.database.db
      .select({ payload: outboxEvents.payload })
      .from(outboxEvents)
      .where(and(eq(outboxEvents.aggregateId, d.case.id), eq(outboxEvents.type, 'case.escalated')));
    expect(escalated.length).toBe(fired.filter((f) => f.kind === 'escalation').length);
    const levels = escalated.flatMap((e) => (e.payload as { levels: string[] }).levels);
    expect(levels).toContain('head_office_service_centre');
    const alerts = await call(env, 'GET', '/api/v1/cases/alerts?kind=escalation', {
      session: await as('bj-cy.manager'),
    });
    expect(alerts.statusCode, alerts.body).toBe(200);
    expect(
      (alerts.json() as { caseId: string; open: boolean }[]).filter((x) => x.caseId === d.case.id),
    ).toHaveLength(fired.filter((f) => f.kind === 'escalation').length);
    const hdAlerts = await call(env, 'GET', '/api/v1/cases/alerts', { session: await as('bj-hd.manager') });
    expect((hdAlerts.json() as { caseId: string }[]).some((x) => x.caseId === d.case.id)).toBe(false);
    // Acknowledging now stops the clock; nothing more fires for it.
    expect((await act('bj-cy.complaints', d.case.id, { type: 'acknowledge' })).statusCode).toBe(200);
    setClock(new Date(env.clock.now().getTime() + 3 * 86_400_000));
    await runSlaTick(env.app.ctx);
    const ackAfter = await env.database.db
      .select({ key: caseSlaNotifications.key })
      .from(caseSlaNotifications)
      .where(eq(caseSlaNotifications.caseId, d.case.id));
    expect(ackAfter.filter((f) => f.key.includes(':acknowledgement#')).length).toBe(ackKeys.length);
  });

  it('the workflow runs to closure; closing schedules a return visit and a rating link that works once', async () => {
    setClock(new Date('2026-11-24T02:00:00Z'));
    const h = 'bj-cy.complaints';
    const d = await create(h, complaint(bjcy));
    const id = d.case.id;
    for (const action of [
      { type: 'acknowledge' },
      { type: 'start_investigation' },
      { type: 'pause', reason: 'waiting_for_customer' },
    ]) {
      const res = await act(h, id, action);
      expect(res.statusCode, `${action.type}: ${res.body}`).toBe(200);
    }
    const paused = (await call(env, 'GET', `/api/v1/cases/${id}`, { session: await as(h) })).json() as Detail;
    expect(paused.clocks.find((c) => c.role === 'resolution')?.state).toBe('paused');
    setClock(new Date(env.clock.now().getTime() + 2 * 86_400_000));
    const resumed = (await act(h, id, { type: 'resume' })).json() as Detail;
    const resolution = resumed.clocks.find((c) => c.role === 'resolution');
    expect(resolution?.state).toBe('running');
    // The two paused days moved the due time.
    expect(new Date(resolution?.dueAt as string).getTime()).toBeGreaterThan(
      new Date(d.clocks.find((c) => c.role === 'resolution')?.dueAt as string).getTime(),
    );
    expect(
      (await act(h, id, { type: 'close', rootCause: { category: 'people', text: 'x' } })).statusCode,
    ).toBe(409);
    expect((await act(h, id, { type: 'propose_resolution', summary: '退还手续费并道歉' })).statusCode).toBe(
      200,
    );
    expect((await act(h, id, { type: 'customer_accept' })).statusCode).toBe(200);
    const closed = await act(h, id, {
      type: 'close',
      rootCause: { category: 'system_equipment', text: 'ATM 读卡器故障' },
    });
    expect(closed.statusCode, closed.body).toBe(200);
    const body = closed.json() as Detail;
    expect(body.case.state).toBe('closed');
    expect(body.followUps.map((f) => f.status)).toEqual(['scheduled']);
    expect(body.clocks.every((c) => c.state === 'stopped')).toBe(true);
    const token = body.ratingToken as string;
    expect(token).toBeTruthy();

    const link = await call(env, 'GET', `/api/v1/ratings/${token}`);
    expect(link.statusCode).toBe(200);
    expect(link.json().caseNumber).toBe(d.case.number);
    const rate = await call(env, 'POST', `/api/v1/ratings/${token}`, {
      payload: { score: 4, comment: '处理及时' },
    });
    expect(rate.statusCode, rate.body).toBe(200);
    const twice = await call(env, 'POST', `/api/v1/ratings/${token}`, { payload: { score: 1 } });
    expect(twice.statusCode).toBe(409);
    expect((await call(env, 'GET', `/api/v1/ratings/${token}`)).statusCode).toBe(409);
    expect((await call(env, 'GET', `/api/v1/ratings/${'x'.repeat(32)}`)).statusCode).toBe(404);

    const inbox = await call(env, 'GET', '/api/v1/cases/follow-ups', { session: await as(h) });
    expect((inbox.json() as { id: string }[]).map((f) => f.id)).toContain(body.followUps[0]?.id);
    const done = await call(env, 'POST', `/api/v1/cases/${id}/follow-ups/${body.followUps[0]?.id}/complete`, {
      session: await as(h),
      payload: { note: '客户满意' },
    });
    expect(done.statusCode, done.body).toBe(200);
    const final = done.json() as Detail;
    expect(final.rating).toEqual({ score: 4, comment: '处理及时', at: expect.any(String) });
    expect(final.followUps[0]?.status).toBe('done');
    expect(final.timeline.map((t) => t.type)).toEqual(
      expect.arrayContaining([
        'case.closed',
        'case.follow_up_scheduled',
        'case.rated',
        'case.follow_up_completed',
      ]),
    );

    // Reopening (a supervisor's decision) re-arms the resolution clock.
    const reopened = await act(h, id, { type: 'reopen', reason: '客户再次来电' });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect((reopened.json() as Detail).clocks.find((c) => c.role === 'resolution')?.state).toBe('running');
  });

  it('a complex complaint’s decision period goes 15 → 30 days, and 30 more only with approval and notice', async () => {
    const h = 'bj-cy.complaints';
    const d = await create(h, complaint(bjcy));
    const due = (x: Detail) =>
      new Date(x.clocks.find((c) => c.role === 'resolution')?.dueAt as string).getTime();
    const url = `/api/v1/cases/${d.case.id}/resolution-extension`;
    const first = await call(env, 'POST', url, { session: await as(h), payload: { reason: '需调取监控' } });
    expect(first.statusCode, first.body).toBe(200);
    const extended = first.json() as Detail;
    const receivedAt = new Date((d.case as unknown as { receivedAt: string }).receivedAt);
    const engine = (
      clock: string,
      extensions: { id: string; approvedBy: string; customerNotifiedAt: Date }[],
    ) =>
      computeDue({
        preset: 'cn-nfra-2020',
        clock,
        receivedAt,
        calendar: CN_2026_CALENDAR,
        extensions,
      }).getTime();
    expect(due(d)).toBe(engine('decision', []));
    expect(due(extended)).toBe(engine('decision_extended', []));
    expect(due(extended)).toBeGreaterThan(due(d));
    expect(extended.timeline.map((t) => t.type)).toContain('case.resolution_extended');
    const further = { step: 'further_30_approved', reason: '涉及第三方机构', customerNotified: true };
    expect((await call(env, 'POST', url, { session: await as(h), payload: further })).statusCode).toBe(403);
    const unnoticed = await call(env, 'POST', url, {
      session: await as('bj-cy.manager'),
      payload: { ...further, customerNotified: false },
    });
    expect(unnoticed.statusCode).toBe(400);
    const approved = await call(env, 'POST', url, { session: await as('bj-cy.manager'), payload: further });
    expect(approved.statusCode, approved.body).toBe(200);
    const resolutionPeriod = (x: Detail) => x.clocks.find((c) => c.role === 'resolution')?.period;
    expect(resolutionPeriod(extended)).toMatchObject({ amount: 30, extendedBy: 0 });
    expect(resolutionPeriod(approved.json() as Detail)).toMatchObject({ amount: 30, extendedBy: 30 });
    expect(due(approved.json() as Detail)).toBe(
      engine('decision_extended', [
        { id: 'further_30_approved', approvedBy: 'x', customerNotifiedAt: new Date() },
      ]),
    );
    expect(
      (await call(env, 'POST', url, { session: await as('bj-cy.manager'), payload: further })).statusCode,
    ).toBe(409);
    const audits = await env.database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.targetId, d.case.id), eq(auditLog.action, 'case.resolution_extended')));
    expect(audits).toHaveLength(2);
  });

  it('a repeated complaint merges into the first; withdrawal keeps the record', async () => {
    const h = 'bj-cy.complaints';
    const first = await create(h, complaint(bjcy));
    const second = await create(h, complaint(bjcy));
    const merged = await act(h, second.case.id, { type: 'merge', intoCaseId: first.case.id });
    expect(merged.statusCode, merged.body).toBe(200);
    expect((merged.json() as Detail).case.state).toBe('merged');
    // Malformed ids are "not found" or "invalid", never a server error.
    expect((await act(h, first.case.id, { type: 'merge', intoCaseId: 'not-a-uuid' })).statusCode).toBe(404);
    expect((await act(h, first.case.id, { type: 'assign', assigneeId: 'nobody' })).statusCode).toBe(404);
    const badIntake = await call(env, 'POST', '/api/v1/cases', {
      session: await as(h),
      payload: complaint('BJ-CY', { assigneeId: 'x' }),
    });
    expect(badIntake.statusCode).toBe(400);
    const withdrawn = await act(h, first.case.id, { type: 'withdraw', reason: '客户撤诉' });
    expect((withdrawn.json() as Detail).case.state).toBe('withdrawn');
    const got = await call(env, 'GET', `/api/v1/cases/${second.case.id}`, { session: await as(h) });
    expect(got.statusCode).toBe(200);
  });

  it("a complaint handler of BJ-CY cannot see or touch BJ-HD's cases, on every case route", async () => {
    const other = await create(
      'bj-hd.complaints',
      complaint(bjhd, {
        compensation: { amount: { amountMinor: 500_000, currency: 'CNY' }, reason: '资金损失' },
      }),
    );
    const compId = other.case.compensations[0]?.id as string;
    const closedOther = other.case.id;
    const me = await as('bj-cy.complaints');
    const manager = await as('bj-cy.manager');
    const probes: [Session, 'GET' | 'POST', string, unknown][] = [
      [me, 'GET', `/api/v1/cases/${closedOther}`, undefined],
      [me, 'POST', `/api/v1/cases/${closedOther}/actions`, { type: 'acknowledge' }],
      [me, 'POST', `/api/v1/cases/${closedOther}/actions`, { type: 'withdraw' }],
      [manager, 'POST', `/api/v1/cases/${closedOther}/compensations/${compId}/approve`, {}],
      [manager, 'POST', `/api/v1/cases/${closedOther}/compensations/${compId}/decline`, { reason: 'x' }],
      [me, 'POST', `/api/v1/cases/${closedOther}/follow-ups/${closedOther}/complete`, {}],
      [me, 'POST', `/api/v1/cases/${closedOther}/resolution-extension`, {}],
      [me, 'POST', '/api/v1/cases', complaint(bjhd)],
      [me, 'GET', `/api/v1/cases?orgUnitId=${bjhd}`, undefined],
      [manager, 'GET', `/api/v1/cases/approvals?orgUnitId=${bjhd}`, undefined],
      [me, 'GET', `/api/v1/cases/follow-ups?orgUnitId=${bjhd}`, undefined],
      [me, 'GET', `/api/v1/cases/alerts?orgUnitId=${bjhd}`, undefined],
      [manager, 'GET', `/api/v1/cases/reports/summary?orgUnitId=${bjhd}`, undefined],
      [manager, 'GET', `/api/v1/cases/reports/export.csv?orgUnitId=${bjhd}`, undefined],
    ];
    for (const [session, method, url, payload] of probes) {
      const res = await call(env, method, url, { session, payload });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    // Merging a BJ-CY case into BJ-HD's is refused the same way.
    const mine = await create('bj-cy.complaints', complaint(bjcy));
    const merge = await act('bj-cy.complaints', mine.case.id, { type: 'merge', intoCaseId: closedOther });
    expect(merge.statusCode).toBe(404);
    // Lists and the approvals inbox show only the caller's branch.
    const list = await call(env, 'GET', '/api/v1/cases?pageSize=200', { session: me });
    const ids = (list.json() as { items: { id: string; orgUnitId: string }[] }).items;
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((i) => i.orgUnitId === bjcy)).toBe(true);
    const inbox = await call(env, 'GET', '/api/v1/cases/approvals', { session: manager });
    expect((inbox.json() as { id: string }[]).map((a) => a.id)).not.toContain(compId);
    // Nothing changed on BJ-HD's case.
    const still = await call(env, 'GET', `/api/v1/cases/${closedOther}`, {
      session: await as('bj-hd.complaints'),
    });
    expect((still.json() as Detail).case.state).toBe('received');
    expect((still.json() as Detail).case.compensations[0]?.status).toBe('pending_approval');
  });

  it('reports count by the JR/T axes and branch; the CSV export is audited', async () => {
    const manager = await as('bj-cy.manager');
    const res = await call(env, 'GET', '/api/v1/cases/reports/summary', { session: manager });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json() as {
      total: number;
      byJrtChannel: { key: string; count: number }[];
      byBranch: { key: string }[];
      sla: { clocks: number };
      recovery: { compensationMinor: number };
    };
    expect(report.total).toBeGreaterThan(3);
    expect(report.byJrtChannel.find((x) => x.key === 'branch_counter')?.count).toBeGreaterThan(0);
    expect(report.byBranch.map((b) => b.key)).toEqual(['BJ-CY']);
    expect(report.sla.clocks).toBeGreaterThan(0);
    // ¥150 granted + ¥5,000 approved.
    expect(report.recovery.compensationMinor).toBe(515_000);
    const csv = await call(env, 'GET', '/api/v1/cases/reports/export.csv', { session: manager });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toContain('number,type,received_at');
    expect(lines.length).toBe(report.total + 1);
    const audits = await env.database.db.select().from(auditLog).where(eq(auditLog.action, 'case.exported'));
    expect(audits.length).toBe(1);
  });

  it('the SLA preview is the engine’s computation (UK: 23 Dec 2026 → 30 Dec)', async () => {
    const session = await as('bj-cy.complaints');
    const res = await call(
      env,
      'GET',
      '/api/v1/sla/preview?preset=uk-fca-disp&clock=summary_resolution&received=2026-12-23T10:00:00Z',
      { session },
    );
    expect(res.statusCode, res.body).toBe(200);
    const due = res.json().dues[0].due as string;
    expect(due.startsWith('2026-12-30T')).toBe(true);
    expect(due).toBe(
      computeDue({
        preset: 'uk-fca-disp',
        clock: 'summary_resolution',
        receivedAt: new Date('2026-12-23T10:00:00Z'),
        calendar: UK_EW_2026_CALENDAR,
      }).toISOString(),
    );
    const bad = await call(env, 'GET', '/api/v1/sla/preview?preset=nope&received=2026-12-23T10:00:00Z', {
      session,
    });
    expect(bad.statusCode).toBe(400);
    const calendars = await call(env, 'GET', '/api/v1/sla/calendars', { session });
    expect((calendars.json() as { name: string }[]).map((c) => c.name)).toContain('cn-2026');
  });
});
