import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerContext } from '../src/context.ts';
import { sessions } from '../src/db/schema.ts';
import type { Actor } from '../src/identity/actor.ts';
import { hashToken } from '../src/identity/service.ts';
import { type CachedSession, SESSION_CACHE_TTL_MS, sessionCache } from '../src/identity/session-cache.ts';
import { call, createTestEnv, engines, type Session, signInAs, type TestEnv } from './harness.ts';

const tokenOf = (s: Session) => s.cookie.slice('sl_session='.length);

describe.each(engines)('session cache on %s', (engine) => {
  let env: TestEnv;
  let admin: Session;
  beforeAll(async () => {
    env = await createTestEnv(engine);
    admin = await signInAs(env, 'admin');
  });
  afterAll(() => env.close());

  const me = (s: Session) => call(env, 'GET', '/api/v1/auth/me', { session: s });

  it('serves a session from the cache: a revocation written behind its back shows only after the TTL', async () => {
    const s = await signInAs(env, 'bj-cy.teller1');
    expect((await me(s)).statusCode).toBe(200);
    // What another node's sign-out looks like to this node: the row changes, nobody tells us.
    await env.database.db
      .update(sessions)
      .set({ revokedAt: env.clock.now() })
      .where(eq(sessions.id, hashToken(tokenOf(s))));
    expect((await me(s)).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, SESSION_CACHE_TTL_MS + 100));
    expect((await me(s)).statusCode).toBe(401);
  });

  it('sign-out: the very next request on this node is refused', async () => {
    const s = await signInAs(env, 'bj-cy.teller2');
    expect((await me(s)).statusCode).toBe(200);
    expect((await call(env, 'POST', '/api/v1/auth/sign-out', { session: s })).statusCode).toBe(204);
    expect((await me(s)).statusCode).toBe(401);
    const write = await call(env, 'POST', '/api/v1/auth/sign-out', { session: s });
    expect(write.statusCode).toBe(401);
  });

  it('a role change, a deactivation and a password reset end the cached sessions at once', async () => {
    const teller = await signInAs(env, 'bj-cy.teller3');
    expect((await me(teller)).statusCode).toBe(200);
    const roles = await call(env, 'PATCH', `/api/v1/staff/${teller.userId}`, {
      session: admin,
      payload: { roles: ['teller', 'lobby_manager'] },
    });
    expect(roles.statusCode).toBe(200);
    expect((await me(teller)).statusCode).toBe(401);

    const again = await signInAs(env, 'bj-cy.teller3');
    expect((await me(again)).json().roles).toEqual(['teller', 'lobby_manager']);
    const reset = await call(env, 'POST', `/api/v1/staff/${again.userId}/password`, {
      session: admin,
      payload: { password: 'AnotherPassw0rd2026' },
    });
    expect(reset.statusCode).toBe(204);
    expect((await me(again)).statusCode).toBe(401);

    const third = await signInAs(env, 'bj-cy.teller3', 'AnotherPassw0rd2026');
    expect((await me(third)).statusCode).toBe(200);
    const off = await call(env, 'PATCH', `/api/v1/staff/${third.userId}`, {
      session: admin,
      payload: { active: false },
    });
    expect(off.statusCode).toBe(200);
    expect((await me(third)).statusCode).toBe(401);
  });

  it('sliding expiry still works from the cache and writes the row at most once a minute', async () => {
    const s = await signInAs(env, 'bj-hd.teller1');
    const id = hashToken(tokenOf(s));
    const lastSeen = async () =>
      (await env.database.db.select().from(sessions).where(eq(sessions.id, id)))[0]?.lastSeenAt.getTime();
    const signedInAt = await lastSeen();
    env.clock.advance(30_000);
    expect((await me(s)).statusCode).toBe(200);
    expect(await lastSeen()).toBe(signedInAt); // within the minute: no write
    env.clock.advance(25 * 60_000);
    expect((await me(s)).statusCode).toBe(200);
    expect(await lastSeen()).toBe(env.clock.now().getTime()); // slid
    env.clock.advance(25 * 60_000); // 50 min after sign-in, 25 after the last request
    expect((await me(s)).statusCode).toBe(200);
    env.clock.advance(31 * 60_000);
    expect((await me(s)).statusCode).toBe(401);
  });
});

describe('session cache bookkeeping', () => {
  const ctx = {} as ServerContext;
  const actor: Actor = {
    userId: 'u1',
    username: 'u',
    displayName: 'U',
    orgUnitId: 'o',
    scopePath: '/o/',
    roles: [],
    permissions: new Set(),
    sessionId: 's1',
    csrfToken: 'c',
    locale: 'zh-CN',
  };
  const entry = (): CachedSession => ({
    actor,
    createdAt: new Date(0),
    lastSeenAt: new Date(0),
    expiresAt: new Date(1e13),
    loadedAt: performance.now(),
  });

  it('a read that started before a sign-out does not put the old session back', () => {
    const cache = sessionCache(ctx);
    const epoch = cache.currentEpoch; // a request starts loading s1 …
    cache.forget('s1'); // … meanwhile this node signs s1 out
    cache.set('token1', entry(), epoch); // the stale read comes back
    expect(cache.get('token1')).toBeUndefined();
    cache.set('token1', entry(), cache.currentEpoch);
    expect(cache.get('token1')).toBeDefined();
    cache.forget('s1');
    expect(cache.get('token1')).toBeUndefined();
  });

  it('forgets every session of a user', () => {
    const cache = sessionCache(ctx);
    cache.set('token1', entry(), cache.currentEpoch);
    cache.set('token2', { ...entry(), actor: { ...actor, sessionId: 's2' } }, cache.currentEpoch);
    expect(cache.get('token2')).toBeDefined();
    cache.forgetUser('u1');
    expect(cache.get('token1')).toBeUndefined();
    expect(cache.get('token2')).toBeUndefined();
  });
});
