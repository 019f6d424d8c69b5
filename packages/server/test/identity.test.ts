import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestEnv, engines, signInAs, type TestEnv } from './harness.ts';

describe.each(engines)('identity on %s', (engine) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv(engine);
  });
  afterAll(() => env.close());

  it('signs in with an httpOnly SameSite cookie and returns the CSRF token', async () => {
    const res = await call(env, 'POST', '/api/v1/auth/sign-in', {
      payload: { username: 'bj-cy.teller1', password: 'ServiceLoop2026' },
    });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'sl_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Strict');
    expect(res.json()).toMatchObject({ username: 'bj-cy.teller1', roles: ['teller'] });
    expect(res.json().csrfToken).toMatch(/^[\w-]{20,}$/);
  });

  it('answers a wrong password and an unknown user alike', async () => {
    const wrong = await call(env, 'POST', '/api/v1/auth/sign-in', {
      payload: { username: 'bj-cy.teller2', password: 'nope-nope-1' },
    });
    const unknown = await call(env, 'POST', '/api/v1/auth/sign-in', {
      payload: { username: 'nobody', password: 'nope-nope-1' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().code).toBe('invalid_credentials');
    expect(unknown.json().code).toBe('invalid_credentials');
    expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('locks the account after five failures, even for the right password, until the lock ends', async () => {
    for (let i = 0; i < 4; i++) {
      const r = await call(env, 'POST', '/api/v1/auth/sign-in', {
        payload: { username: 'bj-hd.teller3', password: `wrong-${i}-password` },
      });
      expect(r.statusCode).toBe(401);
    }
    const fifth = await call(env, 'POST', '/api/v1/auth/sign-in', {
      payload: { username: 'bj-hd.teller3', password: 'wrong-5-password' },
    });
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().code).toBe('account_locked');
    const right = await call(env, 'POST', '/api/v1/auth/sign-in', {
      payload: { username: 'bj-hd.teller3', password: 'ServiceLoop2026' },
    });
    expect(right.statusCode).toBe(423);
    env.clock.advance(16 * 60_000);
    const later = await call(env, 'POST', '/api/v1/auth/sign-in', {
      payload: { username: 'bj-hd.teller3', password: 'ServiceLoop2026' },
    });
    expect(later.statusCode).toBe(200);
  });

  it('refuses an unsafe request without the CSRF token', async () => {
    const s = await signInAs(env, 'admin');
    const res = await call(env, 'POST', '/api/v1/customers/00000000-0000-7000-8000-000000000000/archive', {
      session: s,
      csrf: false,
      payload: { reason: 'test' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('csrf_failed');
  });

  it('ends the session on sign-out and after 30 idle minutes', async () => {
    const s = await signInAs(env, 'sh-pd.teller1');
    expect((await call(env, 'GET', '/api/v1/auth/me', { session: s })).statusCode).toBe(200);
    expect((await call(env, 'POST', '/api/v1/auth/sign-out', { session: s })).statusCode).toBe(204);
    expect((await call(env, 'GET', '/api/v1/auth/me', { session: s })).statusCode).toBe(401);

    const idle = await signInAs(env, 'sh-pd.teller2');
    env.clock.advance(29 * 60_000);
    expect((await call(env, 'GET', '/api/v1/auth/me', { session: idle })).statusCode).toBe(200);
    // Activity slides the idle window: 58 minutes after sign-in, still signed in.
    env.clock.advance(29 * 60_000);
    expect((await call(env, 'GET', '/api/v1/auth/me', { session: idle })).statusCode).toBe(200);
    env.clock.advance(31 * 60_000);
    const expired = await call(env, 'GET', '/api/v1/auth/me', { session: idle });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().code).toBe('unauthenticated');
  });

  it('sets security headers', async () => {
    const res = await call(env, 'GET', '/api/v1/health');
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-frame-options']).toBeDefined();
  });
});
