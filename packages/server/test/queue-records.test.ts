import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDisplayStreams, displayHub } from '../src/queue/stream.ts';
import {
  call,
  createTestEnv,
  engines,
  orgIdByCode,
  type Session,
  signInAs,
  type TestEnv,
} from './harness.ts';

/** A few rows of the visit-log format with the glitches real data has (unsorted, start before call). */
const history = [
  'visit_id,site,service,priority,arrived_at,called_at,service_started_at,service_ended_at,outcome,counter',
  'v3,SH-PD,PS,0,2010-08-01T09:05:00,2010-08-01T09:06:00,2010-08-01T09:05:59,2010-08-01T09:09:00,served,AGENT1',
  'v1,SH-PD,PS,2,2010-08-01T09:00:00,2010-08-01T09:01:00,2010-08-01T09:01:00,2010-08-01T09:04:00,served,AGENT2',
  'v2,SH-PD,NW,1,2010-08-01T09:02:00,,,,abandoned,',
  'v4,SH-PD,PS,0,2010-08-01T09:07:00,2010-08-01T09:10:00,,,no_show,',
].join('\n');

describe.each(engines)('queue records, KPIs and the display stream on %s', (engine) => {
  let env: TestEnv;
  let branch: string;
  let teller: Session;
  let manager: Session;
  let counterId: string;
  const base = () => `/api/v1/branches/${branch}`;
  const post = (session: Session, url: string, payload: unknown = {}) =>
    call(env, 'POST', url, { session, payload });

  beforeAll(async () => {
    env = await createTestEnv(engine);
    branch = await orgIdByCode(env, 'SH-PD');
    teller = await signInAs(env, 'sh-pd.teller1');
    manager = await signInAs(env, 'sh-pd.manager');
    const overview = (await call(env, 'GET', `${base()}/queue`, { session: teller })).json();
    counterId = overview.counters[0].id;
    await post(teller, `${base()}/counters/${counterId}/open`);
  });
  afterAll(() => env.close());

  it('counts a day: served, abandoned, no-show, waits against the target, service time', async () => {
    const issue = async (serviceCode: string) =>
      (await call(env, 'POST', `${base()}/tickets`, { payload: { serviceCode } })).json().ticket.id as string;
    const a = await issue('cash');
    const b = await issue('cash');
    const c = await issue('personal');
    env.clock.advance(600_000); // 10 min: within the 15 min target
    const first = (await post(teller, `${base()}/counters/${counterId}/call-next`)).json().ticket;
    expect(first.id).toBe(a);
    await post(teller, `${base()}/tickets/${a}/start`);
    env.clock.advance(300_000);
    await post(teller, `${base()}/tickets/${a}/finish`);
    env.clock.advance(900_000); // b has now waited 30 min: over target
    const second = (await post(teller, `${base()}/counters/${counterId}/call-next`)).json().ticket;
    expect(second.id).toBe(b);
    await post(teller, `${base()}/tickets/${b}/no-show`);
    manager = await signInAs(env, 'sh-pd.manager'); // the clock moved past the idle timeout
    expect((await post(manager, `${base()}/tickets/${c}/abandon`)).statusCode).toBe(200);

    const kpis = await call(env, 'GET', `${base()}/kpis`, { session: manager });
    expect(kpis.statusCode, kpis.body).toBe(200);
    const k = kpis.json();
    expect(k.branch).toMatchObject({
      arrivals: 3,
      served: 1,
      abandoned: 1,
      noShows: 1,
      open: 0,
      meanWaitSeconds: 1200, // a waited 10 min, b 30 min
      maxWaitSeconds: 1800,
      withinTargetPct: 50,
      meanServiceSeconds: 300,
    });
    const cash = k.services.find((s: { code: string }) => s.code === 'cash');
    expect(cash).toMatchObject({ arrivals: 2, served: 1, noShows: 1, targetWaitSeconds: 900 });
    expect(k.counters[0]).toMatchObject({ served: 1, noShows: 1 });

    const day = k.businessDay as string;
    const csv = await call(env, 'GET', `${base()}/visits.csv?from=${day}&to=${day}`, { session: manager });
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe(
      'visit_id,site,service,priority,arrived_at,called_at,service_started_at,service_ended_at,outcome,counter',
    );
    expect(lines).toHaveLength(4);
    expect(lines.some((l) => l.startsWith(`${day}-A001,SH-PD,cash,0,`) && l.endsWith(',served,1'))).toBe(
      true,
    );
    expect(lines.some((l) => l.endsWith(',abandoned,'))).toBe(true);
  });

  it('imports the sample history as a job with a report of rejected rows', async () => {
    const bad =
      'visit_id,service,priority,arrived_at,called_at,outcome\n1,PS,0,2010-08-01T09:00:00,,abandoned\n2,PS,x,yesterday,,served\n';
    const start = await call(env, 'POST', `${base()}/visit-imports?dryRun=false`, {
      session: manager,
      payload: bad,
      headers: { 'content-type': 'text/csv' },
    });
    expect(start.statusCode, start.body).toBe(202);
    const poll = async (id: string) => {
      for (let i = 0; i < 200; i++) {
        const job = (await call(env, 'GET', `${base()}/visit-imports/${id}`, { session: manager })).json();
        if (job.status !== 'running') return job;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('import did not finish');
    };
    const job = await poll(start.json().id);
    expect(job).toMatchObject({ status: 'imported', accepted: 1, rejected: 1, refusal: null });
    // The outcome as figures for the browser, and the same in English for API clients.
    expect(job.summary).toEqual({ importable: 1, imported: 1, alreadyOnFile: 0, rejected: 1, tolerated: [] });
    expect(job.message).toBe('Imported 1 visit. 1 row rejected.');
    expect(job.rejections[0]).toMatchObject({
      row: 3,
      codes: [{ code: 'bad_integer', column: 'priority', value: 'x' }],
    });

    const dryStart = await call(env, 'POST', `${base()}/visit-imports?dryRun=true&fileName=history.csv`, {
      session: manager,
      payload: history,
      headers: { 'content-type': 'text/csv' },
    });
    const dry = await poll(dryStart.json().id);
    expect(dry).toMatchObject({ status: 'validated', accepted: 4, rejected: 0, fileName: 'history.csv' });
    expect(dry.message).toMatch(/Tolerated: .*service_before_call 1.*out_of_order 2/);
    expect(dry.summary).toEqual({
      importable: 4,
      imported: 0,
      alreadyOnFile: 0,
      rejected: 0,
      tolerated: [
        { code: 'service_before_call', count: 1 },
        { code: 'out_of_order', count: 2 },
      ],
    });
    const real = await poll(
      (
        await call(env, 'POST', `${base()}/visit-imports?dryRun=false`, {
          session: manager,
          payload: history,
          headers: { 'content-type': 'text/csv' },
        })
      ).json().id,
    );
    expect(real).toMatchObject({ status: 'imported', accepted: 4 });
    const again = await poll(
      (
        await call(env, 'POST', `${base()}/visit-imports?dryRun=false`, {
          session: manager,
          payload: history,
          headers: { 'content-type': 'text/csv' },
        })
      ).json().id,
    );
    expect(again.accepted).toBe(0);
    expect(again.message).toMatch(/4 were already on file/);
    expect(again.summary).toMatchObject({ importable: 4, imported: 0, alreadyOnFile: 4, rejected: 0 });
    // A file refused as a whole has a refusal code and no summary.
    const refused = await poll(
      (
        await call(env, 'POST', `${base()}/visit-imports?dryRun=true`, {
          session: manager,
          payload: 'visit_id,service\nv1,PS\n',
          headers: { 'content-type': 'text/csv' },
        })
      ).json().id,
    );
    expect(refused).toMatchObject({
      status: 'rejected',
      summary: null,
      refusal: { code: 'missing_columns', columns: ['priority', 'arrived_at', 'called_at', 'outcome'] },
    });
    // Another branch's job is not found, and a teller may not import.
    const other = await signInAs(env, 'bj-cy.manager');
    expect(
      (await call(env, 'GET', `${base()}/visit-imports/${start.json().id}`, { session: other })).statusCode,
    ).toBe(404);
  });

  it('the display board streams its state on connect and each call live, over SSE', async () => {
    await env.app.fastify.listen({ host: '127.0.0.1', port: 0 });
    const address = env.app.fastify.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const abort = new AbortController();
    const res = await fetch(`http://127.0.0.1:${port}${base()}/display/stream`, { signal: abort.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const until = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        text += decoder.decode(value);
      }
    };
    await until(/event: state\ndata: \{.*"counters"/);
    expect(displayHub(env.app.ctx).connections).toBe(1);
    await call(env, 'POST', `${base()}/tickets`, { payload: { serviceCode: 'personal' } });
    const called = await post(teller, `${base()}/counters/${counterId}/call-next`);
    const number = called.json().ticket.number as string;
    await until(new RegExp(`event: call\\ndata: \\{[^\\n]*"number":"${number}"`));
    expect(text).toMatch(/"counterNumber":1/);
    abort.abort();
    await reader.cancel().catch(() => undefined);
    for (let i = 0; i < 50 && displayHub(env.app.ctx).connections > 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(displayHub(env.app.ctx).connections).toBe(0);
    // A board still connected at shutdown is ended, so the server can close.
    const second = await fetch(`http://127.0.0.1:${port}${base()}/display/stream`);
    const secondReader = (second.body as ReadableStream<Uint8Array>).getReader();
    await secondReader.read();
    expect(displayHub(env.app.ctx).connections).toBe(1);
    closeDisplayStreams(env.app.ctx);
    for (;;) {
      const { done } = await secondReader.read();
      if (done) break;
    }
    expect(displayHub(env.app.ctx).connections).toBe(0);
  });

  it('a user of another branch gets 404 on KPIs, export and import', async () => {
    const other = await signInAs(env, 'bj-cy.manager');
    for (const url of [`${base()}/kpis`, `${base()}/visits.csv?from=2026-01-01&to=2026-01-02`]) {
      expect((await call(env, 'GET', url, { session: other })).statusCode, url).toBe(404);
    }
    const imp = await call(env, 'POST', `${base()}/visit-imports`, {
      session: other,
      payload: 'visit_id\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect(imp.statusCode).toBe(404);
  });
});
