import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, verifyAudit } from '../src/audit/service.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { appendEvents, Dispatcher, type StoredEvent } from '../src/events/outbox.ts';
import { call, createTestEnv, engines, orgIdByCode, signInAs, type TestEnv } from './harness.ts';

const clock = () => new Date();

describe.each(engines)('events and audit on %s', (engine) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv(engine);
  });
  afterAll(() => env.close());

  it('a state change and its event commit together, or not at all', async () => {
    const admin = await signInAs(env, 'admin');
    const before = await env.database.rows<{ n: number }>(sql`select count(*)::int as n from outbox_events`);
    const bad = await call(env, 'POST', '/api/v1/org-units', {
      session: admin,
      payload: { parentId: await orgIdByCode(env, 'NORTH'), kind: 'branch', code: 'BJ-CY', name: '重复代码' },
    });
    expect(bad.statusCode).toBe(409);
    const ok = await call(env, 'POST', '/api/v1/org-units', {
      session: admin,
      payload: {
        parentId: await orgIdByCode(env, 'NORTH'),
        kind: 'branch',
        code: 'BJ-XC',
        name: '北京西城支行',
      },
    });
    expect(ok.statusCode).toBe(201);
    const after = await env.database.rows<{ n: number; t: string }>(
      sql`select count(*)::int as n, max(type) as t from outbox_events`,
    );
    expect((after[0]?.n ?? 0) - (before[0]?.n ?? 0)).toBe(1);
    expect(after[0]?.t).toBe('org.unit_created');
  });

  it('delivers each event to its subscribers and retries a failing one', async () => {
    const seen: string[] = [];
    let failOnce = true;
    const dispatcher = new Dispatcher(env.database, env.clock.now);
    dispatcher.subscribe('recorder', ['org.*'], async (e: StoredEvent) => {
      if (e.type === 'org.test_ping' && failOnce) {
        failOnce = false;
        throw new Error('transient');
      }
      seen.push(e.type);
    });
    await env.database.db.transaction((tx) =>
      appendEvents(tx, env.clock.now, [
        {
          type: 'org.test_ping',
          orgUnitId: null,
          aggregateType: 'test',
          aggregateId: 'x',
          actorId: null,
          payload: {},
        },
      ]),
    );
    await dispatcher.drain();
    expect(seen).not.toContain('org.test_ping');
    // The failed event is leased for 30 s, then offered again.
    env.clock.advance(31_000);
    await dispatcher.drain();
    expect(seen.filter((t) => t === 'org.test_ping')).toHaveLength(1);
    await dispatcher.drain();
    expect(seen.filter((t) => t === 'org.test_ping')).toHaveLength(1);
  });

  it('the audit log refuses updates and deletes, and verify detects an altered or removed row', async () => {
    const report = await verifyAudit(env.database);
    expect(report.problems, JSON.stringify(report.problems)).toEqual([]);
    expect(report.entries).toBeGreaterThan(0);
    await expect(
      env.database.db.execute(sql`update audit_log set action = 'x' where seq = 1`),
    ).rejects.toThrow();
    await expect(env.database.db.execute(sql`delete from audit_log where seq = 1`)).rejects.toThrow();

    const hq = await orgIdByCode(env, 'HQ-QA');
    await env.database.db.transaction(async (tx) => {
      for (let i = 0; i < 3; i++) {
        await appendAudit(
          tx,
          clock,
          { userId: null, name: 'test' },
          { action: `test.${i}`, orgUnitId: hq, details: { i, nested: { b: 1, a: [1, 2] } } },
        );
      }
    });
    expect((await verifyAudit(env.database)).problems).toEqual([]);

    // An attacker with superuser rights switches the guard off and edits history.
    await env.database.db.execute(sql`alter table audit_log disable trigger user`);
    await env.database.db.execute(
      sql`update audit_log set details = '{"i": 99}'::jsonb where chain = ${hq} and seq = 2`,
    );
    await env.database.db.execute(sql`delete from audit_log where chain = ${hq} and seq = 3`);
    await env.database.db.execute(sql`alter table audit_log enable trigger user`);
    const tampered = await verifyAudit(env.database);
    const kinds = tampered.problems.filter((p) => p.chain === hq).map((p) => `${p.problem}@${p.seq}`);
    expect(kinds).toEqual(expect.arrayContaining(['altered@2', 'head_mismatch@3']));
  });
});

describe('an event is never lost when the process dies between commit and dispatch', () => {
  it('on PGlite on disk: committed, process gone, delivered after restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sl-outbox-'));
    try {
      const first = await openDatabase({ dataDir: dir });
      await migrate(first);
      await first.db.transaction((tx) =>
        appendEvents(tx, clock, [
          {
            type: 'test.survivor',
            orgUnitId: null,
            aggregateType: 't',
            aggregateId: '1',
            actorId: null,
            payload: { n: 1 },
          },
        ]),
      );
      // No dispatcher ever ran: the "process" ends here.
      await first.close();
      const second = await openDatabase({ dataDir: dir });
      const got: StoredEvent[] = [];
      const dispatcher = new Dispatcher(second, clock);
      dispatcher.subscribe('s', ['test.*'], async (e) => {
        got.push(e);
      });
      await dispatcher.drain();
      expect(got.map((e) => e.payload)).toEqual([{ n: 1 }]);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.runIf(Boolean(process.env.DATABASE_URL))('on PostgreSQL, across a killed process', () => {
  it('an event committed by a process killed before dispatch is delivered by the next one, woken by NOTIFY', async () => {
    const env = await createTestEnv('postgres');
    try {
      const { execFileSync } = await import('node:child_process');
      const { fileURLToPath } = await import('node:url');
      const script = fileURLToPath(new URL('./fixtures/commit-and-die.ts', import.meta.url));
      let out = '';
      try {
        execFileSync(process.execPath, ['--import', 'tsx', script, env.databaseUrl as string], {
          encoding: 'utf8',
        });
      } catch (error) {
        out = String((error as { stdout?: string }).stdout ?? '');
        expect((error as { signal?: string }).signal).toBe('SIGKILL');
      }
      expect(out).toContain('committed');
      const got: StoredEvent[] = [];
      const dispatcher = new Dispatcher(env.database, clock);
      dispatcher.subscribe('s', ['test.*'], async (e) => {
        got.push(e);
      });
      await dispatcher.drain();
      expect(got.map((e) => e.type)).toEqual(['test.killed']);

      // A commit elsewhere wakes a listener through NOTIFY.
      const woken = new Promise<void>((resolve) => {
        void env.database.listen('serviceloop_outbox', () => resolve());
      });
      await new Promise((r) => setTimeout(r, 100));
      await env.database.db.transaction((tx) =>
        appendEvents(tx, clock, [
          {
            type: 'test.wake',
            orgUnitId: null,
            aggregateType: 't',
            aggregateId: 'w',
            actorId: null,
            payload: {},
          },
        ]),
      );
      await woken;
    } finally {
      await env.close();
    }
  });
});
