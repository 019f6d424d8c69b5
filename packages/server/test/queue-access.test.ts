import { defaultBranchQueuePolicy } from '@serviceloop/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestEnv, engines, orgIdByCode, signInAs, type TestEnv } from './harness.ts';

// Every signed-in queue route addresses a branch in its path; a user of another branch must get
// 404 on each of them — even a branch manager who holds every queue permission — and nothing in
// the other branch may change.
describe.each(engines)('queue routes are scoped to the caller’s branch on %s', (engine) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv(engine);
  });
  afterAll(() => env.close());

  it('a manager of BJ-CY gets 404 on every queue route of BJ-HD', async () => {
    const hd = await orgIdByCode(env, 'BJ-HD');
    const hdTeller = await signInAs(env, 'bj-hd.teller1');
    const hdManager = await signInAs(env, 'bj-hd.manager');
    const overview = (await call(env, 'GET', `/api/v1/branches/${hd}/queue`, { session: hdTeller })).json();
    const counterId = overview.counters[0].id as string;
    await call(env, 'POST', `/api/v1/branches/${hd}/counters/${counterId}/open`, {
      session: hdTeller,
      payload: {},
    });
    const issued = await call(env, 'POST', `/api/v1/branches/${hd}/tickets`, {
      payload: { serviceCode: 'cash' },
    });
    const ticketId = issued.json().ticket.id as string;
    const job = await call(env, 'POST', `/api/v1/branches/${hd}/visit-imports?dryRun=true`, {
      session: hdManager,
      payload: 'visit_id\n',
      headers: { 'content-type': 'text/csv' },
    });
    const jobId = job.json().id as string;
    const notice = await call(env, 'POST', `/api/v1/branches/${hd}/notices`, {
      session: hdManager,
      payload: { textZh: 'ATM 2 暂停服务' },
    });
    const noticeId = notice.json().id as string;

    const intruder = await signInAs(env, 'bj-cy.manager');
    const ids: Record<string, string> = {
      branchId: hd,
      counterId,
      ticketId,
      jobId,
      noticeId,
      serviceCode: 'cash',
    };
    const bodies: Record<string, unknown> = {
      pause: { reason: '越权' },
      skills: { skills: ['cash'] },
      'walk-up': { serviceCode: 'cash' },
      transfer: { serviceCode: 'personal' },
      triage: { note: '越权' },
      finish: { outcome: 'completed' },
      notices: { textZh: '越权' },
      services: { code: 'fx', prefix: 'F', nameZh: '越权', nameEn: 'x', targetWaitSeconds: 60 },
      cash: { targetWaitSeconds: 1 },
      policy: defaultBranchQueuePolicy,
    };
    const routes = env.app.routes.filter((r) => r.url.includes(':branchId') && r.access !== 'public');
    expect(routes.length).toBeGreaterThan(15);
    for (const r of routes) {
      const url = r.url.replace(/:([A-Za-z]+)/g, (_, name: string) => ids[name] as string);
      const last = r.url.split('/').pop() as string;
      const query = last === 'visits.csv' || last === 'trend' ? '?from=2026-01-01&to=2026-01-02' : '';
      const res = await call(env, r.method, `${url}${query}`, {
        session: intruder,
        payload: r.method === 'GET' ? undefined : (bodies[last] ?? {}),
        ...(r.url.endsWith('visit-imports') ? { headers: { 'content-type': 'text/csv' } } : {}),
      });
      expect(res.statusCode, `${r.method} ${r.url}: ${res.body}`).toBe(404);
    }
    // Nothing changed in BJ-HD.
    const after = (
      await call(env, 'GET', `/api/v1/branches/${hd}/tickets/${ticketId}`, { session: hdTeller })
    ).json();
    expect(after).toMatchObject({ status: 'waiting', serviceCode: 'cash', triageNote: null });
    const counters = (await call(env, 'GET', `/api/v1/branches/${hd}/queue`, { session: hdTeller })).json()
      .counters;
    expect(counters[0]).toMatchObject({ state: 'open', skills: ['cash', 'personal'], currentTicketId: null });
    const settings = (
      await call(env, 'GET', `/api/v1/branches/${hd}/queue-settings`, { session: hdManager })
    ).json();
    expect(settings.version).toBe(0);
    expect(settings.services.map((s: { code: string }) => s.code)).not.toContain('fx');
    expect(settings.services.find((s: { code: string }) => s.code === 'cash').targetWaitSeconds).toBe(900);
    const notices = (await call(env, 'GET', `/api/v1/branches/${hd}/notices`, { session: hdManager })).json();
    expect(notices.map((n: { status: string }) => n.status)).toEqual(['active']);
  });
});
