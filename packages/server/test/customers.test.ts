import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, customers } from '../src/db/schema.ts';
import {
  call,
  createTestEnv,
  engines,
  orgIdByCode,
  type Session,
  signInAs,
  type TestEnv,
} from './harness.ts';

async function waitForJob(env: TestEnv, session: Session, id: string) {
  for (let i = 0; i < 200; i++) {
    const res = await call(env, 'GET', `/api/v1/customers/imports/${id}`, { session });
    const job = res.json() as { status: string };
    if (job.status !== 'running') return res.json();
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('import job did not finish');
}

describe.each(engines)('customers on %s', (engine) => {
  let env: TestEnv;
  let manager: Session;
  let teller: Session;
  let branchId: string;
  beforeAll(async () => {
    env = await createTestEnv(engine);
    manager = await signInAs(env, 'bj-cy.manager');
    teller = await signInAs(env, 'bj-cy.teller1');
    branchId = await orgIdByCode(env, 'BJ-CY');
  });
  afterAll(() => env.close());

  it('masks identifiers, and a reveal shows them and is audited', async () => {
    const created = await call(env, 'POST', '/api/v1/customers', {
      session: manager,
      payload: {
        kind: 'person',
        name: '测试客户',
        idType: 'resident_id',
        idNumber: '11010519491231002X',
        phone: '13812345678',
        tier: 'vip',
        serviceLevel: 'diamond',
        homeBranchId: branchId,
      },
    });
    expect(created.statusCode).toBe(201);
    const c = created.json() as { id: string; phone: string; idNumber: string; customerNo: string };
    expect(c.phone).toBe('1381234****');
    expect(c.idNumber).toBe('110105********002X');
    expect(c.customerNo).toBe('C00000201');

    const denied = await call(env, 'POST', `/api/v1/customers/${c.id}/reveal`, {
      session: teller,
      payload: { reason: '核实身份' },
    });
    expect(denied.statusCode).toBe(403);
    const revealed = await call(env, 'POST', `/api/v1/customers/${c.id}/reveal`, {
      session: manager,
      payload: { reason: '核实身份' },
    });
    expect(revealed.json()).toMatchObject({
      phone: '13812345678',
      idNumber: '11010519491231002X',
      masked: false,
    });
    const audit = await env.database.db.select().from(auditLog).where(eq(auditLog.targetId, c.id));
    expect(audit.map((a) => a.action)).toContain('customer.revealed');
    expect(audit.find((a) => a.action === 'customer.revealed')?.details).toMatchObject({
      reason: '核实身份',
    });

    const dupe = await call(env, 'POST', '/api/v1/customers', {
      session: manager,
      payload: {
        kind: 'person',
        name: '重复',
        idType: 'resident_id',
        idNumber: '11010519491231002X',
        tier: 'small',
        serviceLevel: 'basic',
        homeBranchId: branchId,
      },
    });
    expect(dupe.statusCode).toBe(409);
    expect(dupe.json().existingCustomerNo).toBe('C00000201');
  });

  it('archives instead of deleting', async () => {
    const list = await call(env, 'GET', '/api/v1/customers?q=测试客户', { session: manager });
    const id = (list.json() as { items: { id: string }[] }).items[0]?.id as string;
    const res = await call(env, 'POST', `/api/v1/customers/${id}/archive`, {
      session: manager,
      payload: { reason: '客户销户' },
    });
    expect(res.statusCode).toBe(204);
    expect((await call(env, 'GET', `/api/v1/customers/${id}`, { session: manager })).statusCode).toBe(404);
    const [row] = await env.database.db.select().from(customers).where(eq(customers.id, id));
    expect(row?.deletedAt).toBeInstanceOf(Date);
  });

  it('imports CSV: dry run reports every bad row with reasons and imports nothing; a clean file imports all', async () => {
    const header =
      'kind,name,id_type,id_number,phone,tier,service_level,home_branch_code,account_manager_username';
    const bad = [
      header,
      'person,王小明,resident_id,110105199003070017,13900001111,ordinary,silver,BJ-CY,bj-cy.cm',
      'person,,resident_id,110105199003070025,13900001112,ordinary,silver,BJ-CY,',
      'person,李四,resident_id,110105199003070017,13900001113,gold,silver,BJ-HD,',
      'company,某公司,uscc,91110105MA00000001,,major,2A,BJ-CY,',
    ].join('\n');
    const before = (await call(env, 'GET', '/api/v1/customers?pageSize=1', { session: manager })).json()
      .total;
    const start = await call(env, 'POST', '/api/v1/customers/imports?dryRun=false&fileName=bad.csv', {
      session: manager,
      payload: bad,
      headers: { 'content-type': 'text/csv' },
    });
    expect(start.statusCode).toBe(202);
    const report = await waitForJob(env, manager, start.json().id);
    expect(report.status).toBe('rejected');
    expect(report.total).toBe(4);
    const rows = report.rejections.map((r: { row: number }) => r.row);
    expect(rows).toEqual([3, 4]);
    const text = JSON.stringify(report.rejections);
    expect(text).toMatch(/name/);
    expect(text).toMatch(/tier/);
    // Each reason also as a code with its parameters, for the reader's language.
    expect(report.rejections[0]).toMatchObject({
      row: 3,
      codes: [{ code: 'required', column: 'name' }],
    });
    expect(report.rejections[1].codes).toEqual(
      expect.arrayContaining([
        { code: 'unknown_branch', column: 'home_branch_code', value: 'BJ-HD' },
        {
          code: 'invalid_choice',
          column: 'tier',
          value: 'gold',
          allowed: ['vip', 'major', 'ordinary', 'small'],
        },
      ]),
    );
    expect((await call(env, 'GET', '/api/v1/customers?pageSize=1', { session: manager })).json().total).toBe(
      before,
    );

    const good = [
      header,
      'person,王小明,resident_id,110105199003070017,13900001111,ordinary,silver,BJ-CY,bj-cy.cm',
    ].join('\n');
    const dry = await call(env, 'POST', '/api/v1/customers/imports?dryRun=true', {
      session: manager,
      payload: good,
      headers: { 'content-type': 'text/csv' },
    });
    expect((await waitForJob(env, manager, dry.json().id)).status).toBe('validated');
    expect((await call(env, 'GET', '/api/v1/customers?pageSize=1', { session: manager })).json().total).toBe(
      before,
    );
    const real = await call(env, 'POST', '/api/v1/customers/imports?dryRun=false', {
      session: manager,
      payload: good,
      headers: { 'content-type': 'text/csv' },
    });
    const done = await waitForJob(env, manager, real.json().id);
    expect(done).toMatchObject({ status: 'imported', accepted: 1 });
    const found = await call(env, 'GET', '/api/v1/customers?q=王小明', { session: manager });
    expect(found.json().items[0]).toMatchObject({
      name: '王小明',
      accountManagerName: expect.stringContaining('赵磊'),
    });

    const again = await call(env, 'POST', '/api/v1/customers/imports?dryRun=true', {
      session: manager,
      payload: good,
      headers: { 'content-type': 'text/csv' },
    });
    const dupReport = await waitForJob(env, manager, again.json().id);
    expect(dupReport.status).toBe('rejected');
    expect(JSON.stringify(dupReport.rejections)).toMatch(/already on file/);
    expect(dupReport.rejections[0].codes).toEqual([
      { code: 'already_on_file', column: 'id_number', customerNo: expect.stringMatching(/^C\d+/) },
    ]);
  });

  it('rejects a file with missing columns as a whole, with a message', async () => {
    const res = await call(env, 'POST', '/api/v1/customers/imports?dryRun=true', {
      session: manager,
      payload: 'name,phone\n张三,13800000000\n',
      headers: { 'content-type': 'text/csv' },
    });
    const job = await waitForJob(env, manager, res.json().id);
    expect(job.status).toBe('rejected');
    expect(job.message).toMatch(/Missing columns: kind/);
    expect(job.refusal).toEqual({
      code: 'missing_columns',
      columns: ['kind', 'id_type', 'id_number', 'tier', 'service_level', 'home_branch_code'],
    });
  });
});
