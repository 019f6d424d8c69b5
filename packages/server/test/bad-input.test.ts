import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestEnv, engines, type Session, signInAs, type TestEnv } from './harness.ts';

describe.each(engines)('bad input on %s', (engine) => {
  let env: TestEnv;
  let admin: Session;
  beforeAll(async () => {
    env = await createTestEnv(engine);
    admin = await signInAs(env, 'admin');
  });
  afterAll(() => env.close());

  const problem = (res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }) => {
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(String(res.headers['content-type'])).toMatch(/application\/problem\+json/);
    const body = res.json() as { code: string; detail: string; status: number };
    expect(body.code).toMatch(/^[a-z_]+$/);
    expect(body.status).toBe(res.statusCode);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
    return body;
  };

  it('malformed JSON is 400 malformed_request', async () => {
    const res = await call(env, 'POST', '/api/v1/auth/sign-in', {
      payload: '{"username": "admin", "password": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(problem(res).code).toBe('malformed_request');
  });

  it('wrong types and unknown fields are 400 validation_failed with field issues', async () => {
    const res = await call(env, 'POST', '/api/v1/org-units', {
      session: admin,
      payload: { parentId: 42, kind: 'castle', code: 'x', name: '', sneaky: true },
    });
    const body = problem(res) as unknown as { code: string; issues: { path: string }[] };
    expect(body.code).toBe('validation_failed');
    const paths = body.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['body.parentId', 'body.kind', 'body.code', 'body.name']));
    expect(JSON.stringify(body.issues)).toMatch(/sneaky/);
  });

  it('an oversized body is 413 and a wrong content type is 415', async () => {
    const big = await call(env, 'POST', '/api/v1/auth/sign-in', {
      payload: JSON.stringify({ username: 'a', password: 'x'.repeat(2 * 1024 * 1024) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(problem(big).code).toBe('payload_too_large');
    const xml = await call(env, 'POST', '/api/v1/auth/sign-in', {
      payload: '<a/>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(problem(xml).code).toBe('unsupported_media_type');
  });

  it('a bad path parameter or query is 400, an unknown route is 404 problem+json', async () => {
    expect(problem(await call(env, 'GET', '/api/v1/customers/not-a-uuid', { session: admin })).code).toBe(
      'validation_failed',
    );
    expect(problem(await call(env, 'GET', '/api/v1/customers?page=-3', { session: admin })).code).toBe(
      'validation_failed',
    );
    expect(problem(await call(env, 'GET', '/api/v1/nothing-here')).code).toBe('not_found');
  });

  it('no body of any shape makes any write route fail with a 5xx', async () => {
    const writes = env.app.routes.filter((r) => r.method !== 'GET' && r.url !== '/api/v1/auth/sign-out');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...writes),
        fc.oneof(fc.anything(), fc.json(), fc.dictionary(fc.string(), fc.jsonValue())),
        async (route, payload) => {
          const url = route.url.replace(/:[A-Za-z]+/g, '01a20000-0000-7000-8000-000000000000');
          const res = await env.app.fastify.inject({
            method: route.method,
            url,
            headers: {
              cookie: admin.cookie,
              'x-csrf-token': admin.csrf,
              'content-type': route.rawBody ?? 'application/json',
            },
            payload: typeof payload === 'string' ? payload : JSON.stringify(payload ?? null),
          });
          expect(res.statusCode, `${route.method} ${url} ${res.body}`).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  });
});
