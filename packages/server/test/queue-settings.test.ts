import { and, eq, isNotNull } from 'drizzle-orm';
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

interface Settings {
  services: { code: string; prefix: string; targetWaitSeconds: number; active: boolean }[];
  policy: {
    calling: {
      classes: { id: string; weight: number; headStartMs: number; maxWaitMs: number }[];
      defaultClass: string;
      serviceLevelClasses: Record<string, string>;
      assistanceClass?: string;
      skillRankPenaltyMs: number;
    };
    noShowAfterRecalls: number;
  };
  version: number;
  updatedByName: string | null;
  defaults: Settings['policy'];
}

// Issue #3: per-branch services and calling policy, edited by the branch manager, validated,
// audited and effective for the next ticket and the next call.
describe.each(engines)('branch queue settings on %s', (engine) => {
  let env: TestEnv;
  let branch: string;
  let manager: Session;
  let lobby: Session;
  let teller: Session;
  let counterId: string;
  const base = () => `/api/v1/branches/${branch}`;
  const settings = async () =>
    (await call(env, 'GET', `${base()}/queue-settings`, { session: manager })).json() as Settings;
  const issue = async (serviceCode: string, extra: Record<string, unknown> = {}) =>
    call(env, 'POST', `${base()}/tickets`, { payload: { serviceCode, ...extra } });
  const audits = async (action: string) =>
    env.database.db
      .select({ details: auditLog.details, actorName: auditLog.actorName })
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.orgUnitId, branch)));

  beforeAll(async () => {
    env = await createTestEnv(engine);
    branch = await orgIdByCode(env, 'SH-XH');
    manager = await signInAs(env, 'sh-xh.manager');
    lobby = await signInAs(env, 'sh-xh.lobby');
    teller = await signInAs(env, 'sh-xh.teller1');
    const overview = (await call(env, 'GET', `${base()}/queue`, { session: teller })).json();
    counterId = overview.counters[0].id;
    await call(env, 'POST', `${base()}/counters/${counterId}/open`, { session: teller, payload: {} });
  });
  afterAll(() => env.close());

  it('shows the catalogue and the default policy; only a branch manager may change them', async () => {
    const s = await settings();
    expect(s.version).toBe(0);
    expect(s.services.map((x) => `${x.prefix}:${x.code}`)).toEqual([
      'A:cash',
      'B:personal',
      'C:corporate',
      'V:wealth',
    ]);
    expect(s.policy).toEqual(s.defaults);
    expect(s.policy.noShowAfterRecalls).toBe(2);
    const lobbyRead = await call(env, 'GET', `${base()}/queue-settings`, { session: lobby });
    expect(lobbyRead.statusCode).toBe(200);
    for (const session of [lobby, teller]) {
      const res = await call(env, 'PATCH', `${base()}/services/cash`, {
        session,
        payload: { targetWaitSeconds: 600 },
      });
      expect(res.statusCode).toBe(403);
    }
  });

  it('a new target wait counts in the KPIs at once and is audited', async () => {
    const res = await call(env, 'PATCH', `${base()}/services/cash`, {
      session: manager,
      payload: { targetWaitSeconds: 600, nameEn: 'Cash & cheques' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ code: 'cash', prefix: 'A', targetWaitSeconds: 600 });
    const kpis = (await call(env, 'GET', `${base()}/kpis`, { session: manager })).json();
    expect(kpis.services.find((s: { code: string }) => s.code === 'cash')).toMatchObject({
      targetWaitSeconds: 600,
      nameEn: 'Cash & cheques',
    });
    const [entry] = await audits('queue.service_updated');
    expect(entry?.actorName).toBe('sh-xh.manager');
    expect(entry?.details).toEqual({
      before: { targetWaitSeconds: 900, nameEn: 'Cash' },
      after: { targetWaitSeconds: 600, nameEn: 'Cash & cheques' },
    });
    // Out-of-range values are refused by the contract, an unknown service is not found.
    for (const payload of [{ targetWaitSeconds: 0 }, { prefix: 'ab' }, { code: 'x' }]) {
      const bad = await call(env, 'PATCH', `${base()}/services/cash`, { session: manager, payload });
      expect(bad.statusCode, JSON.stringify(payload)).toBe(400);
    }
    const missing = await call(env, 'PATCH', `${base()}/services/nope`, {
      session: manager,
      payload: { active: false },
    });
    expect(missing.statusCode).toBe(404);
  });

  it('refuses a prefix another service uses, adds a service the kiosk offers at once, and keeps one active', async () => {
    const taken = await call(env, 'PATCH', `${base()}/services/cash`, {
      session: manager,
      payload: { prefix: 'B' },
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().detail).toMatch(/Prefix B is already used by service personal/);

    const created = await call(env, 'POST', `${base()}/services`, {
      session: manager,
      payload: {
        code: 'fx',
        prefix: 'F',
        nameZh: '外币兑换',
        nameEn: 'Foreign exchange',
        targetWaitSeconds: 600,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const again = await call(env, 'POST', `${base()}/services`, {
      session: manager,
      payload: { code: 'fx2', prefix: 'F', nameZh: '重复', nameEn: 'Dup', targetWaitSeconds: 600 },
    });
    expect(again.statusCode).toBe(409);
    const kiosk = (await call(env, 'GET', `${base()}/kiosk`)).json();
    expect(kiosk.services.map((s: { code: string }) => s.code)).toContain('fx');
    const ticket = await issue('fx');
    expect(ticket.statusCode, ticket.body).toBe(201);
    expect(ticket.json().ticket.number).toBe('F001');

    // Switched off: the kiosk no longer offers it and refuses it.
    const off = await call(env, 'PATCH', `${base()}/services/fx`, {
      session: manager,
      payload: { active: false },
    });
    expect(off.statusCode).toBe(200);
    expect(
      (await call(env, 'GET', `${base()}/kiosk`)).json().services.map((s: { code: string }) => s.code),
    ).not.toContain('fx');
    expect((await issue('fx')).statusCode).toBe(409);

    for (const code of ['personal', 'corporate', 'wealth']) {
      const r = await call(env, 'PATCH', `${base()}/services/${code}`, {
        session: manager,
        payload: { active: false },
      });
      expect(r.statusCode).toBe(200);
    }
    const last = await call(env, 'PATCH', `${base()}/services/cash`, {
      session: manager,
      payload: { active: false },
    });
    expect(last.statusCode).toBe(409);
    expect(last.json().detail).toMatch(/at least one active service/);
    for (const code of ['personal', 'corporate', 'wealth']) {
      await call(env, 'PATCH', `${base()}/services/${code}`, { session: manager, payload: { active: true } });
    }
    expect((await audits('queue.service_created')).length).toBe(1);
  });

  it('a new calling policy decides the next call; a stale edit and an invalid policy are refused', async () => {
    // Default policy: an assisted customer's 3-minute head start puts them before an ordinary
    // customer who came one minute earlier.
    const round = async () => {
      const first = (await issue('personal')).json().ticket;
      env.clock.advance(60_000);
      const second = (await issue('personal', { assistance: 'elderly' })).json().ticket;
      expect(second.priorityClass).toBe('assisted');
      env.clock.advance(60_000);
      const called = [];
      for (let i = 0; i < 2; i++) {
        const t = (
          await call(env, 'POST', `${base()}/counters/${counterId}/call-next`, {
            session: teller,
            payload: {},
          })
        ).json().ticket;
        called.push(t.id);
        await call(env, 'POST', `${base()}/tickets/${t.id}/start`, { session: teller, payload: {} });
        await call(env, 'POST', `${base()}/tickets/${t.id}/finish`, { session: teller, payload: {} });
      }
      return { first: first.id, second: second.id, called };
    };
    // Other tickets drawn earlier in this file wait at this counter's skills too: clear them.
    for (;;) {
      const t = (
        await call(env, 'POST', `${base()}/counters/${counterId}/call-next`, { session: teller, payload: {} })
      ).json().ticket;
      if (!t) break;
      await call(env, 'POST', `${base()}/tickets/${t.id}/no-show`, { session: teller, payload: {} });
    }
    const before = await round();
    expect(before.called).toEqual([before.second, before.first]);

    // Assisted: no head start and weight 1.5. After 2 min and 1 min of waiting the ordinary
    // ticket ranks 120 s, the assisted one 1.5 × 60 = 90 s: arrival order now wins.
    const s = await settings();
    const fifo = {
      ...s.policy,
      calling: {
        ...s.policy.calling,
        classes: s.policy.calling.classes.map((c) =>
          c.id === 'assisted' ? { ...c, weight: 1.5, headStartMs: 0 } : c,
        ),
      },
      noShowAfterRecalls: 0,
    };
    const put = await call(env, 'PUT', `${base()}/queue-settings/policy`, {
      session: manager,
      payload: { ...fifo, expectedVersion: 0 },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ version: 1, updatedByName: expect.any(String) });
    const after = await round();
    expect(after.called).toEqual([after.first, after.second]);

    // noShowAfterRecalls 0: the first recall marks the customer a no-show.
    await issue('cash');
    const t = (
      await call(env, 'POST', `${base()}/counters/${counterId}/call-next`, { session: teller, payload: {} })
    ).json().ticket;
    const recalled = await call(env, 'POST', `${base()}/tickets/${t.id}/recall`, {
      session: teller,
      payload: {},
    });
    expect(recalled.json().status).toBe('no_show');

    const stale = await call(env, 'PUT', `${base()}/queue-settings/policy`, {
      session: manager,
      payload: { ...fifo, expectedVersion: 0 },
    });
    expect(stale.statusCode).toBe(409);
    const invalid = await call(env, 'PUT', `${base()}/queue-settings/policy`, {
      session: manager,
      payload: { ...fifo, calling: { ...fifo.calling, defaultClass: 'nobody' } },
    });
    expect(invalid.statusCode).toBe(400);
    expect(JSON.stringify(invalid.json().issues)).toMatch(/Unknown class nobody/);
    const lobbyPut = await call(env, 'PUT', `${base()}/queue-settings/policy`, {
      session: lobby,
      payload: fifo,
    });
    expect(lobbyPut.statusCode).toBe(403);
    const [entry] = await audits('queue.policy_updated');
    expect(entry?.details).toMatchObject({ version: 1, after: { noShowAfterRecalls: 0 } });
  });

  it('identifies a kiosk customer through the customers context: a gold customer draws a VIP ticket', async () => {
    const [gold] = await env.database.db
      .select({ phone: customers.phone, idNumber: customers.idNumber })
      .from(customers)
      .where(and(eq(customers.serviceLevel, 'gold'), isNotNull(customers.phone)))
      .limit(1);
    expect(gold?.phone).toBeTruthy();
    const byPhone = await issue('cash', { identification: { kind: 'phone', value: gold?.phone } });
    expect(byPhone.json().ticket.priorityClass).toBe('vip');
    const byId = await issue('cash', { identification: { kind: 'national_id', value: gold?.idNumber } });
    expect(byId.json().ticket.priorityClass).toBe('vip');
    const unknown = await issue('cash', { identification: { kind: 'phone', value: '19900000000' } });
    expect(unknown.json().ticket.priorityClass).toBe('ordinary');
    // The branch's own mapping decides: gold no longer means VIP here.
    const s = await settings();
    const put = await call(env, 'PUT', `${base()}/queue-settings/policy`, {
      session: manager,
      payload: { ...s.policy, calling: { ...s.policy.calling, serviceLevelClasses: { diamond: 'vip' } } },
    });
    expect(put.statusCode, put.body).toBe(200);
    const after = await issue('cash', { identification: { kind: 'phone', value: gold?.phone } });
    expect(after.json().ticket.priorityClass).toBe('ordinary');
  });
});
