import { hasPermission, type Permission, type Role, systemClock } from '@serviceloop/domain';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApp } from '../src/app.ts';
import { customers } from '../src/db/schema.ts';
import { notifications } from '../src/db/schema-notifications.ts';
import { type AnyRoute, defineRoute } from '../src/http/route.ts';
import { newId } from '../src/ids.ts';
import { demoUsers } from '../src/seed/demo.ts';
import {
  call,
  createTestEnv,
  engines,
  openTestDatabase,
  orgIdByCode,
  sessionCache,
  signInAs,
  type TestEnv,
  userIdByName,
} from './harness.ts';
import { testConfig } from './templates.ts';

const NIL = '01a20000-0000-7000-8000-000000000000';
const fill = (url: string, id = NIL) => url.replace(/:[A-Za-z]+/g, id);

describe('a route without an access declaration cannot exist', () => {
  it('refuses to start when a route declares no permission', async () => {
    const { database } = await openTestDatabase('pglite');
    const unguarded = {
      method: 'GET',
      url: '/api/v1/oops',
      summary: 'x',
      tags: [],
      handler: () => undefined,
    };
    await expect(
      buildApp({
        database,
        config: testConfig(),
        clock: systemClock,
        serveWeb: false,
        extraRoutes: () => [unguarded as unknown as AnyRoute],
      }).then((app) => app.fastify.ready()),
    ).rejects.toThrow(/declares no access permission/);
    await database.close();
  });
});

describe('a response that does not match its schema', () => {
  it('is refused with a 500 problem in tests (VALIDATE_RESPONSES), and sent when the check is off', async () => {
    const drifted = defineRoute({
      method: 'GET',
      url: '/api/v1/drifted',
      access: 'public',
      summary: 'A route whose schema fell behind what it sends',
      tags: [],
      response: z.strictObject({ count: z.number() }),
      handler: () => ({ count: 'three' }) as unknown as { count: number },
    });
    for (const validateResponses of [true, false]) {
      const { database } = await openTestDatabase('pglite');
      const app = await buildApp({
        database,
        config: testConfig({ validateResponses }),
        clock: systemClock,
        serveWeb: false,
        extraRoutes: () => [drifted as unknown as AnyRoute],
      });
      const res = await app.fastify.inject({ method: 'GET', url: '/api/v1/drifted' });
      if (validateResponses) {
        expect(res.statusCode).toBe(500);
        expect(res.headers['content-type']).toMatch(/problem\+json/);
        expect(res.json()).toMatchObject({ code: 'internal' });
      } else {
        expect(res.statusCode).toBe(200);
        expect(res.json()).toEqual({ count: 'three' });
      }
      await app.fastify.close();
      await database.close();
    }
  });
});

describe.each(engines)('access control on %s', (engine) => {
  let env: TestEnv;
  const session = sessionCache(() => env);

  beforeAll(async () => {
    env = await createTestEnv(engine);
  });
  afterAll(() => env.close());

  it('every API route declares access, and the route list is not empty', () => {
    const api = env.app.routes.filter((r) => r.url.startsWith('/api/'));
    expect(api.length).toBeGreaterThan(15);
    for (const r of api) expect(r.access, `${r.method} ${r.url}`).toBeTruthy();
  });

  it('every non-public route answers 401 problem+json without a session', async () => {
    for (const r of env.app.routes.filter((x) => x.access !== 'public')) {
      const res = await call(env, r.method, fill(r.url), { payload: r.method === 'GET' ? undefined : {} });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
  });

  it('every permission-guarded route answers 403 to a user without that permission', async () => {
    let checked = 0;
    for (const r of env.app.routes) {
      if (r.access === 'public' || r.access === 'authenticated') continue;
      const user = demoUsers.find((u) => !hasPermission(u.roles as Role[], r.access as Permission));
      if (!user) continue;
      const res = await call(env, r.method, fill(r.url), {
        session: await session(user.username),
        payload: r.method === 'GET' ? undefined : {},
      });
      expect(res.statusCode, `${r.method} ${r.url} as ${user.username}`).toBe(403);
      expect(res.json().code).toBe('forbidden');
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('a user of branch A gets 404 for every route that addresses branch B by id', async () => {
    const admin = await session('admin');
    // A branch-level administrator holds every permission: only the org scope can stop it.
    const created = await call(env, 'POST', '/api/v1/staff', {
      session: admin,
      payload: {
        username: 'bj-cy.admin',
        displayName: '朝阳支行系统管理员',
        orgUnitId: await orgIdByCode(env, 'BJ-CY'),
        roles: ['administrator'],
        password: 'Branch-admin-2026',
      },
    });
    expect(created.statusCode).toBe(201);
    const manager = await signInAs(env, 'bj-cy.admin', 'Branch-admin-2026');
    const [bCustomer] = await env.database.db
      .select({ id: customers.id })
      .from(customers)
      .where(eq(customers.homeBranchId, await orgIdByCode(env, 'BJ-HD')))
      .limit(1);
    const importRes = await call(env, 'POST', '/api/v1/customers/imports?dryRun=true', {
      session: admin,
      payload: 'kind,name\n',
      headers: { 'content-type': 'text/csv' },
    });
    // A notification in someone else's inbox (another branch's teller).
    const otherNotification = newId();
    await env.database.db.insert(notifications).values({
      id: otherNotification,
      recipientId: await userIdByName(env, 'bj-hd.teller1'),
      eventId: newId(),
      type: 'case.assigned',
      orgUnitId: await orgIdByCode(env, 'BJ-HD'),
      aggregateType: 'case',
      aggregateId: newId(),
      data: {},
      occurredAt: new Date(),
      createdAt: new Date(),
    });
    const otherIds: Record<string, string> = {
      '/api/v1/notifications/:id': otherNotification,
      '/api/v1/customers/imports/:id': importRes.json().id,
      '/api/v1/customers/:id': bCustomer?.id as string,
      '/api/v1/org-units/:id': await orgIdByCode(env, 'BJ-HD'),
      // Case-engine settings and calendars are addressed by org unit.
      '/api/v1/sla/config/units/:id': await orgIdByCode(env, 'BJ-HD'),
      '/api/v1/sla/calendars/units/:id': await orgIdByCode(env, 'BJ-HD'),
      '/api/v1/staff/:id': await userIdByName(env, 'bj-hd.teller1'),
      '/api/v1/cases/:id': (
        await call(env, 'POST', '/api/v1/cases', {
          session: admin,
          payload: {
            type: 'ebanking_support',
            orgUnitId: await orgIdByCode(env, 'BJ-HD'),
            channel: 'hotline',
            customer: { kind: 'walk_in', name: '跨行测试' },
            subject: 'cross-branch',
            content: 'cross-branch',
          },
        })
      ).json().case.id,
    };
    const bodies: Record<string, unknown> = {
      'PATCH /api/v1/customers/:id': { name: '越权' },
      'POST /api/v1/customers/:id/archive': { reason: 'cross-branch attempt' },
      'POST /api/v1/customers/:id/reveal': { reason: 'cross-branch attempt' },
      'PATCH /api/v1/org-units/:id': { name: '越权' },
      'PATCH /api/v1/staff/:id': { displayName: '越权' },
      'POST /api/v1/staff/:id/password': { password: 'Cross-branch-2026' },
      'POST /api/v1/cases/:id/actions': { type: 'acknowledge' },
      'PUT /api/v1/sla/config/units/:id': { expectedVersion: 0, override: {} },
      'PUT /api/v1/sla/calendars/units/:id': { expectedVersion: 0, change: { action: 'inherit' } },
      'POST /api/v1/sla/calendars/units/:id/import': { ics: 'BEGIN:VCALENDAR', expectedVersion: 0 },
      'POST /api/v1/cases/:id/compensations/:compensationId/decline': { reason: 'cross-branch attempt' },
      'POST /api/v1/cases/:id/reclassify': { severity: 'high', reason: 'cross-branch attempt' },
      'POST /api/v1/notifications/:id/read': {},
      'PUT /api/v1/customers/:id/value': {
        depositsMinor: 0,
        investmentsMinor: 0,
        loansMinor: 0,
        annualProfitMinor: 0,
        expectedYears: 1,
        asOf: '2026-10-31',
      },
    };
    const withId = env.app.routes.filter((r) => r.url.includes(':id'));
    expect(withId.length).toBeGreaterThan(5);
    for (const r of withId) {
      const key = Object.keys(otherIds)
        .filter((k) => r.url.startsWith(k.replace('/:id', '/')) || r.url === k)
        .sort((a, b) => b.length - a.length)[0];
      expect(key, `no cross-branch id for ${r.url}: add one to this test`).toBeDefined();
      const url = fill(r.url, otherIds[key as string]);
      const res = await call(env, r.method, url, {
        session: manager,
        payload: bodies[`${r.method} ${r.url}`],
      });
      expect(res.statusCode, `${r.method} ${url}`).toBe(404);
    }
    // And nothing changed in branch B.
    const [after] = await env.database.db
      .select()
      .from(customers)
      .where(eq(customers.id, bCustomer?.id as string));
    expect(after?.name).not.toBe('越权');
    expect(after?.deletedAt).toBeNull();
  });

  it('lists show a teller only their own branch, and narrowing to another branch is not found', async () => {
    const teller = await session('bj-cy.teller1');
    const list = await call(env, 'GET', '/api/v1/customers?pageSize=200', { session: teller });
    expect(list.statusCode).toBe(200);
    const body = list.json() as { items: { homeBranchName: string }[]; total: number };
    expect(body.total).toBe(50);
    expect(new Set(body.items.map((c) => c.homeBranchName))).toEqual(new Set(['北京朝阳支行']));
    const units = await call(env, 'GET', '/api/v1/org-units', { session: teller });
    expect((units.json() as { code: string }[]).map((u) => u.code).sort()).toEqual([
      'BJ-CY',
      'BJ-CY-CB',
      'BJ-CY-PB',
    ]);
    const other = await call(env, 'GET', `/api/v1/customers?orgUnitId=${await orgIdByCode(env, 'SH-PD')}`, {
      session: teller,
    });
    expect(other.statusCode).toBe(404);
    const adminList = await call(env, 'GET', '/api/v1/customers?pageSize=1', {
      session: await session('admin'),
    });
    expect(adminList.json().total).toBe(200);
    const region = await call(env, 'GET', '/api/v1/customers?pageSize=1', {
      session: await session('north.manager'),
    });
    expect(region.json().total).toBe(100);
  });
});
