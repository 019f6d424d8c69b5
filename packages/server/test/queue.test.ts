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

interface CounterJson {
  id: string;
  number: number;
  state: string;
  skills: string[];
  currentTicketId: string | null;
}
interface TicketJson {
  id: string;
  number: string;
  status: string;
  serviceCode: string;
  arrivedAt: string;
  counterId: string | null;
  recallCount: number;
  transferred: boolean;
  priorityClass: string;
}

describe.each(engines)('branch queue on %s', (engine) => {
  let env: TestEnv;
  let branch: string;
  let teller: Session;
  let teller2: Session;
  let lobby: Session;
  let counters: CounterJson[];
  const base = () => `/api/v1/branches/${branch}`;

  const issue = async (serviceCode: string, extra: Record<string, unknown> = {}, key?: string) => {
    const res = await call(env, 'POST', `${base()}/tickets`, {
      payload: { serviceCode, ...extra },
      headers: key ? { 'idempotency-key': key } : {},
    });
    expect([200, 201], res.body).toContain(res.statusCode);
    return res.json() as {
      ticket: TicketJson;
      peopleAhead: number;
      estimate: { pointSeconds: number } | null;
    };
  };
  const post = (session: Session, url: string, payload: unknown = {}) =>
    call(env, 'POST', url, { session, payload });

  beforeAll(async () => {
    env = await createTestEnv(engine);
    branch = await orgIdByCode(env, 'BJ-CY');
    teller = await signInAs(env, 'bj-cy.teller1');
    teller2 = await signInAs(env, 'bj-cy.teller2');
    lobby = await signInAs(env, 'bj-cy.lobby');
    const overview = await call(env, 'GET', `${base()}/queue`, { session: teller });
    expect(overview.statusCode, overview.body).toBe(200);
    counters = overview.json().counters as CounterJson[];
  });
  afterAll(() => env.close());

  const counter = (n: number) => counters.find((c) => c.number === n) as CounterJson;

  it('a branch gets the default services and counters; the kiosk lists them', async () => {
    expect(counters.map((c) => c.number)).toEqual([1, 2, 3, 4, 5]);
    const kiosk = await call(env, 'GET', `${base()}/kiosk`);
    expect(kiosk.statusCode).toBe(200);
    expect(kiosk.json().services.map((s: { prefix: string }) => s.prefix)).toEqual(['A', 'B', 'C', 'V']);
  });

  it('issues A001, A002 … per service and day; an Idempotency-Key retry returns the same ticket', async () => {
    const a1 = await issue('cash', {}, 'kiosk-1-req-000001');
    expect(a1.ticket.number).toBe('A001');
    expect(a1.ticket.status).toBe('waiting');
    const again = await call(env, 'POST', `${base()}/tickets`, {
      payload: { serviceCode: 'cash' },
      headers: { 'idempotency-key': 'kiosk-1-req-000001' },
    });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().ticket.id).toBe(a1.ticket.id);
    const conflict = await call(env, 'POST', `${base()}/tickets`, {
      payload: { serviceCode: 'personal' },
      headers: { 'idempotency-key': 'kiosk-1-req-000001' },
    });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().code).toBe('idempotency_conflict');
    // Concurrent retries of one request still make one ticket.
    const burst = await Promise.all(
      Array.from({ length: 8 }, () =>
        call(env, 'POST', `${base()}/tickets`, {
          payload: { serviceCode: 'cash' },
          headers: { 'idempotency-key': 'kiosk-1-req-000002' },
        }),
      ),
    );
    expect(new Set(burst.map((r) => r.json().ticket.id)).size).toBe(1);
    expect(burst.map((r) => r.json().ticket.number)).toEqual(Array(8).fill('A002'));
    const b1 = await issue('personal');
    expect(b1.ticket.number).toBe('B001');
    const unknown = await call(env, 'POST', `${base()}/tickets`, { payload: { serviceCode: 'nope' } });
    expect(unknown.statusCode).toBe(404);
  });

  it('the next business day in the branch zone starts again at 001', async () => {
    const saved = env.clock.now();
    env.clock.advance(24 * 3600_000);
    expect((await issue('corporate')).ticket.number).toBe('C001');
    expect((await issue('cash')).ticket.number).toBe('A001');
    env.clock.set(saved);
    expect((await issue('corporate')).ticket.number).toBe('C001');
  });

  it('open → call next → start → finish, with the status page and display following along', async () => {
    const waiting = await call(env, 'GET', `${base()}/tickets?status=waiting`, { session: teller });
    const before = waiting.json() as TicketJson[];
    expect(before.map((t) => t.number)).toEqual(['A001', 'A002', 'B001', 'C001']);
    const c1 = counter(1);
    expect((await post(teller, `${base()}/counters/${c1.id}/call-next`)).statusCode).toBe(409); // closed
    const opened = await post(teller, `${base()}/counters/${c1.id}/open`);
    expect(opened.json().state).toBe('open');
    const status0 = await call(env, 'GET', `/api/v1/tickets/${before[1]?.id}`);
    expect(status0.statusCode).toBe(200);
    expect(status0.json().peopleAhead).toBe(1);
    expect(status0.json().estimate.pointSeconds).toBeGreaterThan(0);

    env.clock.advance(60_000);
    const called = await post(teller, `${base()}/counters/${c1.id}/call-next`);
    expect(called.statusCode, called.body).toBe(200);
    const t = called.json().ticket as TicketJson;
    expect(t.number).toBe('A001');
    expect(t.status).toBe('called');
    const busy = await post(teller, `${base()}/counters/${c1.id}/call-next`);
    expect(busy.statusCode).toBe(409);
    const status = (await call(env, 'GET', `/api/v1/tickets/${t.id}`)).json();
    expect(status.ticket.status).toBe('called');
    expect(status.counterNumber).toBe(1);
    const display = (await call(env, 'GET', `${base()}/display`)).json();
    expect(display.counters[0].currentNumber).toBe('A001');
    expect(display.recentCalls[0].number).toBe('A001');
    expect(JSON.stringify(display)).not.toMatch(/customer/i);

    const recalled = await post(teller, `${base()}/tickets/${t.id}/recall`);
    expect(recalled.json().recallCount).toBe(1);
    expect((await post(teller, `${base()}/tickets/${t.id}/finish`)).statusCode).toBe(409); // not started
    expect((await post(teller, `${base()}/tickets/${t.id}/start`)).json().status).toBe('serving');
    env.clock.advance(120_000);
    const done = await post(teller, `${base()}/tickets/${t.id}/finish`, { outcome: 'completed' });
    expect(done.json().status).toBe('served');
    expect(done.json().outcome).toBe('completed');
  });

  it('a counter only calls what it has the skill for; transfer keeps the arrival time', async () => {
    const c4 = counter(4); // corporate, personal
    await post(teller2, `${base()}/counters/${c4.id}/open`);
    const first = (await post(teller2, `${base()}/counters/${c4.id}/call-next`)).json().ticket as TicketJson;
    expect(['C001', 'B001']).toContain(first.number);
    const moved = await post(teller2, `${base()}/tickets/${first.id}/transfer`, { serviceCode: 'cash' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().status).toBe('waiting');
    expect(moved.json().serviceCode).toBe('cash');
    expect(moved.json().arrivedAt).toBe(first.arrivedAt);
    expect(moved.json().transferred).toBe(true);
    const overview = (await call(env, 'GET', `${base()}/queue`, { session: lobby })).json();
    expect(overview.counters.find((c: CounterJson) => c.number === 4).currentTicketId).toBeNull();
  });

  it('recall past the limit becomes a no-show; abandon, walk-up, triage, pause and close', async () => {
    const c1 = counter(1);
    const t = (await post(teller, `${base()}/counters/${c1.id}/call-next`)).json().ticket as TicketJson;
    await post(teller, `${base()}/tickets/${t.id}/recall`);
    await post(teller, `${base()}/tickets/${t.id}/recall`);
    const third = await post(teller, `${base()}/tickets/${t.id}/recall`);
    expect(third.json().status).toBe('no_show');

    const waiting = (await call(env, 'GET', `${base()}/tickets`, { session: lobby })).json() as TicketJson[];
    const w = waiting[0] as TicketJson;
    const triage = await call(env, 'PUT', `${base()}/tickets/${w.id}/triage`, {
      session: lobby,
      payload: { note: '开户，表格已填' },
    });
    expect(triage.json().triageNote).toBe('开户，表格已填');
    expect((await post(lobby, `${base()}/tickets/${w.id}/abandon`)).json().status).toBe('abandoned');
    expect((await post(lobby, `${base()}/tickets/${w.id}/abandon`)).statusCode).toBe(409);

    const walk = await post(teller, `${base()}/counters/${c1.id}/walk-up`, { serviceCode: 'personal' });
    expect(walk.statusCode, walk.body).toBe(201);
    expect(walk.json().walkUp).toBe(true);
    expect(walk.json().status).toBe('serving');
    expect((await post(teller, `${base()}/counters/${c1.id}/close`)).statusCode).toBe(409);
    await post(teller, `${base()}/tickets/${walk.json().id}/finish`);
    const paused = await post(teller, `${base()}/counters/${c1.id}/pause`, { reason: '午休' });
    expect(paused.json()).toMatchObject({ state: 'paused', pauseReason: '午休' });
    expect((await post(teller, `${base()}/counters/${c1.id}/close`)).json().state).toBe('closed');
    const skills = await call(env, 'PUT', `${base()}/counters/${c1.id}/skills`, {
      session: lobby,
      payload: { skills: ['wealth', 'cash'] },
    });
    expect(skills.json().skills).toEqual(['wealth', 'cash']);
    const bad = await call(env, 'PUT', `${base()}/counters/${c1.id}/skills`, {
      session: lobby,
      payload: { skills: ['mortgage'] },
    });
    expect(bad.statusCode).toBe(404);
  });

  it('an assistance request gets the assisted class', async () => {
    const elderly = await issue('personal', { assistance: 'elderly' });
    expect(elderly.ticket.priorityClass).toBe('assisted');
  });

  it('a teller of another branch gets 404 on this queue; the public kiosk refuses an unknown branch', async () => {
    const other = await signInAs(env, 'bj-hd.teller1');
    const c = counter(2);
    for (const [method, url] of [
      ['GET', `${base()}/queue`],
      ['GET', `${base()}/tickets`],
      ['POST', `${base()}/counters/${c.id}/open`],
      ['POST', `${base()}/counters/${c.id}/call-next`],
    ] as const) {
      const res = await call(env, method, url, {
        session: other,
        payload: method === 'POST' ? {} : undefined,
      });
      expect(res.statusCode, url).toBe(404);
    }
    const notBranch = await call(env, 'GET', `/api/v1/branches/${await orgIdByCode(env, 'NORTH')}/kiosk`);
    expect(notBranch.statusCode).toBe(404);
  });
});
