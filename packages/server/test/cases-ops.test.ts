import { and, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSlaTick } from '../src/cases/worker.ts';
import { auditLog, customers, customerValues, outboxEvents } from '../src/db/schema.ts';
import { caseSlaClocks } from '../src/db/schema-cases.ts';
import { notificationDeliveries, notifications } from '../src/db/schema-notifications.ts';
import { addNotificationChannel, type OutboundNotification } from '../src/notifications/service.ts';
import {
  call,
  createTestEnv,
  engines,
  orgIdByCode,
  sessionCache,
  type TestEnv,
  userIdByName,
} from './harness.ts';

interface Detail {
  case: {
    id: string;
    number: string;
    state: string;
    assigneeId: string | null;
    version: number;
    complaint: { severity: string; business: string; classification: Record<string, string> | null } | null;
    compensations: { id: string; status: string }[];
  };
  clocks: { role: string; dueAt: string; state: string; label: string }[];
  timeline: { type: string; data: Record<string, unknown> }[];
}

interface Note {
  id: string;
  type: string;
  aggregateId: string;
  data: Record<string, unknown>;
  readAt: string | null;
}

function complaint(orgUnitId: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'complaint',
    orgUnitId,
    channel: 'counter',
    customer: { kind: 'walk_in', name: '王五', phone: '13900000000' },
    subject: '转账到账延迟',
    content: '客户反映跨行转账两天未到账',
    complaint: {
      business: '支付结算',
      claims: { compensation: { amountMinor: 20_000, currency: 'CNY' }, remedies: [], nonProperty: [] },
      severity: 'medium',
      serviceLevel: 'unrated',
      classification: null,
    },
    ...extra,
  };
}

describe.each(engines)('case operations on %s', (engine) => {
  let env: TestEnv;
  let bjcy: string;
  const as = sessionCache(() => env);
  const create = async (username: string, payload: Record<string, unknown>) => {
    const res = await call(env, 'POST', '/api/v1/cases', { session: await as(username), payload });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Detail;
  };
  const act = async (username: string, id: string, action: Record<string, unknown>) =>
    call(env, 'POST', `/api/v1/cases/${id}/actions`, { session: await as(username), payload: action });
  const inbox = async (username: string) => {
    const res = await call(env, 'GET', '/api/v1/notifications?limit=100', { session: await as(username) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: Note[]; unread: number };
  };
  const drain = () => env.app.ctx.dispatcher.drain();

  beforeAll(async () => {
    env = await createTestEnv(engine);
    bjcy = await orgIdByCode(env, 'BJ-CY');
  });
  afterAll(() => env.close());

  describe('XLSX exports', () => {
    it('the report workbook holds the CSV rows with dates as dates and yuan as numbers', async () => {
      const c = await create(
        'bj-cy.teller1',
        complaint(bjcy, {
          compensation: { amount: { amountMinor: 15_050, currency: 'CNY' }, reason: '手续费退还' },
          complaint: {
            ...complaint(bjcy).complaint,
            classification: {
              channel: 'online_banking',
              businessType: 'payment_settlement',
              cause: 'pricing_fees',
            },
          },
        }),
      );
      const manager = await as('bj-cy.manager');
      const csv = await call(env, 'GET', '/api/v1/cases/reports/export.csv', { session: manager });
      const csvLines = csv.body.trim().split('\r\n').slice(1);
      const res = await call(env, 'GET', '/api/v1/cases/reports/export.xlsx', { session: manager });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      expect(res.headers['content-disposition']).toContain('cases.xlsx');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual([
        '案件明细',
        '按办理渠道',
        '按业务类型',
        '按投诉原因',
      ]);
      const ws = wb.worksheets[0] as ExcelJS.Worksheet;
      expect(ws.getRow(1).getCell(1).value).toBe('案件编号');
      expect(ws.getRow(1).font?.bold).toBe(true);
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1, xSplit: 1 });
      expect(ws.getColumn(1).width).toBe(18);
      expect(ws.rowCount - 1).toBe(csvLines.length);
      const header = (ws.getRow(1).values as unknown[]).slice(1);
      const row = ws.getRow(1 + csvLines.findIndex((l) => l.startsWith(c.case.number)) + 1);
      const cell = (name: string) => row.getCell(header.indexOf(name) + 1);
      expect(cell('案件编号').value).toBe(c.case.number);
      expect(cell('补偿金额（元）').value).toBe(150.5);
      expect(cell('补偿金额（元）').numFmt).toContain('¥');
      expect(cell('受理时间').value).toBeInstanceOf(Date);
      expect(cell('受理时间').numFmt).toBe('yyyy-mm-dd hh:mm');
      // 10:00 in Beijing is written as 10:00 (the branch's wall clock), not 02:00 UTC.
      const received = cell('受理时间').value as Date;
      expect(received.getUTCHours()).toBe((env.clock.now().getUTCHours() + 8) % 24);
      expect(cell('办理渠道（JR/T 0169）').value).toBe('电子渠道—网上银行');
      expect(cell('类型').value).toBe('投诉');
      const byChannel = wb.worksheets[1] as ExcelJS.Worksheet;
      const labels = (byChannel.getColumn(1).values as unknown[]).slice(2);
      expect(labels).toContain('电子渠道—网上银行');
      // English on request, and the export is audited.
      const en = await call(env, 'GET', '/api/v1/cases/reports/export.xlsx?locale=en', { session: manager });
      const wbEn = new ExcelJS.Workbook();
      await wbEn.xlsx.load(en.rawPayload as unknown as ArrayBuffer);
      expect(wbEn.worksheets[0]?.getRow(1).getCell(1).value).toBe('Case number');
      const audits = await env.database.db
        .select({ details: auditLog.details })
        .from(auditLog)
        .where(eq(auditLog.action, 'case.exported'));
      expect(audits.filter((a) => (a.details as { format?: string }).format === 'xlsx').length).toBe(2);
    });

    it('the case list exports what the inbox filters show', async () => {
      const teller = await as('bj-cy.teller1');
      const list = await call(env, 'GET', '/api/v1/cases?open=true&pageSize=200', { session: teller });
      const res = await call(env, 'GET', '/api/v1/cases/export.xlsx?open=true&locale=en', {
        session: teller,
      });
      expect(res.statusCode, res.body).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const ws = wb.worksheets[0] as ExcelJS.Worksheet;
      expect(ws.getRow(1).getCell(4).value).toBe('Subject');
      expect(ws.rowCount - 1).toBe(list.json().total);
      const bad = await call(env, 'GET', '/api/v1/cases/export.xlsx?locale=fr', { session: teller });
      expect(bad.statusCode).toBe(400);
    });
  });

  describe('notifications', () => {
    it('a compensation above authority reaches the approvers; the decision reaches the requester; once each', async () => {
      const c = await create(
        'bj-cy.teller1',
        complaint(bjcy, {
          compensation: { amount: { amountMinor: 500_000, currency: 'CNY' }, reason: '资金损失' },
        }),
      );
      await drain();
      const manager = await inbox('bj-cy.manager');
      const request = manager.items.find(
        (n) => n.aggregateId === c.case.id && n.type === 'case.compensation_approval_requested',
      );
      expect(request?.data).toMatchObject({
        number: c.case.number,
        caseId: c.case.id,
        subject: '转账到账延迟',
      });
      expect(request?.readAt).toBeNull();
      // Another branch's manager and the requester hear nothing.
      expect((await inbox('bj-hd.manager')).items.some((n) => n.aggregateId === c.case.id)).toBe(false);
      expect((await inbox('bj-cy.teller1')).items.some((n) => n.aggregateId === c.case.id)).toBe(false);

      // At least once: the dispatcher delivers the same event again; no second notification.
      await env.database.db.execute(
        sql`update outbox_events set dispatched_at = null, claimed_until = null where aggregate_id = ${c.case.id}`,
      );
      await drain();
      const [count] = await env.database.db
        .select({ n: sql<number>`count(*)::int` })
        .from(notifications)
        .where(
          and(
            eq(notifications.aggregateId, c.case.id),
            eq(notifications.recipientId, await userIdByName(env, 'bj-cy.manager')),
          ),
        );
      expect(count?.n).toBe(1);

      const compensationId = c.case.compensations[0]?.id as string;
      const approve = await call(
        env,
        'POST',
        `/api/v1/cases/${c.case.id}/compensations/${encodeURIComponent(compensationId)}/approve`,
        { session: await as('bj-cy.manager'), payload: {} },
      );
      expect(approve.statusCode, approve.body).toBe(200);
      await drain();
      const teller = await inbox('bj-cy.teller1');
      expect(teller.items.find((n) => n.aggregateId === c.case.id)?.type).toBe('case.compensation_approved');
      expect(teller.unread).toBeGreaterThan(0);
    });

    it('assignment reaches the new assignee; the bell counts unread; reading is one’s own', async () => {
      const c = await create('bj-cy.teller1', complaint(bjcy));
      const handler = await userIdByName(env, 'bj-cy.complaints');
      const before = await call(env, 'GET', '/api/v1/notifications/unread-count', {
        session: await as('bj-cy.complaints'),
      });
      const assigned = await act('bj-cy.manager', c.case.id, { type: 'assign', assigneeId: handler });
      expect(assigned.statusCode, assigned.body).toBe(200);
      await drain();
      const bell = await call(env, 'GET', '/api/v1/notifications/unread-count', {
        session: await as('bj-cy.complaints'),
      });
      expect(bell.json().unread).toBe(before.json().unread + 1);
      const note = (await inbox('bj-cy.complaints')).items.find((n) => n.aggregateId === c.case.id) as Note;
      expect(note.type).toBe('case.assigned');
      // Someone else cannot read it (not found), the owner can.
      const other = await call(env, 'POST', `/api/v1/notifications/${note.id}/read`, {
        session: await as('bj-cy.manager'),
        payload: {},
      });
      expect(other.statusCode).toBe(404);
      const read = await call(env, 'POST', `/api/v1/notifications/${note.id}/read`, {
        session: await as('bj-cy.complaints'),
        payload: {},
      });
      expect(read.statusCode).toBe(200);
      expect(read.json().readAt).not.toBeNull();
      const unread = await call(env, 'GET', '/api/v1/notifications?unread=true', {
        session: await as('bj-cy.complaints'),
      });
      expect((unread.json().items as Note[]).some((n) => n.id === note.id)).toBe(false);
      const all = await call(env, 'POST', '/api/v1/notifications/read-all', {
        session: await as('bj-cy.complaints'),
        payload: {},
      });
      expect(all.statusCode).toBe(200);
      const after = await call(env, 'GET', '/api/v1/notifications/unread-count', {
        session: await as('bj-cy.complaints'),
      });
      expect(after.json().unread).toBe(0);
    });

    it('an SLA warning reaches the assignee and the line named by the escalation policy', async () => {
      const handler = await userIdByName(env, 'bj-cy.complaints');
      const c = await create('bj-cy.teller1', complaint(bjcy, { assigneeId: handler }));
      const ack = c.clocks.find((k) => k.role === 'acknowledgement') as { dueAt: string };
      const saved = env.clock.now();
      env.clock.set(new Date(new Date(ack.dueAt).getTime() - 60_000));
      try {
        await runSlaTick(env.app.ctx);
        await drain();
      } finally {
        env.clock.set(saved);
        as.clear();
      }
      const notes = (await inbox('bj-cy.complaints')).items.filter((n) => n.aggregateId === c.case.id);
      expect(notes.map((n) => n.type)).toContain('case.warning');
      expect(notes.find((n) => n.type === 'case.warning')?.data.clock).toBe('acknowledgement');
    });

    it('an outbound channel is asked until it succeeds, then never again for that notification', async () => {
      const sent: OutboundNotification[] = [];
      let failNext = true;
      addNotificationChannel(env.app.ctx, {
        name: 'test-recorder',
        deliver: async (n) => {
          if (failNext) {
            failNext = false;
            throw new Error('relay unavailable');
          }
          sent.push(n);
          return 'sent';
        },
      });
      const c = await create('bj-cy.teller1', complaint(bjcy));
      await act('bj-cy.manager', c.case.id, {
        type: 'assign',
        assigneeId: await userIdByName(env, 'bj-cy.complaints'),
      });
      await drain();
      const [event] = await env.database.db
        .select()
        .from(outboxEvents)
        .where(and(eq(outboxEvents.aggregateId, c.case.id), eq(outboxEvents.type, 'case.assigned')));
      expect(event?.dispatchedAt).toBeNull();
      expect(event?.lastError).toContain('relay unavailable');
      // The lease expires; the dispatcher tries again and the channel succeeds.
      await env.database.db.execute(
        sql`update outbox_events set claimed_until = null where id = ${event?.id}`,
      );
      await drain();
      expect(sent.filter((n) => n.type === 'case.assigned' && n.data.caseId === c.case.id)).toHaveLength(1);
      expect(sent[0]?.recipient.displayName).toBeTruthy();
      await env.database.db.execute(
        sql`update outbox_events set dispatched_at = null, claimed_until = null where id = ${event?.id}`,
      );
      await drain();
      expect(sent.filter((n) => n.type === 'case.assigned' && n.data.caseId === c.case.id)).toHaveLength(1);
      const deliveries = await env.database.db.select().from(notificationDeliveries);
      const mine = deliveries.find((d) => d.channel === 'test-recorder' && d.status === 'sent');
      expect(mine?.attempts).toBe(2);
    });
  });

  describe('reclassification', () => {
    it('JR/T codes change without touching the clocks; audited and on the timeline', async () => {
      const c = await create('bj-cy.teller1', complaint(bjcy));
      const res = await call(env, 'POST', `/api/v1/cases/${c.case.id}/reclassify`, {
        session: await as('bj-cy.complaints'),
        payload: {
          classification: {
            channel: 'mobile_app',
            businessType: 'payment_settlement',
            cause: 'rules_processes',
          },
          reason: '客户经手机银行转账，非柜面',
        },
      });
      expect(res.statusCode, res.body).toBe(200);
      const d = res.json() as Detail;
      expect(d.case.complaint?.classification?.channel).toBe('mobile_app');
      expect(d.clocks.map((k) => k.dueAt)).toEqual(c.clocks.map((k) => k.dueAt));
      const entry = d.timeline.find((t) => t.type === 'case.reclassified');
      expect(entry?.data.reason).toBe('客户经手机银行转账，非柜面');
      expect(entry?.data.clocks).toEqual([]);
      const [row] = await env.database.db
        .execute<{ jrt_channel: string }>(sql`select jrt_channel from cases where id = ${c.case.id}`)
        .then((r) => (r as unknown as { rows: { jrt_channel: string }[] }).rows);
      expect(row?.jrt_channel).toBe('mobile_app');
      const audits = await env.database.db
        .select({ action: auditLog.action, details: auditLog.details })
        .from(auditLog)
        .where(and(eq(auditLog.targetId, c.case.id), eq(auditLog.action, 'case.reclassified')));
      expect(audits).toHaveLength(1);
    });

    it('a higher severity selects the urgent rule: running clocks take its terms from receipt', async () => {
      const c = await create('bj-cy.teller1', complaint(bjcy));
      const ackBefore = c.clocks.find((k) => k.role === 'acknowledgement');
      const res = await call(env, 'POST', `/api/v1/cases/${c.case.id}/reclassify`, {
        session: await as('bj-cy.complaints'),
        payload: { severity: 'high', reason: '涉及资金安全' },
      });
      expect(res.statusCode, res.body).toBe(200);
      const d = res.json() as Detail;
      expect(d.case.complaint?.severity).toBe('high');
      const ack = d.clocks.find((k) => k.role === 'acknowledgement');
      expect(ack?.label).toBe('Acknowledge within 1 business hour');
      expect(new Date(ack?.dueAt as string).getTime()).toBeLessThan(
        new Date(ackBefore?.dueAt as string).getTime(),
      );
      // The resolution clock is the regulator's 15 days either way: unchanged.
      expect(d.clocks.find((k) => k.role === 'resolution')?.dueAt).toBe(
        c.clocks.find((k) => k.role === 'resolution')?.dueAt,
      );
      const entry = d.timeline.find((t) => t.type === 'case.reclassified');
      expect(entry?.data.slaRule).toEqual({ before: 'complaint', after: 'complaint-urgent' });
      expect(((entry?.data.clocks ?? []) as { role: string }[]).map((x) => x.role).sort()).toEqual([
        'acknowledgement',
        'first_response',
      ]);
      const [row] = await env.database.db
        .select({ generation: caseSlaClocks.generation })
        .from(caseSlaClocks)
        .where(eq(caseSlaClocks.clockKey, `${c.case.id}:acknowledgement`));
      expect(row?.generation).toBe(1);
    });

    it('refuses a change without a reason, a no-op, a merged case and a quality supervisor', async () => {
      const c = await create('bj-cy.teller1', complaint(bjcy));
      const url = `/api/v1/cases/${c.case.id}/reclassify`;
      const handler = await as('bj-cy.complaints');
      expect(
        (await call(env, 'POST', url, { session: handler, payload: { severity: 'low' } })).statusCode,
      ).toBe(400);
      const same = await call(env, 'POST', url, {
        session: handler,
        payload: { severity: 'medium', reason: '相同' },
      });
      expect(same.statusCode).toBe(400);
      const quality = await call(env, 'POST', url, {
        session: await as('hq.quality'),
        payload: { severity: 'low', reason: '质检' },
      });
      expect(quality.statusCode).toBe(403);
      const target = await create('bj-cy.teller1', complaint(bjcy));
      expect(
        (await act('bj-cy.complaints', c.case.id, { type: 'merge', intoCaseId: target.case.id })).statusCode,
      ).toBe(200);
      const merged = await call(env, 'POST', url, {
        session: handler,
        payload: { severity: 'low', reason: '合并后' },
      });
      expect(merged.statusCode).toBe(409);
    });
  });

  describe('staff picker', () => {
    it('lists handlers on the case’s line with their open-case load, complaint handlers first', async () => {
      const c = await create('bj-cy.teller1', complaint(bjcy));
      const res = await call(env, 'GET', `/api/v1/cases/${c.case.id}/assignees`, {
        session: await as('bj-cy.manager'),
      });
      expect(res.statusCode, res.body).toBe(200);
      const list = res.json() as { username: string; roles: string[]; openCases: number }[];
      const names = list.map((a) => a.username);
      expect(names[0]).toBe('bj-cy.complaints');
      expect(names).toContain('bj-cy.manager');
      expect(names).not.toContain('bj-cy.teller1');
      expect(names.some((n) => n.startsWith('bj-hd.'))).toBe(false);
      const handler = list.find((a) => a.username === 'bj-cy.complaints') as { openCases: number };
      const [open] = await env.database.db
        .execute(
          sql`select count(*)::int as n from cases where assignee_id = ${await userIdByName(env, 'bj-cy.complaints')}
          and state in ('received','acknowledged','investigating','resolution_proposed','accepted','rejected','review_requested')`,
        )
        .then((r) => (r as unknown as { rows: { n: number }[] }).rows);
      expect(handler.openCases).toBe(Number(open?.n));
      // The head-office service centre sees (and may pick) every branch's handlers.
      const hq = await call(env, 'GET', `/api/v1/cases/${c.case.id}/assignees`, {
        session: await as('hq.service'),
      });
      expect((hq.json() as { username: string }[]).map((a) => a.username)).toContain('hq.service');
      // A teller cannot use the picker? Tellers handle cases (case.handle) but are never listed.
      const teller = await call(env, 'GET', `/api/v1/cases/${c.case.id}/assignees`, {
        session: await as('bj-cy.teller1'),
      });
      expect(teller.statusCode).toBe(200);
    });
  });

  describe('recovery economics', () => {
    it('compares compensation with a linked customer’s value and sets it on the customers side (audited)', async () => {
      const [vip] = await env.database.db
        .select({ id: customers.id })
        .from(customers)
        .where(and(eq(customers.homeBranchId, bjcy), eq(customers.tier, 'small')))
        .limit(1);
      const customerId = vip?.id as string;
      const manager = await as('bj-cy.manager');
      const put = await call(env, 'PUT', `/api/v1/customers/${customerId}/value`, {
        session: manager,
        payload: {
          depositsMinor: 30_000_000,
          investmentsMinor: 25_000_000,
          loansMinor: 0,
          annualProfitMinor: 1_000_000,
          expectedYears: 4,
          asOf: '2026-10-31',
        },
      });
      expect(put.statusCode, put.body).toBe(200);
      expect(put.json()).toMatchObject({ aumBand: '500k_2m', aumMinor: 55_000_000 });
      const got = await call(env, 'GET', `/api/v1/customers/${customerId}/value`, {
        session: await as('bj-cy.teller1'),
      });
      expect(got.json().annualProfitMinor).toBe(1_000_000);
      const audits = await env.database.db
        .select({ action: auditLog.action })
        .from(auditLog)
        .where(and(eq(auditLog.targetId, customerId), eq(auditLog.action, 'customer.value_updated')));
      expect(audits).toHaveLength(1);

      const c = await create(
        'bj-cy.teller1',
        complaint(bjcy, {
          customer: { kind: 'linked', customerId },
          compensation: { amount: { amountMinor: 15_000, currency: 'CNY' }, reason: '交通费' },
        }),
      );
      const econ = await call(env, 'GET', `/api/v1/cases/${c.case.id}/economics`, {
        session: await as('bj-cy.complaints'),
      });
      expect(econ.statusCode, econ.body).toBe(200);
      const e = econ.json();
      expect(e.missing).toBeNull();
      expect(e.paid.amountMinor).toBe(15_000);
      expect(e.claimed.amountMinor).toBe(20_000);
      expect(e.offered.relationshipValue.amountMinor).toBe(4_000_000);
      expect(e.offered.replacementCost.amountMinor).toBe(5_000_000);
      expect(e.offered.verdict).toBe('economic');
      const walkIn = await create('bj-cy.teller1', complaint(bjcy));
      const none = await call(env, 'GET', `/api/v1/cases/${walkIn.case.id}/economics`, {
        session: await as('bj-cy.complaints'),
      });
      expect(none.json()).toMatchObject({ missing: 'walk_in', offered: null });

      const report = await call(env, 'GET', '/api/v1/cases/reports/summary', { session: manager });
      const valued = report.json().recovery.valued;
      expect(valued.cases).toBeGreaterThanOrEqual(1);
      expect(valued.retainedValueMinor).toBeGreaterThanOrEqual(4_000_000);
      expect(
        valued.byTier.find((t: { tier: string }) => t.tier === 'small')?.compensationMinor,
      ).toBeGreaterThanOrEqual(15_000);
    });

    it('every demo customer has a plausible value on file', async () => {
      const rows = await env.database.db
        .select({
          tier: customers.tier,
          profit: customerValues.annualProfitMinor,
          band: customerValues.aumBand,
        })
        .from(customers)
        .leftJoin(customerValues, eq(customerValues.customerId, customers.id));
      expect(rows.filter((r) => r.profit === null)).toHaveLength(0);
      const vip = rows.filter((r) => r.tier === 'vip');
      expect(vip.every((r) => ['2m_6m', 'over_6m'].includes(r.band as string))).toBe(true);
    });
  });
});
