import { readFileSync } from 'node:fs';
import { type ManualClock, manualClock } from '@serviceloop/domain';
import { eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { inject } from 'vitest';
import { type App, buildApp } from '../src/app.ts';
import { type Database, openDatabase } from '../src/db/database.ts';
import { orgUnits, users } from '../src/db/schema.ts';
import type { AnyRoute } from '../src/http/route.ts';
import { DEMO_PASSWORD } from '../src/seed/demo.ts';
import { cloneFromTemplate, dropPostgresDatabase, testConfig, withDatabase } from './templates.ts';

export type Engine = 'pglite' | 'postgres';

/**
 * Every test server starts at the same instant: a Monday, 10:00 in Beijing, mid business day.
 * Started from the wall clock, tests that advance time crossed midnight in the branches' zone
 * when run in the evening UTC, and a queue's business day changed under them.
 */
export const TEST_START = '2026-11-23T02:00:00Z';

/** The real queue history beside the repository (shared/data); SERVICELOOP_SAMPLE_CSV points elsewhere. */
export const SAMPLE_CSV =
  process.env.SERVICELOOP_SAMPLE_CSV ??
  new URL('../../../../shared/data/queue-history-sample.csv', import.meta.url).pathname;

/** PGlite always; PostgreSQL too when DATABASE_URL is set (CI sets it). */
export const engines: Engine[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestEnv {
  readonly engine: Engine;
  readonly app: App;
  readonly database: Database;
  readonly clock: ManualClock;
  readonly databaseUrl: string | undefined;
  close(): Promise<void>;
}

/** A fresh copy of the migrated, seeded demo bank, and a server on it (not listening; use inject). */
export async function openTestDatabase(
  engine: Engine,
): Promise<{ database: Database; url: string | undefined; drop: () => Promise<void> }> {
  if (engine === 'pglite') {
    const dump = new Blob([readFileSync(inject('pgliteTemplate'))]);
    const database = await openDatabase({ loadDataDir: dump });
    return { database, url: undefined, drop: async () => undefined };
  }
  const url = process.env.DATABASE_URL as string;
  const template = inject('postgresTemplate');
  if (!template) throw new Error('PostgreSQL template missing: global setup did not run with DATABASE_URL');
  const name = await cloneFromTemplate(url, template);
  const dbUrl = withDatabase(url, name);
  const database = await openDatabase({ url: dbUrl, poolMax: 10 });
  return { database, url: dbUrl, drop: () => dropPostgresDatabase(url, name) };
}

export async function createTestEnv(
  engine: Engine,
  options: { extraRoutes?: (ctx: App['ctx']) => AnyRoute[] } = {},
): Promise<TestEnv> {
  const { database, url, drop } = await openTestDatabase(engine);
  const clock = manualClock(new Date(TEST_START));
  const app = await buildApp({
    database,
    config: testConfig(),
    clock: clock.now,
    serveWeb: false,
    ...(options.extraRoutes ? { extraRoutes: options.extraRoutes } : {}),
  });
  await app.fastify.ready();
  return {
    engine,
    app,
    database,
    clock,
    databaseUrl: url,
    close: async () => {
      await app.fastify.close();
      await app.ctx.dispatcher.stop();
      await database.close();
      await drop();
    },
  };
}

export interface Session {
  readonly cookie: string;
  readonly csrf: string;
  readonly userId: string;
  readonly orgUnitId: string;
}

export async function signInAs(env: TestEnv, username: string, password = DEMO_PASSWORD): Promise<Session> {
  const res = await env.app.fastify.inject({
    method: 'POST',
    url: '/api/v1/auth/sign-in',
    payload: { username, password },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in as ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'sl_session');
  const body = res.json() as { csrfToken: string; userId: string; orgUnitId: string };
  return {
    cookie: `sl_session=${cookie?.value}`,
    csrf: body.csrfToken,
    userId: body.userId,
    orgUnitId: body.orgUnitId,
  };
}

/**
 * Signs each user in once and keeps the session. `clear()` after moving the injected clock:
 * sessions expire by it. `env` is read at call time (it is made in beforeAll).
 */
export interface SessionCache {
  (username: string): Promise<Session>;
  readonly clear: () => void;
}

export function sessionCache(env: () => TestEnv): SessionCache {
  const sessions = new Map<string, Session>();
  const of = async (username: string): Promise<Session> => {
    let s = sessions.get(username);
    if (!s) {
      s = await signInAs(env(), username);
      sessions.set(username, s);
    }
    return s;
  };
  return Object.assign(of, { clear: () => sessions.clear() });
}

export interface CallOptions {
  readonly session?: Session;
  readonly payload?: unknown;
  readonly headers?: Record<string, string>;
  readonly csrf?: boolean;
}

export function call(
  env: TestEnv,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  options: CallOptions = {},
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.session) {
    headers.cookie = options.session.cookie;
    if (options.csrf !== false) headers['x-csrf-token'] = options.session.csrf;
  }
  return env.app.fastify.inject({
    method,
    url,
    headers,
    ...(options.payload !== undefined
      ? typeof options.payload === 'string'
        ? { payload: options.payload }
        : { payload: options.payload as Record<string, unknown> }
      : {}),
  });
}

export async function orgIdByCode(env: TestEnv, code: string): Promise<string> {
  const [row] = await env.database.db
    .select({ id: orgUnits.id })
    .from(orgUnits)
    .where(eq(orgUnits.code, code));
  if (!row) throw new Error(`no org unit ${code}`);
  return row.id;
}

export async function userIdByName(env: TestEnv, username: string): Promise<string> {
  const [row] = await env.database.db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.username, username));
  if (!row) throw new Error(`no user ${username}`);
  return row.id;
}
